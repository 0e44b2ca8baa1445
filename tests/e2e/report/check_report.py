# End-to-end checks of `sdegen report` on a results file written by `sdegen run` (label e2e);
# usage: check_report.py {format,error,mpi} ... (see --help); exits non-zero on the first failure.
"""Runs `sdegen report` and checks its output against h5py's reading of the same file.

  check_report.py format SDEGEN FILE {text,csv,markdown,json}
      exit 0, nothing on stderr; csv compared with /summary value by value, json with /summary and
      the root attributes, text and markdown for their provenance line, tables and slopes.
  check_report.py error SDEGEN FILE SCRATCH {missing,not_hdf5,truncated,foreign,newer,no_summary}
      builds a bad file from FILE in SCRATCH; requires exit 2 and one "sdegen: error:" line naming it.
  check_report.py mpi SDEGEN "MPIEXEC ... -n" FILE SCRATCH
      at 2 ranks: the same stdout as one process (rank 0 alone prints); errors: exit 2, one message.
  check_report.py same_as_run SDEGEN "MPIEXEC ... -n" SCRATCH
      `sdegen run` at 2 ranks prints exactly what `sdegen report` prints for the file it wrote.
"""
import csv
import io
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from check_bad_input import message_lines  # noqa: E402

USAGE_ERROR = 2
TIMEOUT = 120


class CheckFailure(Exception):
    """The report does not match the file or the documented behaviour."""


def require(condition, message):
    if not condition:
        raise CheckFailure(message)


def run(command):
    """(exit status, stdout, stderr) of `command`."""
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", errors="replace")


def text(value):
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    return value.decode("utf-8") if isinstance(value, (bytes, np.bytes_)) else str(value)


def read_summary(path):
    with h5py.File(path, "r") as f:
        summary = f["summary"][()]
        attrs = {
            "format_version": int(f.attrs["format_version"]),
            "sdegen_version": text(f.attrs["sdegen_version"]),
            "mpi_ranks": int(f.attrs["mpi_ranks"]),
            "axes": [text(a) for a in np.atleast_1d(f.attrs["axes"])],
        }
    return summary, attrs


def same(kind, expected, got):
    """`got` (from the report) equals the /summary value `expected`; NaN pairs with None."""
    if kind == "S":
        return got == text(expected)
    if kind in "iu":
        return got == int(expected)
    if math.isnan(float(expected)):
        return got is None
    return got is not None and float(got) == float(expected)


def run_report(sdegen, path, fmt):
    status, out, err = run([sdegen, "report", path, "--format", fmt])
    require(status == 0, "report --format %s: exit %d, stderr:\n%s" % (fmt, status, err))
    require(err.strip() == "", "report --format %s wrote to stderr:\n%s" % (fmt, err))
    require(out.strip(), "report --format %s printed nothing" % fmt)
    return out


def check_csv(out, summary):
    rows = list(csv.reader(io.StringIO(out, newline="")))
    names = list(summary.dtype.names)
    require(rows and rows[0] == names, "csv header %s differs from the /summary columns %s" % (rows[:1], names))
    require(len(rows) == 1 + len(summary),
            "csv has %d data rows, /summary %d (nothing else may be printed)" % (len(rows) - 1, len(summary)))
    for r, (record, fields) in enumerate(zip(summary, rows[1:])):
        require(len(fields) == len(names), "csv row %d has %d fields, expected %d" % (r, len(fields), len(names)))
        for name, field in zip(names, fields):
            kind = summary.dtype[name].kind
            if kind == "S":
                got = field
            elif kind in "iu":
                got = int(field)
            else:
                got = None if field == "" else float(field)
            require(same(kind, record[name], got),
                    "csv row %d column %s: %r, /summary has %r" % (r, name, field, record[name]))
    print("ok: csv matches /summary: %d rows x %d columns" % (len(summary), len(names)))


def check_json(out, summary, attrs, path):
    doc = json.loads(out)
    for key in ("file", "format_version", "sdegen_version", "axes", "cells", "slopes"):
        require(key in doc, "json has no key %r" % key)
    require(doc["file"] == path, "json file %r, expected %r" % (doc["file"], path))
    for key in ("format_version", "sdegen_version", "axes"):
        require(doc[key] == attrs[key], "json %s %r, root attribute %r" % (key, doc[key], attrs[key]))
    require(len(doc["cells"]) == len(summary), "json has %d cells, /summary %d rows" % (len(doc["cells"]), len(summary)))
    names = list(summary.dtype.names)
    for r, (record, cell) in enumerate(zip(summary, doc["cells"])):
        require(list(cell.keys()) == names, "json cell %d keys differ from the /summary columns" % r)
        for name in names:
            require(same(summary.dtype[name].kind, record[name], cell[name]),
                    "json cell %d %s: %r, /summary has %r" % (r, name, cell[name], record[name]))
    require(doc["slopes"], "json has no slopes although data.n is swept")
    groups = set()
    for s in doc["slopes"]:
        for key in ("group", "quantity", "slope", "slope_stderr", "points"):
            require(key in s, "json slope without %r: %r" % (key, s))
        require(s["quantity"] in names, "json slope of %r, not a /summary column" % s["quantity"])
        require("n" not in s["group"], "json slope group contains n: %r" % s["group"])
        require(isinstance(s["slope"], float) and s["points"] >= 2, "json slope %r" % s)
        groups.add(json.dumps(s["group"], sort_keys=True))
        if s["quantity"].startswith("gen_"):
            rows = [r for r in range(len(summary))
                    if all(text(summary[r][k]) == str(v) for k, v in s["group"].items())]
            check_slope(s, summary, rows)
    require(len(groups) == len(summary) // len(set(summary["n"].tolist())),
            "json slopes cover %d groups: %s" % (len(groups), sorted(groups)))
    print("ok: json matches /summary and the root attributes; %d slopes in %d groups" % (len(doc["slopes"]), len(groups)))


def check_slope(s, summary, rows):
    """The gen slope against a weighted least-squares fit done here (delta-method weights)."""
    column = s["quantity"]
    x = np.log(summary["n"][rows].astype(float))
    y = summary[column][rows]
    se = summary[column[: -len("_mean")] + "_stderr"][rows]
    keep = np.isfinite(y) & (y > 0) & np.isfinite(se) & (se > 0)
    if keep.sum() != s["points"]:
        return  # a fit with missing errors (equal weights): not recomputed here
    x, ly, w = x[keep], np.log(y[keep]), (y[keep] / se[keep]) ** 2
    xm = np.sum(w * x) / np.sum(w)
    slope = np.sum(w * (x - xm) * ly) / np.sum(w * (x - xm) ** 2)
    require(abs(slope - s["slope"]) <= 1e-6 * max(1.0, abs(slope)),
            "json slope of %s in %r: %r, a weighted fit gives %r" % (column, s["group"], s["slope"], slope))


def check_text(out, fmt, attrs, path):
    lines = out.splitlines()
    first = lines[0]
    for needle in (path, "format_version: %d" % attrs["format_version"],
                   "sdegen_version: " + attrs["sdegen_version"], "mpi_ranks: %d" % attrs["mpi_ranks"]):
        require(needle in first, "%s: first line %r lacks %r" % (fmt, first, needle))
    require("units: loss units; I in nats" in out, "%s: no units line" % fmt)
    require("slope" in out, "%s: no slopes" % fmt)
    require("± " in out, "%s: no 'mean ± stderr' cells" % fmt)
    if fmt == "markdown":
        separators = [line for line in lines if re.fullmatch(r"\|(---\|)+", line)]
        require(len(separators) >= 3, "markdown: %d table separator lines, expected at least 3 (cells, bounds, "
                "slopes)" % len(separators))
        table = [line for line in lines if line.startswith("|")]
        require(len(table) > 4, "markdown: tables too short")
    print("ok: %s report with provenance, units and slopes" % fmt)


def check_format(sdegen, path, fmt):
    summary, attrs = read_summary(path)
    out = run_report(sdegen, path, fmt)
    if fmt == "csv":
        check_csv(out, summary)
    elif fmt == "json":
        check_json(out, summary, attrs, path)
    else:
        check_text(out, fmt, attrs, path)


def make_bad_file(case, path, scratch):
    """The path of a bad results file of kind `case`, made from the good file `path`."""
    os.makedirs(scratch, exist_ok=True)
    bad = os.path.join(scratch, case + ".h5")
    if os.path.exists(bad):
        os.remove(bad)
    if case == "missing":
        return bad
    if case == "not_hdf5":
        with open(bad, "w") as f:
            f.write("cell,n\n0,20\n")
    elif case == "truncated":
        with open(bad, "wb") as f:
            subprocess.run(["head", "-c", str(os.path.getsize(path) // 2), path], stdout=f, check=True)
    else:
        shutil.copyfile(path, bad)
        with h5py.File(bad, "r+") as f:
            if case == "foreign":
                f.attrs["format"] = "someone-elses-results"
            elif case == "newer":
                f.attrs["format_version"] = np.int64(int(f.attrs["format_version"]) + 1)
            elif case == "no_summary":
                del f["summary"]
            else:
                raise CheckFailure("unknown error case %r" % case)
    return bad


def expect_usage_error(command, bad, what):
    status, out, err = run(command)
    lines = message_lines(err)
    require(status == USAGE_ERROR, "%s: exit %d, expected %d; stderr:\n%s" % (what, status, USAGE_ERROR, err))
    require(len(lines) == 1, "%s: expected one stderr line, got:\n%s" % (what, err))
    require(lines[0].startswith("sdegen: error: ") and bad in lines[0],
            "%s: the message does not name %s: %r" % (what, bad, lines[0]))
    require("HDF5-DIAG" not in err, "%s: HDF5 printed its error stack" % what)
    require(out == "", "%s: printed to stdout:\n%s" % (what, out))
    print("ok: %s: exit 2: %s" % (what, lines[0]))


def check_error(sdegen, path, scratch, case):
    bad = make_bad_file(case, path, scratch)
    expect_usage_error([sdegen, "report", bad], bad, case)


def check_mpi(sdegen, mpiexec_prefix, path, scratch):
    mpiexec = shlex.split(mpiexec_prefix) + ["2", sdegen]
    for fmt in ("text", "json"):
        single = run_report(sdegen, path, fmt)
        status, out, err = run(mpiexec + ["report", path, "--format", fmt])
        require(status == 0, "2 ranks, %s: exit %d, stderr:\n%s" % (fmt, status, err))
        require(out == single, "2 ranks, %s: stdout differs from one process (printed by every rank?)" % fmt)
    bad = make_bad_file("truncated", path, scratch)
    expect_usage_error(mpiexec + ["report", bad], bad, "2 ranks, truncated")
    print("ok: at 2 ranks only rank 0 prints")


def check_same_as_run(sdegen, mpiexec, scratch):
    os.makedirs(scratch, exist_ok=True)
    path = os.path.join(scratch, "run.h5")
    command = shlex.split(mpiexec) + ["2", sdegen, "run", "--problem.name", "linreg logistic", "--problem.dim", "3",
                                      "--data.n", "20 40", "--train.algorithm", "sgd sde gd", "--train.steps", "30",
                                      "--mc.replicates", "24", "--bounds.trajectory", "--bounds.terminal",
                                      "--output.overwrite", "-o", path]
    status, run_out, err = run(command)
    require(status == 0, "run: exit %d, stderr:\n%s" % (status, err))
    report_out = run_report(sdegen, path, "text")
    if run_out != report_out:
        import difflib
        diff = "".join(difflib.unified_diff(run_out.splitlines(True), report_out.splitlines(True), "run", "report"))
        raise CheckFailure("sdegen run printed something else than sdegen report on its file:\n" + diff)
    require("Bounds on gen" in run_out and "undefined" in run_out, "run output lacks the bounds table or notes")
    print("ok: run and report print the same %d lines" % len(run_out.splitlines()))


def main(argv):
    try:
        if len(argv) == 5 and argv[1] == "format":
            check_format(argv[2], argv[3], argv[4])
        elif len(argv) == 6 and argv[1] == "error":
            check_error(argv[2], argv[3], argv[4], argv[5])
        elif len(argv) == 6 and argv[1] == "mpi":
            check_mpi(argv[2], argv[3], argv[4], argv[5])
        elif len(argv) == 5 and argv[1] == "same_as_run":
            check_same_as_run(argv[2], argv[3], argv[4])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except CheckFailure as e:
        print("FAIL: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
