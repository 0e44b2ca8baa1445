# Sourced by jobs/run_local.sh and jobs/sweep_local.sh (not run): sources the site's SDEGEN_SETUP
# once per process tree, then sets `bin` to the sdegen executable. Needs `here` and `say`.

# The site's setup first: it may put sdegen and mpirun on PATH.
if [ -n "${SDEGEN_SETUP:-}" ] && [ "${SDEGEN_SETUP_SOURCED:-}" != "$SDEGEN_SETUP" ]; then
  [ -f "$SDEGEN_SETUP" ] || { say "SDEGEN_SETUP file '$SDEGEN_SETUP' not found"; exit 2; }
  set +u  # module scripts often read unset variables
  # shellcheck disable=SC1090
  source "$SDEGEN_SETUP"
  set -u
  export SDEGEN_SETUP_SOURCED=$SDEGEN_SETUP
fi

# SDEGEN_BIN, else the build or installed tree of these scripts, else PATH.
bin=${SDEGEN_BIN:-}
if [ -z "$bin" ]; then
  for candidate in "$here/../build/sdegen" "$here/../../../bin/sdegen" "$(command -v sdegen || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then bin=$(realpath "$candidate"); break; fi
  done
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
  say "sdegen executable '${bin:-sdegen}' not found: build it (cmake --build build), put it on PATH or set SDEGEN_BIN"
  exit 2
fi
