// The joint law of (training-member loss level, held-out loss level), exact or empirical, and
// the quantities every plain supersample bound is computed from.
#pragma once
#include <Eigen/Core>

#include "sdegen/bounds/supersample/loss_pair_histogram.hpp"

namespace sdegen::supersample {

// joint(a, b) = P(L^+ = a / B, L^- = b / B) for the normalised quantised loss. The pair gap
// G = L^- - L^+ lies on the anti-diagonals: G = (b - a) / B.
class LossPairLaw {
 public:
  // A non-negative (B+1) x (B+1) matrix of weights with positive sum (normalised here); B >= 1.
  explicit LossPairLaw(const Eigen::MatrixXd& weights);
  // Empirical frequencies of a count matrix with at least one pair.
  static LossPairLaw of_counts(const PairCounts& counts);

  int levels() const { return static_cast<int>(weights_.rows()) - 1; }
  Eigen::MatrixXd joint() const { return weights_ / total_; }

  // Entry k + B is P(G = k / B), k = -B..B.
  const Eigen::VectorXd& gap_pmf() const { return gap_pmf_; }
  Eigen::VectorXd gap_values() const;          // the matching values of G, -1..1
  Eigen::VectorXd training_marginal() const;   // P(L^+ = a / B)
  Eigen::VectorXd heldout_marginal() const;    // P(L^- = b / B)

  double mean_training_loss() const;  // E L_S
  double mean_heldout_loss() const;   // E L_mu
  double gen() const { return mean_heldout_loss() - mean_training_loss(); }  // gen_ss
  double gap_second_moment() const;   // V = E G^2 = E Delta^2
  double mean_cosh_gap(double lambda) const;  // E cosh(lambda G)
  bool interpolating() const;  // P(L^+ > 0) = 0: the training loss is 0 almost surely

 private:
  // Unnormalised: sums of integer counts are exact, so a law that is symmetric in the counts
  // has exactly symmetric marginals and gap law, and its informations are exactly 0.
  Eigen::MatrixXd weights_;
  double total_ = 0;
  Eigen::VectorXd gap_pmf_;
};

}  // namespace sdegen::supersample
