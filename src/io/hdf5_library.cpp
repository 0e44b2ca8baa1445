// Asks the linked HDF5 library for its version at run time: the library that writes the file,
// which may differ from the headers it was built against.
#include "sdegen/io/hdf5_library.hpp"

#include <hdf5.h>

namespace sdegen {

std::string hdf5_library_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

}  // namespace sdegen
