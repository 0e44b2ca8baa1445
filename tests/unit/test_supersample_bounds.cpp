// Tests of the plain supersample bounds: the exact memoriser (T2) and Bernoulli-mock (T3) cases
// to the printed digits from their exact laws and within error bars from simulated histograms,
// and each bound's defining property (inversion, constraint, optimality, ordering).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "sdegen/bounds/supersample/plain_bounds.hpp"
#include "sdegen/bounds/supersample/plain_estimates.hpp"
#include "supersample_test_support.hpp"

using namespace sdegen;
using namespace sdegen::supersample;
using supersample_test::matches_printed;

namespace {
const double kLn2 = std::log(2.0);

// A printed table row: quantity name -> printed value.
struct Printed {
  const char* name;
  std::string value;
};

// The value of a named quantity from terms and bounds.
double quantity(const std::string& name, const PlainTerms& t, const std::array<BoundResult, kPlainBoundCount>& b) {
  if (name == "gen") return t.gen;
  if (name == "I") return t.information.gap;
  if (name == "I_pair") return t.information.pair;
  if (name == "I_L0") return t.information.single;
  if (name == "B5") return b[b5_binary_kl].value;
  if (name == "B6") return b[b6_linear_fast_rate].value;
  if (name == "B8") return b[b8_ld_mi].value;
  if (name == "B9") return b[b9_single_loss].value;
  if (name == "B10") return b[b10_fast_rate].value;
  if (name == "C2*") return b[b10_fast_rate].parameter;
  if (name == "B11") return b[b11_interpolating].value;
  if (name == "B12") return b[b12_variance].value;
  if (name == "B13") return b[b13_exact_cgf].value;
  FAIL("unknown quantity " << name);
  return 0;
}

// The same from jackknifed estimates: reported value and its standard error.
std::pair<double, double> estimate(const std::string& name, const PlainEstimates& e) {
  if (name == "gen") return {e.gen.reported, e.gen.stderr_};
  if (name == "I") return {e.gap_information.reported, e.gap_information.stderr_};
  if (name == "I_pair") return {e.pair_information.reported, e.pair_information.stderr_};
  if (name == "I_L0") return {e.single_information.reported, e.single_information.stderr_};
  const std::vector<std::pair<std::string, PlainBound>> bounds{
      {"B5", b5_binary_kl}, {"B6", b6_linear_fast_rate}, {"B8", b8_ld_mi}, {"B9", b9_single_loss},
      {"B10", b10_fast_rate}, {"B11", b11_interpolating}, {"B12", b12_variance}, {"B13", b13_exact_cgf}};
  for (const auto& [bound_name, k] : bounds)
    if (name == bound_name) return {e.bounds[k].reported, e.bounds[k].stderr_};
  FAIL("no estimate for " << name);
  return {0, 0};
}

void check_exact(const Eigen::MatrixXd& joint, const std::vector<Printed>& row) {
  const PlainTerms t = plain_terms(LossPairLaw(joint));
  const auto b = plain_bounds(t);
  for (const Printed& p : row) {
    INFO(p.name << " = " << quantity(p.name, t, b) << ", printed " << p.value);
    CHECK(matches_printed(quantity(p.name, t, b), p.value));
  }
}

// Simulated histograms in `groups` groups; every reported value within 4 standard errors (plus the
// printing's rounding) of the table, with a standard error small enough for that to mean something.
void check_simulated(const std::vector<PairCounts>& groups, const std::vector<Printed>& row, double max_relative_se) {
  const PlainEstimates e = plain_estimates(groups);
  for (const Printed& p : row) {
    if (std::string(p.name) == "C2*") continue;
    const auto [value, se] = estimate(p.name, e);
    const double target = std::stod(p.value);
    INFO(p.name << ": estimate " << value << " +- " << se << ", table " << p.value);
    CHECK(std::abs(value - target) < 4 * se + supersample_test::printed_half_unit(p.value));
    CHECK(se < max_relative_se * target);
  }
}
}  // namespace

TEST_CASE("T2 memoriser: every tabulated plain value from the exact law", "[supersample]") {
  // L^+ = 0; L^- = the held-out label, Bernoulli(q).
  for (const double q : {0.5, 0.1}) {
    INFO("q = " << q);
    Eigen::MatrixXd joint(2, 2);
    joint << 1 - q, q, 0, 0;
    const bool half = q == 0.5;
    check_exact(joint, {{"gen", half ? "0.5" : "0.1"},
                        {"I", half ? "0.34657" : "0.06931"},
                        {"I_pair", half ? "0.34657" : "0.06931"},
                        {"B8", half ? "0.8326" : "0.3723"},
                        {"B11", half ? "0.5000" : "0.1000"},
                        {"B12", half ? "1.0297" : "0.2059"},
                        {"B13", half ? "0.571" : "0.1218"},
                        {"I_L0", half ? "0.21576" : "0.03597"},
                        {"B9", half ? "1.3138" : "0.5365"},
                        {"B10", half ? "0.6226" : "0.1038"}});
    // B10 at E L_S = 0 is B11's single-loss form 2 I(L_0;U) / ln 2; B5 at E L_S = 0 is 2 (1 - e^-I).
    const PlainTerms t = plain_terms(LossPairLaw(joint));
    CHECK(plain_bounds(t)[b10_fast_rate].value == Approx(2 * t.information.single / kLn2).epsilon(1e-14));
    CHECK(plain_bounds(t)[b5_binary_kl].value == Approx(2 * (1 - std::exp(-t.information.pair))).epsilon(1e-12));
  }
}

TEST_CASE("T3 Bernoulli mock: every tabulated plain value from the exact law", "[supersample]") {
  check_exact(supersample_test::bernoulli_law(0.1, 0.3),
              {{"gen", "0.2000"}, {"I", "0.06280"}, {"B8", "0.3544"}, {"B12", "0.2788"}, {"B13", "0.2066"},
               {"I_L0", "0.03243"}, {"B9", "0.5093"}, {"B10", "0.2300"}, {"C2*", "0.2142"}, {"B5", "0.2752"},
               {"B6", "0.2648"}});
  check_exact(supersample_test::bernoulli_law(0.0, 0.2),
              {{"gen", "0.2000"}, {"I", "0.13863"}, {"B8", "0.5266"}, {"B12", "0.4119"}, {"B13", "0.2401"},
               {"I_L0", "0.07488"}, {"B9", "0.7740"}, {"B10", "0.2161"}, {"C2*", "0.3466"}, {"B5", "0.2589"},
               {"B6", "0.3795"}, {"B11", "0.2000"}});
  check_exact(supersample_test::bernoulli_law(0.05, 0.1),
              {{"gen", "0.0500"}, {"I", "0.00913"}, {"B8", "0.1351"}, {"B12", "0.0605"}, {"B13", "0.0507"},
               {"I_L0", "0.00459"}, {"B9", "0.1915"}, {"B10", "0.0523"}, {"C2*", "0.1476"}, {"B5", "0.0700"},
               {"B6", "0.0567"}});
  // The closed forms of T3: I = V (ln 2 - h(b / V)), I(L_0;U) = h((e+p)/2) - (h(e) + h(p))/2.
  auto h = [](double x) { return x <= 0 || x >= 1 ? 0.0 : -x * std::log(x) - (1 - x) * std::log(1 - x); };
  const double e = 0.1, p = 0.3, a = e * (1 - p), b = p * (1 - e), v = a + b;
  const PlainTerms t = plain_terms(LossPairLaw(supersample_test::bernoulli_law(e, p)));
  CHECK(t.information.gap == Approx(v * (kLn2 - h(b / v))).epsilon(1e-13));
  CHECK(t.information.single == Approx(h((e + p) / 2) - (h(e) + h(p)) / 2).epsilon(1e-13));
  CHECK(t.gap_second_moment == Approx(v).epsilon(1e-14));
  CHECK_FALSE(plain_bounds(t)[b11_interpolating].applicable);
}

TEST_CASE("T2 and T3 from simulated histograms, within the jackknife error bars", "[supersample]") {
  const int groups = 20, per_group = 20000;
  auto simulate = [&](double e, double p, std::uint64_t seed) {
    std::vector<PairCounts> out;
    for (int g = 0; g < groups; ++g) {
      Stream stream(seed, 0, g, Purpose::data);
      out.push_back(supersample_test::bernoulli_counts(e, p, per_group, stream));
    }
    return out;
  };
  SECTION("T2, q = 0.5 and 0.1 (the memoriser is T3's mock with e = 0)") {
    check_simulated(simulate(0, 0.5, 31), {{"gen", "0.5"}, {"I", "0.34657"}, {"B8", "0.8326"}, {"B11", "0.5000"},
                                           {"B12", "1.0297"}, {"B13", "0.571"}, {"I_L0", "0.21576"}, {"B9", "1.3138"},
                                           {"B10", "0.6226"}},
                    0.01);
    check_simulated(simulate(0, 0.1, 32), {{"gen", "0.1"}, {"I", "0.06931"}, {"B8", "0.3723"}, {"B11", "0.1000"},
                                           {"B12", "0.2059"}, {"B13", "0.1218"}, {"I_L0", "0.03597"}, {"B9", "0.5365"},
                                           {"B10", "0.1038"}},
                    0.03);
  }
  SECTION("T3, three (e, p) rows") {
    check_simulated(simulate(0.1, 0.3, 33),
                    {{"gen", "0.2000"}, {"I", "0.06280"}, {"B8", "0.3544"}, {"B12", "0.2788"}, {"B13", "0.2066"},
                     {"I_L0", "0.03243"}, {"B9", "0.5093"}, {"B10", "0.2300"}, {"B5", "0.2752"}, {"B6", "0.2648"}},
                    0.03);
    check_simulated(simulate(0.0, 0.2, 34),
                    {{"gen", "0.2000"}, {"I", "0.13863"}, {"B8", "0.5266"}, {"B12", "0.4119"}, {"B13", "0.2401"},
                     {"I_L0", "0.07488"}, {"B9", "0.7740"}, {"B10", "0.2161"}, {"B5", "0.2589"}, {"B6", "0.3795"},
                     {"B11", "0.2000"}},
                    0.03);
    check_simulated(simulate(0.05, 0.1, 35),
                    {{"gen", "0.0500"}, {"I", "0.00913"}, {"B8", "0.1351"}, {"B12", "0.0605"}, {"B13", "0.0507"},
                     {"I_L0", "0.00459"}, {"B9", "0.1915"}, {"B10", "0.0523"}, {"B5", "0.0700"}, {"B6", "0.0567"}},
                    0.1);
  }
}

TEST_CASE("each bound satisfies its defining condition at the value it returns", "[supersample]") {
  SECTION("b5: d(E L_S || (E L_S + R)/2) = I at R = E L_S + bound") {
    for (const auto& [q, i] : std::vector<std::pair<double, double>>{{0.1, 0.06}, {0.3, 0.001}, {0.0, 0.2}, {0.7, 0.02}}) {
      const double r = q + b5_gen_bound(q, i);
      CHECK(binary_kl(q, (q + r) / 2) == Approx(i).epsilon(1e-9));
    }
    CHECK(b5_gen_bound(0.2, 5.0) == Approx(0.8).epsilon(1e-15));  // R capped at 1
    CHECK(b5_gen_bound(0.2, 0.0) == 0);
  }
  SECTION("b10: C1min(C2) meets e^{2 C2} + e^{-2 C2 (1 + C1)} = 2, and C2* is a minimum") {
    for (double c2 : {1e-4, 0.05, 0.2, 0.34}) {
      const double c1 = fast_rate_c1(c2);
      CHECK(std::exp(2 * c2) + std::exp(-2 * c2 * (1 + c1)) == Approx(2).epsilon(1e-12));
    }
    const double els = 0.1, i = 0.03;
    const BoundResult r = b10_bound(els, i);
    auto objective = [&](double c2) { return fast_rate_c1(c2) * els + i / c2; };
    CHECK(r.value == Approx(objective(r.parameter)).epsilon(1e-14));
    CHECK(r.value <= objective(r.parameter * 0.999));
    CHECK(r.value <= objective(r.parameter * 1.001));
    CHECK(b10_bound(0.1, 0).value == 0);
  }
  SECTION("b6: gamma and lambda are admissible, the largest lambda is where the discriminant vanishes") {
    const double top = b6_lambda_max();
    CHECK(top == Approx(0.36534224565400264).epsilon(1e-10));  // scipy brentq
    const BoundResult r = b6_bound(0.1, 0.06);
    REQUIRE(r.parameter > 0);
    REQUIRE(r.parameter <= top);
    const double lambda = r.parameter, kappa = std::expm1(lambda) - lambda;
    const double gamma = (r.value - 0.06 / lambda) / 0.1 + 1;
    CHECK(gamma >= 1);
    CHECK(lambda * (1 - gamma) + kappa * (1 + gamma * gamma) <= 1e-12);
  }
  SECTION("b13 <= b8 and b13 <= its variance-only form, on random laws") {
    Stream stream(36, 0, 0, Purpose::data);
    for (int trial = 0; trial < 30; ++trial) {
      const int b = 1 + static_cast<int>(stream.below(12));
      const Eigen::MatrixXd joint = Eigen::MatrixXd::NullaryExpr(b + 1, b + 1, [&] { return std::pow(stream.uniform(), 3); });
      const PlainTerms t = plain_terms(LossPairLaw(joint));
      const BoundResult r = b13_bound(t.information.gap, t.gap_pmf);
      CHECK(r.value <= b8_bound(t.information.gap) * (1 + 1e-12));
      // E cosh(lambda G) <= 1 + V (cosh(lambda) - 1), with equality for the 0-1 loss.
      const double v_only = (t.information.gap + std::log1p(t.gap_second_moment * (std::cosh(r.parameter) - 1))) / r.parameter;
      CHECK(r.value <= v_only * (1 + 1e-12));
      if (b == 1) CHECK(r.value == Approx(v_only).epsilon(1e-12));
      CHECK(r.value >= t.gen - 1e-12);  // a valid bound on the exact law's gen
      for (const BoundResult& other : plain_bounds(t))
        if (other.applicable) CHECK(other.value >= t.gen - 1e-12);
    }
  }
}
