# Analyses derived from the loaded tables: paired SGD-SDE differences, log-log slopes against n
# (the same fit as `sdegen report`), and bound/gen ratios with delta-method error bars.
"""paired_differences, loglog_slope, slopes_against_n, ratio_with_stderr, bound_gen_ratios."""

import numpy as np
import pandas as pd

from . import layout


def _grouped(frame, keys):
    """frame.groupby(keys) in file order; the whole frame as one group when keys is empty."""
    if not keys:
        return [((), frame)]
    return list(frame.groupby(keys[0] if len(keys) == 1 else list(keys), sort=False))


def paired_differences(results, quantity="gen", first="sgd", second="sde", by="algorithm"):
    """first - second for the cells that differ only in option `by` (default: sgd - sde).

    quantity names the /summary columns QUANTITY_mean and QUANTITY_stderr ("gen": gen of the
    training loss; "gen_sq_clip", "test_01", ...). sgd and sde cells that differ only in the
    algorithm train on the same training sets, and for gen the file stores the paired standard
    error of their gap (surrogate_gap_<loss>_stderr, a jackknife over the shared replicate groups):
    difference_stderr is that one when it applies, else sqrt(se1^2 + se2^2), which treats the cells
    as independent (conservative for positively correlated cells); difference_stderr_unpaired is
    always the latter. Columns: the other swept options, cell_first, cell_second, first,
    first_stderr, second, second_stderr, difference, difference_stderr,
    difference_stderr_unpaired, paired, z.
    """
    summary = results.summary
    mean_col, se_col = f"{quantity}_mean", f"{quantity}_stderr"
    for column in (by, mean_col, se_col):
        if column not in summary.columns:
            raise KeyError(f"/summary has no column {column!r}")
    keys = [c for c in results.swept if c != by]
    rows = []
    for _, group in _grouped(summary, keys):
        a, b = group[group[by] == first], group[group[by] == second]
        if len(a) != 1 or len(b) != 1:
            continue
        a, b = a.iloc[0], b.iloc[0]
        diff = a[mean_col] - b[mean_col]
        unpaired = float(np.hypot(a[se_col], b[se_col]))
        se, paired = unpaired, False
        loss = a[layout.COL_TRAINING_LOSS] if quantity == "gen" else quantity[4:] if quantity.startswith("gen_") else None
        paired_col = layout.SURROGATE_GAP_STDERR.format(loss=loss) if loss is not None else None
        if (by, first, second) == ("algorithm", "sgd", "sde") and paired_col in summary.columns \
                and np.isfinite(a[paired_col]):
            # the file's gap (from the same group sums as its error) rather than a difference of means
            diff, se, paired = float(a[layout.SURROGATE_GAP.format(loss=loss)]), float(a[paired_col]), True
        row = {k: a[k] for k in keys}
        row.update({"cell_first": int(a[layout.COL_CELL]), "cell_second": int(b[layout.COL_CELL]),
                    "first": a[mean_col], "first_stderr": a[se_col], "second": b[mean_col],
                    "second_stderr": b[se_col], "difference": diff, "difference_stderr": se,
                    "difference_stderr_unpaired": unpaired, "paired": paired,
                    "z": diff / se if se > 0 else np.nan})
        rows.append(row)
    return pd.DataFrame(rows, columns=keys + ["cell_first", "cell_second", "first", "first_stderr", "second",
                                              "second_stderr", "difference", "difference_stderr",
                                              "difference_stderr_unpaired", "paired", "z"])


def loglog_slope(x, y, y_stderr=None):
    """Weighted least squares of log y on log x: (slope, slope_stderr, intercept, points).

    Points need finite positive x and y. Weights 1 / (stderr / y)^2 (the delta method's variance
    of log y) when some point has a positive standard error, else equal weights. With weights,
    Var(slope) = 1 / Suu, scaled up (never down) by the reduced chi-square when it exceeds 1;
    without, the ordinary least-squares error (NaN with two points). NaN slope with fewer than
    two distinct x. The same estimator as `sdegen report`.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    se = np.full_like(y, np.nan) if y_stderr is None else np.asarray(y_stderr, float)
    ok = np.isfinite(x) & (x > 0) & np.isfinite(y) & (y > 0)
    weighted = bool((ok & np.isfinite(se) & (se > 0)).any())
    if weighted:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            w = 1.0 / (se / y) ** 2
        ok &= np.isfinite(se) & (se > 0) & np.isfinite(w) & (w > 0)
    else:
        w = np.ones_like(y)
    u, v, w = np.log(x[ok]), np.log(y[ok]), w[ok]
    points = int(ok.sum())
    nan = float("nan")
    if points < 2 or np.all(u == u[0]):
        return nan, nan, nan, points
    u_bar, v_bar = np.sum(w * u) / np.sum(w), np.sum(w * v) / np.sum(w)
    suu = np.sum(w * (u - u_bar) ** 2)
    if not suu > 0:
        return nan, nan, nan, points
    slope = np.sum(w * (u - u_bar) * (v - v_bar)) / suu
    intercept = v_bar - slope * u_bar
    chi2 = np.sum(w * (v - intercept - slope * u) ** 2)
    dof = points - 2
    if weighted:
        variance = 1.0 / suu
        if dof > 0 and chi2 / dof > 1:
            variance *= chi2 / dof
        slope_se = float(np.sqrt(variance))
    else:
        slope_se = float(np.sqrt(chi2 / dof / suu)) if dof > 0 else nan
    return float(slope), slope_se, float(intercept), points


def _value_and_error_columns(columns, quantity):
    """('gen_mean', 'gen_stderr') for 'gen' or 'gen_mean'; ('bound_x', 'bound_x_stderr') for 'bound_x'."""
    if f"{quantity}_mean" in columns:
        return f"{quantity}_mean", f"{quantity}_stderr"
    if quantity in columns:
        base = quantity[:-len("_mean")] if quantity.endswith("_mean") else quantity
        return quantity, f"{base}_stderr"
    return None, None


def slopes_against_n(results, columns, n_column="n"):
    """Log-log slope against n of each /summary quantity in columns ("gen", "gen_sq_clip",
    "bound_traj_iso_pop", ...), for every group of the other swept options.

    A quantity is a column, or the stem of QUANTITY_mean; its error column is QUANTITY_stderr. Columns:
    the other swept options, quantity, slope, slope_stderr, intercept, points.
    """
    summary = results.summary
    keys = [c for c in results.swept if c != n_column]
    rows = []
    for _, group in _grouped(summary, keys):
        for quantity in columns:
            mean_col, se_col = _value_and_error_columns(group.columns, quantity)
            if mean_col is None:
                continue
            se = group[se_col] if se_col in group.columns else None
            slope, slope_se, intercept, points = loglog_slope(group[n_column], group[mean_col], se)
            row = {k: group.iloc[0][k] for k in keys}
            row.update({"quantity": quantity, "slope": slope, "slope_stderr": slope_se,
                        "intercept": intercept, "points": points})
            rows.append(row)
    return pd.DataFrame(rows, columns=keys + ["quantity", "slope", "slope_stderr", "intercept", "points"])


def ratio_with_stderr(numerator, numerator_stderr, denominator, denominator_stderr):
    """numerator / denominator and its standard error by the delta method,
    |ratio| * sqrt((se_num / num)^2 + (se_den / den)^2), which treats the two as independent.
    NaN where the denominator is 0 or either value is not finite."""
    a, sa = np.asarray(numerator, float), np.asarray(numerator_stderr, float)
    b, sb = np.asarray(denominator, float), np.asarray(denominator_stderr, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((b != 0) & np.isfinite(a) & np.isfinite(b), a / b, np.nan)
        stderr = np.abs(ratio) * np.sqrt((sa / a) ** 2 + (sb / b) ** 2)
    return ratio, stderr


def bound_gen_ratios(results, options="swept"):
    """Every defined bound divided by the measured gen of the loss it bounds, at the final step.

    Columns: those of Results.bounds() and gen, gen_stderr, ratio, ratio_stderr (delta method;
    the bound and gen come from the same replicates, so the two are correlated and the error is
    approximate). ratio is NaN where gen <= 0: a ratio to a gen that is not positive says nothing.
    """
    bounds = results.bounds(options=options)
    bounds = bounds.loc[bounds["defined"].astype(bool)].copy()
    if bounds.empty:
        return bounds.assign(gen=[], gen_stderr=[], ratio=[], ratio_stderr=[])
    gen, gen_se = [], []
    summary = results.summary.set_index(layout.COL_CELL)
    for cell, loss in zip(bounds[layout.COL_CELL], bounds["loss"]):
        mean_col, se_col = layout.loss_columns("gen", loss)
        has = mean_col in summary.columns
        gen.append(summary.at[cell, mean_col] if has else np.nan)
        gen_se.append(summary.at[cell, se_col] if has and se_col in summary.columns else np.nan)
    bounds["gen"] = np.asarray(gen, float)
    bounds["gen_stderr"] = np.asarray(gen_se, float)
    positive = np.where(bounds["gen"] > 0, bounds["gen"], np.nan)
    bounds["ratio"], bounds["ratio_stderr"] = ratio_with_stderr(bounds["value"], bounds["stderr"], positive,
                                                                bounds["gen_stderr"])
    return bounds.reset_index(drop=True)
