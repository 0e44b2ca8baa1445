// A table's information (everything but its numbers) as a byte string and back, so that the rank
// that reads a table can send the description to the ranks that map its numbers.
#pragma once
#include <string>

#include "sdegen/data/table.hpp"

namespace sdegen {

std::string pack_table_info(const TableInfo& info);
TableInfo unpack_table_info(const std::string& bytes);  // throws std::runtime_error if malformed

}  // namespace sdegen
