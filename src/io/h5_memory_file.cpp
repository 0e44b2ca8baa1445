// The core (memory) driver with file-image callbacks that keep its buffer when HDF5 closes the
// file, so the image is written without a copy; growth is by realloc (mremap for large buffers).
#include "sdegen/io/h5_memory_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "sdegen/io/h5_read.hpp"

namespace sdegen::h5 {

namespace {

using Image = MemoryFile::Image;

void* image_malloc(std::size_t size, H5FD_file_image_op_t, void* udata) {
  auto* image = static_cast<Image*>(udata);
  image->data = std::malloc(size);
  image->size = image->data ? size : 0;
  return image->data;
}

void* image_memcpy(void* dest, const void* src, std::size_t size, H5FD_file_image_op_t, void*) {
  return std::memcpy(dest, src, size);
}

void* image_realloc(void* ptr, std::size_t size, H5FD_file_image_op_t, void* udata) {
  auto* image = static_cast<Image*>(udata);
  void* grown = std::realloc(ptr, size);
  if (grown != nullptr) {
    image->data = grown;
    image->size = size;
  }
  return grown;
}

// On closing the file HDF5 hands the buffer back: keep it for write_to (the destructor frees it).
herr_t image_free(void* ptr, H5FD_file_image_op_t op, void* udata) {
  auto* image = static_cast<Image*>(udata);
  if (op == H5FD_FILE_IMAGE_OP_FILE_CLOSE && ptr == image->data) return 0;
  if (ptr == image->data) image->data = nullptr;
  std::free(ptr);
  return 0;
}

void* udata_copy(void* udata) { return udata; }
herr_t udata_free(void*) { return 0; }

[[noreturn]] void fail(const std::string& what) {
  const std::string reason = error_stack_message();
  throw std::runtime_error("HDF5: cannot " + what + (reason.empty() ? "" : ": " + reason));
}

void write_all(int fd, const char* data, std::size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot write '" + path + "': " + std::strerror(errno));
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

}  // namespace

MemoryFile::MemoryFile() {
  const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) fail("create a file access list");
  H5FD_file_image_callbacks_t callbacks = {image_malloc, image_memcpy, image_realloc, image_free,
                                           udata_copy,   udata_free,   &image_};
  const bool ok = H5Pset_fapl_core(fapl, 1 << 20, false) >= 0 && H5Pset_file_image_callbacks(fapl, &callbacks) >= 0;
  if (ok) id_ = H5Fcreate("in-memory.h5", H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  if (!ok || id_ < 0) fail("create an HDF5 file in memory");
}

MemoryFile::~MemoryFile() {
  if (id_ >= 0) H5Fclose(id_);
  std::free(image_.data);
}

void MemoryFile::write_to(const std::string& path) {
  if (H5Fflush(id_, H5F_SCOPE_LOCAL) < 0) fail("flush the file in memory");
  const ssize_t used = H5Fget_file_image(id_, nullptr, 0);
  if (used < 0) fail("size the file in memory");
  const hid_t id = id_;
  id_ = -1;
  if (H5Fclose(id) < 0) fail("close the file in memory");
  if (image_.data == nullptr || static_cast<std::size_t>(used) > image_.size)
    throw std::runtime_error("HDF5: the file image in memory is incomplete");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create file '" + path + "': " + std::strerror(errno));
  try {
    write_all(fd, static_cast<const char*>(image_.data), static_cast<std::size_t>(used), path);
    // Also a network file system's deferred errors (and a quota's) show here, before the rename.
    if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
      throw std::runtime_error("cannot write '" + path + "': " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (::close(fd) != 0) throw std::runtime_error("cannot write '" + path + "': " + std::strerror(errno));
  std::free(image_.data);
  image_ = Image();
}

}  // namespace sdegen::h5
