// An HDF5 file built in memory and written to disk in one go. A full disk or an exceeded quota then
// fails a plain write, which is reported and cleaned up, never an HDF5 flush: HDF5 1.10 cannot
// release a file whose flush failed, and crashes at exit.
#pragma once
#include <hdf5.h>

#include <cstddef>
#include <string>

namespace sdegen::h5 {

class MemoryFile {
 public:
  MemoryFile();  // throws std::runtime_error when HDF5 cannot create it
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  ~MemoryFile();
  hid_t id() const { return id_; }

  // Closes the HDF5 file and writes its image to `path` (created or truncated), synced to the
  // device. Throws std::runtime_error with the system's reason (the file may be left partial).
  void write_to(const std::string& path);

  struct Image {
    void* data = nullptr;
    std::size_t size = 0;
  };

 private:
  hid_t id_ = -1;
  Image image_;  // the core driver's buffer, kept after the HDF5 file is closed
};

}  // namespace sdegen::h5
