# Whole runs of two sdegen binaries side by side, interleaved so that both see the same load: the
# cost of the trajectory statistics, and the np = 2 speed-up of a sweep with them on.
"""Usage: python3 compare_runs.py OLD_SDEGEN NEW_SDEGEN [REPEATS]

Environment: REPLICATES (default 1600) for the single-rank runs (linreg n=200, d=20, b=20, 400
steps, pinned to BENCH_CPU, default 1); SCALING_REPLICATES (default 2000) for the default sweep
with --bounds.trajectory at np = 1 and 2 (SCALING=0 skips it); MPIRUN (default mpirun).
Prints the median wall time of each run for old and new, the ratio old/new, and the derived
figures: the trajectory statistics' cost as a multiple of a plain run, and the speed-up np2/np1.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

if len(sys.argv) not in (3, 4):
    sys.exit(__doc__)
binaries = {"old": os.path.abspath(sys.argv[1]), "new": os.path.abspath(sys.argv[2])}
for side, path in binaries.items():
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        sys.exit("compare_runs.py: %s binary %s is not an executable file" % (side, path))


def positive_integer(text, what):
    if not text.isdigit() or int(text) < 1:
        sys.exit("compare_runs.py: %s must be a positive integer, not %r" % (what, text))
    return text


repeats = int(positive_integer(sys.argv[3], "REPEATS")) if len(sys.argv) == 4 else 3
replicates = positive_integer(os.environ.get("REPLICATES", "1600"), "REPLICATES")
scaling_replicates = positive_integer(os.environ.get("SCALING_REPLICATES", "2000"), "SCALING_REPLICATES")
cpu = os.environ.get("BENCH_CPU", "1")
mpirun = os.environ.get("MPIRUN", "mpirun")
mpi_flags = ["--oversubscribe", "--bind-to", "core"] + (["--allow-run-as-root"] if os.geteuid() == 0 else [])
pin = ["taskset", "-c", cpu] if shutil.which("taskset") else []

single = ["--data.n", "200", "--problem.dim", "20", "--train.batch", "20", "--train.steps", "400",
          "--mc.replicates", replicates]
runs = {  # name -> (launcher, options)
    "sgd": (pin, single + ["--train.algorithm", "sgd"]),
    "sgd + trajectory": (pin, single + ["--train.algorithm", "sgd", "--bounds.trajectory"]),
    "sde": (pin, single + ["--train.algorithm", "sde"]),
    "sde + trajectory": (pin, single + ["--train.algorithm", "sde", "--bounds.trajectory"]),
}
if os.environ.get("SCALING", "1") != "0":
    sweep = ["--mc.replicates", scaling_replicates, "--bounds.trajectory"]
    runs["sweep np=1"] = ([mpirun] + mpi_flags + ["-np", "1"], sweep)
    runs["sweep np=2"] = ([mpirun] + mpi_flags + ["-np", "2"], sweep)

work = tempfile.mkdtemp(prefix="sdegen-compare-runs.")
seconds = {}  # (side, run) -> [wall seconds]
try:
    print("load before:", os.getloadavg())
    for r in range(repeats):
        for name, (launcher, options) in runs.items():
            for side in (("old", "new") if r % 2 == 0 else ("new", "old")):
                out = os.path.join(work, side + ".h5")
                command = launcher + [binaries[side], "run", "-q", "--output.overwrite", "-o", out] + options
                start = time.monotonic()
                done = subprocess.run(command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                elapsed = time.monotonic() - start
                if done.returncode != 0:
                    sys.exit("%s failed (%d): %s" % (" ".join(command), done.returncode, done.stderr[-2000:]))
                seconds.setdefault((side, name), []).append(elapsed)
        print("repeat %d/%d done" % (r + 1, repeats), flush=True)
    print("load after:", os.getloadavg())
finally:
    shutil.rmtree(work, ignore_errors=True)


def median(side, name):
    return statistics.median(seconds[(side, name)])


print("\nwhole runs: median wall seconds of %d interleaved runs; ratio = old/new (above 1: new is faster)" % repeats)
print("%-40s %10s %10s %7s" % ("run", "old s", "new s", "ratio"))
for name in runs:
    old, new = median("old", name), median("new", name)
    print("%-40s %10.3f %10.3f %7.2f" % (name, old, new, old / new))

derived = [("sgd: run with trajectory / plain run", lambda s: median(s, "sgd + trajectory") / median(s, "sgd")),
           ("sde: run with trajectory / plain run", lambda s: median(s, "sde + trajectory") / median(s, "sde")),
           ("sgd: trajectory statistics, us per step",
            lambda s: 1e6 * (median(s, "sgd + trajectory") - median(s, "sgd")) / (int(replicates) * 400)),
           ("sde: trajectory statistics, us per step",
            lambda s: 1e6 * (median(s, "sde + trajectory") - median(s, "sde")) / (int(replicates) * 400))]
if "sweep np=1" in runs:
    derived.append(("sweep with trajectory: speed-up np2/np1",
                    lambda s: median(s, "sweep np=1") / median(s, "sweep np=2")))
print("\n%-40s %10s %10s %7s" % ("derived", "old", "new", "new/old"))
for label, value in derived:
    old, new = value("old"), value("new")
    print("%-40s %10.3f %10.3f %7.2f" % (label, old, new, new / old))
