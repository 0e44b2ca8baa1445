// Training sets and population blocks from a table: a gather of rows (with replacement) or a run
// of consecutive rows, copied into the column-major Dataset the model kernels take.
#include "sdegen/problems/table_problem.hpp"

#include <stdexcept>

#include "sdegen/data/population.hpp"

namespace sdegen {

TableProblem::TableProblem(std::unique_ptr<Problem> model, Table table, Labels labels)
    : model_(std::move(model)), table_(std::move(table)), labels_(labels) {
  if (table_.rows() < 1) throw std::invalid_argument("TableProblem: the table has no rows");
}

void TableProblem::read_labels(Vector& y) const {
  if (labels_ == Labels::binary_as_index) y = (y.array() + 1.0) / 2.0;
}

Dataset TableProblem::sample(Stream& stream, int n) const {
  Dataset data = gather_rows(table_, draw_row_indices(table_.rows(), n, stream));
  read_labels(data.y);
  return data;
}

Dataset TableProblem::rows(Eigen::Index first, Eigen::Index count) const {
  Dataset data;
  data.X = table_.features().middleRows(first, count);
  data.y = table_.labels().segment(first, count);
  read_labels(data.y);
  return data;
}

}  // namespace sdegen
