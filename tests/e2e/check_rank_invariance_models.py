# End-to-end check that results on the network and on a Fashion-MNIST population do not depend on
# the number of MPI ranks: usage: /usr/bin/python3 check_rank_invariance_models.py SDEGEN "MPIEXEC ... -np" SCRATCH_DIR
"""Runs two small sweeps at 1, 2 and 3 ranks and requires bit-identical results files.

The sweeps: a teacher-student mlp (tanh and erf, sgd, sde and gd, held-out population, trajectory
and terminal bounds), and logistic regression and an mlp on a Fashion-MNIST class pair pooled to
7 x 7 (the table shared by the ranks of the node, exact population, trajectory and terminal bounds).
As in check_rank_invariance.py, every dataset and attribute must be identical but the root
attributes `created` and `mpi_ranks`; 37 replicates in blocks of 4 make 10 blocks.
"""
import os
import shlex
import shutil
import sys
import tempfile

import h5py

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rank_invariance import RANKS, TIMEOUT, compare_files  # noqa: E402
from e2e_support import fail, run_sdegen  # noqa: E402

COMMON = ["--mc.replicates", "37", "--mc.block", "4", "--bounds.jackknife_groups", "3", "-q"]
SWEEPS = {
    "mlp": ["--problem.name", "mlp", "--problem.activation", "tanh erf", "--problem.dim", "4", "--problem.width", "3",
            "--problem.bias", "both", "--train.init", "1", "--train.algorithm", "sgd sde gd", "--data.n", "20 30",
            "--train.steps", "30", "--train.log_every", "10", "--train.lr", "0.2", "--bounds.trajectory",
            "--bounds.terminal", "--train.noise_floor", "1e-4"],
    "fashion_mnist": ["--data.source", "fashion-mnist", "--data.classes", "0 6", "--data.pool", "4",
                      "--problem.name", "logistic mlp", "--problem.width", "2", "--train.init", "1",
                      "--train.algorithm", "sgd sde", "--data.n", "30", "--train.steps", "20",
                      "--train.log_every", "10", "--train.lr", "0.5", "--bounds.trajectory", "--bounds.terminal"],
}


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR\n" % argv[0])
        return 2
    sdegen, mpiexec, scratch = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3]
    os.makedirs(scratch, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="rank_invariance_models_", dir=scratch)
    for name, options in SWEEPS.items():
        print("%s: the same sweep at %s ranks in %s" % (name, ", ".join(map(str, RANKS)), workdir))
        paths = {}
        for np_ in RANKS:
            rundir = os.path.join(workdir, "%s_np%d" % (name, np_))
            os.mkdir(rundir)
            run_sdegen(mpiexec + [str(np_), sdegen, "run"] + options + COMMON + ["-o", "results.h5"], rundir, TIMEOUT)
            paths[np_] = os.path.join(rundir, "results.h5")
            with h5py.File(paths[np_], "r") as f:
                if int(f.attrs["mpi_ranks"]) != np_:
                    fail("%s: mpi_ranks = %r, expected %d" % (paths[np_], f.attrs["mpi_ranks"], np_))
                if name == "fashion_mnist" and "tables/table_0" not in f:
                    fail("%s: no /tables/table_0 (the table's provenance)" % paths[np_])
                for cell in f["cells"].values():
                    counted = int(cell.attrs["replicates"]) + int(cell.attrs["diverged"])
                    if counted != 37:
                        fail("%s: %s counts %d replicates, not 37" % (paths[np_], cell.name, counted))
        for np_ in RANKS[1:]:
            differences = compare_files(paths[RANKS[0]], paths[np_])
            if differences:
                fail("%s: results at %d rank(s) differ from those at %d:\n  %s"
                     % (name, np_, RANKS[0], "\n  ".join(differences[:50])))
        print("%s: files at %s ranks are bit-identical" % (name, ", ".join(map(str, RANKS))))
    shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
