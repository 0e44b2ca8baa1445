#!/usr/bin/python3
# End-to-end check of the progress report: rewritten in place (carriage returns) on a terminal, also
# behind mpiexec; one line per interval in a log; the interval from output.progress_every; a closing
# line that includes the time the results file took; nothing with -q.
import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

# About 3 s at one rank.
RUN = ["--data.n", "50 100 200", "--train.algorithm", "sgd", "--mc.replicates", "6000", "--output.progress_every",
       "0.3", "-o", "out.h5", "--output.overwrite"]


def fail(message):
    sys.exit("FAIL: " + message)


def on_terminal(command, cwd):
    """Runs command with stderr on a pseudo-terminal; returns (exit code, what it wrote there)."""
    print("  $", " ".join(shlex.quote(c) for c in command), "2> (a terminal)")
    master, slave = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    written = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the last writer
            break
        if not chunk:
            break
        written += chunk
    os.close(master)
    return process.wait(timeout=300), written.decode(errors="replace").replace("\r\n", "\n")


def in_a_log(command, cwd):
    print("  $", " ".join(shlex.quote(c) for c in command), "2> (a file)")
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
    return done.returncode, done.stderr


def check_in_place(label, code, text):
    if code != 0:
        fail("%s: exit code %d: %s" % (label, code, text))
    updates = text.count("\rprogress:")
    if updates < 3:
        fail("%s: %d progress updates in place, expected several: %r" % (label, updates, text))
    if re.search(r"\nprogress:", text):
        fail("%s: a progress update on a new line instead of in place: %r" % (label, text))
    if not re.search(r"\rprogress: 100%[^\r\n]*\ndone:", text):
        fail("%s: the last update (100%%) is not ended by a newline before the closing line: %r" % (label, text))
    print("    ok: %d updates rewritten in place, then: %s" % (updates, closing_line(label, text)))


def closing_line(label, text):
    done = [line for line in text.splitlines() if line.startswith("done:")]
    if len(done) != 1 or not re.search(r"writing the file [0-9.]+ s", done[0]):
        fail("%s: no closing line with the time the results file took: %r" % (label, text))
    return done[0]


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR" % argv[0])
    sdegen, mpiexec, scratch = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3]
    os.makedirs(scratch, exist_ok=True)
    work = tempfile.mkdtemp(prefix="progress_", dir=scratch)

    print("1. on a terminal: one line rewritten in place")
    code, text = on_terminal([sdegen, "run"] + RUN, work)
    check_in_place("terminal", code, text)

    print("2. on a terminal behind mpiexec -np 2 (the ranks write to a pipe; mpirun to the terminal)")
    code, text = on_terminal(mpiexec + ["2", sdegen, "run"] + RUN, work)
    check_in_place("terminal behind mpiexec", code, text)

    print("3. in a log: one line per interval, no carriage returns")
    code, text = in_a_log([sdegen, "run"] + RUN, work)
    lines = [line for line in text.splitlines() if line.startswith("progress:")]
    if code != 0 or "\r" in text or len(lines) < 3:
        fail("log: exit %d, %d progress lines, carriage returns: %s: %r" % (code, len(lines), "\r" in text, text))
    elapsed = float(re.search(r"done: .* in ([0-9.]+) s", text).group(1))
    if len(lines) > elapsed / 0.3 + 2:
        fail("log: %d progress lines in %.1f s, more than one per 0.3 s interval" % (len(lines), elapsed))
    print("    ok: %d lines in %.1f s, e.g. %s; then %s" % (len(lines), elapsed, lines[0], closing_line("log", text)))

    print("4. -q: no progress and no closing line")
    code, text = in_a_log([sdegen, "run"] + RUN + ["-q"], work)
    if code != 0 or "progress" in text or "done:" in text:
        fail("-q: exit %d, stderr %r" % (code, text))
    shutil.rmtree(work)
    print("progress: all checks passed")


if __name__ == "__main__":
    main(sys.argv)
