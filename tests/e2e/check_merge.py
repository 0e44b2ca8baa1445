#!/usr/bin/python3
# End-to-end check of `sdegen merge`: parts of a sweep (--cells i/N) merge into a file equal to the
# single run; replicate-range parts merge to the same statistics up to rounding; bad inputs exit 2,
# among them replicate ranges with a gap, parts of another sdegen version and corrupted raw state.
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rank_invariance import compare_files  # noqa: E402

SWEEP = ["--problem.name", "linreg logistic", "--data.n", "20 30", "--problem.dim", "3",
         "--train.algorithm", "sgd sde", "--train.steps", "30", "--train.log_every", "10",
         "--mc.block", "4", "--bounds.trajectory", "--bounds.terminal", "--bounds.stationary_steps", "5",
         "--bounds.supersample", "-q"]


def run(command, cwd, expect=0):
    print("  $", " ".join(shlex.quote(c) for c in command))
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode != expect:
        sys.exit("FAIL: exit code %d, expected %d\nstderr: %s" % (done.returncode, expect, done.stderr))
    return done


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR" % argv[0])
    sdegen, mpiexec, scratch = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3]
    os.makedirs(scratch, exist_ok=True)
    work = tempfile.mkdtemp(prefix="merge_", dir=scratch)
    single, parts = os.path.join(work, "single"), os.path.join(work, "parts")
    os.makedirs(single)
    os.makedirs(parts)

    print("1. a sweep in 3 cell parts (one of them at 2 ranks) merges into the single run's file")
    run([sdegen, "run"] + SWEEP + ["--mc.replicates", "37", "-o", "all.h5"], single)
    for i in range(3):
        launcher = mpiexec + ["2"] if i == 1 else []
        run(launcher + [sdegen, "run"] + SWEEP + ["--mc.replicates", "37", "--cells", "%d/3" % i,
                                                  "-o", "part%d.h5" % i], parts)
    run([sdegen, "merge", "-o", "all.h5", "part0.h5", "part1.h5", "part2.h5"], parts)
    differences = compare_files(os.path.join(single, "all.h5"), os.path.join(parts, "all.h5"))
    if differences:
        sys.exit("FAIL: merged file differs from the single run:\n  " + "\n  ".join(differences[:10]))

    print("2. two replicate ranges merge into the statistics of the whole range (up to rounding)")
    run([sdegen, "run"] + SWEEP + ["--mc.replicates", "64", "-o", "whole.h5"], single)
    run([sdegen, "run"] + SWEEP + ["--mc.replicates", "32", "-o", "low.h5"], parts)
    run([sdegen, "run"] + SWEEP + ["--mc.replicates", "32", "--mc.first_replicate", "32", "-o", "high.h5"], parts)
    run([sdegen, "merge", "-o", "ranges.h5", "high.h5", "low.h5"], parts)
    with h5py.File(os.path.join(single, "whole.h5")) as a, h5py.File(os.path.join(parts, "ranges.h5")) as b:
        sa, sb = a["summary"][()], b["summary"][()]
        # term_xr comes from moments (co-moments of w*_S, mean log det Lambda_S), which merge like
        # every other accumulator: it is defined after a replicate-range merge and equals the whole run's.
        for column in ("replicates", "gen_mean", "gen_stderr", "test_mean", "bound_traj_iso_pop", "bound_term_iso",
                       "bound_term_xr", "bound_term_xr_stderr", "gen_ss_mean"):
            if not np.allclose(sa[column], sb[column], rtol=1e-10, atol=0, equal_nan=True):
                sys.exit("FAIL: column %s differs: %s vs %s" % (column, sa[column], sb[column]))
        # Integer tables merge exactly: the plain supersample bounds are the same numbers.
        for column in ("bound_b8_ld_mi", "bound_b13_exact_cgf", "bound_b8_ld_mi_stderr", "gen_ss_quantised_mean"):
            if not np.array_equal(sa[column], sb[column], equal_nan=True):
                sys.exit("FAIL: column %s differs: %s vs %s" % (column, sa[column], sb[column]))
        for cell in a["cells"]:
            raw = "cells/%s/bounds/raw/supersample_counts" % cell
            if not np.array_equal(a[raw][()], b[raw][()]):
                sys.exit("FAIL: %s differs after merging replicate ranges" % raw)
        if not np.all(np.isfinite(sb["bound_term_xr"])):
            sys.exit("FAIL: term_xr after a replicate-range merge is not defined: %s" % sb["bound_term_xr"])
        print("  term_xr after a replicate-range merge equals the whole run's: %s" % sb["bound_term_xr"])

    print("2b. a part without cells (more parts than cells) is a valid empty file that merge accepts")
    for np_, part in ((1, "empty1.h5"), (2, "empty2.h5")):
        launcher = mpiexec + [str(np_)] if np_ > 1 else []
        run(launcher + [sdegen, "run"] + SWEEP + ["--mc.replicates", "37", "--cells", "9/10", "-o", part], parts)
        with h5py.File(os.path.join(parts, part)) as f:
            if len(f.attrs["cells_in_file"]) != 0 or len(f["cells"]) != 0:
                sys.exit("FAIL: the part without cells holds cells")
            if len(f["summary"]) != 0:
                sys.exit("FAIL: the part without cells has summary rows")
    leftovers = [name for name in os.listdir(parts) if ".tmp" in name or name.endswith(".lock")]
    if leftovers:
        sys.exit("FAIL: a part without cells left %s" % leftovers)
    run([sdegen, "merge", "--overwrite", "-o", "all.h5", "part0.h5", "empty1.h5", "part1.h5", "empty2.h5", "part2.h5"],
        parts)
    differences = compare_files(os.path.join(single, "all.h5"), os.path.join(parts, "all.h5"))
    if differences:
        sys.exit("FAIL: merged file with empty parts differs from the single run:\n  " + "\n  ".join(differences[:10]))
    shown = run([sdegen, "report", "empty1.h5"], parts)
    print("  sdegen report of an empty part: exit 0, %d lines" % len(shown.stdout.splitlines()))

    print("3. bad inputs: exit 2, one message naming the file or option, no output")
    run([sdegen, "run"] + SWEEP + ["--mc.replicates", "37", "--mc.seed", "9", "--cells", "0/3", "-o", "seed9.h5"], parts)
    bad = run([sdegen, "merge", "-o", "bad.h5", "part0.h5", "seed9.h5"], parts, expect=2)
    assert "mc.seed" in bad.stderr, bad.stderr
    bad = run([sdegen, "merge", "-o", "bad.h5", "part0.h5", "part0.h5"], parts, expect=2)
    assert "overlapping" in bad.stderr, bad.stderr
    with open(os.path.join(parts, "part1.h5"), "rb") as f:
        data = f.read()
    with open(os.path.join(parts, "truncated.h5"), "wb") as f:
        f.write(data[: len(data) // 2])
    bad = run([sdegen, "merge", "-o", "bad.h5", "part0.h5", "truncated.h5"], parts, expect=2)
    assert "truncated.h5" in bad.stderr, bad.stderr
    with open(os.path.join(parts, "text.h5"), "w") as f:
        f.write("not hdf5\n")
    bad = run([sdegen, "merge", "-o", "bad.h5", "text.h5"], parts, expect=2)
    assert "text.h5" in bad.stderr, bad.stderr
    bad = run([sdegen, "merge", "-o", "all.h5", "part0.h5"], parts, expect=2)
    assert "exists" in bad.stderr, bad.stderr

    print("4. replicate ranges with a gap, other versions, corrupted raw state: exit 2 naming them")
    run([sdegen, "run"] + SWEEP + ["--mc.replicates", "16", "--mc.first_replicate", "48", "-o", "far.h5"], parts)
    bad = run([sdegen, "merge", "-o", "bad.h5", "low.h5", "far.h5"], parts, expect=2)
    assert "replicates 32 to 47" in bad.stderr and "low.h5" in bad.stderr and "far.h5" in bad.stderr, bad.stderr
    shutil.copy(os.path.join(parts, "part1.h5"), os.path.join(parts, "older.h5"))
    with h5py.File(os.path.join(parts, "older.h5"), "r+") as f:
        f.attrs["sdegen_version"] = "0.0.1"
    bad = run([sdegen, "merge", "-o", "bad.h5", "part0.h5", "older.h5", "part2.h5"], parts, expect=2)
    assert "0.0.1" in bad.stderr and "older.h5" in bad.stderr and "part0.h5" in bad.stderr, bad.stderr
    bad = run([sdegen, "merge", "-o", "bad.h5", "older.h5"], parts, expect=2)
    assert "0.0.1" in bad.stderr and "older.h5" in bad.stderr, bad.stderr
    shutil.copy(os.path.join(parts, "part1.h5"), os.path.join(parts, "flipped.h5"))
    with h5py.File(os.path.join(parts, "flipped.h5"), "r") as f:
        cell = sorted(f["cells"])[0]
        offset, size = f["cells"][cell]["state"].id.get_offset(), f["cells"][cell]["state"].id.get_storage_size()
    with open(os.path.join(parts, "flipped.h5"), "r+b") as f:
        f.seek(offset + size // 2)
        byte = f.read(1)[0]
        f.seek(offset + size // 2)
        f.write(bytes([byte ^ 0x04]))
    bad = run([sdegen, "merge", "-o", "bad.h5", "part0.h5", "flipped.h5", "part2.h5"], parts, expect=2)
    assert "flipped.h5" in bad.stderr and "checksum" in bad.stderr, bad.stderr
    os.mkfifo(os.path.join(parts, "pipe.h5"))
    bad = run([sdegen, "merge", "--overwrite", "-o", "pipe.h5", "part0.h5"], parts, expect=2)
    assert "regular file" in bad.stderr, bad.stderr
    if os.path.exists(os.path.join(parts, "bad.h5")):
        sys.exit("FAIL: a failed merge left an output file")
    leftovers = [name for name in os.listdir(parts) if ".tmp" in name or name.endswith(".lock")]
    if leftovers:
        sys.exit("FAIL: failed merges left files behind: %s" % leftovers)
    print("merge: all checks passed")


if __name__ == "__main__":
    main(sys.argv)
