# End-to-end check of jobs/plot_results.py: runs it on a results file, then checks the PNGs it wrote.
# usage: check_pngs.py PLOT_SCRIPT RESULTS.h5 OUTDIR --expect NAME.png... [--absent NAME.png...]
"""Runs the plotting script with this interpreter and checks its figures.

Checks: exit status 0; the printed paths are exactly the expected figures; each expected file is a
PNG (magic bytes) larger than 5 kB; each --absent figure was not written; and the script exits 2
with a message on a file that is not an sdegen results file. Exits 1 on the first failure.
"""

import argparse
import os
import subprocess
import sys

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MIN_BYTES = 5 * 1024


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(script, *args):
    return subprocess.run([sys.executable, script, *args], capture_output=True, text=True, timeout=240)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("script")
    parser.add_argument("results")
    parser.add_argument("outdir")
    parser.add_argument("--expect", nargs="+", required=True, metavar="NAME.png")
    parser.add_argument("--absent", nargs="*", default=[], metavar="NAME.png")
    args = parser.parse_args()

    # A fresh directory: figures left by an earlier run must not pass for new ones.
    os.makedirs(args.outdir, exist_ok=True)
    for name in os.listdir(args.outdir):
        if name.endswith(".png"):
            os.remove(os.path.join(args.outdir, name))

    proc = run(args.script, args.results, "-o", args.outdir)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        fail(f"plot_results.py exited {proc.returncode}")
    printed = sorted(os.path.basename(line) for line in proc.stdout.split())
    if printed != sorted(args.expect):
        fail(f"printed figures {printed}, expected {sorted(args.expect)}")

    for name in args.expect:
        path = os.path.join(args.outdir, name)
        if not os.path.isfile(path):
            fail(f"{path} was not written")
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            magic = f.read(len(PNG_MAGIC))
        if magic != PNG_MAGIC:
            fail(f"{path} is not a PNG file (starts with {magic!r})")
        if size <= MIN_BYTES:
            fail(f"{path} has {size} bytes, at most {MIN_BYTES}: probably an empty figure")
        print(f"ok: {path} ({size} bytes)")
    for name in args.absent:
        path = os.path.join(args.outdir, name)
        if os.path.exists(path):
            fail(f"{path} was written, but the file has nothing to show in it")
        print(f"ok: {name} not written")

    # Not a results file (this script): exit status 2 and a message naming the file.
    proc = run(args.script, os.path.abspath(__file__), "-o", args.outdir)
    if proc.returncode != 2 or os.path.basename(__file__) not in proc.stderr:
        fail(f"on a non-HDF5 file: exit {proc.returncode}, stderr {proc.stderr!r}; expected 2 and the file named")
    print("ok: a file that is not an sdegen results file exits 2")


if __name__ == "__main__":
    main()
