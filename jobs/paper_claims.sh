#!/bin/bash
# Runs the whole study of the paper's claims (docs/bounds.md, section 9): the four configs
# jobs/paper_claims*.ini, one after another on this machine, then their figures.
# Usage: jobs/paper_claims.sh [OUTDIR] [sdegen run options...]   (about 10 minutes at NP = 2)
#
#   e.g. jobs/paper_claims.sh                      # results and figures in ./paper_claims/
#        NP=4 jobs/paper_claims.sh study --mc.replicates 4000
# Writes OUTDIR/<config>.h5 and OUTDIR/<config>.txt (the table each run prints), and the figures
# of jobs/plot_results.py in OUTDIR/figures/<config>/. Existing results in OUTDIR are replaced.
# Environment: NP, SDEGEN_LAUNCHER, SDEGEN_SETUP, SDEGEN_BIN as for jobs/run_local.sh;
# PYTHON (default /usr/bin/python3, with h5py and matplotlib) for the figures, FORMATS (default png).
# Exit code: that of the first run that failed, else of the figures.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
outdir=${1:-paper_claims}
[ $# -gt 0 ] && shift
mkdir -p "$outdir"
python=${PYTHON:-/usr/bin/python3}

configs=(paper_claims paper_claims_anisotropic paper_claims_edge paper_claims_terminal)
for name in "${configs[@]}"; do
  echo "paper_claims: $name" >&2
  "$here/run_local.sh" "$here/$name.ini" -o "$outdir/$name.h5" --output.overwrite "$@" | tee "$outdir/$name.txt"
done
for name in "${configs[@]}"; do
  "$python" "$here/plot_results.py" "$outdir/$name.h5" -o "$outdir/figures/$name" --format "${FORMATS:-png}"
done
