// Training sets and population blocks from a table: a gather of rows (with replacement) or a run
// of consecutive rows, copied into the column-major Dataset the model kernels take.
#include "sdegen/problems/table_problem.hpp"

#include <map>
#include <stdexcept>
#include <tuple>

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

std::shared_ptr<const std::vector<Dataset>> TableProblem::cached_blocks(Eigen::Index block_rows) const {
  const auto bytes = static_cast<std::size_t>(table_.rows()) * static_cast<std::size_t>(table_.cols() + 1) * sizeof(double);
  if (bytes > kCachedBytes) return nullptr;
  if (blocks_ && blocks_rows_ == block_rows) return blocks_;
  // One copy per (numbers, labels, block size) in the process, alive while some problem holds it:
  // the cells of a sweep on one table share it.
  using Key = std::tuple<const double*, Eigen::Index, Eigen::Index, int, Eigen::Index>;
  static std::map<Key, std::weak_ptr<const std::vector<Dataset>>> shared;
  const Key key{table_.features().data(), table_.rows(), table_.cols(), static_cast<int>(labels_), block_rows};
  auto found = shared[key].lock();
  if (!found) {
    auto blocks = std::make_shared<std::vector<Dataset>>();
    for (Eigen::Index first = 0; first < table_.rows(); first += block_rows)
      blocks->push_back(rows(first, std::min(block_rows, table_.rows() - first)));
    found = blocks;
    shared[key] = found;
  }
  blocks_ = found;
  blocks_rows_ = block_rows;
  return blocks_;
}

}  // namespace sdegen
