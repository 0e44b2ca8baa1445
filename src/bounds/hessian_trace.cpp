// Hutchinson's trace estimator on gradient differences: 2 gradients per probe, no d x d matrix.
// Averaged over replicates the estimate is unbiased for E tr H, which is all the sigma rule uses.
#include "sdegen/bounds/hessian_trace.hpp"

#include <cmath>

namespace sdegen {

double hutchinson_trace(const std::function<Vector(const Vector&)>& gradient, const Vector& w, int probes,
                        Stream& stream) {
  const double d = static_cast<double>(w.size());
  const double step = 1e-4 * (1 + w.norm() / std::sqrt(d));
  Vector z(w.size());
  double sum = 0;
  for (int k = 0; k < probes; ++k) {
    for (Eigen::Index i = 0; i < z.size(); ++i) z[i] = (stream() >> 63) ? 1.0 : -1.0;
    const Vector hz = (gradient(w + step * z) - gradient(w - step * z)) / (2 * step);
    sum += z.dot(hz);
  }
  return sum / probes;
}

}  // namespace sdegen
