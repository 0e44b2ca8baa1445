// Moments and marginals of the loss-pair law; the gap law is read off the anti-diagonals
// (column minus row = k gives G = k / B).
#include "sdegen/bounds/supersample/loss_pair_law.hpp"

#include <stdexcept>

namespace sdegen::supersample {

LossPairLaw::LossPairLaw(const Eigen::MatrixXd& weights) : weights_(weights), total_(weights.sum()) {
  if (weights.rows() != weights.cols() || weights.rows() < 2)
    throw std::invalid_argument("loss-pair law: need a square matrix with at least 2 levels");
  if (!weights.allFinite() || (weights.array() < 0).any() || !(total_ > 0))
    throw std::invalid_argument("loss-pair law: need non-negative entries with a positive sum");
  const int b = levels();
  gap_pmf_.resize(2 * b + 1);
  for (int k = -b; k <= b; ++k) gap_pmf_(k + b) = weights_.diagonal(k).sum() / total_;
}

LossPairLaw LossPairLaw::of_counts(const PairCounts& counts) {
  if (counts.sum() <= 0) throw std::invalid_argument("loss-pair law: no pairs counted");
  return LossPairLaw(counts.cast<double>());
}

Eigen::VectorXd LossPairLaw::gap_values() const {
  return Eigen::VectorXd::LinSpaced(2 * levels() + 1, -1.0, 1.0);
}

Eigen::VectorXd LossPairLaw::training_marginal() const { return weights_.rowwise().sum() / total_; }
Eigen::VectorXd LossPairLaw::heldout_marginal() const { return weights_.colwise().sum().transpose() / total_; }

namespace {
Eigen::VectorXd level_values(int b) { return Eigen::VectorXd::LinSpaced(b + 1, 0.0, 1.0); }
}  // namespace

double LossPairLaw::mean_training_loss() const { return training_marginal().dot(level_values(levels())); }
double LossPairLaw::mean_heldout_loss() const { return heldout_marginal().dot(level_values(levels())); }

double LossPairLaw::gap_second_moment() const { return gap_pmf_.dot(gap_values().cwiseAbs2()); }

double LossPairLaw::mean_cosh_gap(double lambda) const {
  return gap_pmf_.dot((lambda * gap_values()).array().cosh().matrix());
}

bool LossPairLaw::interpolating() const { return (weights_.bottomRows(levels()).array() == 0).all(); }

}  // namespace sdegen::supersample
