// Reader of a user's table from CSV: a header row of column names, one named label column, every
// other column a numeric feature. Each malformed file gets one message with file, row and column.
#pragma once
#include <string>

#include "sdegen/data/table.hpp"

namespace sdegen {

struct CsvTableOptions {
  std::string label_column;                 // the name of the label column in the header
  LabelKind labels = LabelKind::real;       // real (a target) or class_code (integer classes)
};

// Format: comma-separated, one record per line (LF or CRLF; a leading UTF-8 byte-order mark is
// ignored). Spaces and tabs around a cell are ignored. A cell may be enclosed in double quotes
// (then it may hold commas, "" stands for one quote, and the spaces inside are kept); a quoted cell
// cannot span lines. Lines holding nothing but blanks are skipped. Numbers are read in the C
// locale (decimal point '.', optional exponent). Rows are counted like a spreadsheet's: the
// header is row 1, and a message's row is the file's line number. Errors (UsageError): an empty
// file or no data rows, an empty or duplicate column name, no column named label_column, no
// feature column, a row with more or fewer cells than the header, an empty or non-numeric cell,
// NaN or infinity, a label not of the expected kind.
Table read_csv_table(const std::string& path, const CsvTableOptions& options);

}  // namespace sdegen
