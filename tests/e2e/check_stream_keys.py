# End-to-end check that random streams are keyed by what the options mean, not by where a cell
# sits in a sweep: usage: /usr/bin/python3 check_stream_keys.py SDEGEN "MPIEXEC ... -np" SCRATCH_DIR
"""Extending a sweep, or listing its values in another order, leaves every existing cell's
statistics bit-identical.

Three runs of one experiment: --data.n "50 100", "50 100 200" and "100 50", with sgd and sde
cells. Every cell of the first run must have a cell with the same options in the others whose raw
state (`state`, `group_states`) and per-step means are bit-identical. A fourth run that changes
only train.steps must give different numbers (the check can fail).
"""
import os
import shlex
import sys

import h5py
import numpy as np

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import fail, run_sdegen  # noqa: E402

TIMEOUT = 120
BASE = ["--problem.dim", "3", "--train.algorithm", "sgd sde", "--train.log_every", "20",
        "--mc.replicates", "24", "--mc.block", "4", "-q"]


def run(sdegen, mpiexec, scratch, name, extra):
    path = os.path.join(scratch, name + ".h5")
    command = shlex.split(mpiexec) + ["2", sdegen, "run"] + BASE + extra + ["--output.overwrite", "-o", path]
    run_sdegen(command, scratch, TIMEOUT)
    return path


def cells_by_options(path):
    """{(n, algorithm, steps): {dataset name: raw bytes}} for every cell of a results file."""
    out = {}
    with h5py.File(path, "r") as f:
        for cell in f["cells"].values():
            key = (int(cell.attrs["n"]), str(cell.attrs["algorithm"]))
            data = {"state": cell["state"][()].tobytes(), "group_states": cell["group_states"][()].tobytes(),
                    "gen_sq/mean": cell["gen_sq/mean"][()].tobytes()}
            out[key] = data
    return out


def main():
    sdegen, mpiexec, scratch = sys.argv[1], sys.argv[2], os.path.join(sys.argv[3], "stream_keys")
    os.makedirs(scratch, exist_ok=True)
    two = cells_by_options(run(sdegen, mpiexec, scratch, "two", ["--data.n", "50 100", "--train.steps", "40"]))
    three = cells_by_options(run(sdegen, mpiexec, scratch, "three", ["--data.n", "50 100 200", "--train.steps", "40"]))
    swapped = cells_by_options(run(sdegen, mpiexec, scratch, "swapped", ["--data.n", "100 50", "--train.steps", "40"]))
    longer = cells_by_options(run(sdegen, mpiexec, scratch, "longer", ["--data.n", "50 100", "--train.steps", "60"]))
    if len(two) != 4 or len(three) != 6:
        fail("unexpected cell counts %d, %d" % (len(two), len(three)))
    for key, data in two.items():
        for name, other in (("extended sweep", three), ("reordered sweep", swapped)):
            if key not in other:
                fail("%s has no cell %s" % (name, key))
            for dataset, raw in data.items():
                if other[key][dataset] != raw:
                    fail("cell %s: %s differs in the %s" % (key, dataset, name))
        if longer[key]["gen_sq/mean"] == data["gen_sq/mean"]:
            fail("cell %s: 40 and 60 steps gave identical gen (the comparison cannot fail)" % (key,))
    print("OK: %d cells bit-identical after extending and reordering the sweep" % len(two))


if __name__ == "__main__":
    main()
