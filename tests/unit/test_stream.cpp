// Tests of the counter-based random streams: reproducible, independent across keys, the SIMD
// normal kernel against a scalar reference, the normal distribution (moments, Kolmogorov-
// Smirnov, tails) at fixed seeds, and exactly uniform bounded integers.
#include <catch2/catch.hpp>

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sdegen/random/philox_normals.hpp"
#include "sdegen/random/stream.hpp"

using namespace sdegen;

namespace {

// Normals 2b and 2b + 1 of a sequence as philox_normals.hpp defines them, in long double with
// the C library's log, cos and sin. u is one IEEE sum of two exact doubles: rounded once.
void reference_pair(const Philox4x32Sequence& sequence, std::uint64_t block, long double& first,
                    long double& second) {
  const r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(block),
                                               static_cast<std::uint32_t>(block >> 32), sequence.id[0], sequence.id[1]}};
  const r123::Philox4x32::key_type key = {{sequence.key[0], sequence.key[1]}};
  const auto y = r123::Philox4x32()(counter, key);
  const double u = static_cast<double>(y[0]) * 0x1p-32 + (static_cast<double>(y[1]) + 0.5) * 0x1p-64;
  const long double radius = std::sqrt(-2 * std::log(static_cast<long double>(u)));
  const std::uint64_t j = (static_cast<std::uint64_t>(y[2] & 0x3fffffffu) << 22) | (y[3] >> 10);
  const long double half_pi = 1.5707963267948966192313216916397514L;
  const long double theta = (y[2] >> 30) * half_pi + (static_cast<long double>(j) + 0.5L - 0x1p51L) * half_pi * 0x1p-52L;
  first = radius * std::cos(theta);
  second = radius * std::sin(theta);
}

double standard_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

Eigen::VectorXd normals(Eigen::Index count, std::uint64_t seed) {
  Eigen::VectorXd z(count);
  Stream(seed, 0, 0, Purpose::noise).fill_normal(z);
  return z;
}

}  // namespace

TEST_CASE("a stream is a pure function of (seed, cell, replicate, purpose)") {
  Stream a(7, 2, 11, Purpose::noise), b(7, 2, 11, Purpose::noise);
  for (int i = 0; i < 100; ++i) REQUIRE(a() == b());
  const auto first = Stream(7, 2, 11, Purpose::noise)();
  CHECK(Stream(8, 2, 11, Purpose::noise)() != first);
  CHECK(Stream(7, 3, 11, Purpose::noise)() != first);
  CHECK(Stream(7, 2, 12, Purpose::noise)() != first);
  CHECK(Stream(7, 2, 11, Purpose::data)() != first);

  Eigen::VectorXd x(50), y(50);
  Stream(7, 2, 11, Purpose::noise).fill_normal(x);
  Stream(7, 2, 11, Purpose::noise).fill_normal(y);
  CHECK(x == y);
  for (const Stream& other : {Stream(8, 2, 11, Purpose::noise), Stream(7, 3, 11, Purpose::noise),
                              Stream(7, 2, 12, Purpose::noise), Stream(7, 2, 11, Purpose::data)}) {
    Stream copy = other;
    copy.fill_normal(y);
    CHECK((x - y).cwiseAbs().minCoeff() > 0);  // no common value at all
  }
}

TEST_CASE("the SIMD kernel computes the documented Box-Muller transform of Philox4x32 blocks") {
  const Philox4x32Sequence sequence{{0x9e3779b9u, 0x7f4a7c15u}, {3u, 0xdeadbeefu}};
  double chunk[kNormalsPerChunk];
  double worst = 0;
  // Including chunks whose block counter carries into its high word.
  for (const std::uint64_t start : {std::uint64_t{0}, (std::uint64_t{1} << 32) - 96, std::uint64_t{123456789}}) {
    for (int c = 0; c < 300; ++c) {
      const std::uint64_t first_block = start + static_cast<std::uint64_t>(c) * kBlocksPerChunk;
      philox_box_muller_chunk(sequence, first_block, chunk);
      for (int i = 0; i < kBlocksPerChunk; ++i) {
        long double first, second;
        reference_pair(sequence, first_block + static_cast<std::uint64_t>(i), first, second);
        worst = std::max({worst, static_cast<double>(std::fabs(chunk[2 * i] - first)),
                          static_cast<double>(std::fabs(chunk[2 * i + 1] - second))});
      }
    }
  }
  // A few units in the last place at |z| up to 5; any slip in the transform is O(1).
  CHECK(worst < 4e-15);
}

TEST_CASE("the SIMD word kernel gives the words of Philox4x32 blocks") {
  const Philox4x32Sequence sequence{{0x01234567u, 0x89abcdefu}, {11u, 0xfeedfaceu}};
  std::uint32_t chunk[kWordsPerChunk];
  int mismatches = 0;
  for (const std::uint64_t first_block : {std::uint64_t{0}, (std::uint64_t{1} << 32) - 7, std::uint64_t{987654321}}) {
    philox_words_chunk(sequence, first_block, chunk);
    for (int j = 0; j < kBlocksPerChunk; ++j) {
      const std::uint64_t block = first_block + static_cast<std::uint64_t>(j);
      const auto y = r123::Philox4x32()({{static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
                                          sequence.id[0], sequence.id[1]}},
                                        {{sequence.key[0], sequence.key[1]}});
      for (int w = 0; w < 4; ++w) mismatches += y[w] != chunk[kBlocksPerChunk * w + j];
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("normals are one sequence per stream: any split of the draws gives the same numbers") {
  for (const int k : {1, 7, 63, 64, 65, 100, 200}) {
    Eigen::VectorXd whole(2 * k), halves(2 * k);
    Stream(5, 1, 3, Purpose::noise).fill_normal(whole);
    Stream split(5, 1, 3, Purpose::noise);
    split.fill_normal(halves.head(k));
    split.fill_normal(halves.tail(k));
    CHECK(whole == halves);
  }
  // Odd and even counts: a prefix of a longer draw, then its continuation.
  Eigen::VectorXd odd(7), pair(2), rest(5);
  Stream(1, 0, 1, Purpose::noise).fill_normal(odd);
  Stream s(1, 0, 1, Purpose::noise);
  s.fill_normal(pair);
  s.fill_normal(rest);
  CHECK(pair == odd.head(2));
  CHECK(rest == odd.tail(5));
  // Words and normals do not move each other, and a copy continues where its original was.
  Stream plain(9, 0, 0, Purpose::data), mixed(9, 0, 0, Purpose::data);
  Eigen::VectorXd a(30), b(30);
  plain.fill_normal(a);
  const std::uint64_t word = mixed();
  mixed.fill_normal(b.head(11));
  Stream copy = mixed;
  mixed.fill_normal(b.tail(19));
  CHECK(a == b);
  CHECK(plain() == word);
  CHECK(mixed() == plain());
  Eigen::VectorXd c(19);
  copy.fill_normal(c);
  CHECK(c == b.tail(19));
  // Bounded integers are a third sequence, moved by neither words nor normals.
  Stream quiet(9, 0, 0, Purpose::data), busy(9, 0, 0, Purpose::data);
  for (int i = 0; i < 300; ++i) {
    busy();
    busy.fill_normal(c);
    REQUIRE(busy.below(200 - i % 50) == quiet.below(200 - i % 50));
  }
}

TEST_CASE("10^7 normals: mean, variance, skewness and excess kurtosis within 4 standard errors") {
  const Eigen::Index n = 10000000;
  const Eigen::VectorXd z = normals(n, 1);
  const double mean = z.mean();
  const Eigen::ArrayXd c = z.array() - mean;
  const double m2 = c.square().mean(), m3 = c.cube().mean(), m4 = c.square().square().mean();
  const double skewness = m3 / std::pow(m2, 1.5), excess_kurtosis = m4 / (m2 * m2) - 3;
  // Standard errors for N(0, 1) data (delta method, moments E z^2k = (2k - 1)!!):
  //   mean: 1/sqrt(n).
  //   variance: Var(z^2) / n = (E z^4 - 1) / n = 2/n.
  //   skewness ~ mean of z^3 - 3z (the -3z from centring at the sample mean; m2 = 1 + O(n^-1/2)
  //     does not enter at first order since E z^3 = 0): E (z^3 - 3z)^2 = 15 - 18 + 9 = 6, so 6/n.
  //   excess kurtosis ~ (m4 - 3) - 6 (m2 - 1) = mean of z^4 - 6z^2 + 3: Var = E z^8 - 12 E z^6
  //     + 36 E z^4 - (E z^4 - 6)^2 = 105 - 180 + 108 - 9 = 24, so 24/n.
  const double dn = static_cast<double>(n);
  CHECK(std::abs(mean) < 4 / std::sqrt(dn));
  CHECK(std::abs(m2 * dn / (dn - 1) - 1) < 4 * std::sqrt(2 / dn));
  CHECK(std::abs(skewness) < 4 * std::sqrt(6 / dn));
  CHECK(std::abs(excess_kurtosis) < 4 * std::sqrt(24 / dn));
}

TEST_CASE("10^7 normals: tail probabilities P(|z| > t) within 4 standard errors") {
  const Eigen::Index n = 10000000;
  const Eigen::ArrayXd magnitude = normals(n, 2).array().abs();
  // 2 Phi(-t) for t = 2, 3, 4 (Boost.Math); counts are binomial(n, p).
  const std::pair<double, double> tails[] = {
      {2, 0.045500263896358431}, {3, 0.0026997960632601913}, {4, 6.3342483666239944e-05}};
  for (const auto& [t, p] : tails) {
    const double count = (magnitude > t).count(), dn = static_cast<double>(n);
    CHECK(std::abs(count - dn * p) < 4 * std::sqrt(dn * p * (1 - p)));
  }
  CHECK(magnitude.maxCoeff() < 9.5);  // the largest reachable |z| is 9.49
}

TEST_CASE("10^7 normals: Kolmogorov-Smirnov distance to N(0, 1) below its 0.1% critical value") {
  const Eigen::Index n = 10000000;
  Eigen::VectorXd z = normals(n, 3);
  std::sort(z.data(), z.data() + n);
  double distance = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double cdf = standard_normal_cdf(z[i]);
    distance = std::max({distance, (i + 1.0) / n - cdf, cdf - static_cast<double>(i) / n});
  }
  // P(sqrt(n) D > c) -> 2 sum_k (-1)^(k-1) exp(-2 k^2 c^2); 0.001 at c = sqrt(ln(2000) / 2) = 1.9495.
  CHECK(distance * std::sqrt(static_cast<double>(n)) < 1.9495);
}

TEST_CASE("bounded integers are uniform (chi-squared test)") {
  Stream s(3, 0, 0, Purpose::batches);
  const int k = 7, draws = 70000;
  std::vector<int> counts(k, 0);
  for (int i = 0; i < draws; ++i) ++counts[s.below(k)];
  double chi2 = 0;
  for (int c : counts) chi2 += std::pow(c - draws / double(k), 2) / (draws / double(k));
  CHECK(chi2 < 22.46);  // 99.9% quantile of chi^2 with 6 degrees of freedom
}

TEST_CASE("bounded integers: the high half of x * bound, low halves below 2^W mod bound rejected") {
  // bound = 3 * 2^(W - 2), x of W bits: the high half of x * bound is floor(3x/4), which takes
  // multiples of 3 from two x (4m and 4m + 1) and other values from one; the rejected low halves
  // are exactly those of x = 4m, which leaves every value one x. Without the rejection, residue 0
  // would have probability 1/2. W = 64 draws 64-bit words, W = 32 words of the integer sequence.
  for (const int bits : {64, 32}) {
    const std::uint64_t bound = std::uint64_t{3} << (bits - 2);
    Stream s(4, 0, 0, Purpose::batches), words(4, 0, 0, Purpose::batches);
    const auto next_x = [&]() -> std::uint64_t { return bits == 64 ? words() : words.word32(); };
    const int draws = 30000;
    int residue[3] = {0, 0, 0}, rejected = 0;
    for (int i = 0; i < draws; ++i) {
      const std::uint64_t v = s.below(bound);
      REQUIRE(v < bound);
      ++residue[v % 3];
      std::uint64_t x = next_x();
      while (x % 4 == 0) x = next_x(), ++rejected;
      REQUIRE(v == static_cast<std::uint64_t>((static_cast<unsigned __int128>(x) * bound) >> bits));
    }
    CHECK(rejected > 0);
    double chi2 = 0;
    for (int c : residue) chi2 += std::pow(c - draws / 3.0, 2) / (draws / 3.0);
    CHECK(chi2 < 13.82);  // 99.9% quantile of chi^2 with 2 degrees of freedom
  }
}
