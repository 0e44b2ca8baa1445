// Library versions from their headers (HDF5 at run time: the library the file is written with),
// the MPI library's own version line, and the git state captured at build time.
#include "sdegen/build_info.hpp"

#include <Eigen/Core>
#include <boost/version.hpp>

#include "sdegen/build_git.hpp"
#include "sdegen/io/hdf5_library.hpp"
#include "sdegen/mpi/communicator.hpp"
#include "sdegen/version.hpp"

namespace sdegen {

BuildInfo build_info() {
  BuildInfo b;
  b.version = kVersion;
  b.git_commit = SDEGEN_GIT_COMMIT;
  b.git_dirty = SDEGEN_GIT_DIRTY != 0;
  b.build_type = kBuildType;
  b.compiler = kCompiler;
  b.compile_flags = kCompileFlags;
  b.native = kNativeBuild;
  b.eigen = std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
            std::to_string(EIGEN_MINOR_VERSION);
  b.hdf5 = hdf5_library_version();
  b.boost = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
            std::to_string(BOOST_VERSION % 100);
  b.mpi = mpi_library_version();
  return b;
}

std::vector<std::pair<std::string, std::string>> build_attributes() {
  const BuildInfo b = build_info();
  return {{"git_commit", b.git_commit + (b.git_dirty ? "-dirty" : "")},
          {"build_type", b.build_type},
          {"compiler", b.compiler},
          {"compile_flags", b.compile_flags},
          {"native_build", b.native ? "yes (-march=native)" : "no (portable)"},
          {"eigen_version", b.eigen},
          {"hdf5_version", b.hdf5},
          {"boost_version", b.boost},
          {"mpi_version", b.mpi}};
}

std::string version_text() {
  std::string out = "sdegen " + std::string(kVersion) + "\n";
  for (const auto& [key, value] : build_attributes()) out += key + ": " + value + "\n";
  return out;
}

}  // namespace sdegen
