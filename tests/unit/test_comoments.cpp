// Tests of the co-moment accumulator: Welford against a two-pass covariance on data with a large
// offset, Chan merges of uneven parts against one pass, agreement with MomentAccumulator's
// diagonal, exact symmetry, and the packed round trip.
#include <catch2/catch.hpp>

#include "sdegen/random/stream.hpp"
#include "sdegen/stats/comoments.hpp"
#include "sdegen/stats/moments.hpp"

using namespace sdegen;

namespace {
// Correlated columns with a large common offset (raw sums of products would lose every digit).
Eigen::MatrixXd correlated_sample(int rows, int cols) {
  Stream s(11, 0, 0, Purpose::data);
  Eigen::MatrixXd z(rows, cols);
  s.fill_normal(z);
  Eigen::MatrixXd mix = Eigen::MatrixXd::Identity(cols, cols);
  for (int j = 1; j < cols; ++j) mix(j - 1, j) = 0.8;
  return ((z * mix).array() * 2 + 1e6).matrix();
}

Eigen::MatrixXd two_pass_covariance(const Eigen::MatrixXd& x) {
  const Eigen::MatrixXd centred = x.rowwise() - x.colwise().mean();
  return centred.transpose() * centred / static_cast<double>(x.rows() - 1);
}
}  // namespace

TEST_CASE("co-moments: Welford accumulation matches a two-pass covariance") {
  const Eigen::MatrixXd x = correlated_sample(2000, 4);
  CoMomentAccumulator acc(4);
  for (int i = 0; i < x.rows(); ++i) acc.add(x.row(i).transpose());
  const Eigen::MatrixXd expected = two_pass_covariance(x);
  CHECK(acc.count() == 2000);
  CHECK((acc.mean() - x.colwise().mean().transpose()).cwiseAbs().maxCoeff() < 1e-8);
  CHECK((acc.covariance() - expected).cwiseAbs().maxCoeff() < 1e-9 * expected.cwiseAbs().maxCoeff());
  CHECK(expected(0, 1) > 0.5 * std::sqrt(expected(0, 0) * expected(1, 1)));  // the test sees off-diagonals
  CHECK(acc.comoment() == acc.comoment().transpose());                      // exactly symmetric
}

TEST_CASE("co-moments: Chan merges of uneven parts equal one pass, and the diagonal is MomentAccumulator's M2") {
  const Eigen::MatrixXd x = correlated_sample(1000, 3);
  CoMomentAccumulator all(3), merged(3);
  MomentAccumulator diagonal(3);
  for (int i = 0; i < x.rows(); ++i) {
    all.add(x.row(i).transpose());
    diagonal.add(x.row(i).transpose());
  }
  int start = 0;
  for (int size : {1, 0, 17, 300, 2, 680}) {
    CoMomentAccumulator part(3);
    for (int i = start; i < start + size; ++i) part.add(x.row(i).transpose());
    merged.merge(part);
    start += size;
  }
  REQUIRE(start == 1000);
  CHECK(merged.count() == all.count());
  CHECK((merged.mean() - all.mean()).cwiseAbs().maxCoeff() < 1e-8);
  CHECK((merged.comoment() - all.comoment()).cwiseAbs().maxCoeff() < 1e-9 * all.comoment().cwiseAbs().maxCoeff());
  CHECK((all.comoment().diagonal() - diagonal.m2()).cwiseAbs().maxCoeff() < 1e-9 * diagonal.m2().maxCoeff());
  CHECK(merged.comoment() == merged.comoment().transpose());
}

TEST_CASE("co-moments: packing round-trips exactly, and the covariance is NaN below two samples") {
  const Eigen::MatrixXd x = correlated_sample(10, 5);
  CoMomentAccumulator acc(5);
  CHECK(std::isnan(acc.covariance()(0, 0)));
  for (int i = 0; i < x.rows(); ++i) acc.add(x.row(i).transpose());
  std::vector<double> buffer{42.0};  // packs append
  acc.pack(buffer);
  REQUIRE(buffer.size() == 1 + CoMomentAccumulator::packed_size(5));
  const CoMomentAccumulator back = CoMomentAccumulator::unpack(buffer.data() + 1, 5);
  CHECK(back.count() == acc.count());
  CHECK(back.mean() == acc.mean());
  CHECK(back.comoment() == acc.comoment());
}
