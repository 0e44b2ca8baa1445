#!/usr/bin/python3
# Checks results files written by the Slurm jobs (tests/slurm/slurm_test.sh): that /summary reads
# with h5py, and that two files are equal by tests/e2e/check_rank_invariance.py's comparison.
"""usage: check_slurm_results.py summary FILE CELLS   (/summary has CELLS rows, finite gen)
       check_slurm_results.py compare REFERENCE OTHER (every dataset and attribute equal but /@created, /@mpi_ranks)
"""
import os
import sys

import h5py
import numpy as np

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from check_rank_invariance import compare_files  # noqa: E402


def summary(path, cells):
    with h5py.File(path, "r") as f:
        table = f["summary"][()]
        cell_count = int(f.attrs["cell_count"])
        ranks = int(f.attrs["mpi_ranks"])
    names = table.dtype.names
    print("  %s: /summary has %d rows, %d columns; cell_count = %d, mpi_ranks = %d"
          % (path, len(table), len(names), cell_count, ranks))
    for row in table:
        print("    cell %d: n = %s, algorithm = %s, replicates = %d, gen = %.4g +- %.2g"
              % (row["cell"], row["n"], row["algorithm"].decode(), row["replicates"],
                 row["gen_mean"], row["gen_stderr"]))
    if len(table) != cells or cell_count != cells:
        sys.exit("FAIL: %s: expected %d cells, /summary has %d rows and cell_count = %d"
                 % (path, cells, len(table), cell_count))
    if sorted(table["cell"].tolist()) != list(range(cells)):
        sys.exit("FAIL: %s: /summary cells are %s" % (path, table["cell"].tolist()))
    if not np.all(np.isfinite(table["gen_mean"])):
        sys.exit("FAIL: %s: gen_mean is not finite in every row" % path)


def compare(reference, other):
    print("  comparing %s with %s (all datasets and attributes but /@created, /@mpi_ranks)" % (other, reference))
    differences = compare_files(reference, other)
    if differences:
        sys.exit("FAIL: %s differs from %s:\n  %s" % (other, reference, "\n  ".join(differences[:50])))
    print("  equal")


def main(argv):
    if len(argv) == 4 and argv[1] == "summary":
        summary(argv[2], int(argv[3]))
    elif len(argv) == 4 and argv[1] == "compare":
        compare(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
