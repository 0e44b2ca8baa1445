// The version of the HDF5 library this process runs with (for provenance), so that code outside
// io/ needs no HDF5 header.
#pragma once
#include <string>

namespace sdegen {

std::string hdf5_library_version();  // "1.10.8"

}  // namespace sdegen
