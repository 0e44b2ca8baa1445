#!/usr/bin/python3
# End-to-end check of `sdegen run --list` and `--dry-run`: the cells and their count, the estimates
# of memory per rank, output size and time, printed once, with nothing created; a part without
# cells says so; a run of 1e9 replicates is planned at once; and the estimates hold: measured peak
# memory (max RSS) and file size against what --dry-run printed.
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

SWEEP = ["--data.n", "50 100", "--train.algorithm", "sgd sde", "--mc.replicates", "2000"]


def fail(message):
    sys.exit("FAIL: " + message)


def run(command, cwd, expect=0, timeout=120):
    print("  $", " ".join(shlex.quote(c) for c in command))
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != expect:
        fail("exit code %d, expected %d\nstdout: %s\nstderr: %s" % (done.returncode, expect, done.stdout, done.stderr))
    return done


def measured(command, cwd):
    """Runs command; returns (max RSS in bytes, seconds)."""
    print("  $", " ".join(shlex.quote(c) for c in command))
    start = time.time()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        fail("exit code %d: %s" % (process.returncode, process.stderr.read().decode()))
    return usage.ru_maxrss * 1024, time.time() - start


def size_of(text):
    """Bytes of '12.3 MiB'."""
    number, unit = text.split()
    return float(number) * {"bytes": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3, "TiB": 1024 ** 4}[unit]


def estimates(stdout):
    memory = re.search(r"memory per rank: about ([0-9.]+ \w+) on rank 0", stdout)
    output = re.search(r"results file about ([0-9.]+ \w+)", stdout)
    if not memory or not output:
        fail("no memory or output estimate in: " + stdout)
    return size_of(memory.group(1)), size_of(output.group(1))


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR" % argv[0])
    sdegen, mpiexec, scratch = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3]
    os.makedirs(scratch, exist_ok=True)
    work = tempfile.mkdtemp(prefix="run_plan_", dir=scratch)

    print("1. --list: the cells, their count and the estimates, once, at 1 and 2 ranks; nothing created")
    for launcher in ([], mpiexec + ["2"]):
        done = run(launcher + [sdegen, "run"] + SWEEP + ["--list", "-o", "out.h5"], work)
        if "cells: 4\n" not in done.stdout or done.stdout.count("cells: ") != 1:
            fail("--list does not say 'cells: 4' once: " + done.stdout)
        rows = [line.split() for line in done.stdout.splitlines() if re.match(r"\s+[0-3]\s", line)]
        if [row[0] for row in rows] != ["0", "1", "2", "3"]:
            fail("--list does not list cells 0 to 3: " + done.stdout)
        for needle in ("memory per rank", "results file about", "time: about", "rank(s)"):
            if needle not in done.stdout:
                fail("--list does not print %r: %s" % (needle, done.stdout))
        if os.listdir(work):
            fail("--list created %s" % os.listdir(work))
    print(done.stdout)

    print("2. a --cells part without cells says so; --dry-run prints no cell table")
    done = run([sdegen, "run"] + SWEEP + ["--cells", "5/8", "--list", "-o", "out.h5"], work)
    if "no cells" not in done.stdout:
        fail("a part without cells does not say 'no cells': " + done.stdout)
    done = run([sdegen, "run"] + SWEEP + ["--dry-run", "-o", "out.h5"], work)
    if re.search(r"^\s+0\s", done.stdout, re.M) or "memory per rank" not in done.stdout:
        fail("--dry-run: %s" % done.stdout)

    print("3. 1e9 replicates in blocks of 1: planned at once, in many waves, with bounded memory")
    done = run([sdegen, "run", "--data.n", "50", "--train.algorithm", "sgd", "--mc.replicates", "1000000000",
                "--mc.block", "1", "--dry-run", "-o", "out.h5"], work, timeout=60)
    waves = int(re.search(r"(\d+) wave\(s\)", done.stdout).group(1))
    memory, _ = estimates(done.stdout)
    print("  %d waves, about %.0f MiB on rank 0" % (waves, memory / 2 ** 20))
    if waves < 100 or memory > 256 * 2 ** 20:
        fail("1e9 replicates: %d waves, %.0f MiB" % (waves, memory / 2 ** 20))

    print("4. the estimates hold: measured max RSS and file size against --dry-run's")
    for args in (["--data.n", "50", "--train.algorithm", "sgd", "--train.steps", "100", "--train.log_every", "1",
                  "--mc.replicates", "40000"],
                 ["--problem.dim", "60", "--data.n", "200", "--train.algorithm", "sgd", "--train.steps", "100",
                  "--bounds.terminal", "--mc.replicates", "300"]):
        memory, output = estimates(run([sdegen, "run"] + args + ["--dry-run", "-o", "out.h5"], work).stdout)
        rss, seconds = measured([sdegen, "run"] + args + ["-q", "-o", "out.h5", "--output.overwrite"], work)
        size = os.path.getsize(os.path.join(work, "out.h5"))
        print("    memory: estimated %.1f MiB, measured %.1f MiB; file: estimated %.0f KiB, written %.0f KiB (%.1f s)"
              % (memory / 2 ** 20, rss / 2 ** 20, output / 1024, size / 1024, seconds))
        if not rss <= memory <= 3 * rss:
            fail("the memory estimate is not within [1, 3] x the measured max RSS")
        if not size <= output <= 1.3 * size:
            fail("the output estimate is not within [1, 1.3] x the written size")
    shutil.rmtree(work)
    print("run plan: all checks passed")


if __name__ == "__main__":
    main(sys.argv)
