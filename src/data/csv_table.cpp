// CSV parsing, cell by cell, into a row-major table; the raw-file checksum comes from the same
// bytes that are parsed, so the file is read once.
#include "sdegen/data/csv_table.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/data/labels.hpp"
#include "sdegen/io/checksum.hpp"

namespace sdegen {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

struct Cell {
  std::string text;
  bool quoted = false;
};

class CsvReader {
 public:
  CsvReader(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) position_ = 3;  // UTF-8 byte-order mark
  }

  // The next line that is not blank, split into cells; false at the end of the file.
  bool next_record(std::vector<Cell>& cells) {
    while (position_ < text_.size()) {
      const std::size_t end = std::min(text_.find('\n', position_), text_.size());
      std::size_t stop = end;
      if (stop > position_ && text_[stop - 1] == '\r') --stop;
      const std::string_view line(text_.data() + position_, stop - position_);
      position_ = end + 1;
      ++row_;
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      split(line, cells);
      return true;
    }
    return false;
  }

  int row() const { return row_; }
  [[noreturn]] void fail(const std::string& where, const std::string& problem) const {
    throw UsageError("'" + path_ + "': row " + std::to_string(row_) + where + ": " + problem);
  }
  static std::string column_text(std::size_t index, const std::string& name) {
    return ", column " + std::to_string(index + 1) + (name.empty() ? "" : " ('" + name + "')");
  }

 private:
  void split(std::string_view line, std::vector<Cell>& cells) {
    cells.clear();
    std::size_t i = 0;
    while (true) {
      Cell cell;
      while (i < line.size() && is_blank(line[i])) ++i;
      if (i < line.size() && line[i] == '"') {
        cell.quoted = true;
        for (++i;; ++i) {
          if (i >= line.size())
            fail(column_text(cells.size(), ""), "unterminated quote (a quoted cell cannot span lines)");
          if (line[i] == '"') {
            if (i + 1 < line.size() && line[i + 1] == '"') {
              cell.text += '"';
              ++i;
            } else {
              ++i;
              break;
            }
          } else {
            cell.text += line[i];
          }
        }
        while (i < line.size() && is_blank(line[i])) ++i;
        if (i < line.size() && line[i] != ',') fail(column_text(cells.size(), ""), "text after a closing quote");
      } else {
        const std::size_t start = i;
        while (i < line.size() && line[i] != ',') {
          if (line[i] == '"') fail(column_text(cells.size(), ""), "a quote inside an unquoted cell");
          ++i;
        }
        std::size_t stop = i;
        while (stop > start && is_blank(line[stop - 1])) --stop;
        cell.text.assign(line.substr(start, stop - start));
      }
      cells.push_back(std::move(cell));
      if (i >= line.size()) return;
      ++i;  // the comma
    }
  }

  std::string path_;
  std::string text_;
  std::size_t position_ = 0;
  int row_ = 0;
};

// A finite double from the whole cell, or what is wrong with it.
std::string parse_number(const std::string& text, double& value) {
  if (text.empty()) return "the cell is empty";
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (*first == '+') ++first;
  const auto [end, error] = std::from_chars(first, last, value);
  if (error == std::errc::result_out_of_range) return "'" + text + "' is out of the range of a double";
  if (error != std::errc() || end != last) return "'" + text + "' is not a number";
  if (std::isnan(value)) return "the value is NaN";
  if (std::isinf(value)) return "the value is infinite";
  return "";
}

std::string read_whole_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError("'" + path + "': cannot open (" + std::strerror(errno) + ")");
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw UsageError("'" + path + "': read error");
  return text.str();
}

}  // namespace

Table read_csv_table(const std::string& path, const CsvTableOptions& options) {
  if (options.labels != LabelKind::real && options.labels != LabelKind::class_code)
    throw std::invalid_argument("read_csv_table: labels must be real or class codes");
  std::string text = read_whole_file(path);
  const SourceFile source{path, text.size(), crc32_bytes(text.data(), text.size())};
  const std::size_t line_count = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  CsvReader reader(path, std::move(text));

  std::vector<Cell> cells;
  if (!reader.next_record(cells)) throw UsageError("'" + path + "': the file is empty (no header row)");
  std::vector<std::string> names;
  std::map<std::string, std::size_t> first_of;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::string& name = cells[c].text;
    if (name.empty()) reader.fail(CsvReader::column_text(c, ""), "the column has no name");
    const auto [it, fresh] = first_of.emplace(name, c);
    if (!fresh)
      reader.fail(CsvReader::column_text(c, name), "column " + std::to_string(it->second + 1) + " has the same name");
    names.push_back(name);
  }
  const auto label_it = first_of.find(options.label_column);
  if (label_it == first_of.end()) {
    std::string all;
    for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
    reader.fail("", "no column named '" + options.label_column + "' for the labels (columns: " + all + ")");
  }
  const std::size_t label_column = label_it->second;
  if (names.size() < 2) reader.fail("", "no feature column besides the label column '" + options.label_column + "'");

  const Eigen::Index cols = static_cast<Eigen::Index>(names.size()) - 1;
  RowMatrix features(static_cast<Eigen::Index>(line_count), cols);
  Eigen::VectorXd labels(static_cast<Eigen::Index>(line_count));
  Eigen::Index rows = 0;
  while (reader.next_record(cells)) {
    if (cells.size() < names.size())
      reader.fail(CsvReader::column_text(cells.size(), names[cells.size()]),
                  "missing: the row has " + std::to_string(cells.size()) + " cells, the header " +
                      std::to_string(names.size()) + " columns");
    if (cells.size() > names.size())
      reader.fail(CsvReader::column_text(names.size(), ""),
                  "extra cell: the row has " + std::to_string(cells.size()) + " cells, the header " +
                      std::to_string(names.size()) + " columns");
    Eigen::Index feature = 0;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      double value = 0;
      std::string problem = parse_number(cells[c].text, value);
      if (problem.empty() && c == label_column) problem = label_problem(value, options.labels);
      if (!problem.empty()) reader.fail(CsvReader::column_text(c, names[c]), problem);
      if (c == label_column)
        labels[rows] = value;
      else
        features(rows, feature++) = value;
    }
    ++rows;
  }
  if (rows == 0) throw UsageError("'" + path + "': no data rows after the header");
  features.conservativeResize(rows, cols);
  labels.conservativeResize(rows);

  TableInfo info;
  for (std::size_t c = 0; c < names.size(); ++c)
    if (c != label_column) info.feature_names.push_back(names[c]);
  info.feature_shape = {static_cast<int>(cols)};
  if (options.labels == LabelKind::class_code) set_class_codes(labels, info);
  info.provenance.format = "csv (label column '" + options.label_column + "')";
  info.provenance.sources = {source};
  info.provenance.original_rows = rows;
  info.provenance.original_cols = cols;
  return Table(std::move(features), std::move(labels), std::move(info));
}

}  // namespace sdegen
