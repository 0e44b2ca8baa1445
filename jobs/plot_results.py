#!/usr/bin/python3
# Figures of an sdegen results file (PNG): gen and its bounds against n and against the step,
# SGD against its SDE surrogate, and the stationary-covariance check. Needs h5py, pandas, matplotlib.
"""usage: /usr/bin/python3 jobs/plot_results.py RESULTS.h5 [-o OUTDIR] [--prefix NAME]

Writes into OUTDIR (default: the current directory), each name preceded by "NAME_" when --prefix
is given:
  gen_vs_n.png     gen of the bounded loss and every defined bound against n (final step)
  vs_steps.png     gen of the bounded loss and the running trajectory bounds against the step
  sgd_vs_sde.png   gen of the training loss for paired sgd / sde cells, with the z-score sgd_sde_z
  stationary.png   relative error of the stationary covariance against Lambda_S (if measured)
and prints the path of each figure it wrote. A figure that does not apply to the file is skipped
with a message on stderr. Exit status: 0 on success, 2 for a missing or unreadable file or one
that is not an sdegen results file (format "sdegen-results"). Layout: docs/results-format.md;
what the bounds are: docs/bounds.md sections 7-9.
"""

import argparse
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter, ScalarFormatter  # noqa: E402

try:
    import h5py  # noqa: E402
    import pandas as pd  # noqa: E402
except ImportError as error:  # the python3 on PATH may lack them; Debian's /usr/bin/python3 has them
    sys.exit(f"plot_results.py: {error}; run it with /usr/bin/python3")

FORMAT = "sdegen-results"
ALL_BOUNDS = ["traj_iso_zero", "traj_iso_pop", "traj_iso_plugin", "traj_align", "wang_mao_2022",
              "term_xr", "term_iso", "term_init", "term_negrea"]
RUNNING_BOUNDS = ["traj_iso_zero", "traj_iso_pop", "traj_align"]
FINAL_ONLY_MARKED = ["wang_mao_2022"]  # final-step bound drawn as a marker on vs_steps.png
COLORS = {"traj_iso_zero": "tab:blue", "traj_iso_pop": "tab:orange", "traj_iso_plugin": "tab:olive",
          "traj_align": "tab:green", "wang_mao_2022": "tab:red", "term_xr": "tab:purple",
          "term_iso": "tab:brown", "term_init": "tab:pink", "term_negrea": "tab:cyan"}
MARKERS = {"traj_iso_zero": "s", "traj_iso_pop": "D", "traj_iso_plugin": "d", "traj_align": "^",
           "wang_mao_2022": "v", "term_xr": "P", "term_iso": "X", "term_init": "<", "term_negrea": ">"}
ALGO_COLORS = {"sgd": "tab:blue", "sde": "tab:orange", "gd": "tab:gray"}
# Options worth naming in a figure's overall title when they are not swept.
HEADLINE_OPTIONS = ["problem", "dim", "lr", "batch", "steps"]
MAX_STEP_CELLS = 8


class ReadError(Exception):
    """The input is missing, unreadable or not an sdegen results file."""


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").rstrip("\x00")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return value if isinstance(value, str) else str(value)


def column_of(option):
    """The /summary column (and cell attribute) of a swept option: data.n -> n, problem.name -> problem."""
    key = option.split(".", 1)[-1]
    return "problem" if key == "name" else key


def fmt(value):
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    return str(value)


def grouped(df, keys):
    """df.groupby(keys) in file order (a single key passed as a scalar, as pandas prefers)."""
    return df.groupby(keys[0] if len(keys) == 1 else list(keys), sort=False)


def describe(row, columns):
    return ", ".join(f"{c}={fmt(row[c])}" for c in columns)


class Results:
    """What the figures need from one results file."""

    def __init__(self, path):
        self.path = path
        if not os.path.exists(path):
            raise ReadError(f"{path}: no such file")
        if not os.path.isfile(path):
            raise ReadError(f"{path}: not a regular file")
        try:
            with h5py.File(path, "r") as f:
                if "format" not in f.attrs:
                    raise ReadError(f"{path}: HDF5 file without the root attribute format: "
                                    "not an sdegen results file")
                fmt_attr = text(f.attrs["format"])
                if fmt_attr != FORMAT:
                    raise ReadError(f"{path}: root attribute format is {fmt_attr!r}, not {FORMAT!r}: "
                                    "not an sdegen results file")
                self.axes = [text(a) for a in np.atleast_1d(f.attrs["axes"])]
                df = pd.DataFrame(f["summary"][()])
                for col in df.columns:
                    if df[col].dtype == object:
                        df[col] = df[col].map(text)
                self.cells = {}
                for index in df["cell"]:
                    group = f[f"cells/cell_{int(index):04d}"]
                    self.cells[int(index)] = self._read_cell(group)
        except ReadError:
            raise
        except (OSError, KeyError, ValueError, TypeError) as error:
            raise ReadError(f"{path}: cannot read it as an sdegen results file ({error})") from error

        self.swept = [column_of(a) for a in self.axes if column_of(a) in df.columns]
        df["loss_bounded"] = [self._bounded_loss(row) for _, row in df.iterrows()]
        df["loss_R"] = [self.cells[int(c)]["R"].get(l, np.nan) for c, l in zip(df["cell"], df["loss_bounded"])]
        self.df = df
        self.bounds = [b for b in ALL_BOUNDS if f"bound_{b}" in df.columns and f"valid_{b}" in df.columns]
        self.has_bounds = any(np.isfinite(df[f"bound_{b}"]).any() for b in self.bounds)
        self.n_swept = "n" in self.swept and df["n"].nunique() > 1

    @staticmethod
    def _read_cell(group):
        losses = [text(x) for x in np.atleast_1d(group.attrs["losses"])]
        r_values = np.atleast_1d(group.attrs["loss_subgaussian_r"]).astype(float)
        cell = {"losses": losses, "R": dict(zip(losses, r_values)),
                "step": np.asarray(group["step"][()], dtype=float), "series": {}, "running": {},
                "final": {}, "bounds_loss": None}
        for loss in losses:
            name = f"gen_{loss}"
            if name in group and "mean" in group[name]:
                cell["series"][loss] = (np.asarray(group[name]["mean"][()], dtype=float),
                                        np.asarray(group[name]["stderr"][()], dtype=float))
        if "bounds" in group:
            bounds = group["bounds"]
            cell["bounds_loss"] = text(bounds.attrs["loss"]) if "loss" in bounds.attrs else None
            for name in ALL_BOUNDS:
                if name not in bounds:
                    continue
                attrs = bounds[name].attrs
                defined = int(attrs.get("defined", 0)) == 1
                valid = int(attrs.get("valid", 0)) == 1
                if defined:
                    cell["final"][name] = (float(attrs.get("value", np.nan)), float(attrs.get("stderr", np.nan)), valid)
                if defined and "running" in bounds[name]:
                    cell["running"][name] = (np.asarray(bounds[name]["running"][()], dtype=float), valid)
        return cell

    def _bounded_loss(self, row):
        """The bounded evaluation loss of a row: bounded_loss, else the first loss with finite R."""
        if "bounded_loss" in row.index and row["bounded_loss"]:
            return row["bounded_loss"]
        cell = self.cells[int(row["cell"])]
        if cell["bounds_loss"]:
            return cell["bounds_loss"]
        for loss in cell["losses"]:
            if np.isfinite(cell["R"][loss]):
                return loss
        return row["training_loss"]

    def fixed_settings(self, exclude=()):
        """'linreg, dim=3, lr=0.05, ...' for the headline options that are not swept."""
        row = self.df.iloc[0]
        parts = [f"{c}={fmt(row[c])}" for c in HEADLINE_OPTIONS
                 if c in self.df.columns and c not in self.swept and c not in exclude]
        return ", ".join(parts)

    def groups(self, exclude):
        """Rows grouped by every swept option not in exclude, in file order: [(title, rows)]."""
        keys = [c for c in self.swept if c not in exclude]
        if not keys:
            return [("", self.df)]
        out = []
        for _, rows in grouped(self.df, keys):
            out.append((describe(rows.iloc[0], keys), rows))
        return out


# ---------------------------------------------------------------------------------------------
# Log-axis helpers: points <= 0 are dropped (and counted), error bars whose lower end is <= 0
# are drawn down to the bottom of the axis.

class LogPanel:
    def __init__(self, ax):
        self.ax = ax
        self.values = []   # every positive value drawn (means, bar ends), for the axis limits
        self.open_bars = []  # (x, y, color) whose lower end is <= 0
        self.bands = []    # (x, lower, upper, color) for fill_between, lower may be <= 0

    def errorbar(self, x, y, se, color, marker, filled, label=None, linestyle="-", zorder=2):
        x, y = np.asarray(x, float), np.asarray(y, float)
        se = np.nan_to_num(np.asarray(se, float), nan=0.0)
        keep = np.isfinite(y) & (y > 0)
        dropped = int((np.isfinite(y) & (y <= 0)).sum())
        if not keep.any():
            return dropped
        x, y, se = x[keep], y[keep], se[keep]
        filled = np.broadcast_to(np.asarray(filled, bool), keep.shape)[keep]
        self.ax.plot(x, y, linestyle=linestyle, color=color, linewidth=1.2, zorder=zorder, label=label)
        low = y - se
        closed = low > 0
        self.ax.errorbar(x[closed], y[closed], yerr=se[closed], fmt="none", ecolor=color, elinewidth=1,
                         capsize=3, zorder=zorder)
        self.ax.errorbar(x[~closed], y[~closed], yerr=[np.zeros_like(se[~closed]), se[~closed]], fmt="none",
                         ecolor=color, elinewidth=1, capsize=3, zorder=zorder)
        for xi, yi in zip(x[~closed], y[~closed]):
            self.open_bars.append((xi, yi, color, zorder))
        for mask, face in ((filled, color), (~filled, "white")):
            if mask.any():
                self.ax.plot(x[mask], y[mask], linestyle="none", marker=marker, markersize=7,
                             markerfacecolor=face, markeredgecolor=color, markeredgewidth=1.5, zorder=zorder + 1)
        self.values.extend(y)
        self.values.extend((y + se)[se > 0])
        self.values.extend(low[closed & (se > 0)])
        return dropped

    def band(self, x, y, se, color, label, zorder=2):
        """Line with a ±se band; the line and the band break where y <= 0 (not drawn)."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        se = np.nan_to_num(np.asarray(se, float), nan=0.0)
        keep = np.isfinite(y) & (y > 0)
        dropped = int((np.isfinite(y) & (y <= 0)).sum())
        if not keep.any():
            return dropped
        shown = np.where(keep, y, np.nan)
        self.ax.plot(x, shown, color=color, marker="o", markersize=4, linewidth=1.8, zorder=zorder + 1, label=label)
        self.bands.append((x, y - se, y + se, keep, color))
        # A kept point without a kept neighbour has no band around it: give it an error bar.
        before = np.concatenate(([False], keep[:-1]))
        after = np.concatenate((keep[1:], [False]))
        lonely = keep & ~before & ~after
        if lonely.any():
            self.errorbar(x[lonely], y[lonely], se[lonely], color, "o", True, linestyle="none", zorder=zorder)
        y, se = y[keep], se[keep]
        self.values.extend(y)
        self.values.extend((y + se)[se > 0])
        self.values.extend((y - se)[(y - se) > 0])
        return dropped

    def line(self, x, y, **kwargs):
        x, y = np.asarray(x, float), np.asarray(y, float)
        keep = np.isfinite(y) & (y > 0)
        if keep.any():
            self.ax.plot(x[keep], y[keep], **kwargs)
            self.values.extend(y[keep])
        return int((np.isfinite(y) & (y <= 0)).sum())

    def finish(self):
        ax = self.ax
        ax.set_yscale("log")
        if not self.values:
            ax.text(0.5, 0.5, "no positive values to show", transform=ax.transAxes, ha="center", va="center")
            return
        lo, hi = min(self.values), max(self.values)
        lo, hi = lo / 1.6, hi * 1.6
        ax.set_ylim(lo, hi)
        if hi / lo < 300:  # under about two decades: label 2x and 5x too, not only the powers of ten
            ax.yaxis.set_minor_locator(LogLocator(base=10, subs=(2.0, 5.0)))
            ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.tick_params(axis="y", which="minor", labelsize=8)
        for x, y, color, zorder in self.open_bars:
            ax.vlines(x, lo, y, color=color, linewidth=1, linestyle=(0, (2, 1)), zorder=zorder)
        for x, low, high, keep, color in self.bands:
            ax.fill_between(x, np.where(low > 0, low, lo), high, where=keep, color=color, alpha=0.2, linewidth=0)


def log_x_ticks(ax, values):
    ax.set_xscale("log")
    values = sorted(set(float(v) for v in values))
    ax.set_xticks(values)
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    if len(values) > 1:
        span = math.log(values[-1] / values[0])
        pad = math.exp(0.08 * span)
        ax.set_xlim(values[0] / pad, values[-1] * pad)


def subplot_grid(count, width, height, max_cols=2):
    cols = min(count, max_cols)
    rows = math.ceil(count / cols)
    fig, axs = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False, layout="constrained")
    flat = list(axs.flat)
    for ax in flat[count:]:
        ax.set_visible(False)
    return fig, flat[:count]


def save(fig, path):
    fig.savefig(path, dpi=110)
    plt.close(fig)
    print(path)
    return path


def note(message):
    print(f"plot_results.py: {message}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# 1. gen and the bounds against n

def plot_gen_vs_n(res, path):
    if not res.n_swept:
        note(f"skipped {os.path.basename(path)}: data.n is not swept (one value of n)")
        return None
    groups = res.groups(exclude=("n",))
    fig, axes = subplot_grid(len(groups), 9.5, 5.0)
    for ax, (title, rows) in zip(axes, groups):
        rows = rows.sort_values("n")
        n = rows["n"].to_numpy(float)
        loss = rows["loss_bounded"].iloc[0]
        r_value = rows["loss_R"].iloc[0]
        panel = LogPanel(ax)
        handles = []
        mean, se = rows.get(f"gen_{loss}_mean"), rows.get(f"gen_{loss}_stderr")
        r_text = f", R={r_value:g}" if np.isfinite(r_value) else ", no finite R"
        gen_label = f"measured gen ({loss}{r_text}) ± 1 s.e."
        if mean is not None:
            dropped = panel.errorbar(n, mean, se, "black", "o", True, linestyle="-", zorder=4)
            if dropped:
                gen_label += f"\n  [{dropped} point(s) ≤ 0 not shown]"
            handles.append(Line2D([], [], color="black", marker="o", markersize=7, label=gen_label))
        undefined = []
        any_estimate = False
        for name in res.bounds:
            value = rows[f"bound_{name}"].to_numpy(float)
            if not np.isfinite(value).any():
                undefined.append(name)
                continue
            valid = rows[f"valid_{name}"].to_numpy(int) == 1
            finite = np.isfinite(value)
            dropped = panel.errorbar(n, value, rows[f"bound_{name}_stderr"], COLORS[name], MARKERS[name], valid)
            if valid[finite].all():
                label, face = f"{name} (guaranteed)", COLORS[name]
            elif not valid[finite].any():
                label, face = f"{name} (estimate)", "white"
                any_estimate = True
            else:
                label, face = f"{name} (estimate at hollow points)", COLORS[name]
                any_estimate = True
            if dropped:
                label += f" [{dropped} ≤ 0 not shown]"
            handles.append(Line2D([], [], color=COLORS[name], marker=MARKERS[name], markersize=7,
                                  markerfacecolor=face, markeredgewidth=1.5, label=label))
        if any_estimate:
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7, color="gray",
                                  markerfacecolor="white", label="hollow marker: estimate, not a\n"
                                                                  "guaranteed bound (bounds.md §8)"))
        if undefined:
            handles.append(Line2D([], [], linestyle="none",
                                  label="undefined here:\n  " + ",\n  ".join(undefined)))
        if not res.has_bounds:
            handles.append(Line2D([], [], linestyle="none", label="(no bounds in this file)"))
        panel.finish()
        log_x_ticks(ax, n)
        ax.set_xlabel("training-set size n (examples)")
        ax.set_ylabel("gen / bound (loss units)")
        ax.set_title(title or "all cells", fontsize=11)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    what = "gen of the bounded loss and its bounds" if res.has_bounds else "gen of the bounded loss"
    fig.suptitle(f"{what} at the final step against n\n({res.fixed_settings()})\n"
                 "error bars: ±1 standard error (bars reaching ≤ 0 drawn dashed to the axis)", fontsize=12)
    return save(fig, path)


# ---------------------------------------------------------------------------------------------
# 2. gen and the running bounds against the step

def plot_vs_steps(res, path, max_cells):
    rows = res.df.sort_values("cell")
    if len(rows) > max_cells:
        note(f"{os.path.basename(path)}: showing the first {max_cells} of {len(rows)} cells")
        rows = rows.iloc[:max_cells]
    count = len(rows)
    cols = min(count, 2)
    grid_rows = math.ceil(count / cols)
    fig = plt.figure(figsize=(7.0 * cols, 4.2 * grid_rows + 1.3), layout="constrained")
    spec = fig.add_gridspec(grid_rows + 1, cols, height_ratios=[1.3] + [4.2] * grid_rows)  # row 0: legend
    legend_ax = fig.add_subplot(spec[0, :])
    legend_ax.axis("off")
    axes = [fig.add_subplot(spec[1 + k // cols, k % cols]) for k in range(count)]
    handles = {}  # one shared legend: colours and markers are the same in every panel
    styles = set()
    for ax, (_, row) in zip(axes, rows.iterrows()):
        cell = res.cells[int(row["cell"])]
        loss = row["loss_bounded"]
        steps = cell["step"]
        panel = LogPanel(ax)
        notes = []
        if loss in cell["series"]:
            mean, se = cell["series"][loss]
            dropped = panel.band(steps, mean, se, "black", None, zorder=4)
            if dropped:
                notes.append(f"gen ≤ 0 at {dropped} step(s), not shown")
            handles.setdefault("gen", Line2D([], [], color="black", marker="o", markersize=4, linewidth=1.8,
                                             label="measured gen of the bounded loss, band ±1 s.e."))
        for name in RUNNING_BOUNDS:
            if name not in cell["running"]:
                continue
            running, valid = cell["running"][name]
            styles.add(valid)
            style = dict(color=COLORS[name], linewidth=1.6, linestyle="-" if valid else "--",
                         marker=MARKERS[name], markersize=5, markerfacecolor=COLORS[name] if valid else "white")
            dropped = panel.line(steps[1:], running[1:], **style)
            if dropped:
                notes.append(f"{name} ≤ 0 at {dropped} step(s), not shown")
            handles.setdefault(name, Line2D([], [], color=COLORS[name], linewidth=1.6, marker=MARKERS[name],
                                            markersize=5, label=f"{name}: running bound B(t)"))
        for name in FINAL_ONLY_MARKED:
            if name in cell["final"] and np.isfinite(cell["final"][name][0]):
                value, se, valid = cell["final"][name]
                styles.add(valid)
                panel.errorbar([steps[-1]], [value], [se], COLORS[name], MARKERS[name], valid, linestyle="none")
                handles.setdefault(name, Line2D([], [], linestyle="none", marker=MARKERS[name], markersize=7,
                                                color=COLORS[name], label=f"{name}: final step only, ±1 s.e."))
        panel.finish()
        pad = 0.03 * (steps[-1] - steps[0]) if len(steps) > 1 else 1.0
        ax.set_xlim(steps[0] - pad, steps[-1] + pad)  # every logged step, even where gen <= 0 is not drawn
        ax.set_xlabel("training step t")
        ax.set_ylabel("gen / bound (loss units)")
        settings = describe(row, res.swept) if res.swept else res.fixed_settings()
        title = f"cell {int(row['cell'])}: {settings} (bounded loss {loss})"
        if notes:
            title += "\n" + "; ".join(notes)
        ax.set_title(title, fontsize=10)
        ax.grid(True, which="major", alpha=0.3)
    entries = list(handles.values())
    if True in styles:
        entries.append(Line2D([], [], color="gray", linestyle="-", marker="o", markersize=5,
                              label="solid line / filled marker: guaranteed bound"))
    if False in styles:
        entries.append(Line2D([], [], color="gray", linestyle="--", marker="o", markersize=5, markerfacecolor="white",
                              label="dashed line / hollow marker: estimate (bounds.md §8)"))
    if any(k in handles for k in RUNNING_BOUNDS):
        entries.append(Line2D([], [], linestyle="none", label="B(0) = 0 is not drawn on the log axis"))
    if not res.has_bounds:
        entries.append(Line2D([], [], linestyle="none", label="(no bounds in this file)"))
    ncol = 3 if cols > 1 else 2
    legend_height = 0.35 + 0.25 * math.ceil(len(entries) / ncol)
    spec.set_height_ratios([legend_height] + [4.2] * grid_rows)
    fig.set_figheight(4.2 * grid_rows + legend_height + 0.4)
    legend_ax.legend(handles=entries, loc="center", ncol=ncol, fontsize=9, frameon=True)
    fig.suptitle(f"gen of the bounded loss against the training step ({res.fixed_settings(('steps',))})",
                 fontsize=12)
    return save(fig, path)


# ---------------------------------------------------------------------------------------------
# 3. sgd against sde

def sgd_sde_pairs(res):
    """[(sgd row, sde row)] of cells that differ only in the algorithm."""
    df = res.df
    if "algorithm" not in df.columns:
        return []
    keys = [c for c in res.swept if c != "algorithm"]
    pairs = []
    for _, rows in grouped(df, keys) if keys else [((), df)]:
        sgd, sde = rows[rows["algorithm"] == "sgd"], rows[rows["algorithm"] == "sde"]
        if len(sgd) == 1 and len(sde) == 1:
            pairs.append((sgd.iloc[0], sde.iloc[0]))
    return pairs


def plot_sgd_vs_sde(res, path):
    pairs = sgd_sde_pairs(res)
    if not pairs:
        note(f"skipped {os.path.basename(path)}: no pair of sgd and sde cells with the same settings")
        return None
    by_n = res.n_swept
    exclude = ("algorithm", "n") if by_n else ("algorithm",) + tuple(res.swept)
    group_keys = [c for c in res.swept if c not in exclude]
    groups = {}
    for sgd, sde in pairs:
        groups.setdefault(describe(sgd, group_keys), []).append((sgd, sde))
    fig, axes = subplot_grid(len(groups), 7.5 if by_n else max(7.5, 1.1 * len(pairs)), 4.6)
    zmax = np.nanmax(np.abs([sgd["sgd_sde_z"] for sgd, _ in pairs]))
    for ax, (title, members) in zip(axes, groups.items()):
        if by_n:
            members = sorted(members, key=lambda p: p[0]["n"])
            x = np.array([p[0]["n"] for p in members], float)
            offsets = (0.955, 1.045)
        else:
            x = np.arange(len(members), dtype=float)
            offsets = (-0.12, 0.12)
        tops = []
        for k, algo in enumerate(("sgd", "sde")):
            mean = np.array([p[k]["gen_mean"] for p in members], float)
            se = np.nan_to_num(np.array([p[k]["gen_stderr"] for p in members], float))
            xs = x * offsets[k] if by_n else x + offsets[k]
            ax.errorbar(xs, mean, yerr=se, fmt="o", color=ALGO_COLORS[algo], capsize=3, markersize=6,
                        label=f"{algo} ± 1 s.e.")
            tops.append(mean + se)
        top = np.nanmax(np.vstack(tops), axis=0)
        for xi, ti, (sgd, _) in zip(x, top, members):
            z = sgd["sgd_sde_z"]
            ax.annotate(f"z = {z:.2f}" if np.isfinite(z) else "z: n/a", (xi, ti), textcoords="offset points",
                        xytext=(0, 6), ha="center", fontsize=9,
                        color="firebrick" if np.isfinite(z) and abs(z) > 3 else "black")
        ax.axhline(0, color="gray", linewidth=0.8, linestyle=":")
        if by_n:
            log_x_ticks(ax, x)
            ax.set_xlabel("training-set size n (examples)")
        else:
            ax.set_xticks(x)
            ax.set_xticklabels([f"cells {int(s['cell'])} / {int(d['cell'])}\n"
                                + "\n".join(f"{c}={fmt(s[c])}" for c in res.swept if c != "algorithm")
                                for s, d in members], fontsize=8)
            ax.set_xlabel("cell pair (sgd / sde)")
            ax.set_xlim(-0.6, len(members) - 0.4)
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, hi + 0.12 * (hi - lo))  # room for the z labels
        losses = sorted(set(p[0]["training_loss"] for p in members))
        ax.set_ylabel(f"gen of the training loss ({', '.join(losses)})\n(loss units)")
        if title:
            ax.set_title(title, fontsize=11)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.suptitle("SGD against its SDE surrogate: gen of the training loss at the final step\n"
                 f"({res.fixed_settings()})\n"
                 "z = (gen_sgd − gen_sde) / √(se_sgd² + se_sde²); "
                 f"largest |z| = {zmax:.2f}\n(|z| above about 3 flags a disagreement and is drawn in red)",
                 fontsize=11)
    return save(fig, path)


# ---------------------------------------------------------------------------------------------
# 4. the stationary covariance check

def plot_stationary(res, path):
    df = res.df
    if "stationary_relerr_mean" not in df.columns:
        note(f"skipped {os.path.basename(path)}: no stationary_relerr_mean column "
             "(run with --bounds.terminal and --bounds.stationary_steps > 0)")
        return None
    if not np.isfinite(df["stationary_relerr_mean"]).any():
        note(f"skipped {os.path.basename(path)}: stationary_relerr_mean is NaN in every cell "
             "(run with --bounds.stationary_steps > 0)")
        return None
    fig, ax = plt.subplots(figsize=(9.5, 5.2), layout="constrained")
    if res.n_swept:
        groups = res.groups(exclude=("n",))
        cmap = plt.get_cmap("tab10" if len(groups) <= 10 else "tab20")
        for k, (title, rows) in enumerate(groups):
            rows = rows.sort_values("n")
            spread = 1 + 0.015 * (k - (len(groups) - 1) / 2)  # keep overlapping error bars apart
            ax.errorbar(rows["n"].to_numpy(float) * spread, rows["stationary_relerr_mean"],
                        yerr=np.nan_to_num(rows["stationary_relerr_stderr"].to_numpy(float)),
                        fmt="-" + "osD^v<>"[k // 10 % 7], color=cmap(k % cmap.N), capsize=3,
                        label=(title or "all cells") + " ± 1 s.e.")
        log_x_ticks(ax, df["n"])
        ax.set_xlabel("training-set size n (examples)")
    else:
        rows = df.sort_values("cell")
        x = rows["cell"].to_numpy(float)
        ax.errorbar(x, rows["stationary_relerr_mean"], yerr=np.nan_to_num(rows["stationary_relerr_stderr"]),
                    fmt="o", color="tab:blue", capsize=3, label="relative error ± 1 s.e.")
        ax.set_xticks(x)
        keys = [c for c in res.swept]
        ax.set_xticklabels([f"{int(r['cell'])}\n" + "\n".join(f"{c}={fmt(r[c])}" for c in keys)
                            for _, r in rows.iterrows()], fontsize=8)
        ax.set_xlabel("cell")
    ax.axhline(0, color="gray", linestyle="--", linewidth=1, label="0: covariance equals Λ_S")
    values = df["stationary_relerr_mean"].to_numpy(float)
    positive = values[np.isfinite(values) & (values > 0)]
    if len(positive) and positive.max() > 100 * positive.min():
        # Values over many decades: linear near 0 (so the reference line stays), logarithmic above.
        threshold = 10.0 ** math.floor(math.log10(positive.min()))
        ax.set_yscale("symlog", linthresh=threshold, linscale=0.5)
        tops = values + np.nan_to_num(df["stationary_relerr_stderr"].to_numpy(float))
        ax.set_ylim(-0.2 * threshold, 2.0 * np.nanmax(tops))
        ax.plot([], [], linestyle="none", label=f"(y axis: linear below {threshold:g}, logarithmic above)")
    ax.set_ylabel("‖E[cov(W) − Λ_S]‖_F / ‖E Λ_S‖_F\n(relative error, dimensionless)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    ax.set_title("stationary covariance of the iterates against the Lyapunov solution Λ_S\n"
                 f"({res.fixed_settings()})", fontsize=11)
    return save(fig, path)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="plot_results.py",
        usage="/usr/bin/python3 jobs/plot_results.py RESULTS.h5 [-o OUTDIR] [--prefix NAME]",
        description="Draw the figures of an sdegen results file into PNG files and print their paths: "
                    "gen_vs_n.png, vs_steps.png, sgd_vs_sde.png, stationary.png.",
        epilog="Exit status 2: missing or unreadable file, or not an sdegen results file.")
    parser.add_argument("results", metavar="RESULTS.h5", help="results file written by `sdegen run`")
    parser.add_argument("-o", "--outdir", metavar="OUTDIR", default=".",
                        help="directory for the PNG files, created if needed (default: the current directory)")
    parser.add_argument("--prefix", metavar="NAME", default="",
                        help='prepend "NAME_" to every file name (default: no prefix)')
    parser.add_argument("--max-cells", metavar="K", type=int, default=MAX_STEP_CELLS,
                        help=f"vs_steps.png: draw the first K cells (default: {MAX_STEP_CELLS})")
    args = parser.parse_args(argv)

    try:
        res = Results(args.results)
    except ReadError as error:
        print(f"plot_results.py: error: {error}", file=sys.stderr)
        return 2
    try:
        os.makedirs(args.outdir, exist_ok=True)
    except OSError as error:
        print(f"plot_results.py: error: cannot create {args.outdir}: {error}", file=sys.stderr)
        return 1

    def out(name):
        return os.path.join(args.outdir, f"{args.prefix}_{name}" if args.prefix else name)

    plot_gen_vs_n(res, out("gen_vs_n.png"))
    plot_vs_steps(res, out("vs_steps.png"), max(1, args.max_cells))
    plot_sgd_vs_sde(res, out("sgd_vs_sde.png"))
    plot_stationary(res, out("stationary.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
