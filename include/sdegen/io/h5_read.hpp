// Small reading counterpart of h5_write.hpp over the HDF5 C API: read-only files, typed
// attributes and generic compound tables (string, integer and real columns) read by member name.
#pragma once
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sdegen/io/h5_table.hpp"
#include "sdegen/io/h5_write.hpp"

namespace sdegen::h5 {


// The innermost description on HDF5's current error stack ("" when empty), for one-line errors.
std::string error_stack_message();

// Switches off HDF5's own printing of its error stack (this thread's default stack).
void silence_error_printing();

// Opens an existing file read-only; throws std::runtime_error (with HDF5's reason) on failure.
Handle open_file_read_only(const std::string& path);

// 1: an HDF5 file (by its signature), 0: not one, -1: cannot tell (unreadable).
int is_hdf5_file(const std::string& path);

bool has_link(hid_t parent, const std::string& name);  // a direct child called `name`
std::vector<std::string> group_members(hid_t group);   // names of the direct children, in name order
bool has_attribute(hid_t object, const std::string& name);
std::vector<std::string> attribute_names(hid_t object);  // in name order

// An attribute's values, flattened; `scalar` when its dataspace is scalar.
struct Attribute {
  std::string name;
  Kind kind = Kind::real;
  bool scalar = true;
  std::vector<std::string> strings;
  std::vector<std::int64_t> integers;
  std::vector<double> reals;
  std::size_t size() const;
};

Attribute read_attribute(hid_t object, const std::string& name);  // throws if missing or of another class
// Convenience readers of scalar (one-value) attributes; they throw naming the attribute when
// it is missing or of a different kind.
std::string read_string_attribute(hid_t object, const std::string& name);
std::int64_t read_integer_attribute(hid_t object, const std::string& name);
double read_real_attribute(hid_t object, const std::string& name);  // integers are converted
std::vector<std::string> read_string_list_attribute(hid_t object, const std::string& name);

// A numeric dataset of any rank, flattened row-major; `dims` (when given) receives its shape.
// Throws naming the dataset when it is missing or unreadable.
std::vector<double> read_real_dataset(hid_t parent, const std::string& name, std::vector<hsize_t>* dims = nullptr);
std::vector<std::int64_t> read_integer_dataset(hid_t parent, const std::string& name,
                                               std::vector<hsize_t>* dims = nullptr);

// Reads a 1-D dataset of compound type whose members are strings, integers or reals (the member
// names and classes come from the file); throws naming the dataset or column otherwise.
Table read_table(hid_t parent, const std::string& name);

}  // namespace sdegen::h5
