#!/usr/bin/python3
# End-to-end check of jobs/plot_results.py: every expected figure in every format, the legend's
# content (vacuous, undefined with reasons, bounds not asked for absent), and exit 2 on bad files.
"""usage: check_figures.py PLOT_SCRIPT RESULTS.h5 OUTDIR --expect NAME... [--absent NAME...]
                          [--svg-has NAME=TEXT...] [--svg-lacks NAME=TEXT...] [--bad-files]

Runs the script with --format png,pdf,svg and checks: exit status 0; the printed paths are exactly
NAME.{png,pdf,svg} for each expected NAME; each file has its format's signature and more than a
few kB; each SVG has exactly one legend; --svg-has / --svg-lacks text is (not) among the SVG's
texts (whitespace-normalised); no --absent figure was written. --bad-files also checks that bad
inputs exit 2 with a message naming the problem. Exits 1 on the first failure.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import h5py

FORMATS = ("png", "pdf", "svg")
SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "svg": b"<?xml"}
MIN_BYTES = {"png": 20000, "pdf": 8000, "svg": 12000}


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(script, *args):
    return subprocess.run([sys.executable, script, *args], capture_output=True, text=True, timeout=300)


def svg_texts(path):
    """Every text of an SVG written with svg.fonttype 'none', lines joined by spaces."""
    root = ElementTree.parse(path).getroot()
    texts = [" ".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]
    return re.sub(r"\s+", " ", " ".join(texts))


def check_bad_files(script, results, scratch):
    def expect_2(args, words, what):
        proc = run(script, *args)
        if proc.returncode != 2 or not all(w in proc.stderr for w in words):
            fail(f"{what}: exit {proc.returncode}, stderr {proc.stderr!r}; expected 2 and {words}")
        print(f"ok: {what} exits 2: {proc.stderr.strip().splitlines()[-1]}")

    os.makedirs(scratch, exist_ok=True)
    expect_2([os.path.abspath(__file__), "-o", scratch], [os.path.basename(__file__), "HDF5"], "a text file")
    expect_2([os.path.join(scratch, "absent.h5"), "-o", scratch], ["absent.h5", "no such file"], "a missing file")
    foreign = os.path.join(scratch, "foreign.h5")
    with h5py.File(foreign, "w") as f:
        f.attrs["format"] = "other-format"
    expect_2([foreign, "-o", scratch], ["not an sdegen results file"], "another format")
    broken = os.path.join(scratch, "no_summary.h5")
    shutil.copy(results, broken)
    with h5py.File(broken, "r+") as f:
        del f["summary"]
    expect_2([broken, "-o", scratch], ["no_summary.h5", "'summary'"], "a results file without /summary")
    expect_2([results, "-o", scratch, "--format", "png,gif"], ["gif"], "an unknown format")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("script")
    parser.add_argument("results")
    parser.add_argument("outdir")
    parser.add_argument("--expect", nargs="+", required=True, metavar="NAME")
    parser.add_argument("--absent", nargs="*", default=[], metavar="NAME")
    parser.add_argument("--svg-has", nargs="*", default=[], metavar="NAME=TEXT")
    parser.add_argument("--svg-lacks", nargs="*", default=[], metavar="NAME=TEXT")
    parser.add_argument("--bad-files", action="store_true")
    args = parser.parse_args()

    # A fresh directory: figures left by an earlier run must not pass for new ones.
    shutil.rmtree(args.outdir, ignore_errors=True)
    proc = run(args.script, args.results, "-o", args.outdir, "--format", ",".join(FORMATS))
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        fail(f"plot_results.py exited {proc.returncode}")
    printed = sorted(os.path.basename(line) for line in proc.stdout.split())
    expected = sorted(f"{name}.{ext}" for name in args.expect for ext in FORMATS)
    if printed != expected:
        fail(f"printed figures {printed}, expected {expected}")

    texts = {}
    for name in args.expect:
        for ext in FORMATS:
            path = os.path.join(args.outdir, f"{name}.{ext}")
            if not os.path.isfile(path):
                fail(f"{path} was not written")
            with open(path, "rb") as f:
                head = f.read(64)
            if not head.startswith(SIGNATURES[ext]):
                fail(f"{path} is not a {ext.upper()} file (starts with {head[:16]!r})")
            size = os.path.getsize(path)
            if size < MIN_BYTES[ext]:
                fail(f"{path} has {size} bytes, fewer than {MIN_BYTES[ext]}: probably an empty figure")
        svg = os.path.join(args.outdir, f"{name}.svg")
        with open(svg, encoding="utf-8") as f:
            legends = len(set(re.findall(r'id="legend_\d+"', f.read())))
        if legends != 1:
            fail(f"{svg} has {legends} legends, expected exactly one per figure")
        texts[name] = svg_texts(svg)
        print(f"ok: {name}.png/.pdf/.svg, one legend")
    for name in args.absent:
        for ext in FORMATS:
            if os.path.exists(os.path.join(args.outdir, f"{name}.{ext}")):
                fail(f"{name}.{ext} was written, but the file has nothing to show in it")
        print(f"ok: {name} not written")
    for spec, wanted in [(s, True) for s in args.svg_has] + [(s, False) for s in args.svg_lacks]:
        name, text = spec.split("=", 1)
        if (text in texts[name]) != wanted:
            fail(f"{name}.svg {'lacks' if wanted else 'has'} the text {text!r}; its texts: {texts[name]!r}")
        print(f"ok: {name}.svg {'has' if wanted else 'lacks'} {text!r}")
    if args.bad_files:
        check_bad_files(args.script, args.results, os.path.join(args.outdir, "bad"))


if __name__ == "__main__":
    main()
