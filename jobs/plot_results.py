#!/usr/bin/python3
# Figures of an sdegen results file, for papers (PNG, PDF, SVG): gen and its bounds against n and
# against the step, bound/gen ratios of every bound family side by side, wang_mao_2022 against
# sigma, SGD against its SDE surrogate, the stationary-covariance check.
"""usage: /usr/bin/python3 jobs/plot_results.py RESULTS.h5 [-o OUTDIR] [--format png,pdf,svg] [--prefix NAME]

Writes into OUTDIR (default: the current directory), in each format asked for (default png), each
name preceded by "NAME_" when --prefix is given:
  gen_vs_n          gen of the bounded loss and each bound asked for, against n (log-log), with
                    guide lines of slope -1/2 and -1 through the first gen point
  bound_ratio_vs_n  bound / gen against n (log-log), delta-method error bars, the line ratio = 1;
                    bounds coloured and listed by family (weight-based, supersample)
  family_ratio_vs_n the tightest guaranteed bound / gen of each family against n, each point
                    named by its bound (when the file has a weight-based and a loss-based family)
  vs_steps          gen of the bounded loss and the running bounds against the step
  wang_mao_sigma    wang_mao_2022 against its perturbation scale sigma, with the sigma chosen
  sgd_vs_sde        gen of the training loss for cells that differ only in sgd / sde, with z
  stationary        relative error of the stationary covariance against Lambda_S (if measured)
and prints the path of each file it wrote. A figure that does not apply to the file (n not swept,
no bounds, ...) is skipped with a message on stderr.

In every figure: error bars are ±1 standard error; a bound drawn hollow is an estimate, filled a
guaranteed bound; a bound above 2R (the range of a loss in [0, 2R]) is vacuous: it lies in the
grey band and carries a cross. Bounds the run was not asked for are absent; bounds asked for but
undefined are listed in the legend with the reason. Points at or below 0 cannot be drawn on a log
axis and are counted in the legend; step 0 (where gen is 0 in expectation) is never drawn.

Exit status: 0 on success, 2 for a missing, unreadable or incomplete file, one that is not an
sdegen results file, or a bad option. Needs h5py, pandas and matplotlib (Debian's /usr/bin/python3);
reads the file with the sdegen_results module in python/ next to jobs/.
"""

import argparse
import math
import os
import sys
import textwrap

# The module lives in python/ next to jobs/ (source tree and installed tree alike).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

try:
    import matplotlib
    import numpy as np
    import sdegen_results as sr
except ImportError as error:  # a python3 from pyenv or conda may lack them; Debian's has them
    sys.exit(f"plot_results.py: {error}; run it with /usr/bin/python3")

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, LogLocator, NullFormatter, NullLocator  # noqa: E402

FORMATS = ("png", "pdf", "svg")
# One look for every figure: sizes in points, text kept as text in SVG and embedded as TrueType in PDF.
STYLE = {
    "font.size": 8.5, "axes.titlesize": 9, "axes.labelsize": 8.5, "xtick.labelsize": 8, "ytick.labelsize": 8,
    "legend.fontsize": 7.5, "figure.titlesize": 9.5, "lines.linewidth": 1.2, "lines.markersize": 5,
    "errorbar.capsize": 2.5, "axes.grid": True, "grid.alpha": 0.3, "grid.linewidth": 0.6,
    "axes.linewidth": 0.8, "xtick.major.width": 0.8, "ytick.major.width": 0.8,
    "svg.fonttype": "none", "pdf.fonttype": 42, "ps.fonttype": 42, "savefig.dpi": 200,
}
PANEL_W, PANEL_H, LEGEND_W = 3.4, 2.6, 2.7   # inches: one panel fits a paper's column
MAX_COLS = 2
BOUND_COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:olive", "tab:red", "tab:purple", "tab:brown",
                "tab:pink", "tab:cyan", "tab:gray"]
BOUND_MARKERS = ["s", "D", "^", "d", "v", "P", "X", "<", ">", "h", "p", "*"]
# One palette per family, so that the families read apart in every figure; other families share
# BOUND_COLORS.
FAMILY_COLORS = {
    "trajectory": ["tab:blue", "navy", "tab:cyan", "steelblue", "royalblue"],
    "terminal": ["tab:orange", "tab:brown", "tab:red", "goldenrod"],
    "supersample": ["tab:green", "darkgreen", "tab:olive", "teal", "limegreen", "darkcyan", "yellowgreen",
                    "seagreen", "tab:pink", "mediumvioletred", "darkkhaki", "darkolivegreen", "lightseagreen"],
}
FAMILY_TITLES = {
    "trajectory": "weight-based, trajectory (docs/bounds.md):",
    "terminal": "weight-based, terminal state (docs/bounds.md):",
    "supersample": "supersample, losses (docs/supersample.md):",
}
ALGO_COLORS = {"sgd": "tab:blue", "sde": "tab:orange", "gd": "tab:gray"}
HEADLINE_OPTIONS = ["problem", "dim", "lr", "batch", "steps"]   # named in titles when not swept
MAX_STEP_CELLS = 8
RELERR_CAP = 1e3  # stationary check: relative errors beyond it are drawn at it (a diverged covariance)
VACUOUS_COLOR = "0.55"
WRAP = 46  # characters per line of a legend note


# ---------------------------------------------------------------------------------------------
# Small helpers

def fmt(value):
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    return str(value)


def describe(row, columns):
    return ", ".join(f"{c}={fmt(row[c])}" for c in columns)


def grouped(frame, keys):
    """[(title, rows)] by the values of keys, in file order; one group titled "" without keys."""
    if not keys:
        return [("", frame)]
    by = keys[0] if len(keys) == 1 else list(keys)
    return [(describe(rows.iloc[0], keys), rows) for _, rows in frame.groupby(by, sort=False)]


def units_label(units):
    return "loss units" if units in ("", "loss") else units


def note(message):
    print(f"plot_results.py: {message}", file=sys.stderr)


def text_entry(message):
    """A legend entry that is only text (a note), wrapped."""
    return Line2D([], [], linestyle="none", label=textwrap.fill(message, WRAP, subsequent_indent="  "))


def log_ticks(ax):
    """Labelled ticks on a log y axis, the same rule in every figure: powers of ten when the view
    holds three of them, else 1-3, 1-2-5, ... steps; unlabelled minor ticks."""
    lo, hi = ax.get_ylim()
    decades = range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
    ticks = []
    for mantissas in ((1,), (1, 3), (1, 2, 5), (1, 2, 3, 5), range(1, 10)):
        ticks = [m * 10.0 ** k for k in decades for m in mantissas if lo <= m * 10.0 ** k <= hi]
        if len(ticks) >= 3:
            break
    if len(ticks) > 7:
        ticks = ticks[::2]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(LogLocator(base=10, subs=tuple(range(2, 10))))
    ax.yaxis.set_minor_formatter(NullFormatter())


def n_axis(ax, values, right_room=0.08):
    """Log x axis with a tick at each n; right_room: the space right of the last n, in spans."""
    ax.set_xscale("log")
    values = sorted(set(float(v) for v in values))
    ax.xaxis.set_major_locator(FixedLocator(values))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    if len(values) > 1:
        span = math.log(values[-1] / values[0])
        ax.set_xlim(values[0] / math.exp(0.08 * span), values[-1] * math.exp(right_room * span))
    ax.set_xlabel("training-set size n (examples)")


def figure_with_legend(count, legend_width=LEGEND_W, panel_w=PANEL_W, panel_h=PANEL_H):
    """count panels in up to MAX_COLS columns, and a column on the right for the figure's one legend."""
    cols = min(max(count, 1), MAX_COLS)
    rows = math.ceil(max(count, 1) / cols)
    fig = plt.figure(figsize=(panel_w * cols + legend_width, panel_h * rows + 0.55), layout="constrained")
    spec = fig.add_gridspec(rows, cols + 1, width_ratios=[panel_w] * cols + [legend_width])
    axes = [fig.add_subplot(spec[k // cols, k % cols]) for k in range(count)]
    legend_ax = fig.add_subplot(spec[:, cols])
    legend_ax.axis("off")
    return fig, axes, legend_ax


def suptitle(fig, text):
    """The figure's title, wrapped to its width."""
    fig.suptitle(textwrap.fill(text, int(fig.get_figwidth() * 13)))


def place_legend(legend_ax, handles):
    """The figure's one legend, in its own column; the figure grows taller when the legend needs it."""
    legend = legend_ax.legend(handles=handles, loc="upper left", borderaxespad=0, frameon=False,
                              handlelength=2.2, alignment="left")
    fig = legend_ax.figure
    fig.canvas.draw()
    needed = legend.get_window_extent().height / fig.dpi + 0.8
    if needed > fig.get_figheight():
        fig.set_figheight(needed)


def save(fig, base, formats):
    paths = []
    for ext in formats:
        path = f"{base}.{ext}"
        fig.savefig(path, metadata={"Creator": "sdegen plot_results.py"} if ext in ("pdf", "svg") else None)
        print(path)
        paths.append(path)
    plt.close(fig)
    return paths


# ---------------------------------------------------------------------------------------------
# What the figures need from a results file

class Figures:
    """The results file, read with sdegen_results, and what every figure shares."""

    def __init__(self, results):
        self.res = results
        df = results.summary.copy()
        self.bounds = results.bounds(options="all")
        self.ratios = sr.bound_gen_ratios(results, options="all") if len(self.bounds) else None
        # The bounded loss of each cell: the bounds' loss, else the first loss with a finite R.
        loss, r_value = [], []
        for cell in df["cell"]:
            c = results.cells[int(cell)]
            r_of = dict(zip(c.attrs["losses"], np.atleast_1d(c.attrs["loss_subgaussian_r"])))
            bounded = sr.text(c.bounds_attrs.get("loss", "")) or next(
                (name for name, r in r_of.items() if np.isfinite(r)), c.attrs["losses"][0])
            loss.append(bounded)
            r_value.append(float(r_of.get(bounded, np.nan)))
        df["loss_bounded"], df["loss_R"] = loss, r_value
        self.df = df
        self.swept = results.swept
        self.n_swept = "n" in self.swept and df["n"].nunique() > 1
        requested = self.bounds[self.bounds["requested"]] if len(self.bounds) else self.bounds
        # Bounds in the order the file lists them, each with one colour and marker in every figure,
        # the colour from its family's palette.
        self.requested = list(dict.fromkeys(requested["bound"])) if len(requested) else []
        self.family = dict(zip(requested["bound"], requested["family"])) if len(requested) else {}
        self.style, seen = {}, {}
        for k, name in enumerate(self.requested):
            family = self.family.get(name, "other")
            j = seen[family] = seen.get(family, -1) + 1
            colors = FAMILY_COLORS.get(family)
            self.style[name] = (colors[j % len(colors)] if colors else BOUND_COLORS[k % len(BOUND_COLORS)],
                                BOUND_MARKERS[j % len(BOUND_MARKERS)])

    def units(self, cell, quantity):
        q = self.res.cells[int(cell)].quantities.get(quantity)
        return units_label(q.units if q else "")

    def fixed_settings(self, exclude=()):
        row = self.df.iloc[0]
        return ", ".join(f"{c}={fmt(row[c])}" for c in HEADLINE_OPTIONS
                         if c in self.df.columns and c not in self.swept and c not in exclude)

    def bound_handle(self, name):
        """The legend entry of a bound: its colour and marker (filled or hollow is explained apart)."""
        color, marker = self.style[name]
        return Line2D([], [], color=color, marker=marker, markeredgewidth=1.2, label=name)

    def ordered(self, handles):
        """Legend entries: gen first, then the bounds in the file's order under their family's title."""
        out = [handles["gen"]] if "gen" in handles else []
        family = None
        for name in self.requested:
            if name not in handles:
                continue
            if self.family.get(name) != family:
                family = self.family.get(name)
                out.append(text_entry(FAMILY_TITLES.get(family, f"{family}:")))
            out.append(handles[name])
        return out

    def describe_cells(self, cells):
        """A short description of a set of cells: 'n=10, algorithm=sgd or sde' when the set is every
        combination of the values it lists (options it covers in full are left out), else 'cells 0, 4'."""
        rows = self.df[self.df["cell"].isin(cells)]
        parts, size = [], 1
        for option in self.swept:
            values = list(dict.fromkeys(rows[option]))
            size *= len(values)
            if len(values) < self.df[option].nunique():
                parts.append(f"{option}=" + " or ".join(fmt(v) for v in values))
        if size != len(rows):
            return "cells " + ", ".join(str(int(c)) for c in sorted(cells))
        return ", ".join(parts) or "every cell"


def draw_points(ax, x, y, se, color, marker, filled, zorder=3, line=True):
    """Markers (filled or hollow each) with ±se bars on a log y axis; returns how many y <= 0 were
    left out. A bar whose lower end is <= 0 is drawn from the point up only."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    se = np.nan_to_num(np.asarray(se, float), nan=0.0)
    filled = np.broadcast_to(np.asarray(filled, bool), y.shape)
    keep = np.isfinite(y) & (y > 0)
    dropped = int((np.isfinite(y) & (y <= 0)).sum())
    if not keep.any():
        return dropped
    x, y, se, filled = x[keep], y[keep], se[keep], filled[keep]
    if line:
        ax.plot(x, y, color=color, linewidth=1.0, zorder=zorder)
    lower = np.where(y - se > 0, se, 0.0)
    ax.errorbar(x, y, yerr=[lower, se], fmt="none", ecolor=color, elinewidth=0.9, zorder=zorder)
    for mask, face in ((filled, color), (~filled, "white")):
        if mask.any():
            ax.plot(x[mask], y[mask], linestyle="none", marker=marker, markerfacecolor=face, markeredgecolor=color,
                    markeredgewidth=1.2, zorder=zorder + 1)
    return dropped


def mark_vacuous(ax, x, y, zorder=6):
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x):
        ax.plot(x, y, linestyle="none", marker="x", markersize=4.5, color="black", markeredgewidth=1.0,
                zorder=zorder)


def vacuous_band(ax, limit):
    """Grey band above 2R: a bound there says less than the loss's range already does."""
    lo, hi = ax.get_ylim()
    if limit < hi:
        ax.axhspan(limit, hi * 10, color=VACUOUS_COLOR, alpha=0.18, linewidth=0, zorder=0)
        ax.axhline(limit, color=VACUOUS_COLOR, linewidth=0.9, linestyle="--", zorder=1)
        ax.set_ylim(lo, hi)


def vacuous_handles(limits):
    limits = sorted(set(limits))
    if not limits:
        return []
    where = " or ".join(f"{v:g}" for v in limits)
    return [Patch(facecolor=VACUOUS_COLOR, alpha=0.35, edgecolor=VACUOUS_COLOR, linestyle="--",
                  label=f"vacuous: above 2R = {where}, the range of a loss in [0, 2R]"),
            Line2D([], [], linestyle="none", marker="x", color="black", label="× a vacuous bound value")]


def validity_handles(valid_seen):
    out = []
    if True in valid_seen:
        out.append(Line2D([], [], linestyle="none", marker="o", color="0.3", label="filled: guaranteed bound"))
    if False in valid_seen:
        out.append(Line2D([], [], linestyle="none", marker="o", color="0.3", markerfacecolor="white",
                          markeredgewidth=1.2, label="hollow: estimate, not guaranteed (docs/bounds.md)"))
    return out


def undefined_notes(figs, undefined):
    """Legend notes for the bounds asked for but undefined, one per reason: [(bound, cell, reason)]."""
    by_reason = {}
    for bound, cell, reason in undefined:
        entry = by_reason.setdefault(reason or "no reason given", ({}, set()))
        entry[0].setdefault(bound, None)
        entry[1].add(cell)
    return [text_entry(f"undefined ({figs.describe_cells(cells)}): {', '.join(bounds)}: {reason}")
            for reason, (bounds, cells) in by_reason.items()]


def set_log_limits(ax, values):
    values = np.asarray([v for v in values if np.isfinite(v) and v > 0], float)
    if len(values):
        ax.set_ylim(values.min() / 1.6, values.max() * 1.6)
    ax.set_yscale("log")
    log_ticks(ax)


# ---------------------------------------------------------------------------------------------
# gen and the bounds against n

def reference_slopes(ax, n, gen):
    """Thin guide lines of slope -1/2 and -1 through the first positive gen point, labelled at their end."""
    n, gen = np.asarray(n, float), np.asarray(gen, float)
    ok = np.isfinite(gen) & (gen > 0)
    if ok.sum() < 1 or len(n) < 2:
        return []
    n0, g0 = n[ok][0], gen[ok][0]
    grid = np.array([n0, n.max()])
    drawn = []
    for exponent, label, style in ((-0.5, "∝ 1/√n", (0, (4, 2))), (-1.0, "∝ 1/n", (0, (1, 1.5)))):
        y = g0 * (grid / n0) ** exponent
        ax.plot(grid, y, color="0.35", linewidth=0.7, linestyle=style, zorder=2)
        ax.annotate(label, (grid[-1], y[-1]), textcoords="offset points", xytext=(3, 0), fontsize=7,
                    color="0.25", va="center", ha="left", annotation_clip=False,
                    bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.8))
        drawn.extend(y)
    return drawn


def plot_gen_vs_n(figs, base, formats):
    if not figs.n_swept:
        note(f"skipped {os.path.basename(base)}: data.n is not swept (one value of n)")
        return []
    groups = grouped(figs.df, [c for c in figs.swept if c != "n"])
    fig, axes, legend_ax = figure_with_legend(len(groups))
    handles, notes, undefined, valid_seen, limits, dropped_notes = {}, [], [], set(), [], []
    for ax, (title, rows) in zip(axes, groups):
        rows = rows.sort_values("n")
        n = rows["n"].to_numpy(float)
        loss = rows["loss_bounded"].iloc[0]
        gen_col, se_col = sr.layout.loss_columns("gen", loss)
        gen = rows[gen_col].to_numpy(float) if gen_col in rows else np.full(len(n), np.nan)
        gen_se = rows[se_col].to_numpy(float) if se_col in rows else np.zeros(len(n))
        shown = [*gen[gen > 0], *(gen + gen_se)[gen > 0], *(gen - gen_se)[gen - gen_se > 0]]
        dropped = draw_points(ax, n, gen, gen_se, "black", "o", True, zorder=5)
        if dropped:
            dropped_notes.append(f"{title or 'gen'}: gen ≤ 0 at {dropped} n, not drawn (log axis)")
        handles.setdefault("gen", Line2D([], [], color="black", marker="o", label=f"measured gen of {loss}"))
        drew_bound = False
        cells = set(rows["cell"].astype(int))
        panel_bounds = figs.bounds[figs.bounds["cell"].isin(cells) & figs.bounds["requested"]] if len(figs.bounds) else []
        for name in figs.requested:
            part = panel_bounds[panel_bounds["bound"] == name].set_index("cell") if len(panel_bounds) else None
            if part is None or part.empty:
                continue
            part = part.loc[rows["cell"].astype(int)]
            for cell, row in part[~part["defined"]].iterrows():
                undefined.append((name, cell, row["reason"]))
            ok = part["defined"].to_numpy()
            if not ok.any():
                continue
            color, marker = figs.style[name]
            value, se = part["value"].to_numpy(float), part["stderr"].to_numpy(float)
            valid = part["valid"].to_numpy(bool)
            valid_seen.update(valid[ok])
            dropped = draw_points(ax, n[ok], value[ok], se[ok], color, marker, valid[ok])
            drew_bound = True
            if dropped:
                dropped_notes.append(f"{name}: ≤ 0 at {dropped} n, not drawn")
            vac = part["vacuous"].to_numpy(bool) & ok
            mark_vacuous(ax, n[vac], value[vac])
            shown.extend(value[ok & (value > 0)])
            handles.setdefault(name, figs.bound_handle(name))
        shown.extend(reference_slopes(ax, n, gen))
        set_log_limits(ax, shown)
        r_value = rows["loss_R"].iloc[0]
        if np.isfinite(r_value) and len(figs.requested):
            vacuous_band(ax, 2 * r_value)
            limits.append(2 * r_value)
        n_axis(ax, n, right_room=0.3)  # room for the guides' labels
        what = "gen and bounds" if drew_bound else "gen"
        ax.set_ylabel(f"{what}, {loss} ({figs.units(rows['cell'].iloc[0], 'gen_' + loss)})")
        if title:
            ax.set_title(title)
    entries = figs.ordered(handles) + validity_handles(valid_seen)
    entries.append(Line2D([], [], color="0.35", linewidth=0.7, linestyle=(0, (4, 2)),
                          label="guides ∝ 1/√n and ∝ 1/n through the first gen point"))
    entries += vacuous_handles(limits)
    if not figs.requested:
        entries.append(text_entry("no bounds were asked for in this run"))
    entries += undefined_notes(figs, undefined) + [text_entry(m) for m in dropped_notes]
    place_legend(legend_ax, entries)
    suptitle(fig, f"gen at the final step against n ({figs.fixed_settings()}); bars: ±1 s.e.")
    return save(fig, base, formats)


# ---------------------------------------------------------------------------------------------
# bound / gen against n

def plot_bound_ratio(figs, base, formats):
    if not figs.n_swept:
        note(f"skipped {os.path.basename(base)}: data.n is not swept (one value of n)")
        return []
    if figs.ratios is None or not len(figs.ratios):
        note(f"skipped {os.path.basename(base)}: no bounds in this file "
             f"(run with --bounds.trajectory, --bounds.terminal or --bounds.supersample)")
        return []
    drawable = figs.ratios[np.isfinite(figs.ratios["ratio"]) & (figs.ratios["ratio"] > 0)]
    groups = [(t, rows) for t, rows in grouped(figs.df, [c for c in figs.swept if c != "n"])
              if rows["cell"].isin(drawable["cell"]).any()]
    if not groups:
        note(f"skipped {os.path.basename(base)}: no defined bound with a positive gen to divide by")
        return []
    fig, axes, legend_ax = figure_with_legend(len(groups))
    handles, valid_seen, notes, any_vacuous = {}, set(), [], False
    loss_names = set()
    for ax, (title, rows) in zip(axes, groups):
        rows = rows.sort_values("n")
        ratios = figs.ratios[figs.ratios["cell"].isin(set(rows["cell"].astype(int)))]
        shown = [1.0]
        for name in figs.requested:
            part = ratios[ratios["bound"] == name].sort_values("n")
            if part.empty:
                continue
            color, marker = figs.style[name]
            ratio = part["ratio"].to_numpy(float)
            valid = part["valid"].to_numpy(bool)
            not_drawn = int((~np.isfinite(ratio)).sum())
            if not_drawn:
                notes.append(f"{name}{' (' + title + ')' if title else ''}: {not_drawn} n with gen ≤ 0, no ratio")
            ok = np.isfinite(ratio) & (ratio > 0)
            if not ok.any():
                continue
            n = part["n"].to_numpy(float)
            valid_seen.update(valid[ok])
            draw_points(ax, n[ok], ratio[ok], part["ratio_stderr"].to_numpy(float)[ok], color, marker, valid[ok])
            vac = part["vacuous"].to_numpy(bool) & ok
            any_vacuous |= bool(vac.any())
            mark_vacuous(ax, n[vac], ratio[vac])
            shown.extend(ratio[ok])
            handles.setdefault(name, figs.bound_handle(name))
        loss_names.update(rows["loss_bounded"])
        set_log_limits(ax, shown)
        ax.axhline(1.0, color="black", linewidth=1.0, zorder=2)
        n_axis(ax, rows["n"])
        ax.set_ylabel(f"bound / gen of {rows['loss_bounded'].iloc[0]} (dimensionless)")
        if title:
            ax.set_title(title)
    entries = figs.ordered(handles) + validity_handles(valid_seen)
    entries.append(Line2D([], [], color="black", linewidth=1.0, label="ratio = 1: the bound equals gen"))
    if any_vacuous:
        entries.append(Line2D([], [], linestyle="none", marker="x", color="black",
                              label="× a vacuous bound (above 2R)"))
    entries.append(text_entry("bars: delta method from the standard errors of the bound and of gen "
                              "(their correlation ignored)"))
    entries += [text_entry(m) for m in notes]
    place_legend(legend_ax, entries)
    suptitle(fig, f"bound / gen at the final step against n ({figs.fixed_settings()})")
    return save(fig, base, formats)


# ---------------------------------------------------------------------------------------------
# the tightest bound of each family / gen against n

def tightest_per_n(part):
    """Per n, the family's smallest guaranteed ratio, else (no guaranteed bound there) its smallest
    estimate: rows of `part` sorted by n."""
    picked = []
    for _, at_n in part.groupby("n", sort=True):
        guaranteed = at_n[at_n["valid"].astype(bool)]
        pool = guaranteed if len(guaranteed) else at_n
        picked.append(pool.loc[pool["ratio"].idxmin()])
    return picked


def plot_family_ratio(figs, base, formats):
    name = os.path.basename(base)
    if not figs.n_swept:
        note(f"skipped {name}: data.n is not swept (one value of n)")
        return []
    families = list(dict.fromkeys(figs.family[b] for b in figs.requested))
    if not (set(families) & set(sr.layout.WEIGHT_FAMILIES)) or not (set(families) & set(sr.layout.LOSS_FAMILIES)):
        note(f"skipped {name}: needs a weight-based and a loss-based bound family "
             f"(e.g. --bounds.trajectory and --bounds.supersample)")
        return []
    ratios = figs.ratios[figs.ratios["requested"] & np.isfinite(figs.ratios["ratio"]) & (figs.ratios["ratio"] > 0)]
    groups = [(t, rows) for t, rows in grouped(figs.df, [c for c in figs.swept if c != "n"])
              if rows["cell"].isin(ratios["cell"]).any()]
    if not groups:
        note(f"skipped {name}: no defined bound with a positive gen to divide by")
        return []
    fig, axes, legend_ax = figure_with_legend(len(groups))
    handles, valid_seen, any_vacuous = {}, set(), False
    for ax, (title, rows) in zip(axes, groups):
        cells = set(rows["cell"].astype(int))
        shown = [1.0]
        for j, family in enumerate(families):
            part = ratios[(ratios["family"] == family) & ratios["cell"].isin(cells)]
            if part.empty:
                continue
            best = tightest_per_n(part)
            n = np.array([b["n"] for b in best], float)
            ratio = np.array([b["ratio"] for b in best], float)
            se = np.array([b["ratio_stderr"] for b in best], float)
            valid = np.array([bool(b["valid"]) for b in best])
            color = FAMILY_COLORS.get(family, BOUND_COLORS)[0]
            marker = BOUND_MARKERS[j % len(BOUND_MARKERS)]
            draw_points(ax, n, ratio, se, color, marker, valid)
            valid_seen.update(valid)
            previous = None
            for x, y, b in zip(n, ratio, best):  # named where the tightest bound changes
                if b["bound"] != previous:
                    ax.annotate(b["bound"], (x, y), textcoords="offset points", xytext=(4, 3), fontsize=5.5,
                                color=color)
                previous = b["bound"]
            vacuous = np.array([bool(b["vacuous"]) for b in best])
            any_vacuous |= bool(vacuous.any())
            mark_vacuous(ax, n[vacuous], ratio[vacuous])
            shown.extend(ratio)
            handles.setdefault(family, Line2D([], [], color=color, marker=marker, markeredgewidth=1.2,
                                              label=FAMILY_TITLES.get(family, f"{family}:").rstrip(":")))
        set_log_limits(ax, shown)
        ax.axhline(1.0, color="black", linewidth=1.0, zorder=2)
        n_axis(ax, rows["n"], right_room=0.25)  # room for the names of the last points
        ax.set_ylabel(f"tightest bound / gen of {rows['loss_bounded'].iloc[0]} (dimensionless)")
        if title:
            ax.set_title(title)
    entries = [handles[f] for f in families if f in handles] + validity_handles(valid_seen)
    entries.append(Line2D([], [], color="black", linewidth=1.0, label="ratio = 1: the bound equals gen"))
    if any_vacuous:
        entries.append(Line2D([], [], linestyle="none", marker="x", color="black",
                              label="× a vacuous bound (above 2R)"))
    entries.append(text_entry("each point: the family's smallest guaranteed bound at that n, named where it "
                              "changes; where the family has none, its smallest estimate (hollow)"))
    entries.append(text_entry("bars: delta method from the standard errors of the bound and of gen "
                              "(their correlation ignored)"))
    place_legend(legend_ax, entries)
    suptitle(fig, f"tightest bound / gen of each family at the final step against n ({figs.fixed_settings()})")
    return save(fig, base, formats)


# ---------------------------------------------------------------------------------------------
# gen and the running bounds against the step

def plot_vs_steps(figs, base, formats, max_cells):
    rows = figs.df.sort_values("cell")
    if len(rows) > max_cells:
        note(f"{os.path.basename(base)}: showing the first {max_cells} of {len(rows)} cells (--max-cells)")
        rows = rows.iloc[:max_cells]
    fig, axes, legend_ax = figure_with_legend(len(rows))
    handles, valid_seen, undefined, limits, dropped_notes = {}, set(), [], [], []
    final_only = False
    for ax, (_, row) in zip(axes, rows.iterrows()):
        cell = figs.res.cells[int(row["cell"])]
        loss = row["loss_bounded"]
        later = cell.step > 0      # step 0: W_0 does not depend on the data, gen is 0 in expectation
        steps = cell.step[later].astype(float)
        shown, drew_bound = [], False
        q = cell.quantities.get(f"gen_{loss}")
        if q is not None:
            mean, se = q.mean[later], q.stderr[later]
            keep = np.isfinite(mean) & (mean > 0)
            ax.plot(steps, np.where(keep, mean, np.nan), color="black", marker="o", markersize=3, zorder=5)
            ax.fill_between(steps, np.where(keep, np.maximum(mean - se, mean / 50), np.nan),
                            np.where(keep, mean + se, np.nan), color="black", alpha=0.15, linewidth=0, zorder=4)
            shown.extend(mean[keep])
            shown.extend((mean + se)[keep])
            dropped = int((np.isfinite(mean) & (mean <= 0)).sum())
            if dropped:
                dropped_notes.append(f"cell {int(row['cell'])}: gen ≤ 0 at {dropped} step(s), not drawn")
            handles.setdefault("gen", Line2D([], [], color="black", marker="o", markersize=3,
                                             label=f"measured gen of {loss}, band ±1 s.e."))
        for name in figs.requested:
            b = cell.bounds.get(name)
            if b is None or not b.requested:
                continue
            if not b.defined:
                undefined.append((name, int(row["cell"]), b.reason))
                continue
            color, marker = figs.style[name]
            valid = int(b.attrs.get("valid", 0)) == 1
            valid_seen.add(valid)
            drew_bound = True
            if b.running is not None:
                values = b.running[later]
                keep = np.isfinite(values) & (values > 0)
                ax.plot(steps[keep], values[keep], color=color, linestyle="-" if valid else "--", marker=marker,
                        markersize=3.5, markerfacecolor=color if valid else "white", zorder=3)
                shown.extend(values[keep])
            else:
                final_only = True
                value = float(b.attrs["value"])
                draw_points(ax, [steps[-1]], [value], [float(b.attrs.get("stderr", 0))], color, marker, valid,
                            line=False)
                shown.append(value)
            if np.isfinite(row["loss_R"]) and float(b.attrs["value"]) > 2 * row["loss_R"]:
                mark_vacuous(ax, [steps[-1]], [float(b.attrs["value"])])
            handles.setdefault(name, figs.bound_handle(name))
        set_log_limits(ax, shown)
        if np.isfinite(row["loss_R"]) and figs.requested:
            vacuous_band(ax, 2 * row["loss_R"])
            limits.append(2 * row["loss_R"])
        if len(steps):
            pad = 0.03 * (steps[-1] - steps[0]) if len(steps) > 1 else 1.0
            ax.set_xlim(steps[0] - pad, steps[-1] + pad)
        ax.set_xlabel("training step t")
        what = "gen and bounds" if drew_bound else "gen"
        ax.set_ylabel(f"{what}, {loss} ({figs.units(row['cell'], 'gen_' + loss)})")
        settings = describe(row, figs.swept) if figs.swept else figs.fixed_settings()
        ax.set_title(f"cell {int(row['cell'])}: {settings}")
    entries = figs.ordered(handles) + validity_handles(valid_seen)
    if any(b in handles for b in figs.requested):
        entries.append(text_entry("lines: the running bound from the steps up to t; "
                                  "markers at the last step: bounds of the final state only"
                                  if final_only else "lines: the running bound from the steps up to t"))
    entries += vacuous_handles(limits)
    entries.append(text_entry("step 0 not drawn: W_0 does not depend on the data (gen = 0 in expectation)"))
    if not figs.requested:
        entries.append(text_entry("no bounds were asked for in this run"))
    entries += undefined_notes(figs, undefined) + [text_entry(m) for m in dropped_notes]
    place_legend(legend_ax, entries)
    suptitle(fig, f"gen against the training step ({figs.fixed_settings(('steps',))})")
    return save(fig, base, formats)


# ---------------------------------------------------------------------------------------------
# wang_mao_2022 against sigma

def plot_sigma_curves(figs, base, formats, max_cells):
    """Each cell's wang_mao_2022 curve against sigma (one panel per cell), with the sigma its rule
    chose, the information and flatness terms, and gen: the curve tends to gen as sigma grows."""
    name = "wang_mao_2022"
    rows = [row for _, row in figs.df.sort_values("cell").iterrows()
            if (b := figs.res.cells[int(row["cell"])].bounds.get(name)) is not None and b.defined
            and b.curve is not None]
    if not rows:
        note(f"skipped {os.path.basename(base)}: no {name} curve in this file (run with --bounds.trajectory)")
        return []
    if len(rows) > max_cells:
        note(f"{os.path.basename(base)}: showing the first {max_cells} of {len(rows)} cells (--max-cells)")
        rows = rows[:max_cells]
    fig, axes, legend_ax = figure_with_legend(len(rows))
    color, marker = figs.style.get(name, ("tab:red", "o"))
    limits, edge_notes = [], []
    for ax, row in zip(axes, rows):
        b = figs.res.cells[int(row["cell"])].bounds[name]
        curve = b.curve
        sigma, value, se = curve[curve["parameter"]], curve["value"], curve["stderr"]
        ax.plot(sigma, value, color=color, marker=marker, markersize=3, zorder=4)
        ax.fill_between(sigma, np.maximum(value - se, value / 50), value + se, color=color, alpha=0.2, linewidth=0)
        if "information_term" in curve:
            ax.plot(sigma, curve["information_term"], color="0.35", linestyle=":", zorder=3)
        if "flatness_term" in curve:
            flat = np.abs(curve["flatness_term"])
            ax.plot(sigma, np.where(flat > 0, flat, np.nan), color="0.35", linestyle="-.", zorder=3)
        chosen = float(b.attrs.get("sigma", np.nan))
        ax.plot([chosen], [float(b.attrs["value"])], linestyle="none", marker="*", markersize=12, color=color,
                markeredgecolor="black", zorder=6)
        gen = row.get(f"gen_{row['loss_bounded']}_mean", np.nan)
        if np.isfinite(gen) and gen > 0:
            ax.axhline(gen, color="black", linestyle="--", linewidth=1)
        if int(b.attrs.get("at_edge", 0)) == 1:
            edge_notes.append(f"cell {int(row['cell'])}: {sr.text(b.attrs.get('note', 'sigma at the edge'))}")
        ax.set_xscale("log")
        shown = list(value[np.isfinite(value) & (value > 0)]) + ([gen] if np.isfinite(gen) and gen > 0 else [])
        set_log_limits(ax, shown)
        if np.isfinite(row["loss_R"]):
            vacuous_band(ax, 2 * row["loss_R"])
            limits.append(2 * row["loss_R"])
            if float(b.attrs["value"]) > 2 * row["loss_R"]:
                mark_vacuous(ax, [chosen], [float(b.attrs["value"])])
        ax.set_xlabel("sigma (perturbation std per step)")
        ax.set_ylabel(f"{name}, {row['loss_bounded']} (loss units)")
        settings = describe(row, figs.swept) if figs.swept else figs.fixed_settings()
        ax.set_title(textwrap.fill(f"cell {int(row['cell'])}: {settings}", 40), fontsize=9)
    entries = [Line2D([], [], color=color, marker=marker, markersize=3, label=f"{name} at each sigma, band ±1 s.e."),
               Line2D([], [], color="0.35", linestyle=":", label="information term"),
               Line2D([], [], color="0.35", linestyle="-.", label="|flatness term|"),
               Line2D([], [], linestyle="none", marker="*", markersize=10, color=color, markeredgecolor="black",
                      label="the value reported: sigma chosen by the rule, which does not involve gen"),
               Line2D([], [], color="black", linestyle="--", linewidth=1, label="measured gen of the bounded loss"),
               text_entry("as sigma grows the bound tends to gen itself (docs/bounds.md, section 5)")]
    entries += vacuous_handles(limits) + [text_entry(m) for m in edge_notes]
    place_legend(legend_ax, entries)
    suptitle(fig, f"{name} against its perturbation scale ({figs.fixed_settings()})")
    return save(fig, base, formats)


# ---------------------------------------------------------------------------------------------
# SGD against SDE

def plot_sgd_vs_sde(figs, base, formats):
    pairs = sr.paired_differences(figs.res)
    if pairs.empty:
        note(f"skipped {os.path.basename(base)}: no pair of sgd and sde cells with the same settings")
        return []
    by_n = figs.n_swept
    group_keys = [c for c in figs.swept if c not in ("algorithm", "n")] if by_n else []
    groups = grouped(pairs, group_keys)
    fig, axes, legend_ax = figure_with_legend(len(groups))
    summary = figs.df.set_index("cell")
    for ax, (title, members) in zip(axes, groups):
        members = members.sort_values("n") if by_n else members
        x = members["n"].to_numpy(float) if by_n else np.arange(len(members), dtype=float)
        tops = []
        for algo, column, offset in (("sgd", "first", 0.96 if by_n else -0.1), ("sde", "second", 1.04 if by_n else 0.1)):
            mean, se = members[column].to_numpy(float), np.nan_to_num(members[f"{column}_stderr"].to_numpy(float))
            xs = x * offset if by_n else x + offset
            ax.errorbar(xs, mean, yerr=se, fmt="o", color=ALGO_COLORS[algo], markersize=4)
            tops.append(mean + se)
        top = np.nanmax(np.vstack(tops), axis=0)
        for xi, ti, z in zip(x, top, members["z"]):
            ax.annotate(f"z={z:.2f}" if np.isfinite(z) else "z: n/a", (xi, ti), textcoords="offset points",
                        xytext=(0, 4), ha="center", fontsize=7,
                        color="firebrick" if np.isfinite(z) and abs(z) > 3 else "black")
        ax.axhline(0, color="0.4", linewidth=0.8, linestyle=":")
        if by_n:
            n_axis(ax, x)
        else:
            ax.set_xticks(x)
            labels = [describe(summary.loc[c], [k for k in figs.swept if k != "algorithm"]) or f"cells {c}/{d}"
                      for c, d in zip(members["cell_first"], members["cell_second"])]
            ax.set_xticklabels([textwrap.fill(t, 18) for t in labels], fontsize=7)
            ax.set_xlim(-0.6, len(members) - 0.4)
            ax.set_xlabel("settings of the sgd / sde pair")
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, hi + 0.12 * (hi - lo))
        loss = summary.loc[members["cell_first"].iloc[0], "training_loss"]
        ax.set_ylabel(f"gen of the training loss {loss} ({figs.units(members['cell_first'].iloc[0], 'gen_' + loss)})")
        if title:
            ax.set_title(title)
    entries = [Line2D([], [], linestyle="none", marker="o", color=ALGO_COLORS[a], label=f"{a}, bars ±1 s.e.")
               for a in ("sgd", "sde")]
    entries.append(text_entry("z = (gen_sgd − gen_sde) / √(se_sgd² + se_sde²); |z| > 3 in red. Both train "
                              "on the same data sets, so this z is conservative"))
    entries.append(text_entry(f"largest |z| = {np.nanmax(np.abs(pairs['z'])):.2f}"))
    place_legend(legend_ax, entries)
    suptitle(fig, f"SGD against its SDE surrogate at the final step ({figs.fixed_settings()})")
    return save(fig, base, formats)


# ---------------------------------------------------------------------------------------------
# the stationary covariance check

def plot_stationary(figs, base, formats):
    df = figs.df
    if "stationary_relerr_mean" not in df.columns or not np.isfinite(df["stationary_relerr_mean"]).any():
        note(f"skipped {os.path.basename(base)}: no stationary covariance check in this file "
             "(run with --bounds.terminal and --bounds.stationary_steps > 0)")
        return []
    # Against n when n is swept, else against the learning rate when it is (a sweep towards the
    # edge of stability), else cell by cell.
    x_option = "n" if figs.n_swept else ("lr" if "lr" in figs.swept and df["lr"].nunique() > 1 else None)
    edge_panel = x_option == "lr"
    fig, axes, legend_ax = figure_with_legend(2 if edge_panel else 1)
    ax = axes[0]
    entries = []
    any_off = False
    has_floor = "stationary_relerr_floor_mean" in df.columns
    if x_option:
        groups = grouped(df, [c for c in figs.swept if c != x_option])
        for k, (title, rows) in enumerate(groups):
            rows = rows.sort_values(x_option)
            spread = 1 + 0.02 * (k - (len(groups) - 1) / 2) if x_option == "n" else 1  # keep bars apart
            x = rows[x_option].to_numpy(float) * spread
            color = BOUND_COLORS[k % len(BOUND_COLORS)]
            y = rows["stationary_relerr_mean"].to_numpy(float)
            se = np.nan_to_num(rows["stationary_relerr_stderr"].to_numpy(float))
            # Beyond the cap the iterates' covariance has diverged: drawn at the cap as a triangle.
            off = ~(y <= RELERR_CAP)
            shown = np.where(off, RELERR_CAP, np.where(y > 0, y, np.nan))
            ax.errorbar(x, shown, yerr=np.where(off, 0, np.minimum(se, 0.99 * np.abs(y))), fmt="-o", color=color,
                        markersize=4)
            ax.plot(x[off], shown[off], linestyle="none", marker="^", markersize=8, color=color)
            any_off = any_off or off.any()
            if has_floor:
                floor = rows["stationary_relerr_floor_mean"].to_numpy(float)
                ax.plot(x, np.where(floor <= RELERR_CAP, floor, np.nan), color=color, linestyle=":", linewidth=1)
            entries.append(Line2D([], [], color=color, marker="o", label=title or "all cells"))
            if edge_panel:
                edge = [figs.res.cells[int(c)].bounds_attrs.get("terminal_failed_edge_of_stability", np.nan)
                        for c in rows["cell"]]
                axes[1].plot(x, 100 * np.asarray(edge, float) / rows["replicates"].to_numpy(float), "-o",
                             color=color, markersize=4)
        if x_option == "n":
            n_axis(ax, df["n"])
        else:
            ax.set_xlabel("learning rate eta")
    else:
        rows = df.sort_values("cell")
        x = np.arange(len(rows), dtype=float)
        ax.errorbar(x, rows["stationary_relerr_mean"], yerr=np.nan_to_num(rows["stationary_relerr_stderr"]),
                    fmt="o", color="tab:blue", markersize=4)
        if has_floor:
            ax.plot(x, rows["stationary_relerr_floor_mean"], color="tab:blue", linestyle="none", marker="_",
                    markersize=10)
        ax.set_xticks(x)
        ax.set_xticklabels([f"cell {int(r['cell'])}" for _, r in rows.iterrows()], fontsize=7)
        ax.set_xlabel("cell")
        entries.append(Line2D([], [], color="tab:blue", marker="o", linestyle="none", label="each cell"))
    ax.set_yscale("log")
    if has_floor:
        entries.append(Line2D([], [], color="0.4", linestyle=":", label="Monte Carlo floor: the value from noise alone"))
    entries.append(text_entry("bars: ±1 standard error; 0 (the covariance equals Λ_S) lies below the axis"))
    if any_off:
        entries.append(Line2D([], [], color="0.4", linestyle="none", marker="^",
                              label=f"above {RELERR_CAP:g}, drawn at the top: the iterates' covariance diverged"))
    ax.set_ylabel("‖E[cov(W) − Λ_S]‖_F / ‖E Λ_S‖_F\n(relative error, dimensionless)")
    if edge_panel:
        axes[1].set_xlabel("learning rate eta")
        axes[1].set_ylabel("replicates with eta λ_max(H_S) ≥ 2 (%)")
        axes[1].set_title("at or beyond the edge of stability")
    place_legend(legend_ax, entries)
    suptitle(fig, f"stationary covariance of the iterates against Λ_S ({figs.fixed_settings()})")
    return save(fig, base, formats)


# ---------------------------------------------------------------------------------------------

def parse_formats(value):
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if not formats or unknown:
        raise argparse.ArgumentTypeError(f"formats are a comma-separated list of {', '.join(FORMATS)}, "
                                         f"not {value!r}")
    return list(dict.fromkeys(formats))


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="plot_results.py",
        usage="/usr/bin/python3 jobs/plot_results.py RESULTS.h5 [-o OUTDIR] [--format png,pdf,svg] [--prefix NAME]",
        description="Draw the figures of an sdegen results file and print the path of each file written: "
                    "gen_vs_n, bound_ratio_vs_n, family_ratio_vs_n, vs_steps, wang_mao_sigma, sgd_vs_sde, "
                    "stationary.",
        epilog="Exit status 2: missing, unreadable or incomplete file, not an sdegen results file, or a bad option.")
    parser.add_argument("results", metavar="RESULTS.h5", help="results file written by `sdegen run` or `sdegen merge`")
    parser.add_argument("-o", "--outdir", metavar="OUTDIR", default=".",
                        help="directory for the figures, created if needed (default: the current directory)")
    parser.add_argument("--format", metavar="LIST", type=parse_formats, default=["png"],
                        help="comma-separated formats among png, pdf, svg (default: png)")
    parser.add_argument("--prefix", metavar="NAME", default="", help='prepend "NAME_" to every file name')
    parser.add_argument("--max-cells", metavar="K", type=int, default=MAX_STEP_CELLS,
                        help=f"vs_steps, wang_mao_sigma: draw the first K cells (default: {MAX_STEP_CELLS})")
    args = parser.parse_args(argv)

    try:
        figs = Figures(sr.open_results(args.results))
    except sr.ResultsFormatError as error:
        print(f"plot_results.py: error: {error}", file=sys.stderr)
        return 2
    try:
        os.makedirs(args.outdir, exist_ok=True)
    except OSError as error:
        print(f"plot_results.py: error: cannot create {args.outdir}: {error}", file=sys.stderr)
        return 1

    def base(name):
        return os.path.join(args.outdir, f"{args.prefix}_{name}" if args.prefix else name)

    with plt.rc_context(STYLE):
        plot_gen_vs_n(figs, base("gen_vs_n"), args.format)
        plot_bound_ratio(figs, base("bound_ratio_vs_n"), args.format)
        plot_family_ratio(figs, base("family_ratio_vs_n"), args.format)
        plot_vs_steps(figs, base("vs_steps"), args.format, max(1, args.max_cells))
        plot_sigma_curves(figs, base("wang_mao_sigma"), args.format, max(1, args.max_cells))
        plot_sgd_vs_sde(figs, base("sgd_vs_sde"), args.format)
        plot_stationary(figs, base("stationary"), args.format)
    return 0


if __name__ == "__main__":
    sys.exit(main())
