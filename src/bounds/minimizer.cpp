// Damped Newton minimisation of the training loss, used to find w*_S for the terminal-state
// bounds. Each iteration is one Hessian (O(n d^2)), one Cholesky (O(d^3)) and a few O(n d) passes.
#include "sdegen/bounds/minimizer.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace sdegen {

namespace {
constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kArmijo = 1e-4;        // sufficient-decrease constant c in f(w + t p) <= f + c t g.p
constexpr int kMaxHalvings = 60;        // 2^-60 t: below any useful step
// A Cholesky pivot^2 below this fraction of the largest diagonal entry counts as singular: Eigen
// only rejects pivots <= 0, and a rank-deficient H (d > n) can factorise with rounding-sized
// pivots, whose "Newton step" is a huge move along the null space.
constexpr double kSingularPivot = 1e-12;

double training_loss(const Problem& problem, const Dataset& data, const Vector& w, Vector& risks) {
  problem.empirical_risks(data, w, risks);
  return risks[0];
}

// Newton direction -H^-1 g when H is numerically positive definite and it is a descent direction,
// else the negative gradient scaled by 1 / max diag|H| (a cheap curvature guess; the line search
// corrects it).
Vector search_direction(const Matrix& hessian, const Vector& gradient) {
  const Eigen::LLT<Matrix> llt(hessian);
  const double scale = hessian.diagonal().cwiseAbs().maxCoeff();
  if (llt.info() == Eigen::Success && scale > 0 && std::isfinite(scale)) {
    const double min_pivot = llt.matrixLLT().diagonal().minCoeff();
    if (min_pivot * min_pivot > kSingularPivot * scale) {
      Vector p = -llt.solve(gradient);
      const double slope = gradient.dot(p);
      if (std::isfinite(slope) && slope < 0) return p;
    }
  }
  return (scale > 0 && std::isfinite(scale)) ? Vector(-gradient / scale) : Vector(-gradient);
}
}  // namespace

MinimizerResult find_minimum(const Problem& problem, const Dataset& data, const Vector& start,
                             double tolerance, int max_iterations) {
  if (start.size() != problem.dim())
    throw std::invalid_argument("find_minimum: start has the wrong dimension");
  MinimizerResult result;
  result.w = start;
  Vector risks(problem.losses().size());
  double loss = training_loss(problem, data, result.w, risks);
  Vector gradient = problem.full_gradient(data, result.w);
  result.gradient_norm = gradient.norm();

  while (!(result.gradient_norm <= tolerance) && result.iterations < max_iterations &&
         std::isfinite(result.gradient_norm) && std::isfinite(loss)) {
    const Vector p = search_direction(problem.empirical_hessian(data, result.w), gradient);
    const double slope = gradient.dot(p);
    bool accepted = false;
    double t = 1;
    for (int k = 0; k < kMaxHalvings && !accepted; ++k, t *= 0.5) {
      const Vector trial = result.w + t * p;
      const double trial_loss = training_loss(problem, data, trial, risks);
      if (!std::isfinite(trial_loss)) continue;
      Vector trial_gradient;
      // Strict decrease as well: once t p is below the rounding of L_S, f + c t g.p == f and
      // Armijo alone would accept steps that change nothing, burning iterations.
      if (trial_loss <= loss + kArmijo * t * slope && trial_loss < loss) {
        accepted = true;
      } else if (std::abs(trial_loss - loss) <= 64 * kEps * std::max(std::abs(loss), std::abs(trial_loss))) {
        // Near the minimum the predicted decrease drops below the rounding of L_S, and Armijo
        // rejects even exact Newton steps. There, accept a step that reduces the gradient norm.
        trial_gradient = problem.full_gradient(data, trial);
        accepted = trial_gradient.norm() < result.gradient_norm;
      }
      if (accepted) {
        result.w = trial;
        loss = trial_loss;
        gradient = trial_gradient.size() ? trial_gradient : problem.full_gradient(data, trial);
        result.gradient_norm = gradient.norm();
      }
    }
    if (!accepted) break;  // no progress possible in floating point: report non-convergence
    ++result.iterations;
  }
  result.converged = result.gradient_norm <= tolerance;
  return result;
}

}  // namespace sdegen
