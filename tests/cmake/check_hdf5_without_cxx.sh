#!/bin/bash
# Configures sdegen against an HDF5 installation without the C++ bindings (as many parallel HDF5
# modules on clusters are) and compiles its HDF5 sources there: only the C and HL libraries are needed.
#
# Usage: check_hdf5_without_cxx.sh SOURCE_DIR WORK_DIR HDF5_INCLUDE_DIR LIBHDF5 LIBHDF5_HL
# The HDF5 tree is made in WORK_DIR/hdf5 from the given C headers and libraries (symbolic links),
# leaving out every C++ header and library.
set -uo pipefail
if [ $# -ne 5 ]; then
  echo "usage: $0 SOURCE_DIR WORK_DIR HDF5_INCLUDE_DIR LIBHDF5 LIBHDF5_HL" >&2
  exit 2
fi
src=$(realpath "$1")
work=$(realpath -m "$2")
include_dir=$3
lib_c=$(realpath "$4")
lib_hl=$(realpath "$5")
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/hdf5/include" "$work/hdf5/lib" "$work/probe"
for header in "$include_dir"/*.h; do
  # C++ headers declare namespace H5 (H5Cpp.h, H5File.h, ...): not part of a C-only installation
  case $(basename "$header") in H5Cpp.h|H5CppDoc.h|H5Include.h) continue ;; esac
  grep -q "namespace H5" "$header" && continue
  ln -s "$header" "$work/hdf5/include/"
done
[ -e "$work/hdf5/include/H5Cpp.h" ] && fail "H5Cpp.h was not left out"
ln -s "$lib_c" "$work/hdf5/lib/libhdf5.so"
ln -s "$lib_hl" "$work/hdf5/lib/libhdf5_hl.so"
echo "C-only HDF5 tree: $(ls "$work/hdf5/include" | wc -l) headers, libraries: $(ls "$work/hdf5/lib" | tr '\n' ' ')"

# Control: the tree really lacks the C++ bindings, so a build that asks for them cannot configure.
cat >"$work/probe/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.19)
project(probe C CXX)
find_package(HDF5 COMPONENTS C CXX HL)
message(STATUS "probe: HDF5_FOUND=${HDF5_FOUND} HDF5_CXX_FOUND=${HDF5_CXX_FOUND}")
CMAKE
probe=$(cmake -S "$work/probe" -B "$work/probe/build" -DHDF5_ROOT="$work/hdf5" 2>&1)
grep -q "probe: HDF5_FOUND=TRUE" <<<"$probe" && fail "the C-only tree still provides the C++ bindings: $probe"
echo "ok: find_package(HDF5 COMPONENTS C CXX HL) fails on the C-only tree"

echo "configuring sdegen with HDF5_ROOT=$work/hdf5"
if ! cmake -S "$src" -B "$work/build" -DHDF5_ROOT="$work/hdf5" -DBUILD_TESTING=OFF >"$work/configure.log" 2>&1; then
  tail -n 25 "$work/configure.log" >&2
  fail "sdegen does not configure against an HDF5 without C++ bindings"
fi
grep -q "hdf5_cpp" "$work/build/CMakeCache.txt" && fail "the configured build still refers to hdf5_cpp"
echo "ok: configured without the C++ bindings"

# The sources that include HDF5 headers compile against the C-only headers.
for object in src/io/h5_write.cpp.o src/io/h5_read.cpp.o; do
  if ! cmake --build "$work/build" --target "$object" >"$work/build.log" 2>&1; then
    tail -n 25 "$work/build.log" >&2
    fail "$object does not compile against the C-only HDF5 headers"
  fi
  echo "ok: $object compiles"
done
echo "PASS"
