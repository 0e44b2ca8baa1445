#!/usr/bin/python3
# End-to-end check of the configs shipped in jobs/: each passes sdegen's validation with
# `--dry-run` (exit 0, at least one cell, no warning of an option without effect, no file made).
import glob
import os
import re
import subprocess
import sys


def main():
    sdegen, jobs, scratch = sys.argv[1:4]
    work = os.path.join(scratch, "shipped_configs")
    os.makedirs(work, exist_ok=True)
    configs = sorted(glob.glob(os.path.join(jobs, "*.ini")))
    if len(configs) < 5:
        sys.exit("FAIL: only %d configs found in %s" % (len(configs), jobs))
    failures = []
    for config in configs:
        name = os.path.splitext(os.path.basename(config))[0]
        output = os.path.join(work, name + ".h5")
        command = [sdegen, "run", config, "--dry-run", "-o", output]
        print("  $", " ".join(command), flush=True)
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=120)
        cells = re.search(r"^cells: (\d+)", done.stdout, re.MULTILINE)
        problems = []
        if done.returncode != 0:
            problems.append("exit code %d" % done.returncode)
        if not cells or int(cells.group(1)) == 0:
            problems.append("no cells in the plan")
        if "warning" in done.stderr:
            problems.append("a warning")
        if os.listdir(work):
            problems.append("created %s" % os.listdir(work))
        if problems:
            failures.append("%s: %s\nstdout: %s\nstderr: %s" % (name, ", ".join(problems), done.stdout, done.stderr))
        else:
            print("    %s cells, %s" % (cells.group(1), done.stdout.strip().splitlines()[-1]))
    if failures:
        sys.exit("FAIL:\n" + "\n".join(failures))
    print("all %d shipped configs pass validation" % len(configs))


if __name__ == "__main__":
    main()
