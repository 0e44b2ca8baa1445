// Text-table helpers for the printed report: padding, column widths and number formatting.
// Widths count UTF-8 code points, so "0.1 ± 0.02" aligns like ASCII text.
#include "sdegen/report/text_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace sdegen {

namespace {
std::size_t columns_of(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

std::string format_number(const char* fmt, double a, double b) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

std::string plus_minus(double mean, double stderr_) {
  if (std::isnan(mean)) return "-";
  if (std::isnan(stderr_)) return format_number("%.4g", mean) + " ± -";  // e.g. too few jackknife groups
  return format_number("%.4g ± %.2g", mean, stderr_);
}

void print_aligned(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], columns_of(row[c]));
  }
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      out << std::string(width[c] - columns_of(row[c]) + (c ? 2 : 0), ' ') << row[c];
    out << '\n';
  }
}

}  // namespace sdegen
