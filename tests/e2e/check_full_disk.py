#!/usr/bin/python3
# End-to-end check of runs on a full disk, on a small tmpfs mounted for the test (skipped, saying
# why, where mounting is not allowed): a too small file system is refused before any work; a
# checkpoint that does not fit warns and the run goes on; a results file that does not fit leaves
# the results in a checkpoint from which --resume writes the file; one clear message each time.
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import h5py

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_rank_invariance import compare_files  # noqa: E402

# About 2 s at one rank, a results file of about 0.8 MB (log_every 1 makes the state large).
RUN = ["--problem.dim", "5", "--data.n", "50", "--train.algorithm", "sgd", "--train.steps", "200",
       "--train.log_every", "1", "--mc.replicates", "6000", "-q"]
# Room for the largest checkpoint (a wave's finished blocks: up to 12 MiB for RUN) next to the
# results file once a filler is removed; every case fills the rest to what it needs.
MOUNT_SIZE = "32m"


def fail(message):
    sys.exit("FAIL: " + message)


def run(command, cwd, expect):
    print("  $", " ".join(shlex.quote(c) for c in command))
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    if done.returncode != expect:
        fail("exit code %d, expected %d; stderr: %s" % (done.returncode, expect, done.stderr))
    return done


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def fill(path, leave):
    """Creates path/filler so that `leave` bytes stay free; returns the filler's name."""
    filler = os.path.join(path, "filler")
    size = free_bytes(path) - leave
    if size > 0:
        with open(filler, "ab") as f:
            os.posix_fallocate(f.fileno(), os.fstat(f.fileno()).st_size, size)
    return filler


class Running:
    """A run whose stderr is collected line by line while it goes on."""

    def __init__(self, command, cwd):
        print("  $", " ".join(shlex.quote(c) for c in command), "&")
        self.process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, start_new_session=True)
        self.lines = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(iter(self.process.stderr.readline, "")))
        self.reader.start()

    def wait_until(self, condition, what, timeout=120):
        deadline = time.time() + timeout
        while not condition():
            if self.process.poll() is not None:
                self.reader.join()
                fail("the run ended (code %s) before %s: %s" % (self.process.returncode, what, "".join(self.lines)))
            if time.time() > deadline:
                os.killpg(self.process.pid, signal.SIGKILL)
                fail("no %s within %d s" % (what, timeout))
            time.sleep(0.02)

    def finish(self):
        try:
            self.process.wait(timeout=300)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            fail("the run did not finish (hang)")
        self.reader.join()
        return self.process.returncode, "".join(self.lines)


def without_output_section(config):
    kept, section = [], ""
    for line in config.splitlines():
        if line.startswith("["):
            section = line
        if section != "[output]":
            kept.append(line)
    return kept


def same_results(reference, other):
    """compare_files, but the config may differ in [output] (file name, checkpoint interval)."""
    differences = [d for d in compare_files(reference, other) if not d.startswith("attribute /@config differs")]
    with h5py.File(reference) as a, h5py.File(other) as b:
        config_a, config_b = (f.attrs["config"] for f in (a, b))
        config_a, config_b = (c.decode() if isinstance(c, bytes) else c for c in (config_a, config_b))
        if without_output_section(config_a) != without_output_section(config_b):
            differences.append("the configs differ beyond [output]")
    if differences:
        fail("%s differs from the reference:\n  %s" % (other, "\n  ".join(differences[:5])))


def no_diagnostics(stderr):
    if "HDF5-DIAG" in stderr or "#000" in stderr:
        fail("HDF5's error stack was printed:\n" + stderr)


def no_temporaries(directory):
    for root, _, files in os.walk(directory):
        left = [f for f in files if ".tmp" in f]
        if left:
            fail("temporary files left in %s: %s" % (root, left))


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: %s SDEGEN \"MPIEXEC ... -np\" SCRATCH_DIR" % argv[0])
    sdegen, mpiexec, scratch = os.path.abspath(argv[1]), shlex.split(argv[2]), argv[3]
    os.makedirs(scratch, exist_ok=True)
    work = tempfile.mkdtemp(prefix="full_disk_", dir=scratch)
    disk = os.path.join(work, "disk")
    os.makedirs(disk)
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + MOUNT_SIZE, "tmpfs", disk],
                           capture_output=True, text=True)
    if mount.returncode != 0:
        print("SKIPPED: cannot mount a %s tmpfs to fill (%s); needs root (or CAP_SYS_ADMIN)"
              % (MOUNT_SIZE, (mount.stderr or mount.stdout).strip()))
        shutil.rmtree(work)
        return 0
    try:
        check(sdegen, mpiexec, work, disk)
    finally:
        subprocess.run(["umount", disk])
    shutil.rmtree(work)
    print("full disk: all checks passed")
    return 0


def check(sdegen, mpiexec, work, disk):
    reference_dir = os.path.join(work, "reference")
    os.makedirs(reference_dir)
    print("uninterrupted reference run (on the ordinary disk)")
    run([sdegen, "run"] + RUN + ["-o", "out.h5"], reference_dir, 0)
    reference = os.path.join(reference_dir, "out.h5")
    results_size = os.path.getsize(reference)
    with h5py.File(reference) as f:
        state_size = (f["cells/cell_0000/state"].id.get_storage_size() +
                      f["cells/cell_0000/group_states"].id.get_storage_size())
    print("  results file %d bytes, of which the raw state %d (what a checkpoint of the results holds)"
          % (results_size, state_size))
    output = os.path.join(disk, "out.h5")

    print("1. a file system with less room than the results file: refused before any work (exit 2)")
    filler = fill(disk, results_size // 2)
    done = run([sdegen, "run"] + RUN + ["-o", output], work, 2)
    if "output.file" not in done.stderr or "free" not in done.stderr:
        fail("the refusal does not name option 'output.file' and the free space: " + done.stderr)
    print("  " + done.stderr.strip())
    os.remove(filler)
    if os.listdir(disk):
        fail("the refused run left files: %s" % os.listdir(disk))

    print("2. the disk fills during the run: checkpoints fail with one warning each, the run goes on")
    running = Running([sdegen, "run"] + RUN + ["-o", output, "--output.checkpoint_every", "0.2"], work)
    running.wait_until(lambda: os.path.exists(output + ".lock"), "lock file")
    filler = fill(disk, 0)
    running.wait_until(lambda: any("cannot write checkpoint" in line for line in running.lines), "checkpoint warning")
    os.remove(filler)
    code, stderr = running.finish()
    if code != 0:
        fail("exit code %d after failed checkpoints, expected 0: %s" % (code, stderr))
    warnings = [line for line in stderr.splitlines() if "cannot write checkpoint" in line]
    print("  %d warning(s), e.g.: %s" % (len(warnings), warnings[0]))
    if "No space left on device" not in warnings[0] or "goes on" not in warnings[0]:
        fail("the warning does not say why and that the run goes on: " + warnings[0])
    no_diagnostics(stderr)
    no_temporaries(disk)
    if os.path.exists(output + ".checkpoint"):
        fail("the checkpoint was not removed after the run completed")
    same_results(reference, output)
    os.remove(output)

    print("3. the results file does not fit at the end (2 ranks): exit 1, the results kept in a checkpoint; "
          "--resume writes the file")
    running = Running(mpiexec + ["2", sdegen, "run"] + RUN + ["-o", output, "--output.checkpoint_every", "0"], work)
    running.wait_until(lambda: os.path.exists(output + ".lock"), "lock file")
    filler = fill(disk, (state_size + results_size) // 2)
    code, stderr = running.finish()
    if code != 1:
        fail("exit code %d when the results file does not fit, expected 1: %s" % (code, stderr))
    lines = [line for line in stderr.splitlines() if line.startswith("sdegen")]
    print("  " + "\n  ".join(lines))
    if not any("cannot write the results file" in line and "No space left on device" in line for line in lines):
        fail("no clear message about the results file: " + stderr)
    if not any("--resume" in line for line in lines):
        fail("the message does not say how to write the file: " + stderr)
    no_diagnostics(stderr)
    no_temporaries(disk)
    if os.path.exists(output) or not os.path.isdir(output + ".checkpoint"):
        fail("expected no results file and a checkpoint: %s" % os.listdir(disk))
    os.remove(filler)
    resumed = run([sdegen, "run"] + RUN + ["-o", output, "--resume"], work, 0)
    print("  " + resumed.stderr.strip().replace("\n", "\n  "))
    same_results(reference, output)
    if os.path.exists(output + ".checkpoint"):
        fail("the checkpoint was not removed after --resume wrote the file")
    os.remove(output)

    print("4. neither the results file nor a checkpoint fits: exit 1, one message saying the results are lost")
    running = Running([sdegen, "run"] + RUN + ["-o", output, "--output.checkpoint_every", "0"], work)
    running.wait_until(lambda: os.path.exists(output + ".lock"), "lock file")
    filler = fill(disk, state_size // 2)
    code, stderr = running.finish()
    if code != 1 or "lost" not in stderr:
        fail("exit code %d (expected 1) or no word of the lost results: %s" % (code, stderr))
    print("  " + "\n  ".join(line for line in stderr.splitlines() if line.startswith("sdegen")))
    no_diagnostics(stderr)
    no_temporaries(disk)
    if os.path.exists(output + ".checkpoint"):
        fail("a failed checkpoint left a checkpoint directory without parts (a later run would refuse it)")
    os.remove(filler)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
