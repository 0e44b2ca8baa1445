#!/bin/bash
# Installs, from Debian 12 packages, whatever sdegen needs to build, test and analyse results.
# Usage: bash jobs/install-deps.sh   (as root; does nothing when every package is present)
set -euo pipefail
packages=(
  build-essential cmake openmpi-bin libopenmpi-dev libeigen3-dev libhdf5-dev hdf5-tools
  libboost-dev libboost-program-options-dev catch2 librandom123-dev libbenchmark-dev zlib1g-dev
  python3-h5py python3-numpy python3-pandas python3-matplotlib python3-xarray
  dataset-fashion-mnist time
  slurm-wlm munge
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
