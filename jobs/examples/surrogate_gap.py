#!/usr/bin/python3
# The SGD - SDE generalization gap against the learning rate from a results file's /summary, with
# its paired standard error, and the smallest learning rate at which the gap is significant.
"""usage: /usr/bin/python3 jobs/examples/surrogate_gap.py RESULTS.h5 [--loss LOSS] [--alpha A]

For every pair of cells that differ only in the algorithm (sgd and its surrogate sde), prints the
learning rate (and any other swept option), gen of both, the gap gen_sgd - gen_sde with its paired
standard error (/summary's surrogate_gap_<loss>, jackknife over the shared replicate groups) and
z = gap / stderr. A gap is called significant when |z| exceeds the two-sided Bonferroni threshold
for the number of pairs at family-wise level A (default 0.05); the script names the smallest such
learning rate, or says there is none. LOSS defaults to the bounded evaluation loss of the first
pair (sq_clip, zero_one, ...), whose gen is not dominated by rare huge losses near the edge.
"""

import argparse
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import sdegen_results as sr  # noqa: E402


def normal_quantile(p):
    """Phi^-1(p) by bisection on erfc (no scipy needed)."""
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(-mid / math.sqrt(2)) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def main(argv=None):
    parser = argparse.ArgumentParser(prog="surrogate_gap.py", description=__doc__.split("\n")[0])
    parser.add_argument("results", metavar="RESULTS.h5")
    parser.add_argument("--loss", help="evaluation loss of the gap (default: the bounded one)")
    parser.add_argument("--alpha", type=float, default=0.05, help="family-wise level of the Bonferroni test")
    args = parser.parse_args(argv)
    try:
        res = sr.open_results(args.results)
    except sr.ResultsFormatError as error:
        print(f"surrogate_gap.py: error: {error}", file=sys.stderr)
        return 2
    s = res.summary
    pairs = s[s["algorithm"] == "sgd"]
    losses = [c[len("surrogate_gap_"):] for c in s.columns
              if c.startswith("surrogate_gap_") and not c.endswith("_stderr") and not c.endswith("_unpaired")]
    loss = args.loss or next((l for l in losses if l not in ("sq", "logistic", "cross_entropy")), losses[0])
    gap, se = f"surrogate_gap_{loss}", f"surrogate_gap_{loss}_stderr"
    pairs = pairs[pairs[gap].notna()].sort_values("lr")
    if pairs.empty:
        print("no sgd cell with an sde partner")
        return 1
    threshold = normal_quantile(1 - args.alpha / (2 * len(pairs)))
    others = [c for c in res.swept if c not in ("algorithm", "lr")]
    print(f"gen of {loss}: sgd - sde on common training sets; |z| > {threshold:.2f} is significant "
          f"(Bonferroni, {len(pairs)} pairs, level {args.alpha})")
    header = "".join(f"{c:>10}" for c in others) + f"{'lr':>8}{'gen sgd':>12}{'gen sde':>12}{'gap':>12}{'paired se':>11}" \
        f"{'unpaired':>10}{'z':>7}{'diverged':>10}"
    print(header)
    first = None
    for _, row in pairs.iterrows():
        partner = s[(s["algorithm"] == "sde") & (s["cell"] != row["cell"])]
        for c in ["lr"] + others:
            partner = partner[partner[c] == row[c]]
        sde_gen = partner.iloc[0][f"gen_{loss}_mean"] if len(partner) else math.nan
        diverged = int(row["diverged"]) + (int(partner.iloc[0]["diverged"]) if len(partner) else 0)
        z = row[gap] / row[se] if row[se] > 0 else math.nan
        mark = " *" if abs(z) > threshold else ""
        if mark and first is None:
            first = row
        print("".join(f"{row[c]!s:>10}" for c in others) + f"{row['lr']:>8.4g}{row[f'gen_{loss}_mean']:>12.5g}"
              f"{sde_gen:>12.5g}{row[gap]:>12.3e}{row[se]:>11.2e}{row[gap + '_stderr_unpaired']:>10.2e}"
              f"{z:>7.2f}{diverged:>10}{mark}")
    if first is None:
        print("the gap is not significant at any learning rate")
    else:
        print(f"smallest learning rate with a significant gap: {first['lr']:g} (z = {first[gap] / first[se]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
