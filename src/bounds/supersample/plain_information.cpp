// The unconditional informations as Jensen-Shannon divergences between the law of a quantity
// and its law with the roles of training member and held-out point swapped (the column-swap
// symmetry: given U_i = 1, every column-ordered quantity has the law of its role-swapped twin).
#include "sdegen/bounds/supersample/plain_information.hpp"

#include <algorithm>
#include <cmath>

namespace sdegen::supersample {

namespace {
// sum over p > 0 of p ln(p / m); m > 0 wherever p > 0.
double kl_to_mixture(const Eigen::ArrayXd& p, const Eigen::ArrayXd& m) {
  return (p > 0).select(p * (p / m).log(), 0.0).sum();
}
}  // namespace

double jensen_shannon(const Eigen::Ref<const Eigen::ArrayXd>& p, const Eigen::Ref<const Eigen::ArrayXd>& q) {
  const Eigen::ArrayXd m = 0.5 * (p + q);
  // Rounding can push a divergence of (nearly) equal laws a few ulps below 0.
  return std::max(0.0, 0.5 * kl_to_mixture(p, m) + 0.5 * kl_to_mixture(q, m));
}

double gap_information(const LossPairLaw& law) {
  // JS(P_G, P_{-G}) = E_G ln(2 p(G) / (p(G) + p(-G))): the mirrored law is the reversed vector.
  const Eigen::ArrayXd p = law.gap_pmf().array();
  return jensen_shannon(p, p.reverse());
}

double single_loss_information(const LossPairLaw& law) {
  return jensen_shannon(law.training_marginal().array(), law.heldout_marginal().array());
}

double pair_information(const LossPairLaw& law) {
  const Eigen::MatrixXd joint = law.joint(), swapped = joint.transpose();
  return jensen_shannon(joint.reshaped().array(), swapped.reshaped().array());
}

PlainInformation plain_information(const LossPairLaw& law) {
  return {gap_information(law), single_loss_information(law), pair_information(law)};
}

PlainInformation null_bias(const PairCounts& counts) {
  const double n = static_cast<double>(counts.sum());
  const int b = static_cast<int>(counts.rows()) - 1;
  PlainInformation out;
  if (n <= 0) return out;
  int gap_pairs = 0;
  for (int k = 1; k <= b; ++k) gap_pairs += (counts.diagonal(k).sum() + counts.diagonal(-k).sum()) > 0;
  const PairCounts symmetric = counts + counts.transpose();
  const Eigen::Index cell_pairs = (symmetric.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().array() > 0).count();
  const Eigen::Index levels = ((counts.rowwise().sum() + counts.colwise().sum().transpose()).array() > 0).count();
  out.gap = gap_pairs / (2 * n);
  out.pair = static_cast<double>(cell_pairs) / (2 * n);
  out.single = static_cast<double>(levels - 1) / (4 * n);
  return out;
}

}  // namespace sdegen::supersample
