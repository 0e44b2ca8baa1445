// Names, units and descriptions of the per-step quantities; they become dataset names and
// attributes in the results file, so they are spelled once, here.
#include "sdegen/stats/quantities.hpp"

namespace sdegen {

QuantityLayout make_layout(const Problem& problem, const CellParams& cell) {
  QuantityLayout layout;
  layout.steps = cell.logged_steps();
  layout.loss_count = static_cast<int>(problem.losses().size());
  for (const auto& loss : problem.losses()) {
    layout.columns.push_back({"train_" + loss.name, "loss", "empirical risk L_S(W_t), " + loss.description});
    layout.columns.push_back({"test_" + loss.name, "loss", "population risk L_mu(W_t), " + loss.description});
    layout.columns.push_back({"gen_" + loss.name, "loss", "L_mu(W_t) - L_S(W_t), " + loss.description});
  }
  layout.columns.push_back({"grad_norm_sq", "gradient^2", "||G(W_t)||^2, squared full-batch training gradient"});
  layout.columns.push_back({"noise_trace", "gradient^2",
                            "tr C(W_t), C = kappa Sigma_S: minibatch gradient-noise covariance at W_t"});
  layout.columns.push_back({"dist_init_sq", "weight^2", "||W_t - W_0||^2"});
  if (cell.batch == cell.n)
    layout.logdet_reason = "C = 0: the batch is the whole training set (b = n)";
  else if (cell.n - 1 < problem.dim())
    layout.logdet_reason = "C is singular: rank <= n - 1 < d";
  layout.logdet_defined = layout.logdet_reason.empty();
  return layout;
}

}  // namespace sdegen
