// Small RAII layer over the HDF5 C API for what sdegen writes: groups, typed attributes,
// 1-D datasets and dimension scales. Every failure throws with the object's name and HDF5's reason.
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sdegen::h5 {

class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what);
  Handle(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t id() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

Handle create_file(const std::string& path);  // truncates (files that must survive a full disk: MemoryFile)
Handle create_group(hid_t parent, const std::string& name);

void write_attribute(hid_t object, const std::string& name, const std::string& value);
void write_attribute(hid_t object, const std::string& name, double value);
void write_attribute(hid_t object, const std::string& name, std::int64_t value);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values);
void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values);
void write_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values);

Handle write_dataset(hid_t parent, const std::string& name, const std::vector<double>& values);
Handle write_dataset(hid_t parent, const std::string& name, const std::vector<std::int64_t>& values);
// A rows x cols dataset from row-major data.
Handle write_matrix(hid_t parent, const std::string& name, const std::vector<double>& row_major, hsize_t rows,
                    hsize_t cols);

// A rows x cols dataset written one row at a time (for matrices too large to hold twice).
Handle create_matrix(hid_t parent, const std::string& name, hsize_t rows, hsize_t cols);
void write_row(hid_t matrix, hsize_t row, const std::vector<double>& values);

// Marks `scale` as the dimension scale `label` and attaches it to dimension 0 of `dataset`.
void make_scale(hid_t scale, const std::string& label);
void attach_scale(hid_t dataset, hid_t scale);

// A compound table with string, integer and real columns, one row per record.
class TableBuilder {
 public:
  void add_string(const std::string& name, std::size_t width);
  void add_integer(const std::string& name);
  void add_real(const std::string& name);
  // Starts a new row; then set each column by name (unset numbers are NaN or 0, strings empty).
  void new_row();
  void set(const std::string& name, const std::string& value);
  void set(const std::string& name, std::int64_t value);
  void set(const std::string& name, double value);
  Handle write(hid_t parent, const std::string& name) const;

 private:
  struct Column {
    std::string name;
    char kind;  // 's', 'i', 'r'
    std::size_t offset, width;
  };
  const Column& column(const std::string& name, char kind) const;
  std::vector<Column> columns_;
  std::size_t row_size_ = 0;
  std::vector<unsigned char> data_;
};

}  // namespace sdegen::h5
