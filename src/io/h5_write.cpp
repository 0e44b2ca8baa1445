// HDF5 writing helpers. Objects are created without modification times, so two runs with the
// same results produce files that differ only in the attributes that say when and how they ran.
#include "sdegen/io/h5_write.hpp"

#include <hdf5_hl.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "sdegen/io/h5_read.hpp"

namespace sdegen::h5 {

namespace {
// "HDF5: cannot write states: No space left on device": the reason comes from HDF5's error stack.
[[noreturn]] void fail(const std::string& what) {
  const std::string reason = error_stack_message();
  throw std::runtime_error("HDF5: cannot " + what + (reason.empty() ? "" : ": " + reason));
}

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type");
  check(H5Tset_size(type.id(), H5T_VARIABLE), "set string size");
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
  return type;
}

Handle untimed(hid_t plist_class) {
  Handle plist(H5Pcreate(plist_class), H5Pclose, "create property list");
  check(H5Pset_obj_track_times(plist.id(), false), "switch off object times");
  return plist;
}

template <class T>
Handle write_vector(hid_t parent, const std::string& name, const std::vector<T>& values, hid_t type) {
  const hsize_t size = values.size();
  Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose, "create dataspace of " + name);
  Handle dcpl = untimed(H5P_DATASET_CREATE);
  Handle set(H5Dcreate2(parent, name.c_str(), type, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
             H5Dclose, "create dataset " + name);
  if (size > 0) check(H5Dwrite(set.id(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
  return set;
}

template <class T>
void write_scalar_attribute(hid_t object, const std::string& name, T value, hid_t type) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  Handle attr(H5Acreate2(object, name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  check(H5Awrite(attr.id(), type, &value), "write attribute " + name);
}
}  // namespace

Handle::Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
  if (id < 0) fail(what);
}

Handle::Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
Handle::~Handle() {
  if (id_ >= 0) close_(id_);
}

Handle create_file(const std::string& path) {
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                "create file '" + path + "'");
}

Handle create_group(hid_t parent, const std::string& name) {
  Handle gcpl = untimed(H5P_GROUP_CREATE);
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.id(), H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
  Handle type = string_type();
  write_scalar_attribute(object, name, value.c_str(), type.id());
}

void write_attribute(hid_t object, const std::string& name, double value) {
  write_scalar_attribute(object, name, value, H5T_NATIVE_DOUBLE);
}

void write_attribute(hid_t object, const std::string& name, std::int64_t value) {
  write_scalar_attribute(object, name, value, H5T_NATIVE_INT64);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<std::string>& values) {
  Handle type = string_type();
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  const hsize_t size = values.size();
  Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose, "create dataspace");
  Handle attr(H5Acreate2(object, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  if (size > 0) check(H5Awrite(attr.id(), type.id(), pointers.data()), "write attribute " + name);
}

template <class T>
void write_vector_attribute(hid_t object, const std::string& name, const std::vector<T>& values, hid_t type) {
  const hsize_t size = values.size();  // an empty list is a valid, empty attribute
  Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose, "create dataspace");
  Handle attr(H5Acreate2(object, name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  if (size > 0) check(H5Awrite(attr.id(), type, values.data()), "write attribute " + name);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<double>& values) {
  write_vector_attribute(object, name, values, H5T_NATIVE_DOUBLE);
}

void write_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values) {
  write_vector_attribute(object, name, values, H5T_NATIVE_INT64);
}

Handle write_dataset(hid_t parent, const std::string& name, const std::vector<double>& values) {
  return write_vector(parent, name, values, H5T_NATIVE_DOUBLE);
}

Handle write_dataset(hid_t parent, const std::string& name, const std::vector<std::int64_t>& values) {
  return write_vector(parent, name, values, H5T_NATIVE_INT64);
}

Handle write_matrix(hid_t parent, const std::string& name, const std::vector<double>& row_major, hsize_t rows,
                    hsize_t cols) {
  const hsize_t dims[2] = {rows, cols};
  Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose, "create dataspace of " + name);
  Handle dcpl = untimed(H5P_DATASET_CREATE);
  Handle set(H5Dcreate2(parent, name.c_str(), H5T_NATIVE_DOUBLE, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
             H5Dclose, "create dataset " + name);
  if (rows * cols > 0)
    check(H5Dwrite(set.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, row_major.data()), "write " + name);
  return set;
}

Handle create_matrix(hid_t parent, const std::string& name, hsize_t rows, hsize_t cols) {
  const hsize_t dims[2] = {rows, cols};
  Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose, "create dataspace of " + name);
  Handle dcpl = untimed(H5P_DATASET_CREATE);
  return Handle(H5Dcreate2(parent, name.c_str(), H5T_NATIVE_DOUBLE, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                H5Dclose, "create dataset " + name);
}

void write_row(hid_t matrix, hsize_t row, const std::vector<double>& values) {
  if (values.empty()) return;
  Handle file_space(H5Dget_space(matrix), H5Sclose, "get dataspace");
  const hsize_t start[2] = {row, 0}, count[2] = {1, values.size()};
  check(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select a row");
  const hsize_t size = values.size();
  Handle memory_space(H5Screate_simple(1, &size, nullptr), H5Sclose, "create row dataspace");
  check(H5Dwrite(matrix, H5T_NATIVE_DOUBLE, memory_space.id(), file_space.id(), H5P_DEFAULT, values.data()),
        "write row " + std::to_string(row));
}

void make_scale(hid_t scale, const std::string& label) {
  check(H5DSset_scale(scale, label.c_str()), "make dimension scale " + label);
}

void attach_scale(hid_t dataset, hid_t scale) { check(H5DSattach_scale(dataset, scale, 0), "attach scale"); }

void TableBuilder::add_string(const std::string& name, std::size_t width) {
  columns_.push_back({name, 's', row_size_, width});
  row_size_ += width;
}
void TableBuilder::add_integer(const std::string& name) {
  columns_.push_back({name, 'i', row_size_, sizeof(std::int64_t)});
  row_size_ += sizeof(std::int64_t);
}
void TableBuilder::add_real(const std::string& name) {
  columns_.push_back({name, 'r', row_size_, sizeof(double)});
  row_size_ += sizeof(double);
}

void TableBuilder::new_row() {
  const std::size_t start = data_.size();
  data_.resize(start + row_size_, 0);
  for (const auto& c : columns_)
    if (c.kind == 'r') {
      const double nan = NAN;
      std::memcpy(&data_[start + c.offset], &nan, sizeof nan);
    }
}

const TableBuilder::Column& TableBuilder::column(const std::string& name, char kind) const {
  for (const auto& c : columns_)
    if (c.name == name && c.kind == kind) return c;
  throw std::logic_error("table has no column '" + name + "' of that type");
}

void TableBuilder::set(const std::string& name, const std::string& value) {
  const Column& c = column(name, 's');
  if (value.size() >= c.width) throw std::runtime_error("value too long for column " + name + ": " + value);
  std::memcpy(&data_[data_.size() - row_size_ + c.offset], value.c_str(), value.size());
}
void TableBuilder::set(const std::string& name, std::int64_t value) {
  std::memcpy(&data_[data_.size() - row_size_ + column(name, 'i').offset], &value, sizeof value);
}
void TableBuilder::set(const std::string& name, double value) {
  std::memcpy(&data_[data_.size() - row_size_ + column(name, 'r').offset], &value, sizeof value);
}

Handle TableBuilder::write(hid_t parent, const std::string& name) const {
  Handle type(H5Tcreate(H5T_COMPOUND, row_size_), H5Tclose, "create compound type");
  for (const auto& c : columns_) {
    if (c.kind == 's') {
      Handle str(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type");
      check(H5Tset_size(str.id(), c.width), "size string column");
      check(H5Tset_strpad(str.id(), H5T_STR_NULLTERM), "pad string column");
      check(H5Tinsert(type.id(), c.name.c_str(), c.offset, str.id()), "insert column " + c.name);
    } else {
      check(H5Tinsert(type.id(), c.name.c_str(), c.offset, c.kind == 'i' ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE),
            "insert column " + c.name);
    }
  }
  const hsize_t rows = row_size_ ? data_.size() / row_size_ : 0;
  Handle space(H5Screate_simple(1, &rows, nullptr), H5Sclose, "create table space");
  Handle dcpl = untimed(H5P_DATASET_CREATE);
  Handle set(H5Dcreate2(parent, name.c_str(), type.id(), space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
             H5Dclose, "create table " + name);
  if (rows > 0) check(H5Dwrite(set.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data_.data()), "write " + name);
  return set;
}

}  // namespace sdegen::h5
