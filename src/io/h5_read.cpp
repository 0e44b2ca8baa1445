// HDF5 reading helpers: typed attributes and generic compound tables, converted by HDF5 into
// int64, double and text in memory. Every failure throws with the object's name and HDF5's reason.
#include "sdegen/io/h5_read.hpp"

#include <cstring>
#include <stdexcept>

namespace sdegen::h5 {

namespace {

void check(herr_t status, const std::string& what) {
  if (status < 0) {
    const std::string reason = error_stack_message();
    throw std::runtime_error("HDF5: cannot " + what + (reason.empty() ? "" : " (" + reason + ")"));
  }
}

Handle handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) {
  if (id < 0) {
    const std::string reason = error_stack_message();
    throw std::runtime_error("HDF5: cannot " + what + (reason.empty() ? "" : " (" + reason + ")"));
  }
  return Handle(id, close, what);
}

herr_t innermost(unsigned n, const H5E_error2_t* error, void* data) {
  if (n == 0 && error->desc != nullptr) *static_cast<std::string*>(data) = error->desc;
  return 0;
}

herr_t collect_name(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

// The class of an HDF5 type as a Kind; throws for anything else (enums, arrays, nested compounds).
Kind kind_of(hid_t type, const std::string& what) {
  switch (H5Tget_class(type)) {
    case H5T_STRING: return Kind::string;
    case H5T_INTEGER: return Kind::integer;
    case H5T_FLOAT: return Kind::real;
    default: throw std::runtime_error("HDF5: " + what + " is neither a string, an integer nor a real");
  }
}

// The memory type that `file_type` (a string type) converts to: fixed-length strings get one
// more byte and a terminating null, so that a string filling its whole width survives.
Handle memory_string_type(hid_t file_type) {
  Handle type = handle(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type");
  const htri_t variable = H5Tis_variable_str(file_type);
  check(variable, "inspect string type");
  check(H5Tset_size(type.id(), variable ? H5T_VARIABLE : H5Tget_size(file_type) + 1), "size string type");
  if (!variable) check(H5Tset_strpad(type.id(), H5T_STR_NULLTERM), "pad string type");
  const H5T_cset_t cset = H5Tget_cset(file_type);
  if (cset >= 0) check(H5Tset_cset(type.id(), cset), "set string charset");
  return type;
}

std::string text_at(const unsigned char* p, bool variable, std::size_t width) {
  if (variable) {
    const char* s = nullptr;
    std::memcpy(&s, p, sizeof s);
    return s ? std::string(s) : std::string();
  }
  const char* s = reinterpret_cast<const char*>(p);
  return std::string(s, strnlen(s, width));
}

// Frees the variable-length strings HDF5 allocated while reading into `buffer`.
void reclaim(hid_t memory_type, hid_t space, void* buffer) {
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(memory_type, space, H5P_DEFAULT, buffer);
#else
  H5Dvlen_reclaim(memory_type, space, H5P_DEFAULT, buffer);  // H5Treclaim is declared but not in 1.10's library
#endif
}

}  // namespace

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::string: return "string";
    case Kind::integer: return "integer";
    case Kind::real: return "real";
  }
  return "?";
}

std::string error_stack_message() {
  std::string message;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &message);  // upward: most specific first
  // A failed system call (sec2 driver) is described with its time, file, descriptor, buffer and
  // sizes; the system's message ("No space left on device") is what a person needs.
  const std::string marker = "error message = '";
  const auto start = message.find(marker);
  if (start != std::string::npos) {
    const auto end = message.find('\'', start + marker.size());
    if (end != std::string::npos) return message.substr(start + marker.size(), end - start - marker.size());
  }
  return message;
}

void silence_error_printing() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Handle open_file_read_only(const std::string& path) {
  return handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open file '" + path + "'");
}

int is_hdf5_file(const std::string& path) {
#if H5_VERSION_GE(1, 12, 0)
  const htri_t status = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
  const htri_t status = H5Fis_hdf5(path.c_str());
#endif
  return status > 0 ? 1 : status == 0 ? 0 : -1;
}

bool has_link(hid_t parent, const std::string& name) {
  const htri_t exists = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
  check(exists, "look up '" + name + "'");
  return exists > 0;
}

std::vector<std::string> group_members(hid_t group) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
    return 0;
  };
  if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names) < 0)
    throw std::runtime_error("cannot list a group's members");
  return names;
}

bool has_attribute(hid_t object, const std::string& name) {
  const htri_t exists = H5Aexists(object, name.c_str());
  check(exists, "look up attribute " + name);
  return exists > 0;
}

std::vector<std::string> attribute_names(hid_t object) {
  std::vector<std::string> names;
  check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_name, &names), "list attributes");
  return names;
}

std::size_t Attribute::size() const {
  return kind == Kind::string ? strings.size() : kind == Kind::integer ? integers.size() : reals.size();
}

Attribute read_attribute(hid_t object, const std::string& name) {
  if (!has_attribute(object, name)) throw std::runtime_error("HDF5: no attribute " + name);
  Handle attr = handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  Handle type = handle(H5Aget_type(attr.id()), H5Tclose, "get the type of attribute " + name);
  Handle space = handle(H5Aget_space(attr.id()), H5Sclose, "get the dataspace of attribute " + name);
  const hssize_t points = H5Sget_simple_extent_npoints(space.id());
  if (points < 0) throw std::runtime_error("HDF5: cannot size attribute " + name);
  const auto n = static_cast<std::size_t>(points);
  Attribute a;
  a.name = name;
  a.kind = kind_of(type.id(), "attribute " + name);
  a.scalar = H5Sget_simple_extent_type(space.id()) == H5S_SCALAR;
  if (a.kind == Kind::integer) {
    a.integers.resize(n);
    if (n > 0) check(H5Aread(attr.id(), H5T_NATIVE_INT64, a.integers.data()), "read attribute " + name);
  } else if (a.kind == Kind::real) {
    a.reals.resize(n);
    if (n > 0) check(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, a.reals.data()), "read attribute " + name);
  } else if (n > 0) {
    Handle memory = memory_string_type(type.id());
    const bool variable = H5Tis_variable_str(type.id()) > 0;
    const std::size_t width = H5Tget_size(memory.id());
    std::vector<unsigned char> buffer(n * width, 0);
    check(H5Aread(attr.id(), memory.id(), buffer.data()), "read attribute " + name);
    for (std::size_t k = 0; k < n; ++k) a.strings.push_back(text_at(&buffer[k * width], variable, width));
    if (variable) reclaim(memory.id(), space.id(), buffer.data());
  }
  return a;
}

namespace {
const Attribute& single(const Attribute& a, Kind kind) {
  if (a.kind != kind) throw std::runtime_error("attribute " + a.name + " is not of type " + kind_name(kind));
  if (a.size() != 1) throw std::runtime_error("attribute " + a.name + " has " + std::to_string(a.size()) + " values, not 1");
  return a;
}
}  // namespace

std::string read_string_attribute(hid_t object, const std::string& name) {
  return single(read_attribute(object, name), Kind::string).strings.front();
}

std::int64_t read_integer_attribute(hid_t object, const std::string& name) {
  return single(read_attribute(object, name), Kind::integer).integers.front();
}

double read_real_attribute(hid_t object, const std::string& name) {
  const Attribute a = read_attribute(object, name);
  if (a.kind == Kind::integer) return static_cast<double>(single(a, Kind::integer).integers.front());
  return single(a, Kind::real).reals.front();
}

std::vector<std::string> read_string_list_attribute(hid_t object, const std::string& name) {
  Attribute a = read_attribute(object, name);
  if (a.kind != Kind::string) throw std::runtime_error("attribute " + name + " is not of type string");
  return std::move(a.strings);
}

namespace {
template <class T>
std::vector<T> read_numeric_dataset(hid_t parent, const std::string& name, hid_t memory_type,
                                    std::vector<hsize_t>* dims) {
  Handle set = handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Handle space = handle(H5Dget_space(set.id()), H5Sclose, "get the dataspace of " + name);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0) throw std::runtime_error("HDF5: cannot get the rank of " + name);
  std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.id(), shape.data(), nullptr);
  std::size_t size = 1;
  for (hsize_t extent : shape) size *= extent;
  std::vector<T> out(size);
  if (size > 0) check(H5Dread(set.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
  if (dims) *dims = shape;
  return out;
}
}  // namespace

std::vector<double> read_real_dataset(hid_t parent, const std::string& name, std::vector<hsize_t>* dims) {
  return read_numeric_dataset<double>(parent, name, H5T_NATIVE_DOUBLE, dims);
}

std::vector<std::int64_t> read_integer_dataset(hid_t parent, const std::string& name, std::vector<hsize_t>* dims) {
  return read_numeric_dataset<std::int64_t>(parent, name, H5T_NATIVE_INT64, dims);
}

const Column* Table::find(const std::string& name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

Table read_table(hid_t parent, const std::string& name) {
  Handle set = handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Handle type = handle(H5Dget_type(set.id()), H5Tclose, "get the type of " + name);
  if (H5Tget_class(type.id()) != H5T_COMPOUND) throw std::runtime_error("HDF5: " + name + " is not a compound table");
  Handle space = handle(H5Dget_space(set.id()), H5Sclose, "get the dataspace of " + name);
  if (H5Sget_simple_extent_ndims(space.id()) != 1) throw std::runtime_error("HDF5: " + name + " is not one-dimensional");
  hsize_t rows = 0;
  check(H5Sget_simple_extent_dims(space.id(), &rows, nullptr), "size " + name);

  const int members = H5Tget_nmembers(type.id());
  check(members, "count the columns of " + name);
  struct Layout {
    std::size_t offset, width;
    bool variable;
  };
  std::vector<Layout> layout;
  std::vector<Handle> member_types;  // memory types, kept open until the compound is built
  Table table;
  table.rows = rows;
  std::size_t row_size = 0;
  for (int m = 0; m < members; ++m) {
    char* raw = H5Tget_member_name(type.id(), static_cast<unsigned>(m));
    if (raw == nullptr) throw std::runtime_error("HDF5: cannot name column " + std::to_string(m) + " of " + name);
    Column column;
    column.name = raw;
    H5free_memory(raw);
    Handle file_member = handle(H5Tget_member_type(type.id(), static_cast<unsigned>(m)), H5Tclose,
                                "get the type of column " + column.name);
    column.kind = kind_of(file_member.id(), "column " + column.name + " of " + name);
    Layout l{row_size, 0, false};
    if (column.kind == Kind::string) {
      member_types.push_back(memory_string_type(file_member.id()));
      l.variable = H5Tis_variable_str(file_member.id()) > 0;
      l.width = H5Tget_size(member_types.back().id());
    } else {
      member_types.push_back(handle(H5Tcopy(column.kind == Kind::integer ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE),
                                    H5Tclose, "copy number type"));
      l.width = 8;
    }
    row_size += (l.width + 7) / 8 * 8;  // keep the numbers 8-byte aligned
    layout.push_back(l);
    table.columns.push_back(std::move(column));
  }
  if (members == 0) return table;
  Handle memory = handle(H5Tcreate(H5T_COMPOUND, row_size), H5Tclose, "create compound type");
  for (int m = 0; m < members; ++m)
    check(H5Tinsert(memory.id(), table.columns[m].name.c_str(), layout[m].offset, member_types[m].id()),
          "insert column " + table.columns[m].name);
  std::vector<unsigned char> buffer(row_size * rows, 0);
  if (rows > 0) check(H5Dread(set.id(), memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), "read " + name);
  bool any_variable = false;
  for (int m = 0; m < members; ++m) {
    Column& c = table.columns[m];
    const Layout& l = layout[m];
    any_variable = any_variable || l.variable;
    for (hsize_t r = 0; r < rows; ++r) {
      const unsigned char* p = &buffer[r * row_size + l.offset];
      if (c.kind == Kind::string) {
        c.strings.push_back(text_at(p, l.variable, l.width));
      } else if (c.kind == Kind::integer) {
        std::int64_t v;
        std::memcpy(&v, p, sizeof v);
        c.integers.push_back(v);
      } else {
        double v;
        std::memcpy(&v, p, sizeof v);
        c.reals.push_back(v);
      }
    }
  }
  if (any_variable && rows > 0) reclaim(memory.id(), space.id(), buffer.data());
  return table;
}

}  // namespace sdegen::h5
