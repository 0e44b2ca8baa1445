#!/usr/bin/python3
# End-to-end check of the sdegen_results module: everything it loads from a results file equals the
# raw HDF5 datasets read with h5py, unknown extras are tolerated, and missing required parts are named.
"""usage: check_analysis.py PYTHON_DIR SDEGEN RESULTS.h5 PART.h5 SCRATCH_DIR

RESULTS.h5: a run with n and algorithm swept and both bound families; PART.h5: one --cells part
of a sweep (an irregular grid). SDEGEN is used for `sdegen report --format json` (the slopes).
Exits 1 on the first mismatch.
"""

import json
import os
import shutil
import subprocess
import sys
import warnings

import h5py
import numpy as np

sys.dont_write_bytecode = True
PYTHON_DIR, SDEGEN, RESULTS, PART, SCRATCH = sys.argv[1:6]
sys.path.insert(0, PYTHON_DIR)
import sdegen_results as sr  # noqa: E402


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def same(a, b, what):
    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape or not np.array_equal(a, b, equal_nan=True):
        fail(f"{what}: loaded {a} but the file has {b}")


def decoded(value):
    return value.decode().rstrip("\x00") if isinstance(value, bytes) else value


def check_summary(res, f):
    raw = f["summary"][()]
    check(list(res.summary.columns) == list(raw.dtype.names), "summary columns differ from the file's")
    check(len(res.summary) == len(raw), "summary row count")
    for name in raw.dtype.names:
        column = raw[name]
        if column.dtype.kind == "S":
            loaded = list(res.summary[name])
            check(all(isinstance(v, str) for v in loaded), f"summary column {name} is not decoded to str")
            check(loaded == [decoded(v) for v in column], f"summary column {name} differs")
        else:
            same(res.summary[name], column, f"summary column {name}")
    print(f"ok: /summary ({len(raw)} rows, {len(raw.dtype.names)} columns, text as str)")


def check_per_step(res, f):
    tidy = res.per_step()
    expected_columns = ["cell"] + res.swept + ["step", "quantity", "mean", "stderr", "count", "units"]
    check(list(tidy.columns) == expected_columns, f"per_step columns {list(tidy.columns)}")
    rows = 0
    for index in res.summary["cell"]:
        group = f[f"cells/cell_{index:04d}"]
        steps = group["step"][()]
        for name, item in group.items():
            if not isinstance(item, h5py.Group) or "mean" not in item:
                continue
            part = tidy[(tidy["cell"] == index) & (tidy["quantity"] == name)].sort_values("step")
            same(part["step"], steps, f"cell {index} {name} step")
            same(part["mean"], item["mean"][()], f"cell {index} {name} mean")
            same(part["stderr"], item["stderr"][()], f"cell {index} {name} stderr")
            check(set(part["count"]) == {int(item.attrs["count"])}, f"cell {index} {name} count")
            check(set(part["units"]) == {decoded(item.attrs["units"])}, f"cell {index} {name} units")
            for option in res.swept:
                check(set(part[option]) == {decoded(group.attrs[option])}, f"cell {index} option {option}")
            rows += len(steps)
    check(rows == len(tidy), f"per_step has {len(tidy)} rows, the file {rows}")
    all_options = res.per_step(options="all")
    check(set(res.option_names) <= set(all_options.columns), "per_step(options='all') lacks options")
    check("noise_floor" in res.option_names and "lr" in res.option_names, f"options {res.option_names}")
    print(f"ok: per_step ({rows} rows) equals every cell's mean, stderr, count and step")


def check_bounds(res, f):
    table = res.bounds()
    running = res.running_bounds()
    bounded = 0
    for index in res.summary["cell"]:
        bounds = f[f"cells/cell_{index:04d}/bounds"]
        r_value = float(bounds.attrs["R"])
        for name, item in bounds.items():
            if "defined" not in item.attrs:
                continue
            row = table[(table["cell"] == index) & (table["bound"] == name)]
            check(len(row) == 1, f"cell {index} bound {name}: {len(row)} rows")
            row = row.iloc[0]
            defined = int(item.attrs["defined"]) == 1
            reason = decoded(item.attrs["reason"])
            check(row["defined"] == defined and row["reason"] == reason, f"cell {index} {name} defined/reason")
            check(row["valid"] == (int(item.attrs["valid"]) == 1), f"cell {index} {name} valid")
            check(row["requested"] == (defined or not reason.startswith("not computed")), f"cell {index} {name} requested")
            check(row["loss"] == decoded(bounds.attrs["loss"]) and row["R"] == r_value, f"cell {index} {name} loss/R")
            if defined:
                same(row["value"], item.attrs["value"], f"cell {index} {name} value")
                same(row["stderr"], item.attrs["stderr"], f"cell {index} {name} stderr")
                same(row["mi_nats"], item.attrs["mi_nats"], f"cell {index} {name} mi_nats")
                check(row["vacuous"] == (float(item.attrs["value"]) > 2 * r_value), f"cell {index} {name} vacuous")
                bounded += 1
            if "running" in item and defined:
                part = running[(running["cell"] == index) & (running["bound"] == name)].sort_values("step")
                same(part["value"], item["running"][()], f"cell {index} {name} running")
            if name == "wang_mao_2022" and defined:
                same(row["sigma"], item.attrs["sigma"], f"cell {index} {name} sigma")
    check(bounded > 0, "no defined bound in the file")
    print(f"ok: bounds ({len(table)} rows, {bounded} defined) and running bounds equal the file")


def check_xarray(res, f):
    ds = res.to_xarray()
    check(list(ds["gen_sq_clip_mean"].dims) == ["n", "algorithm", "step"], f"dims {ds['gen_sq_clip_mean'].dims}")
    for index in res.summary["cell"]:
        group = f[f"cells/cell_{index:04d}"]
        at = {"n": group.attrs["n"], "algorithm": decoded(group.attrs["algorithm"])}
        check(int(ds["cell"].sel(at)) == index, f"xarray cell index at {at}")
        same(ds["gen_sq_clip_mean"].sel(at).sel(step=group["step"][()]), group["gen_sq_clip/mean"][()], f"xarray {at}")
        same(ds["gen_sq_clip_stderr"].sel(at), group["gen_sq_clip/stderr"][()], f"xarray stderr {at}")
        same(ds["bound_traj_iso_pop_running"].sel(at), group["bounds/traj_iso_pop/running"][()], f"xarray running {at}")
        same(ds["bound_term_xr"].sel(at), group["bounds/term_xr"].attrs["value"], f"xarray term_xr {at}")
    part = sr.open_results(PART).to_xarray()
    check(list(part["gen_sq_mean"].dims) == ["cell", "step"], f"part file dims {part['gen_sq_mean'].dims}")
    with h5py.File(PART, "r") as g:
        cells = list(g.attrs["cells_in_file"])
        check(list(part["cell_index"].values) == cells, f"part file cells {list(part['cell_index'].values)}")
        for k, index in enumerate(cells):
            same(part["gen_sq_mean"].isel(cell=k), g[f"cells/cell_{index:04d}/gen_sq/mean"][()], f"part cell {index}")
    print("ok: xarray Dataset (n x algorithm x step; a part file: cell x step) equals the file")


def check_derived(res):
    pairs = sr.paired_differences(res)
    summary = res.summary.set_index("cell")
    check(len(pairs) == 3, f"{len(pairs)} sgd/sde pairs, expected 3")
    for _, p in pairs.iterrows():
        same(p["z"], summary.at[p["cell_first"], "sgd_sde_z"], f"paired z at n={p['n']} against /summary sgd_sde_z")
    report = json.loads(subprocess.run([SDEGEN, "report", RESULTS, "--format", "json"], check=True,
                                       capture_output=True, text=True).stdout)
    checked = 0
    for s in report["slopes"]:
        fitted = sr.slopes_against_n(res, [s["quantity"]])
        for key, value in s["group"].items():
            fitted = fitted[fitted[key].astype(str) == str(value)]
        check(len(fitted) == 1, f"no slope of {s['quantity']} for {s['group']}")
        for field in ("slope", "slope_stderr", "points"):
            if not np.isclose(fitted[field].iloc[0], s[field], rtol=1e-9, atol=1e-12):
                fail(f"{field} of {s['quantity']} {s['group']}: {fitted[field].iloc[0]} here, "
                     f"{s[field]} in sdegen report")
        checked += 1
    ratios = sr.bound_gen_ratios(res)
    for _, row in ratios.iterrows():
        if row["gen"] > 0:
            expected = row["value"] / row["gen"]
            se = expected * np.hypot(row["stderr"] / row["value"], row["gen_stderr"] / row["gen"])
            check(np.isclose(row["ratio"], expected) and np.isclose(row["ratio_stderr"], se),
                  f"ratio of {row['bound']} in cell {row['cell']}")
        else:
            check(np.isnan(row["ratio"]), "a ratio to gen <= 0 must be NaN")
    print(f"ok: paired z = /summary sgd_sde_z; {checked} slopes = sdegen report's; bound/gen ratios")
    return checked


def rewrite_summary(path, drop=(), add=None):
    """Rewrites /summary without the columns in drop and with an extra float column add."""
    with h5py.File(path, "r+") as f:
        raw = f["summary"][()]
        attrs = dict(f["summary"].attrs)
        names = [n for n in raw.dtype.names if n not in drop]
        fields = [(n, raw.dtype[n]) for n in names] + ([(add, "<f8")] if add else [])
        table = np.zeros(len(raw), dtype=fields)
        for n in names:
            table[n] = raw[n]
        if add:
            table[add] = np.arange(len(raw)) + 0.5
        del f["summary"]
        f["summary"] = table
        for k, v in attrs.items():
            f["summary"].attrs[k] = v


def expect_error(path, words, what):
    try:
        sr.open_results(path)
    except sr.ResultsFormatError as error:
        message = str(error)
        if not all(w in message for w in words):
            fail(f"{what}: the message {message!r} does not name {words}")
        print(f"ok: {what}: {message}")
        return
    fail(f"{what}: no ResultsFormatError")


def check_tolerance_and_errors():
    os.makedirs(SCRATCH, exist_ok=True)
    extra = os.path.join(SCRATCH, "extra.h5")
    shutil.copy(RESULTS, extra)
    rewrite_summary(extra, add="future_column")
    with h5py.File(extra, "r+") as f:
        f.attrs["build_provenance"] = "compiler x, flags y"
        f.attrs["format_version"] = 99
        f.create_group("provenance").attrs["host"] = "somewhere"
        cell = f["cells/cell_0000"]
        cell.create_group("future_group").attrs["note"] = "not a quantity"
        cell.attrs["future_attribute"] = 1.5
        b = cell["bounds"].create_group("traj_future")
        b.attrs.update({"defined": 1, "reason": "", "valid": 1, "value": 0.5, "stderr": 0.01, "mi_nats": 2.0})
        b.create_dataset("running", data=np.linspace(0, 0.5, len(cell["step"])))
        x = cell["bounds"].create_group("other_family_bound")
        x.attrs.update({"defined": 0, "reason": "not computed: [bounds] other = false", "valid": 0,
                        "value": np.nan, "stderr": np.nan, "mi_nats": np.nan})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = sr.open_results(extra)
    check(any("newer" in str(w.message) for w in caught), "no warning for a newer format_version")
    check("future_column" in res.summary.columns, "the extra /summary column is not kept")
    check("future_column" not in res.option_names, "an extra /summary column taken for an option")
    check(res.attrs["build_provenance"] == "compiler x, flags y", "the extra root attribute is not kept")
    bounds = res.bounds()
    future = bounds[bounds["bound"] == "traj_future"]
    check(len(future) == 1 and future.iloc[0]["family"] == "trajectory" and future.iloc[0]["value"] == 0.5,
          "the unknown bound traj_future is not read")
    other = bounds[bounds["bound"] == "other_family_bound"].iloc[0]
    check(other["family"] == "other" and not other["requested"], "an unknown bound that was not asked for")
    check(len(res.running_bounds().query("bound == 'traj_future'")) == len(res.cells[0].step), "traj_future running")
    res.per_step()
    res.to_xarray()
    print("ok: extra columns, attributes, groups and bounds are tolerated (and a newer format_version warns)")

    missing_column = os.path.join(SCRATCH, "missing_column.h5")
    shutil.copy(RESULTS, missing_column)
    rewrite_summary(missing_column, drop=("training_loss",))
    expect_error(missing_column, ["training_loss", "/summary"], "a /summary without training_loss")
    missing_cell = os.path.join(SCRATCH, "missing_cell.h5")
    shutil.copy(RESULTS, missing_cell)
    with h5py.File(missing_cell, "r+") as f:
        del f["cells/cell_0001"]
    expect_error(missing_cell, ["cell_0001"], "a cell group missing")
    missing_axes = os.path.join(SCRATCH, "missing_axes.h5")
    shutil.copy(RESULTS, missing_axes)
    with h5py.File(missing_axes, "r+") as f:
        del f.attrs["axes"]
    expect_error(missing_axes, ["axes"], "no root attribute axes")
    missing_value = os.path.join(SCRATCH, "missing_value.h5")
    shutil.copy(RESULTS, missing_value)
    with h5py.File(missing_value, "r+") as f:
        del f["cells/cell_0002/bounds/term_iso"].attrs["value"]
    expect_error(missing_value, ["term_iso", "value"], "a bound without value")
    foreign = os.path.join(SCRATCH, "foreign.h5")
    with h5py.File(foreign, "w") as f:
        f.attrs["format"] = "something-else"
    expect_error(foreign, ["something-else", "not an sdegen results file"], "another format")
    expect_error(os.path.abspath(__file__), ["cannot read it as HDF5"], "not HDF5")
    expect_error(os.path.join(SCRATCH, "absent.h5"), ["no such file"], "a missing file")


def main():
    with warnings.catch_warnings(record=True) as caught:  # the format this sdegen writes is known
        warnings.simplefilter("always")
        res = sr.open_results(RESULTS)
    check(not [w for w in caught if "format_version" in str(w.message)],
          f"format_version {res.format_version} of a file sdegen wrote is not known to the reader")
    with h5py.File(RESULTS, "r") as f:
        check_summary(res, f)
        check_per_step(res, f)
        check_bounds(res, f)
        check_xarray(res, f)
    checked = check_derived(res)
    check(checked > 0, "no slope of sdegen report was compared")
    check_tolerance_and_errors()
    print("PASS")


if __name__ == "__main__":
    main()
