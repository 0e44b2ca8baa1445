# Helpers of the end-to-end checks that run sdegen and compare its files: how a check fails, and a
# run that must succeed (a hang or a non-zero exit fails the check with the command's output).
import shlex
import sys

from check_bad_input import run as run_with_timeout


def fail(message):
    sys.stderr.write("FAIL: %s\n" % message)
    sys.exit(1)


def run_sdegen(command, cwd, timeout):
    print("  $ (cd %s && %s)" % (cwd, " ".join(shlex.quote(c) for c in command)))
    status, stdout, stderr = run_with_timeout(command, cwd, timeout)
    if status is None:
        fail("%s did not finish within %d s (hang?)\nstderr:\n%s" % (" ".join(command), timeout, stderr))
    if status != 0:
        fail("%s exited with %d\nstdout:\n%s\nstderr:\n%s" % (" ".join(command), status, stdout, stderr))
