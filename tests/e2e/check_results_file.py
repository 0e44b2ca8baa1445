# End-to-end check of an sdegen results file (format "sdegen-results", format_version 3):
# usage: /usr/bin/python3 check_results_file.py FILE.h5  (exits non-zero on the first failure).
"""Validates the layout and the internal consistency of an sdegen HDF5 results file.

Usable as a script or as a module: ``check_results_file(path)`` raises ``CheckFailure`` with a
message naming the offending object; ``main()`` turns that into a non-zero exit status.
"""
import configparser
import math
import re
import sys

import h5py
import numpy as np
import pandas as pd

ROOT_ATTRS = ("format", "format_version", "sdegen_version", "config", "mpi_ranks", "created",
              # provenance: the build, the command, when and how long
              "git_commit", "build_type", "compiler", "compile_flags", "native_build", "eigen_version",
              "hdf5_version", "boost_version", "mpi_version", "command_line", "started", "finished",
              "wall_seconds")
CELL_ATTRS = ("problem", "algorithm", "n", "dim", "lr", "batch", "steps", "replicates", "diverged",
              "losses", "loss_subgaussian_r", "training_loss", "population_source", "population_sample_size")
SUMMARY_FIXED_COLUMNS = ("problem", "algorithm", "n", "dim", "lr", "batch", "steps", "replicates",
                         "diverged", "gen_mean", "gen_stderr", "train_mean", "test_mean")
# Cell attributes that the summary repeats verbatim.
SUMMARY_CELL_KEYS = ("problem", "algorithm", "n", "dim", "lr", "batch", "steps", "replicates", "diverged")
PER_LOSS_KINDS = ("train", "test", "gen")
OTHER_QUANTITIES = ("grad_norm_sq", "noise_trace", "dist_init_sq")
STDERR_RTOL = 1e-12
GEN_ATOL = 1e-9


class CheckFailure(Exception):
    """A results file does not have the documented layout or is inconsistent."""


def require(condition, message):
    if not condition:
        raise CheckFailure(message)


def as_text(value):
    """An HDF5 string attribute or field (str, bytes or 0-d array) as a Python str."""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, (bytes, np.bytes_)):
        return bytes(value).decode("utf-8")
    if isinstance(value, (str, np.str_)):
        return str(value)
    raise CheckFailure("expected a string, got %r (%s)" % (value, type(value).__name__))


def as_text_list(value):
    return [as_text(v) for v in np.atleast_1d(value)]


def is_integer(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def same_value(a, b):
    """Exact equality; NaN equals NaN; strings compared as text."""
    if isinstance(a, (bytes, str, np.bytes_, np.str_)) or isinstance(b, (bytes, str, np.bytes_, np.str_)):
        return as_text(a) == as_text(b)
    a, b = float(a), float(b)
    return a == b or (math.isnan(a) and math.isnan(b))


def is_dimension_scale(dset):
    if hasattr(dset, "is_scale"):
        return bool(dset.is_scale)
    if hasattr(h5py.h5ds, "is_scale"):
        return bool(h5py.h5ds.is_scale(dset.id))
    return dset.attrs.get("CLASS") == b"DIMENSION_SCALE"


def check_root(f):
    for name in ROOT_ATTRS:
        require(name in f.attrs, "root attribute '%s' is missing" % name)
    require(as_text(f.attrs["format"]) == "sdegen-results",
            "root attribute format is %r, expected 'sdegen-results'" % (f.attrs["format"],))
    version = f.attrs["format_version"]
    require(is_integer(version) and int(version) == 3,
            "root attribute format_version is %r (%s), expected integer 3" % (version, type(version).__name__))
    require(re.fullmatch(r"[0-9a-f]{7,40}(-dirty)?|unknown", as_text(f.attrs["git_commit"])) is not None,
            "root attribute git_commit is %r" % (f.attrs["git_commit"],))
    require(as_text(f.attrs["command_line"]).startswith("sdegen run"),
            "root attribute command_line is %r" % (f.attrs["command_line"],))
    require(float(f.attrs["wall_seconds"]) >= 0, "root attribute wall_seconds is negative")
    require(as_text(f.attrs["sdegen_version"]).strip() != "", "root attribute sdegen_version is empty")
    require(as_text(f.attrs["created"]).strip() != "", "root attribute created is empty")
    ranks = f.attrs["mpi_ranks"]
    require(is_integer(ranks) and int(ranks) >= 1, "root attribute mpi_ranks is %r, expected an integer >= 1" % (ranks,))
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(as_text(f.attrs["config"]))
    except configparser.Error as error:
        raise CheckFailure("root attribute config is not valid INI text: %s" % error)
    require(parser.has_option("mc", "replicates"), "root attribute config has no [mc] replicates")
    try:
        replicates = int(parser.get("mc", "replicates"))
    except ValueError:
        raise CheckFailure("config [mc] replicates = %r is not an integer" % parser.get("mc", "replicates"))
    print("  root attributes ok: format %s v%d, sdegen %s, %d rank(s), config parses ([mc] replicates = %d)"
          % (as_text(f.attrs["format"]), int(version), as_text(f.attrs["sdegen_version"]), int(ranks), replicates))
    return replicates


def check_moments(cell, qname, step, expect_count=None):
    """Checks group cell/qname: mean, stderr, m2 on the step scale; stderr and count consistent."""
    where = "%s/%s" % (cell.name, qname)
    require(qname in cell and isinstance(cell[qname], h5py.Group), "group %s is missing" % where)
    group = cell[qname]
    require("count" in group.attrs, "%s has no 'count' attribute" % where)
    count = group.attrs["count"]
    require(is_integer(count) and int(count) >= 0, "%s count = %r is not a non-negative integer" % (where, count))
    count = int(count)
    if expect_count is not None:
        require(count == expect_count, "%s count = %d, expected %d (the cell's replicates)" % (where, count, expect_count))
    arrays = {}
    for part in ("mean", "stderr", "m2"):
        require(part in group and isinstance(group[part], h5py.Dataset), "dataset %s/%s is missing" % (where, part))
        dset = group[part]
        require(dset.ndim == 1 and dset.shape == step.shape,
                "%s has shape %s, step has shape %s" % (dset.name, dset.shape, step.shape))
        require(np.issubdtype(dset.dtype, np.floating), "%s has dtype %s, expected floating point" % (dset.name, dset.dtype))
        require(len(dset.dims[0]) >= 1, "%s has no dimension scale attached to dimension 0" % dset.name)
        scale_names = [s.name for s in dset.dims[0].values()]
        require(step.name in scale_names,
                "%s dimension 0 has scales %s, expected %s" % (dset.name, scale_names, step.name))
        arrays[part] = dset[()]
    mean, stderr, m2 = arrays["mean"], arrays["stderr"], arrays["m2"]
    if count >= 2:
        expected = np.sqrt(m2 / (count - 1) / count)
        ok = np.isclose(stderr, expected, rtol=STDERR_RTOL, atol=0.0, equal_nan=True)
        require(ok.all(), "%s/stderr != sqrt(m2/(count-1)/count) (count %d) at rows %s: %s vs %s"
                % (where, count, np.nonzero(~ok)[0].tolist(), stderr[~ok].tolist(), expected[~ok].tolist()))
        require(np.isfinite(mean).all(), "%s/mean has non-finite values with count %d: %s" % (where, count, mean.tolist()))
    elif count == 0:
        require(np.isnan(mean).all(), "%s has count 0 but a non-NaN mean %s" % (where, mean))
    return count, mean, stderr


def check_cell(cell, index, config_replicates):
    for name in CELL_ATTRS:
        require(name in cell.attrs, "%s has no attribute '%s'" % (cell.name, name))
    attrs = cell.attrs
    for name in ("n", "dim", "batch", "steps", "replicates", "diverged"):
        require(is_integer(attrs[name]), "%s attribute %s = %r is not an integer" % (cell.name, name, attrs[name]))
    replicates, diverged = int(attrs["replicates"]), int(attrs["diverged"])
    require(replicates >= 0 and diverged >= 0, "%s has negative replicates/diverged" % cell.name)
    require(replicates + diverged == config_replicates,
            "%s: replicates %d + diverged %d != %d ([mc] replicates in the config)"
            % (cell.name, replicates, diverged, config_replicates))
    losses = as_text_list(attrs["losses"])
    require(len(losses) >= 1, "%s has an empty 'losses' attribute" % cell.name)
    radii = np.atleast_1d(attrs["loss_subgaussian_r"])
    require(len(radii) == len(losses), "%s: %d losses but %d loss_subgaussian_r values" % (cell.name, len(losses), len(radii)))
    training_loss = as_text(attrs["training_loss"])
    require(training_loss in losses, "%s: training_loss %r is not one of the losses %s" % (cell.name, training_loss, losses))

    require("step" in cell and isinstance(cell["step"], h5py.Dataset), "%s/step is missing" % cell.name)
    step = cell["step"]
    require(step.ndim == 1 and step.shape[0] >= 1, "%s/step has shape %s" % (cell.name, step.shape))
    require(is_dimension_scale(step), "%s/step is not an HDF5 dimension scale" % cell.name)
    steps = step[()]
    require(np.issubdtype(steps.dtype, np.integer), "%s/step has dtype %s, expected integers" % (cell.name, steps.dtype))
    require(steps[0] == 0 and steps[-1] == int(attrs["steps"]) and np.all(np.diff(steps) > 0),
            "%s/step = %s: expected increasing from 0 to steps = %d" % (cell.name, steps, int(attrs["steps"])))

    finals = {}
    for loss in losses:
        parts = {}
        for kind in PER_LOSS_KINDS:
            _, mean, stderr = check_moments(cell, "%s_%s" % (kind, loss), step, replicates)
            parts[kind] = (mean, stderr)
        diff = parts["gen"][0] - (parts["test"][0] - parts["train"][0])
        ok = (np.abs(diff) <= GEN_ATOL) | (np.isnan(parts["gen"][0]) & np.isnan(diff))
        require(ok.all(), "%s: gen_%s mean != test mean - train mean (max deviation %g)"
                % (cell.name, loss, np.nanmax(np.abs(diff))))
        finals[loss] = {kind: (parts[kind][0][-1], parts[kind][1][-1]) for kind in PER_LOSS_KINDS}
    for qname in OTHER_QUANTITIES:
        check_moments(cell, qname, step, replicates)
    require("noise_logdet" in cell and isinstance(cell["noise_logdet"], h5py.Group),
            "%s/noise_logdet group is missing" % cell.name)
    logdet = cell["noise_logdet"]
    require("defined" in logdet.attrs and int(logdet.attrs["defined"]) in (0, 1),
            "%s/noise_logdet has no 0/1 'defined' attribute" % cell.name)
    if int(logdet.attrs["defined"]) == 1:
        count, _, _ = check_moments(cell, "noise_logdet", step)
        require(count <= replicates, "%s/noise_logdet count %d > replicates %d" % (cell.name, count, replicates))
    return {"attrs": attrs, "losses": losses, "training_loss": training_loss, "finals": finals}


def check_summary(f, cells):
    require("summary" in f and isinstance(f["summary"], h5py.Dataset), "/summary dataset is missing")
    require(f["summary"].dtype.names is not None, "/summary is not a compound dataset")
    table = pd.DataFrame(f["summary"][()])
    require(len(table) == len(cells), "/summary has %d rows for %d cells" % (len(table), len(cells)))
    columns = set(table.columns)
    needed = set(SUMMARY_FIXED_COLUMNS)
    for cell in cells:
        for loss in cell["losses"]:
            needed.update(("gen_%s_mean" % loss, "gen_%s_stderr" % loss))
    missing = sorted(needed - columns)
    require(not missing, "/summary lacks columns %s" % missing)
    if "cell" in columns:
        require(list(table["cell"]) == list(range(len(cells))), "/summary column cell is %s" % list(table["cell"]))
    for i, cell in enumerate(cells):
        row = table.iloc[i]
        where = "/summary row %d (cell_%04d)" % (i, i)
        for key in SUMMARY_CELL_KEYS:
            require(same_value(row[key], cell["attrs"][key]),
                    "%s: %s = %r but the cell attribute is %r" % (where, key, row[key], cell["attrs"][key]))
        expected = {}
        train_loss = cell["training_loss"]
        for kind in PER_LOSS_KINDS:
            mean, stderr = cell["finals"][train_loss][kind]
            expected["%s_mean" % kind], expected["%s_stderr" % kind] = mean, stderr
        for loss in cell["losses"]:
            for kind in PER_LOSS_KINDS:
                mean, stderr = cell["finals"][loss][kind]
                expected["%s_%s_mean" % (kind, loss)], expected["%s_%s_stderr" % (kind, loss)] = mean, stderr
        for column, value in expected.items():
            if column not in columns:
                continue
            require(same_value(row[column], value),
                    "%s: %s = %r but the last step of the cell's dataset is %r" % (where, column, row[column], value))
        # Losses of other cells do not apply here: the summary documents NaN for them.
        summary_losses = set(as_text_list(f["summary"].attrs["losses"]))
        for column in columns:
            match = re.fullmatch(r"(gen|train|test)_(.+)_(mean|stderr)", column)
            if match and match.group(2) in summary_losses and match.group(2) not in cell["losses"] \
                    and column not in expected:
                require(np.isnan(row[column]), "%s: %s = %r, expected NaN (loss %r does not apply)"
                        % (where, column, row[column], match.group(2)))
        # Bounds, when the run computed them: each summary column equals the cell's bounds group.
        bounds_path = "cells/cell_%04d/bounds" % i
        if bounds_path in f:
            for name in f[bounds_path]:
                if name == "raw":
                    continue
                group = f[bounds_path][name]
                for column, attr in (("bound_" + name, "value"), ("bound_%s_stderr" % name, "stderr"),
                                     ("mi_" + name, "mi_nats"), ("valid_" + name, "valid")):
                    require(column in columns, "/summary lacks %s" % column)
                    require(same_value(row[column], group.attrs[attr]),
                            "%s: %s = %r but %s/%s@%s = %r" % (where, column, row[column], bounds_path, name, attr,
                                                              group.attrs[attr]))
                require(int(group.attrs["defined"]) in (0, 1), "%s/%s: defined must be 0 or 1" % (bounds_path, name))
                if int(group.attrs["defined"]) == 0:
                    require(len(str(group.attrs["reason"])) > 0, "%s/%s: undefined without a reason" % (bounds_path, name))
                if "running" in group:
                    require(group["running"].shape == f["cells/cell_%04d/step" % i].shape,
                            "%s/%s/running: one value per logged step" % (bounds_path, name))
    print("  /summary ok: %d rows, %d columns, rows equal the last logged step of each cell" % (len(table), len(columns)))


def check_results_file(path):
    """Raises CheckFailure unless `path` is a valid, self-consistent sdegen results file."""
    print("checking results file %s" % path)
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        raise CheckFailure("cannot open %s as HDF5: %s" % (path, error))
    with f:
        config_replicates = check_root(f)
        require("cells" in f and isinstance(f["cells"], h5py.Group), "group /cells is missing")
        names = sorted(f["cells"].keys())
        require(len(names) >= 1, "/cells is empty")
        expected_names = ["cell_%04d" % i for i in range(len(names))]
        require(names == expected_names, "/cells holds %s, expected cell_0000 .. cell_%04d" % (names, len(names) - 1))
        if "cell_count" in f.attrs:
            require(int(f.attrs["cell_count"]) == len(names),
                    "root cell_count = %s but /cells has %d groups" % (f.attrs["cell_count"], len(names)))
        cells = [check_cell(f["cells"][name], i, config_replicates) for i, name in enumerate(names)]
        print("  /cells ok: %d cells; attributes, step scale, moments (stderr vs m2/count, gen = test - train), "
              "noise_logdet" % len(cells))
        check_summary(f, cells)
    print("results file %s: all checks passed" % path)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s FILE.h5\n" % argv[0])
        return 2
    try:
        check_results_file(argv[1])
    except CheckFailure as failure:
        sys.stderr.write("FAIL: %s: %s\n" % (argv[1], failure))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
