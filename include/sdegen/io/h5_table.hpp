// A compound table read from a results file, as plain data (no HDF5 types): string, integer and
// real columns by name. The report works on it without seeing HDF5.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sdegen::h5 {

// How a value is held in memory: any HDF5 string (fixed-length or variable-length) as text,
// any integer as int64, any floating-point number as double.
enum class Kind { string, integer, real };

const char* kind_name(Kind kind);

// One column of a compound table: exactly one of the vectors is filled, with `rows` values.
struct Column {
  std::string name;
  Kind kind = Kind::real;
  std::vector<std::string> strings;
  std::vector<std::int64_t> integers;
  std::vector<double> reals;
};

struct Table {
  std::size_t rows = 0;
  std::vector<Column> columns;  // in the compound type's member order
  const Column* find(const std::string& name) const;  // nullptr when absent
};

}  // namespace sdegen::h5
