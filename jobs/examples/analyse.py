#!/usr/bin/python3
# Example analysis of an sdegen results file with the sdegen_results module: paired SGD-SDE
# differences, log-log slopes against n, and bound/gen ratios, printed as tables (and CSV files).
"""usage: /usr/bin/python3 jobs/examples/analyse.py RESULTS.h5 [--csv DIR]

Prints, for the file's cells:
  1. SGD - SDE: the difference of gen (training loss) for cells that differ only in the algorithm
  2. slopes: log-log slope against n of gen and of every bound (when n is swept)
  3. bound / gen: every defined bound over the measured gen of the loss it bounds
With --csv DIR, also writes paired_differences.csv, slopes.csv and bound_gen_ratios.csv there.
A starting point for your own analyses: copy it and change what it computes.
Exit status 2 for a file that is not a readable sdegen results file.
"""

import argparse
import os
import sys

# The module lives in python/ next to jobs/ (source tree and installed tree alike).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import sdegen_results as sr  # noqa: E402


def show(title, frame, columns=None):
    print(f"\n== {title}")
    if frame.empty:
        print("(none)")
        return
    print(frame[columns or list(frame.columns)].to_string(index=False, float_format=lambda v: f"{v:.4g}"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="analyse.py", description=__doc__.split("\n")[0])
    parser.add_argument("results", metavar="RESULTS.h5")
    parser.add_argument("--csv", metavar="DIR", help="also write the tables as CSV files into DIR")
    args = parser.parse_args(argv)
    try:
        res = sr.open_results(args.results)
    except sr.ResultsFormatError as error:
        print(f"analyse.py: error: {error}", file=sys.stderr)
        return 2

    print(f"{args.results}: {len(res.summary)} cells, swept: {', '.join(res.swept) or 'nothing'}, "
          f"sdegen {res.attrs.get('sdegen_version', '?')}")

    # 1. SGD against SDE on the same training sets.
    pairs = sr.paired_differences(res)
    keys = [c for c in res.swept if c != "algorithm"]
    show("SGD - SDE: gen of the training loss at the final step",
         pairs, keys + ["first", "second", "difference", "difference_stderr", "z"])

    # 2. Power laws in n: gen and each requested, defined bound.
    bounds = res.bounds()
    names = list(dict.fromkeys(bounds.loc[bounds["defined"].astype(bool), "bound"]))
    slopes = sr.slopes_against_n(res, ["gen"] + [f"bound_{b}" for b in names] if "n" in res.swept else [])
    if "n" in res.swept:
        show("log-log slopes against n (-0.5: n^-1/2, -1: n^-1)", slopes)
    else:
        print("\n== log-log slopes against n: n is not swept")

    # 3. How tight the bounds are.
    ratios = sr.bound_gen_ratios(res)
    show("bound / gen at the final step (delta-method standard error)",
         ratios, ["cell"] + res.swept + ["bound", "valid", "vacuous", "value", "gen", "ratio", "ratio_stderr"])

    if args.csv:
        os.makedirs(args.csv, exist_ok=True)
        for name, frame in (("paired_differences", pairs), ("slopes", slopes), ("bound_gen_ratios", ratios)):
            path = os.path.join(args.csv, f"{name}.csv")
            frame.to_csv(path, index=False)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
