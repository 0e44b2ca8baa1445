// Golub-Welsch construction of the normal-weight Gauss-Hermite rule with Eigen's symmetric
// eigensolver: nodes are eigenvalues, weights the squared first eigenvector components.
#include "sdegen/problems/gauss_hermite.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <map>
#include <mutex>

namespace sdegen {

namespace {
GaussHermiteRule build_rule(int points) {
  Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(points, points);
  for (int k = 1; k < points; ++k) jacobi(k - 1, k) = jacobi(k, k - 1) = std::sqrt(double(k));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(jacobi);
  GaussHermiteRule rule;
  rule.nodes = eig.eigenvalues();
  rule.weights = eig.eigenvectors().row(0).transpose().array().square();
  rule.weights /= rule.weights.sum();
  return rule;
}
}  // namespace

const GaussHermiteRule& gauss_hermite_rule(int points) {
  static std::mutex mutex;
  static std::map<int, GaussHermiteRule> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(points);
  if (it == cache.end()) it = cache.emplace(points, build_rule(points)).first;
  return it->second;
}

}  // namespace sdegen
