# End-to-end check that sdegen rejects bad input cleanly at 1 and 2 MPI ranks:
# usage: /usr/bin/python3 check_bad_input.py SDEGEN "MPIEXEC ... -np" SCRATCH_DIR
"""Runs sdegen with bad options, config files and output paths, directly and under mpiexec -np 2.

Each bad run must, within 60 s (longer counts as a hang): exit with status exactly 2; print one
error message (once, not once per rank) that names the offending option or file; and leave
neither the output file nor a temporary `*.tmp*` file behind. An existing output file must survive
a run without --output.overwrite unchanged, and be replaced by a run with it. Unknown commands
exit 2; --version and the help texts exit 0 and print something (once).

Also: integers beyond an option's maximum (no 32-bit wrap-around), reals that would overflow later,
cross-option limits, runs estimated to need more memory than a rank may use (also with --dry-run),
duplicate sweep values, -o against --output.file, a directory or a file with
a NUL byte as the config file; a pipe or directory as the output even with --output.overwrite; an
output locked by another process; a checkpoint of an earlier run without --resume; output names too
long for their derived names; warnings for options without effect (once, exit 0); and the
clean-up of temporaries left by dead runs (never a live process's).
"""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import fcntl
import stat
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_results_file import CheckFailure, check_results_file  # noqa: E402

TIMEOUT = 60
USAGE_ERROR = 2
# Tiny settings so that a bad input that slipped through still finishes fast; a case overrides them.
TINY = {"--mc.replicates": "4", "--train.steps": "5", "--data.n": "20", "--problem.dim": "2"}
EXISTING_CONTENT = b"an existing file that sdegen must not touch without --output.overwrite\n"

failures = []


def note_failure(message):
    failures.append(message)
    print("    FAIL: %s" % message)


def session_members(session):
    """Process ids in session `session` (the ranks mpiexec starts get process groups of their own)."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == session:
                    members.append(int(entry))
            except OSError:
                pass
    return members


def kill_session(proc):
    """Ends a hung run: SIGTERM (mpiexec passes it on to the ranks), then SIGKILL to what is left."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in session_members(proc.pid):
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if not session_members(proc.pid):
            return


def run(command, cwd, timeout=None):
    """(exit status, stdout, stderr); exit status None on a timeout (the whole session is killed)."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT if timeout is None else timeout)
    except subprocess.TimeoutExpired:
        kill_session(proc)
        out, err = proc.communicate()
        return None, out.decode(errors="replace"), err.decode(errors="replace")
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def message_lines(stderr):
    """Non-blank stderr lines, without Open MPI's own boxed reports (between lines of dashes)."""
    lines, in_box = [], False
    for line in stderr.splitlines():
        if re.fullmatch(r"-{10,}", line.strip()):
            in_box = not in_box
            continue
        if not in_box and line.strip():
            lines.append(line.rstrip())
    return lines


def launcher(mpiexec, ranks, sdegen):
    return [sdegen] if ranks == 1 else mpiexec + [str(ranks), sdegen]


def describe(command):
    return " ".join(shlex.quote(c) for c in command)


def check_usage_error(label, command, cwd, needles, output=None, forbid_output=True):
    """Runs `command`; requires exit 2, one message naming every needle, and no files left behind."""
    print("  %s\n    $ %s" % (label, describe(command)))
    status, _, stderr = run(command, cwd)
    lines = message_lines(stderr)
    shown = "\n      ".join(lines) if lines else "(nothing)"
    if status is None:
        note_failure("%s: no exit within %d s (hang); stderr:\n      %s" % (label, TIMEOUT, shown))
    elif status != USAGE_ERROR:
        note_failure("%s: exit status %d, expected %d; stderr:\n      %s" % (label, status, USAGE_ERROR, shown))
    for needle in needles:
        hits = [line for line in lines if needle in line]
        if not hits:
            note_failure("%s: stderr does not name %r:\n      %s" % (label, needle, shown))
        elif len(hits) > 1:
            note_failure("%s: the message naming %r appears %d times (once per rank?):\n      %s"
                         % (label, needle, len(hits), shown))
    repeated = sorted({line for line in lines if lines.count(line) > 1})
    if repeated:
        note_failure("%s: stderr repeats lines %s" % (label, repeated))
    if status is not None and status == USAGE_ERROR and lines:
        print("    ok: exit 2: %s" % lines[0])
    if output is not None:
        if forbid_output and os.path.lexists(output):
            note_failure("%s: output file %s exists after the failed run" % (label, output))
        directory = os.path.dirname(output)
        if os.path.isdir(directory):
            leftovers = [name for name in os.listdir(directory) if ".tmp" in name]
            if leftovers:
                note_failure("%s: temporary files left in %s: %s" % (label, directory, leftovers))


def options(overrides=None, extra=()):
    settings = dict(TINY)
    settings.update(overrides or {})
    args = []
    for key, value in settings.items():
        args += [key, value]
    return args + list(extra)


def check_runs(label, command, cwd):
    """Runs `command`, which must succeed; returns its message lines (stderr)."""
    print("  %s\n    $ %s" % (label, describe(command)))
    status, _, stderr = run(command, cwd)
    lines = message_lines(stderr)
    if status != 0:
        note_failure("%s: exit status %s, expected 0; stderr:\n      %s" % (label, status, "\n      ".join(lines)))
    return lines


def dead_pid():
    """A process id that no live process has."""
    pid = 4000000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def check_output_files(sdegen, mpiexec, ranks, workdir):
    """Outputs that are not regular files, locked outputs, checkpoints, long names, stale temporaries."""
    tag = "[np=%d]" % ranks
    def command(overrides=None):
        return launcher(mpiexec, ranks, sdegen) + ["run"] + options(overrides) + ["-q"]
    base = command()

    # A pipe (as /dev/null would be) and a directory are never replaced, even with --output.overwrite;
    # the directory is refused before a long computation, not after it.
    rundir = os.path.join(workdir, "np%d_not_regular" % ranks)
    os.mkdir(rundir)
    fifo = os.path.join(rundir, "pipe.h5")
    os.mkfifo(fifo)
    check_usage_error("a pipe as the output with --output.overwrite %s" % tag,
                      base + ["--output.overwrite", "-o", fifo], rundir, [fifo, "regular file"], fifo,
                      forbid_output=False)
    if not stat.S_ISFIFO(os.lstat(fifo).st_mode):
        note_failure("a pipe as the output %s: %s was replaced" % (tag, fifo))
    directory = os.path.join(rundir, "dir.h5")
    os.mkdir(directory)
    check_usage_error("a directory as the output with --output.overwrite %s" % tag,
                      command({"--mc.replicates": "1000000"}) + ["--output.overwrite", "-o", directory], rundir,
                      [directory, "directory"], directory, forbid_output=False)

    # An output locked by another process (here this script, in the role of a running sdegen).
    rundir = os.path.join(workdir, "np%d_locked" % ranks)
    os.mkdir(rundir)
    output = os.path.join(rundir, "out.h5")
    holder = "pid 4242 on host elsewhere, since 2000-01-01T00:00:00Z\n"
    lock = os.open(output + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(lock, holder.encode())
        check_usage_error("an output locked by another run %s" % tag, base + ["-o", output], rundir,
                          [output, "pid 4242 on host elsewhere"], output)
        with open(output + ".lock") as f:
            if f.read() != holder:
                note_failure("an output locked by another run %s: the other run's lock file was changed" % tag)
    finally:
        os.close(lock)
    os.remove(output + ".lock")

    # A checkpoint of an earlier run: kept and refused without --resume, discarded with --output.overwrite.
    rundir = os.path.join(workdir, "np%d_checkpoint" % ranks)
    os.mkdir(rundir)
    output = os.path.join(rundir, "out.h5")
    part = os.path.join(output + ".checkpoint", "rank-0.h5")
    os.mkdir(output + ".checkpoint")
    with open(part, "w") as f:
        f.write("a checkpoint\n")
    check_usage_error("a checkpoint exists, no --resume %s" % tag, base + ["-o", output], rundir,
                      ["--resume", "output.overwrite"], output)
    if not os.path.isfile(part):
        note_failure("a checkpoint exists, no --resume %s: the checkpoint was deleted" % tag)
    lines = check_runs("a checkpoint exists, --output.overwrite %s" % tag, base + ["--output.overwrite", "-o", output],
                       rundir)
    if os.path.exists(output + ".checkpoint") or not any("discarded" in line for line in lines):
        note_failure("a checkpoint exists, --output.overwrite %s: not discarded with a note: %s" % (tag, lines))

    # Output names: every derived name (<name>.checkpoint is the longest) must fit NAME_MAX.
    rundir = os.path.join(workdir, "np%d_long_names" % ranks)
    os.mkdir(rundir)
    longest = os.pathconf(rundir, "PC_NAME_MAX") - len(".checkpoint")
    for length in (longest + 1, longest + 11):
        output = os.path.join(rundir, "n" * (length - 3) + ".h5")
        check_usage_error("an output name of %d bytes %s" % (length, tag), base + ["-o", output], rundir,
                          ["output.file", "longest output name accepted there is %d bytes" % longest], output)
    # The longest accepted name works, checkpoints included (one after every block).
    output = os.path.join(rundir, "n" * (longest - 3) + ".h5")
    check_runs("an output name of %d bytes, checkpointing %s" % (longest, tag),
               command({"--mc.replicates": "64", "--mc.block": "8", "--output.checkpoint_every": "1e-9"}) + ["-o", output],
               rundir)
    if not os.path.isfile(output) or [n for n in os.listdir(rundir) if n != os.path.basename(output)]:
        note_failure("an output name of %d bytes %s: files left: %s" % (longest, tag, os.listdir(rundir)))

    # Temporaries of a dead run are removed; a live process's is kept.
    rundir = os.path.join(workdir, "np%d_stale" % ranks)
    os.mkdir(rundir)
    output = os.path.join(rundir, "out.h5")
    dead, live = "%s.tmp%d" % (output, dead_pid()), "%s.tmp%d" % (output, os.getpid())
    for name in (dead, live):
        with open(name, "w") as f:
            f.write("a temporary\n")
        os.utime(name, (time.time() - 3600, time.time() - 3600))
    check_runs("temporaries of a dead and of a live process %s" % tag, base + ["-o", output], rundir)
    if os.path.exists(dead):
        note_failure("temporaries %s: %s of a dead process was not removed" % (tag, dead))
    if not os.path.exists(live):
        note_failure("temporaries %s: %s of a live process was removed" % (tag, live))
    os.remove(live)

    # Options without effect: one warning each, on rank 0 only, and the run goes ahead.
    rundir = os.path.join(workdir, "np%d_no_effect" % ranks)
    os.mkdir(rundir)
    lines = check_runs("options without effect %s" % tag,
                       base + ["--train.algorithm", "sgd", "--bounds.stationary_steps", "5", "--train.substeps", "3",
                               "--train.lr_decay", "0.5", "-o", os.path.join(rundir, "out.h5")], rundir)
    for option in ("bounds.stationary_steps", "train.substeps", "train.lr_decay"):
        hits = [line for line in lines if "warning" in line and option in line]
        if len(hits) != 1:
            note_failure("options without effect %s: %d warnings naming %s: %s" % (tag, len(hits), option, lines))


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR\n" % argv[0])
        return 2
    sdegen, mpiexec, scratch = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3]
    if not os.access(sdegen, os.X_OK):
        sys.stderr.write("FAIL: sdegen binary %s is not executable\n" % sdegen)
        return 1
    os.makedirs(scratch, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="bad_input_", dir=scratch)
    bad_ini = os.path.join(workdir, "bad_key.ini")
    with open(bad_ini, "w") as ini:
        ini.write("[train]\nbogus = 3\n")
    missing_ini = os.path.join(workdir, "no_such_config.ini")
    config_dir = os.path.join(workdir, "config_dir.ini")
    os.mkdir(config_dir)
    nul_ini = os.path.join(workdir, "nul.ini")
    with open(nul_ini, "wb") as ini:
        ini.write(b"[train]\nlr = 0.1\0junk\n")

    # (name, arguments after `run`, text the message must contain); "{out}" is the output file.
    cases = [
        ("unknown option", options(extra=["--bogus.key", "1"]), ["bogus.key"]),
        ("unknown problem", options({"--problem.name": "nosuch"}), ["problem.name"]),
        ("batch larger than n", options({"--data.n": "10", "--train.batch": "20"}), ["train.batch"]),
        ("zero learning rate", options({"--train.lr": "0"}), ["train.lr"]),
        ("negative learning rate", options({"--train.lr": "-1"}), ["train.lr"]),
        ("zero replicates", options({"--mc.replicates": "0"}), ["mc.replicates"]),
        ("zero training-set size", options({"--data.n": "0"}), ["data.n"]),
        ("zero steps", options({"--train.steps": "0"}), ["train.steps"]),
        ("learning rate not a number", options({"--train.lr": "abc"}), ["train.lr"]),
        ("list for a non-sweepable option", options({"--mc.replicates": "1 2"}), ["mc.replicates"]),
        ("unknown key in a config file", [bad_ini] + options(), ["bogus", bad_ini]),
        ("missing config file", [missing_ini] + options(), [missing_ini]),
        ("missing config file (--config)", ["--config", missing_ini] + options(), [missing_ini]),
        # Integers that wrapped at 32 bits (2^32 + 5 ran 5 replicates), and reals that overflowed later.
        ("replicates 2^32 + 5", options({"--mc.replicates": "4294967301"}), ["mc.replicates"]),
        ("replicates 3e9", options({"--mc.replicates": "3000000000"}), ["mc.replicates"]),
        ("n 2^32 + 50", options({"--data.n": "4294967346"}), ["data.n"]),
        ("steps 2^32 + 5", options({"--train.steps": "4294967301"}), ["train.steps"]),
        ("dim 2^32 + 2", options({"--problem.dim": "4294967298"}), ["problem.dim"]),
        ("batch 2^32 + 5", options({"--train.batch": "4294967301"}), ["train.batch"]),
        ("log_every 2^32 + 1", options({"--train.log_every": "4294967297"}), ["train.log_every"]),
        ("negrea_m 2^32 + 5", options(extra=["--bounds.terminal", "--bounds.negrea_m", "4294967301"]),
         ["bounds.negrea_m"]),
        ("cells 0/(2^32 + 1)", options(extra=["--cells", "0/4294967297"]), ["--cells"]),
        ("noise 1e160", options({"--problem.noise": "1e160"}), ["problem.noise"]),
        ("clip 1e308", options({"--problem.clip": "1e308"}), ["problem.clip"]),
        ("learning rate 1e200", options({"--train.lr": "1e200"}), ["train.lr"]),
        ("n x d beyond 1e8", options({"--data.n": "20000", "--problem.dim": "10000"}), ["data.n", "problem.dim"]),
        ("steps / log_every beyond 1e6", options({"--train.steps": "100000000", "--train.log_every": "1"}),
         ["train.log_every"]),
        # Memory: d x d matrices of the terminal analysis at d = 1e5 (allowed by bounds.max_dense_dim)
        # exceed any machine; a limit set with output.max_memory below what the default experiment
        # needs (the estimate, not a crash).
        ("memory beyond the machine", options({"--problem.dim": "100000", "--data.n": "10", "--train.batch": "2"},
                                              extra=["--bounds.terminal", "--bounds.max_dense_dim", "100000"]),
         ["memory", "problem.dim", "output.max_memory", "--cells"]),
        ("memory beyond output.max_memory", ["--output.max_memory", "0.01", "--mc.replicates", "4"],
         ["memory", "output.max_memory"]),
        ("memory beyond output.max_memory (--dry-run)", ["--output.max_memory", "0.01", "--dry-run"],
         ["memory", "output.max_memory"]),
        ("learning rate decays to 0", options(extra=["--train.lr_schedule", "step", "--train.lr_decay", "1e-300",
                                                     "--train.lr_decay_every", "1"]), ["train.lr_decay"]),
        # Duplicate sweep values make identical cells and break the sgd-sde pairing.
        ("duplicate lr", options({"--train.lr": "0.1 0.1"}), ["train.lr"]),
        ("duplicate lr as numbers", options({"--train.lr": "0.1 1e-1"}), ["train.lr"]),
        ("duplicate n", options({"--data.n": "50 50"}), ["data.n"]),
        ("-o against --output.file", options(extra=["--output.file", "other.h5"]), ["output.file", "other.h5"]),
        ("a directory as the config file", [config_dir] + options(), [config_dir]),
        ("a NUL byte in the config file", [nul_ini] + options(), [nul_ini, "NUL"]),
    ]
    for ranks in (1, 2):
        print("bad input at %d rank(s)%s" % (ranks, "" if ranks == 1 else " (under mpiexec)"))
        for index, (name, args, needles) in enumerate(cases):
            rundir = os.path.join(workdir, "np%d_case%02d" % (ranks, index))
            os.mkdir(rundir)
            output = os.path.join(rundir, "out.h5")
            command = launcher(mpiexec, ranks, sdegen) + ["run"] + args + ["-q", "-o", output]
            check_usage_error("%s [np=%d]" % (name, ranks), command, rundir, needles, output)

        # An output file in a directory that does not exist.
        rundir = os.path.join(workdir, "np%d_nodir" % ranks)
        os.mkdir(rundir)
        output = os.path.join(rundir, "nodir", "x.h5")
        command = launcher(mpiexec, ranks, sdegen) + ["run"] + options() + ["-q", "-o", output]
        check_usage_error("output directory does not exist [np=%d]" % ranks, command, rundir, [output], output)
        if os.path.lexists(os.path.dirname(output)):
            note_failure("output directory does not exist [np=%d]: %s was created" % (ranks, os.path.dirname(output)))
        leftovers = [name for name in os.listdir(rundir) if ".tmp" in name]
        if leftovers:
            note_failure("output directory does not exist [np=%d]: temporary files in %s: %s" % (ranks, rundir, leftovers))

        # An existing output file: kept without --output.overwrite, replaced with it.
        rundir = os.path.join(workdir, "np%d_existing" % ranks)
        os.mkdir(rundir)
        output = os.path.join(rundir, "existing.h5")
        with open(output, "wb") as existing:
            existing.write(EXISTING_CONTENT)
        label = "existing output file without --output.overwrite [np=%d]" % ranks
        command = launcher(mpiexec, ranks, sdegen) + ["run"] + options() + ["-q", "-o", output]
        check_usage_error(label, command, rundir, [output], output, forbid_output=False)
        if not os.path.isfile(output):
            note_failure("%s: the existing file %s was removed" % (label, output))
        else:
            with open(output, "rb") as existing:
                if existing.read() != EXISTING_CONTENT:
                    note_failure("%s: the existing file %s was changed" % (label, output))
        label = "existing output file with --output.overwrite [np=%d]" % ranks
        command = launcher(mpiexec, ranks, sdegen) + ["run"] + options() + ["-q", "--output.overwrite", "-o", output]
        print("  %s\n    $ %s" % (label, describe(command)))
        status, _, stderr = run(command, rundir)
        if status != 0:
            note_failure("%s: exit status %s, expected 0; stderr:\n      %s"
                         % (label, status, "\n      ".join(message_lines(stderr))))
        else:
            try:
                check_results_file(output)
                print("    ok: exit 0, the file was replaced by a valid results file")
            except CheckFailure as failure:
                note_failure("%s: the replaced file is not a valid results file: %s" % (label, failure))
        leftovers = [name for name in os.listdir(rundir) if ".tmp" in name]
        if leftovers:
            note_failure("%s: temporary files left in %s: %s" % (label, rundir, leftovers))

        check_output_files(sdegen, mpiexec, ranks, workdir)

        # Commands other than `run`.
        check_usage_error("unknown command [np=%d]" % ranks,
                          launcher(mpiexec, ranks, sdegen) + ["frobnicate"], workdir, ["frobnicate"])
        for args in (["--version"], ["run", "--help"], ["--help"]):
            label = "sdegen %s [np=%d]" % (" ".join(args), ranks)
            command = launcher(mpiexec, ranks, sdegen) + args
            print("  %s\n    $ %s" % (label, describe(command)))
            status, stdout, stderr = run(command, workdir)
            if status != 0:
                note_failure("%s: exit status %s, expected 0; stderr:\n      %s"
                             % (label, status, "\n      ".join(message_lines(stderr))))
            elif not stdout.strip():
                note_failure("%s: printed nothing on stdout" % label)
            elif ranks > 1:
                reference = run([sdegen] + args, workdir)[1]
                if stdout != reference:
                    note_failure("%s: stdout differs from the single-process run (printed once per rank?):\n%s"
                                 % (label, stdout))
                else:
                    print("    ok: exit 0, same text as without mpiexec (%d lines)" % len(stdout.splitlines()))
            else:
                print("    ok: exit 0: %s" % stdout.strip().splitlines()[0])

    if failures:
        sys.stderr.write("FAIL: %d bad-input check(s) failed (files kept in %s):\n  %s\n"
                         % (len(failures), workdir, "\n  ".join(f.replace("\n", "\n  ") for f in failures)))
        return 1
    shutil.rmtree(workdir)
    print("bad input: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
