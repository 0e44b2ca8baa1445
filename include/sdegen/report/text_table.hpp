// Plain-text tables for people: numbers with a given precision, "mean ± stderr" cells and
// right-aligned columns that count the ± sign as one column. Shared by `run` and `report`.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace sdegen {

std::string format_number(const char* fmt, double a, double b = 0);  // snprintf of one or two doubles
std::string plus_minus(double mean, double stderr_);                 // "-" for NaN, "x ± -" without error
void print_aligned(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

}  // namespace sdegen
