# End-to-end check that sdegen's results do not depend on the number of MPI ranks:
# usage: /usr/bin/python3 check_rank_invariance.py SDEGEN "MPIEXEC ... -np" SCRATCH_DIR ["RUN OPTIONS"]
"""Runs one small sweep at 1, 2 and 3 ranks and requires bit-identical results files.

The sweep is RUN_OPTIONS below, or the options given as a fourth argument (one string).

Every dataset and every attribute must be identical in the three files, except the root
attributes `created` (a time stamp) and `mpi_ranks` (which must say 1, 2 and 3). 37 replicates
in blocks of 4 make 10 blocks, which no rank count above 1 splits evenly. Each run writes
`results.h5` in its own directory, so the output path recorded in the config is the same.
"""
import os
import shlex
import shutil
import sys
import tempfile

import h5py
import numpy as np

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import fail, run_sdegen  # noqa: E402
from check_results_file import CheckFailure, check_results_file  # noqa: E402

RANKS = (1, 2, 3)
TIMEOUT = 120
RUN_OPTIONS = ["--problem.name", "gaussian-mean linreg logistic", "--train.algorithm", "sgd sde gd",
               "--data.n", "20 30", "--problem.dim", "3", "--train.steps", "30", "--train.log_every", "10",
               "--mc.replicates", "37", "--mc.block", "4", "--bounds.trajectory", "--bounds.terminal",
               "--bounds.stationary_steps", "10", "--bounds.jackknife_groups", "3", "-q"]
# Provenance of how and when a file was made, not of its numbers.
IGNORED_ROOT_ATTRS = ("created", "mpi_ranks", "started", "finished", "wall_seconds", "command_line")


def canonical(value, f):
    """A comparable form of a dataset or attribute value read from file `f`.

    Numeric data become (dtype, shape, raw bytes), so equality is bit identity (NaN included);
    strings become bytes; object references (dimension-scale bookkeeping) become the path of
    the object they point to in their own file.
    """
    if isinstance(value, h5py.Reference):
        return ("ref", f[value].name if value else None)
    if isinstance(value, str):
        return ("str", value.encode("utf-8"))
    if isinstance(value, bytes):
        return ("str", value)
    if isinstance(value, (np.generic, np.ndarray)):
        array = np.asarray(value)
        if array.dtype.names:
            return ("compound", str(array.dtype), array.shape,
                    tuple(canonical(array[name], f) for name in array.dtype.names))
        if array.dtype.kind == "O":
            return ("objects", array.shape, tuple(canonical(v, f) for v in array.ravel().tolist()))
        return ("array", array.dtype.str, array.shape, array.tobytes())
    return ("python", type(value).__name__, repr(value))


def inventory(f):
    """{path: h5py object} for the root and every group and dataset in the file."""
    objects = {"/": f}
    f.visititems(lambda name, obj: objects.__setitem__("/" + name, obj))
    return objects


def compare_files(reference_path, other_path):
    differences = []
    with h5py.File(reference_path, "r") as ref, h5py.File(other_path, "r") as other:
        ref_objects, other_objects = inventory(ref), inventory(other)
        if set(ref_objects) != set(other_objects):
            only_ref = sorted(set(ref_objects) - set(other_objects))
            only_other = sorted(set(other_objects) - set(ref_objects))
            return ["objects differ: only in %s: %s; only in %s: %s"
                    % (reference_path, only_ref, other_path, only_other)]
        datasets = attributes = 0
        for path in sorted(ref_objects):
            a, b = ref_objects[path], other_objects[path]
            if type(a) is not type(b):
                differences.append("%s is a %s in one file and a %s in the other"
                                   % (path, type(a).__name__, type(b).__name__))
                continue
            if isinstance(a, h5py.Dataset):
                datasets += 1
                if canonical(a[()], ref) != canonical(b[()], other):
                    differences.append("dataset %s differs" % path)
            ignored = IGNORED_ROOT_ATTRS if path == "/" else ()
            names_a = set(a.attrs.keys()) - set(ignored)
            names_b = set(b.attrs.keys()) - set(ignored)
            if names_a != names_b:
                differences.append("attributes of %s differ: %s vs %s" % (path, sorted(names_a), sorted(names_b)))
                continue
            for name in sorted(names_a):
                attributes += 1
                if canonical(a.attrs[name], ref) != canonical(b.attrs[name], other):
                    differences.append("attribute %s@%s differs: %r vs %r" % (path, name, a.attrs[name], b.attrs[name]))
        print("  compared %d objects, %d datasets, %d attributes" % (len(ref_objects), datasets, attributes))
    return differences


def main(argv):
    if len(argv) not in (4, 5):
        sys.stderr.write("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR [\"RUN OPTIONS\"]\n" % argv[0])
        return 2
    sdegen, mpiexec, scratch = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3]
    options = shlex.split(argv[4]) if len(argv) == 5 else RUN_OPTIONS
    if not os.access(sdegen, os.X_OK):
        fail("sdegen binary %s is not executable" % sdegen)
    os.makedirs(scratch, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="rank_invariance_", dir=scratch)
    print("running the same sweep at %s ranks in %s" % (", ".join(map(str, RANKS)), workdir))
    paths = {}
    for np_ in RANKS:
        rundir = os.path.join(workdir, "np%d" % np_)
        os.mkdir(rundir)
        run_sdegen(mpiexec + [str(np_), sdegen, "run"] + options + ["-o", "results.h5"], rundir, TIMEOUT)
        paths[np_] = os.path.join(rundir, "results.h5")
        if not os.path.isfile(paths[np_]):
            fail("the run at %d rank(s) exited 0 but wrote no %s" % (np_, paths[np_]))
        with h5py.File(paths[np_], "r") as f:
            ranks = f.attrs.get("mpi_ranks")
        print("  np=%d: mpi_ranks attribute = %r" % (np_, ranks))
        if ranks is None or int(ranks) != np_:
            fail("%s: root attribute mpi_ranks = %r, expected %d" % (paths[np_], ranks, np_))

    try:
        check_results_file(paths[RANKS[-1]])
    except CheckFailure as failure:
        fail("%s: %s" % (paths[RANKS[-1]], failure))

    for np_ in RANKS[1:]:
        print("comparing np=%d with np=%d (all datasets and attributes but /@created, /@mpi_ranks)"
              % (np_, RANKS[0]))
        differences = compare_files(paths[RANKS[0]], paths[np_])
        if differences:
            fail("results at %d rank(s) differ from those at %d rank(s):\n  %s"
                 % (np_, RANKS[0], "\n  ".join(differences[:50])))
    print("rank invariance: files at %s ranks are bit-identical" % ", ".join(map(str, RANKS)))
    shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
