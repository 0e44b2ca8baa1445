// A model trained on a finite population: the rows of a table, drawn i.i.d. with replacement. The
// model (linreg, logistic, softmax, mlp) supplies the loss and its kernels; the table the data.
#pragma once
#include <algorithm>
#include <memory>
#include <vector>

#include "sdegen/data/table.hpp"
#include "sdegen/problems/problem.hpp"

namespace sdegen {

class TableProblem : public Problem {
 public:
  // How the model reads the table's labels: as stored, or two classes stored as -1/+1 read as the
  // class indices 0/1 (a softmax on a binary table).
  enum class Labels { as_stored, binary_as_index };

  // model.dim() must fit the table's columns (the caller builds it so); the table is shared.
  TableProblem(std::unique_ptr<Problem> model, Table table, Labels labels = Labels::as_stored);

  std::string name() const override { return model_->name(); }
  int dim() const override { return model_->dim(); }
  // n rows uniform and independent (with replacement): S ~ mu^n with mu uniform over the rows.
  Dataset sample(Stream& stream, int n) const override;
  const std::vector<EvalLoss>& losses() const override { return model_->losses(); }
  void initial_weights(Stream& stream, double scale, Vector& w) const override {
    model_->initial_weights(stream, scale, w);
  }
  void example_gradients(const Dataset& data, const Vector& w, Matrix& out) const override {
    model_->example_gradients(data, w, out);
  }
  void weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights, Matrix& out,
                              GradientScratch& scratch) const override {
    model_->weighted_gradient_sums(data, w, weights, out, scratch);
  }
  void batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w, Vector& out,
                      GradientScratch& scratch) const override {
    model_->batch_gradient(data, rows, w, out, scratch);
  }
  void empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const override {
    model_->empirical_risks(data, w, out);
  }
  Matrix empirical_hessian(const Dataset& data, const Vector& w) const override {
    return model_->empirical_hessian(data, w);
  }
  void example_losses(const Dataset& data, const Vector& w, Matrix& out) const override {
    model_->example_losses(data, w, out);
  }
  int prediction_symbols() const override { return model_->prediction_symbols(); }
  void example_predictions(const Dataset& data, const Vector& w, Eigen::ArrayXi& out) const override {
    model_->example_predictions(data, w, out);
  }

  const Table& table() const { return table_; }
  const Problem& model() const { return *model_; }
  // Rows first .. first + count - 1 as a training-set-like block (labels as the model reads them).
  Dataset rows(Eigen::Index first, Eigen::Index count) const;

  // The whole table in blocks of block_rows consecutive rows, as column-major Datasets, for the
  // exact population averages: visit(block, rows) in order. A table of at most kCachedBytes is
  // copied once into such blocks and the copy is shared by every TableProblem of the process on
  // the same numbers, labels and block size (population passes then read it instead of
  // transposing the rows again); a larger one is copied block by block at every pass.
  static constexpr std::size_t kCachedBytes = std::size_t{64} << 20;
  template <class Visit>
  void for_each_block(Eigen::Index block_rows, Visit&& visit) const {
    if (const auto cached = cached_blocks(block_rows)) {
      for (const Dataset& block : *cached) visit(block, static_cast<Eigen::Index>(block.size()));
      return;
    }
    for (Eigen::Index first = 0; first < table_.rows(); first += block_rows) {
      const Eigen::Index count = std::min(block_rows, table_.rows() - first);
      visit(rows(first, count), count);
    }
  }

 private:
  void read_labels(Vector& y) const;
  std::shared_ptr<const std::vector<Dataset>> cached_blocks(Eigen::Index block_rows) const;
  std::unique_ptr<Problem> model_;
  Table table_;
  Labels labels_;
  mutable std::shared_ptr<const std::vector<Dataset>> blocks_;  // the shared copy, once made
  mutable Eigen::Index blocks_rows_ = 0;
};

}  // namespace sdegen
