#!/usr/bin/python3
# End-to-end check of checkpoint and resume: runs interrupted by SIGTERM, by SIGUSR1 under mpiexec,
# by Ctrl-C (SIGINT to the process group) alone and under mpiexec, by SIGHUP, and by SIGKILL after a
# periodic checkpoint resume to files equal to an uninterrupted run (saying what they restored); a
# run under nohup goes on through SIGHUP; a second run on the same output is refused while the
# first runs; a checkpoint is never dropped silently (no --resume) nor accepted when its saved
# state was changed (checksum).
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rank_invariance import compare_files  # noqa: E402

# About 10 s at one rank: long enough to interrupt midway. The supersample bounds' integer tables
# ride on one block per jackknife group and rank, and their nested design reduces whole blocks:
# a resumed run must rebuild both exactly.
RUN = ["--problem.dim", "5", "--data.n", "100 200", "--train.algorithm", "sgd sde", "--train.steps", "300",
       "--mc.replicates", "3000", "--bounds.trajectory", "--bounds.terminal", "--bounds.supersample",
       "--bounds.supersample_masks", "4", "-q", "-o", "out.h5", "--output.checkpoint_every", "0.3"]
EXIT_CHECKPOINTED = 75


def fail(message):
    sys.exit("FAIL: " + message)


def interrupt(command, cwd, sig, while_running=None, group=False, stderr_out=None, ignored=None):
    """Starts command (with the signal `ignored` ignored, as nohup does), waits for its first
    checkpoint part, calls while_running(process) if given, sends sig (to its process group when
    `group`, as Ctrl-C on a terminal does); returns the exit code (and appends stderr to the list
    `stderr_out`)."""
    print("  $", " ".join(shlex.quote(c) for c in command), " <- signal", sig.name)
    ignore = (lambda: signal.signal(ignored, signal.SIG_IGN)) if ignored is not None else None
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, preexec_fn=ignore)
    directory = os.path.join(cwd, "out.h5.checkpoint")
    deadline = time.time() + 120
    while not (os.path.isdir(directory) and any(f.endswith(".h5") for f in os.listdir(directory))):
        if process.poll() is not None:
            fail("the run ended (code %s) before its first checkpoint: %s" % (process.returncode, process.stderr.read()))
        if time.time() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            fail("no checkpoint within 120 s")
        time.sleep(0.05)
    time.sleep(0.5)
    if process.poll() is not None:
        fail("the run finished before it could be interrupted; make RUN longer")
    if while_running is not None:
        while_running(process)
        if process.poll() is not None:
            fail("the run finished before it could be interrupted; make RUN longer")
    if sig == signal.SIGKILL or group:
        os.killpg(process.pid, sig)
    else:
        os.kill(process.pid, sig)
    try:
        _, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        fail("the run did not stop within 120 s of the signal (hang)")
    if stderr_out is not None:
        stderr_out.append(stderr)
    return process.returncode


def run(command, cwd, expect):
    print("  $", " ".join(shlex.quote(c) for c in command))
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode != expect:
        fail("exit code %d, expected %d; stderr: %s" % (done.returncode, expect, done.stderr))
    return done


def resumed_equals(reference, cwd, launcher, sdegen, extra=()):
    run(launcher + [sdegen, "run"] + RUN + list(extra) + ["--resume"], cwd, 0)
    if os.path.exists(os.path.join(cwd, "out.h5.checkpoint")):
        fail("the checkpoint was not removed after the run completed")
    differences = compare_files(reference, os.path.join(cwd, "out.h5"))
    if differences:
        fail("resumed file differs from the uninterrupted run:\n  " + "\n  ".join(differences[:5]))


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR" % argv[0])
    sdegen, mpiexec, scratch = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3]
    os.makedirs(scratch, exist_ok=True)
    work = tempfile.mkdtemp(prefix="checkpoint_", dir=scratch)
    cases = {name: os.path.join(work, name) for name in ("full", "term", "usr1", "kill", "bad", "int", "hup", "nohup",
                                                           "mpi_int")}
    for path in cases.values():
        os.makedirs(path)

    print("uninterrupted reference run")
    run([sdegen, "run"] + RUN, cases["full"], 0)
    reference = os.path.join(cases["full"], "out.h5")

    print("1. SIGTERM at one rank: exit 75, a checkpoint, no results file; --resume completes it")

    def second_run_is_refused(first):
        done = run([sdegen, "run"] + RUN, cases["term"], 2)
        if "in use by another sdegen run (pid %d on host" % first.pid not in done.stderr:
            fail("a second run on the same output does not name the first: " + done.stderr)
        print("  a second run on the same output: exit 2: " + done.stderr.strip())

    code = interrupt([sdegen, "run"] + RUN, cases["term"], signal.SIGTERM, second_run_is_refused)
    if code != EXIT_CHECKPOINTED:
        fail("exit code %d after SIGTERM, expected %d" % (code, EXIT_CHECKPOINTED))
    if os.path.exists(os.path.join(cases["term"], "out.h5")):
        fail("an interrupted run left a results file")
    parts = sorted(os.listdir(os.path.join(cases["term"], "out.h5.checkpoint")))
    done = run([sdegen, "run"] + RUN, cases["term"], 2)
    if "--resume" not in done.stderr or "output.overwrite" not in done.stderr:
        fail("a run without --resume over a checkpoint: unclear message: " + done.stderr)
    if sorted(os.listdir(os.path.join(cases["term"], "out.h5.checkpoint"))) != parts:
        fail("a run without --resume changed the checkpoint")
    resumed_equals(reference, cases["term"], [], sdegen)

    print("2. SIGUSR1 to mpiexec -np 2 (Slurm's warning signal): exit 75; resumed at 3 ranks")
    code = interrupt(mpiexec + ["2", sdegen, "run"] + RUN, cases["usr1"], signal.SIGUSR1)
    if code != EXIT_CHECKPOINTED:
        fail("exit code %d after SIGUSR1 under mpiexec, expected %d" % (code, EXIT_CHECKPOINTED))
    resumed_equals(reference, cases["usr1"], mpiexec + ["3"], sdegen)

    print("3. SIGKILL after a periodic checkpoint: the last checkpoint survives")
    interrupt([sdegen, "run"] + RUN, cases["kill"], signal.SIGKILL)
    resumed_equals(reference, cases["kill"], [], sdegen)

    print("4a. Ctrl-C (SIGINT to the process group) at one rank: exit 75 and a checkpoint, not a kill")
    messages = []
    code = interrupt([sdegen, "run"] + RUN, cases["int"], signal.SIGINT, group=True, stderr_out=messages)
    if code != EXIT_CHECKPOINTED:
        fail("exit code %d after Ctrl-C, expected %d: %s" % (code, EXIT_CHECKPOINTED, messages[0]))
    if "checkpoint in" not in messages[0]:
        fail("no word of the checkpoint after Ctrl-C: " + messages[0])
    resumed = run([sdegen, "run"] + [a for a in RUN if a != "-q"] + ["--resume"], cases["int"], 0)  # not quiet
    if "restored" not in resumed.stderr:
        fail("a resumed run does not say how much it restored: " + resumed.stderr)
    print("  " + next(line for line in resumed.stderr.splitlines() if "restored" in line))
    differences = compare_files(reference, os.path.join(cases["int"], "out.h5"))
    if differences:
        fail("resumed file differs from the uninterrupted run:\n  " + "\n  ".join(differences[:5]))

    print("4b. SIGHUP (the terminal went away) at one rank: exit 75 and a checkpoint")
    code = interrupt([sdegen, "run"] + RUN, cases["hup"], signal.SIGHUP)
    if code != EXIT_CHECKPOINTED:
        fail("exit code %d after SIGHUP, expected %d" % (code, EXIT_CHECKPOINTED))
    resumed_equals(reference, cases["hup"], [], sdegen)

    print("4b'. SIGHUP to a run started under nohup (SIGHUP ignored): it goes on and completes")
    code = interrupt([sdegen, "run"] + RUN, cases["nohup"], signal.SIGHUP, ignored=signal.SIGHUP)
    if code != 0:
        fail("exit code %d after SIGHUP with SIGHUP ignored, expected 0" % code)
    if os.path.exists(os.path.join(cases["nohup"], "out.h5.checkpoint")):
        fail("the checkpoint was not removed after the run completed")
    differences = compare_files(reference, os.path.join(cases["nohup"], "out.h5"))
    if differences:
        fail("the run under nohup differs from the reference:\n  " + "\n  ".join(differences[:5]))

    print("4c. Ctrl-C to mpiexec -np 2 (its process group): every rank checkpoints; resumed at 1 rank")
    messages = []
    code = interrupt(mpiexec + ["2", sdegen, "run"] + RUN, cases["mpi_int"], signal.SIGINT, group=True,
                     stderr_out=messages)
    if code == 0:
        fail("the run under mpiexec ended with 0 after Ctrl-C")
    parts = sorted(os.listdir(os.path.join(cases["mpi_int"], "out.h5.checkpoint")))
    if parts != ["rank-0.h5", "rank-1.h5"] or "checkpoint in" not in messages[0]:
        fail("after Ctrl-C under mpiexec: parts %s; stderr: %s" % (parts, messages[0]))
    print("  mpiexec exited with %d (its own code); checkpoint parts %s" % (code, parts))
    resumed_equals(reference, cases["mpi_int"], [], sdegen)

    print("5. a checkpoint of another run, a damaged one, or none: exit 2 naming it")
    interrupt([sdegen, "run"] + RUN, cases["bad"], signal.SIGTERM)
    done = run([sdegen, "run"] + RUN + ["--mc.seed", "7", "--resume"], cases["bad"], 2)
    if "another run" not in done.stderr or done.stderr.count("error") != 1:
        fail("mismatched checkpoint: unclear message: " + done.stderr)
    part = os.path.join(cases["bad"], "out.h5.checkpoint", "rank-0.h5")
    with h5py.File(part, "r") as f:  # where the saved doubles are in the file
        offset, size = f["states"].id.get_offset(), f["states"].id.get_storage_size()
    with open(part, "rb") as f:
        data = f.read()
    flipped = bytearray(data)
    for k in range(3):
        flipped[offset + size // 2 + 8 * k] ^= 0x10
    with open(part, "wb") as f:
        f.write(flipped)
    done = run([sdegen, "run"] + RUN + ["--resume"], cases["bad"], 2)
    if "rank-0.h5" not in done.stderr or "checksum" not in done.stderr:
        fail("corrupted checkpoint: the message does not name the file and the checksum: " + done.stderr)
    if not os.path.exists(part):
        fail("corrupted checkpoint: the checkpoint was deleted")
    with open(part, "wb") as f:
        f.write(data[: len(data) // 3])
    done = run([sdegen, "run"] + RUN + ["--resume"], cases["bad"], 2)
    if "rank-0.h5" not in done.stderr:
        fail("damaged checkpoint: the message does not name the file: " + done.stderr)
    shutil.rmtree(os.path.join(cases["bad"], "out.h5.checkpoint"))
    done = run([sdegen, "run"] + RUN + ["--resume"], cases["bad"], 2)
    if "no checkpoint" not in done.stderr:
        fail("missing checkpoint: unclear message: " + done.stderr)
    print("checkpoint and resume: all checks passed")


if __name__ == "__main__":
    main(sys.argv)
