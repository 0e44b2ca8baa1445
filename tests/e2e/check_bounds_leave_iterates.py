# End-to-end check that the trajectory bounds do not change the runs they measure on the margin
# problems: usage: /usr/bin/python3 check_bounds_leave_iterates.py SDEGEN SCRATCH_DIR
"""linreg and logistic, gd, sgd and sde cells (sde also with 3 substeps and a noise floor), run
with and without --bounds.trajectory: every
per-step statistic (train, test and gen of every loss, gradient norm, noise trace and log det,
distance from W_0; mean and M2) must be bit-identical, since the bounds read the per-example
gradients as scaled rows of X and the step is the step of a run without bounds. A run with another
seed must differ (the check can fail).
"""
import os
import sys

import h5py
import numpy as np

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import fail, run_sdegen  # noqa: E402

TIMEOUT = 120
BASE = ["--problem.dim", "3", "--data.n", "30", "--train.batch", "5", "--train.steps", "30",
        "--train.log_every", "10", "--mc.replicates", "24", "--mc.block", "4", "-q"]
# Each list of options is one run: the dynamics, and the sde with substeps and a noise floor.
VARIANTS = [["--train.algorithm", "gd sgd sde"],
            ["--train.algorithm", "sde", "--train.substeps", "3", "--train.noise_floor", "0.01"]]


def run(sdegen, scratch, name, extra):
    path = os.path.join(scratch, name + ".h5")
    run_sdegen([sdegen, "run"] + BASE + extra + ["--output.overwrite", "-o", path], scratch, TIMEOUT)
    return path


def per_step_statistics(path):
    """{(algorithm, dataset name): raw bytes} of every per-step mean and M2 of every cell."""
    out = {}
    with h5py.File(path, "r") as f:
        for cell in f["cells"].values():
            algorithm = str(cell.attrs["algorithm"])
            for name, item in cell.items():
                if isinstance(item, h5py.Group) and "mean" in item and "m2" in item:
                    for part in ("mean", "m2"):
                        out[(algorithm, name + "/" + part)] = item[part][()].tobytes()
    return out


def main():
    sdegen, scratch = sys.argv[1], os.path.join(sys.argv[2], "bounds_leave_iterates")
    os.makedirs(scratch, exist_ok=True)
    for problem in ("linreg", "logistic"):
        for v, variant in enumerate(VARIANTS):
            name = "%s_%d" % (problem, v)
            options = ["--problem.name", problem] + variant
            plain = per_step_statistics(run(sdegen, scratch, name + "_plain", options))
            bounded = per_step_statistics(run(sdegen, scratch, name + "_bounds", options + ["--bounds.trajectory"]))
            reseeded = per_step_statistics(run(sdegen, scratch, name + "_seed", options + ["--mc.seed", "7"]))
            if len(plain) < 10:
                fail("%s: only %d per-step statistics found" % (name, len(plain)))
            for key, value in plain.items():
                if key not in bounded:
                    fail("%s: %s missing from the run with bounds" % (name, key))
                if bounded[key] != value:
                    fail("%s: %s changed when the trajectory bounds were switched on" % (name, key))
            if all(reseeded.get(key) == value for key, value in plain.items()):
                fail("%s: another seed gave the same statistics: the comparison cannot fail" % name)
            print("%s (%s): %d per-step statistics bit-identical with and without the bounds"
                  % (problem, " ".join(variant), len(plain)))


if __name__ == "__main__":
    main()
