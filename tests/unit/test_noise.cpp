// Tests of the noise model: kappa against the exact covariance of without-replacement batches,
// the sampled SDE noise against C = kappa Sigma_S, and the batch sampler's distribution.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <vector>

#include "sdegen/dynamics/batch_sampler.hpp"
#include "sdegen/dynamics/sde_noise.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/problems/logistic.hpp"

using namespace sdegen;

TEST_CASE("kappa Sigma_S is the exact covariance of the mean gradient of b distinct examples") {
  // Enumerate every 3-subset of 7 examples: no sampling error at all.
  LinearRegression problem(3, 0.5, 1, 0, 0);
  Stream stream(1, 0, 0, Purpose::data);
  const Dataset data = problem.sample(stream, 7);
  const Vector w = Vector::Constant(3, 0.2);
  Matrix grads;
  problem.example_gradients(data, w, grads);
  Matrix second = Matrix::Zero(3, 3);
  Vector first = Vector::Zero(3);
  int subsets = 0;
  for (int a = 0; a < 7; ++a)
    for (int b = a + 1; b < 7; ++b)
      for (int c = b + 1; c < 7; ++c) {
        const Vector g = (grads.row(a) + grads.row(b) + grads.row(c)).transpose() / 3;
        first += g;
        second += g * g.transpose();
        ++subsets;
      }
  first /= subsets;
  const Matrix covariance = second / subsets - first * first.transpose();
  const Matrix c = minibatch_kappa(7, 3) * empirical_gradient_covariance(grads);
  CHECK((covariance - c).norm() < 1e-12);
}

namespace {
// Draws xi many times at a fixed w and compares E[xi xi^T] with C entry by entry.
double worst_noise_z(const Problem& problem, int n, int batch, int draws) {
  Stream data_stream(2, 0, 0, Purpose::data);
  const Dataset data = problem.sample(data_stream, n);
  const Vector w = Vector::LinSpaced(problem.dim(), -0.5, 0.5);
  Matrix grads;
  problem.example_gradients(data, w, grads);
  const double kappa = minibatch_kappa(n, batch);
  const Matrix c = kappa * empirical_gradient_covariance(grads);
  const int d = problem.dim();
  Stream noise_stream(2, 0, 0, Purpose::noise);
  Vector gradient, xi;
  SdeWorkspace work;
  Matrix products(draws, d * d);
  Matrix sample(draws, d);
  for (int k = 0; k < draws; ++k) {
    gradient_and_noise(problem, data, w, kappa, noise_stream, gradient, xi, work);
    sample.row(k) = xi.transpose();
    products.row(k) = Eigen::Map<const Eigen::RowVectorXd>(Matrix(xi * xi.transpose()).data(), d * d);
  }
  CHECK((gradient - problem.full_gradient(data, w)).norm() < 1e-12);
  double worst = 0;
  for (int j = 0; j < d; ++j) {  // mean zero
    const auto col = sample.col(j).array();
    const double se = std::sqrt((col - col.mean()).square().sum() / (draws - 1) / draws);
    worst = std::max(worst, std::abs(col.mean()) / se);
  }
  for (int e = 0; e < d * d; ++e) {  // second moments = C
    const auto col = products.col(e).array();
    const double se = std::sqrt((col - col.mean()).square().sum() / (draws - 1) / draws);
    worst = std::max(worst, std::abs(col.mean() - c.data()[e]) / se);
  }
  return worst;
}
}  // namespace

TEST_CASE("sampled SDE noise has covariance C = kappa Sigma_S") {
  CHECK(worst_noise_z(LinearRegression(4, 0.5, 1, 0.5, 0), 30, 5, 200000) < 5);
  CHECK(worst_noise_z(Logistic(3, 1, 1), 25, 4, 200000) < 5);
}

TEST_CASE("sampled SDE noise is right when C is singular (d >= n)") {
  CHECK(worst_noise_z(LinearRegression(6, 0.5, 1, 0, 0), 4, 2, 200000) < 5);
}

TEST_CASE("fresh batches are b distinct indices, each example with probability b/n") {
  const int n = 10, b = 3, steps = 60000;
  BatchSampler sampler(n, b, false);
  Stream stream(4, 0, 0, Purpose::batches);
  std::vector<int> hits(n, 0);
  int pair01 = 0;
  for (int s = 0; s < steps; ++s) {
    const auto& batch = sampler.next(stream);
    std::set<int> distinct(batch.data(), batch.data() + b);
    REQUIRE(distinct.size() == static_cast<std::size_t>(b));
    for (int i : distinct) ++hits[i];
    pair01 += distinct.count(0) && distinct.count(1);
  }
  const double p = double(b) / n;
  for (int h : hits) CHECK(std::abs(h - steps * p) < 5 * std::sqrt(steps * p * (1 - p)));
  const double q = double(b) * (b - 1) / (n * (n - 1.0));  // both of a given pair
  CHECK(std::abs(pair01 - steps * q) < 5 * std::sqrt(steps * q * (1 - q)));
}

namespace {

// Pearson's statistic of inclusion counts of n indices over `draws` batches of b distinct ones.
// The indicators of one batch have variance p(1 - p), p = b/n, and covariance -p(1 - p)/(n - 1)
// (they sum to b), so sum_i (count_i - draws p)^2 / (draws p (1 - p) n / (n - 1)) is chi^2 with
// n - 1 degrees of freedom for large draws.
double inclusion_chi_squared(const std::vector<int>& counts, int b, int draws) {
  const double n = static_cast<double>(counts.size()), p = b / n;
  double sum = 0;
  for (int c : counts) sum += std::pow(c - draws * p, 2);
  return sum / (draws * p * (1 - p) * n / (n - 1));
}

}  // namespace

TEST_CASE("fresh batches are uniform over b-subsets (chi-squared over subsets and indices)") {
  {  // every 3-subset of 7 (35 of them) equally likely: a multinomial, chi^2 with 34 dof
    const int n = 7, b = 3, draws = 70000;
    BatchSampler sampler(n, b, false);
    Stream stream(6, 0, 0, Purpose::batches);
    std::vector<int> subsets(1 << n, 0), indices(n, 0);
    for (int s = 0; s < draws; ++s) {
      int mask = 0;
      for (int i : sampler.next(stream)) mask |= 1 << i, ++indices[i];
      REQUIRE(__builtin_popcount(mask) == b);
      ++subsets[mask];
    }
    const double expected = draws / 35.0;
    double chi2 = 0;
    for (int mask = 0; mask < (1 << n); ++mask)
      if (__builtin_popcount(mask) == b) chi2 += std::pow(subsets[mask] - expected, 2) / expected;
    CHECK(chi2 < 65.25);  // 99.9% quantile of chi^2 with 34 dof
    CHECK(inclusion_chi_squared(indices, b, draws) < 22.46);  // 6 dof
  }
  {  // the benchmark's n = 200, b = 20: every index with probability b/n
    const int n = 200, b = 20, draws = 20000;
    BatchSampler sampler(n, b, false);
    Stream stream(7, 0, 0, Purpose::batches);
    std::vector<int> indices(n, 0);
    for (int s = 0; s < draws; ++s)
      for (int i : sampler.next(stream)) ++indices[i];
    CHECK(inclusion_chi_squared(indices, b, draws) < 266.4);  // 199 dof
  }
}

TEST_CASE("epoch shuffling visits every example once per epoch") {
  const int n = 12, b = 4;
  BatchSampler sampler(n, b, true);
  Stream stream(4, 0, 0, Purpose::batches);
  for (int epoch = 0; epoch < 5; ++epoch) {
    std::multiset<int> seen;
    for (int s = 0; s < n / b; ++s) {
      const auto& batch = sampler.next(stream);
      seen.insert(batch.data(), batch.data() + b);
    }
    CHECK(seen.size() == static_cast<std::size_t>(n));
    CHECK(std::set<int>(seen.begin(), seen.end()).size() == static_cast<std::size_t>(n));
  }
}
