// The plain supersample bounds. Closed forms where they exist; b5 by bisection; b6, b10, b13 by
// one-dimensional minimisation over their free parameter, with their limits handled exactly
// (at I = 0 every bound is 0; at E L_S = 0 the fast-rate bounds sit at an end of their range).
#include "sdegen/bounds/supersample/plain_bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sdegen/bounds/supersample/interval_minimiser.hpp"

namespace sdegen::supersample {

namespace {
const double kLn2 = std::log(2.0);
const double kNan = std::numeric_limits<double>::quiet_NaN();
}  // namespace

PlainTerms plain_terms(const LossPairLaw& law) {
  PlainTerms t;
  t.information = plain_information(law);
  t.mean_training_loss = law.mean_training_loss();
  t.gen = law.gen();
  t.gap_second_moment = law.gap_second_moment();
  t.gap_pmf = law.gap_pmf();
  t.interpolating = law.interpolating();
  return t;
}

double binary_kl(double q, double p) {
  double d = 0;
  if (q > 0) d += q * std::log(q / p);
  if (q < 1) d += (1 - q) * (std::log1p(-q) - std::log1p(-p));
  return d;
}

double fast_rate_c1(double c2) { return -std::log(2 - std::exp(2 * c2)) / (2 * c2) - 1; }

const std::array<PlainBoundInfo, kPlainBoundCount>& plain_bound_info() {
  static const std::array<PlainBoundInfo, kPlainBoundCount> info{{
      {"b5_binary_kl", InformationTerm::pair, "",
       "largest R with d(E L_S || (E L_S + R)/2) <= I(L;U), minus E L_S (Hellstrom & Durisi 2022)"},
      {"b6_linear_fast_rate", InformationTerm::pair, "lambda",
       "(gamma - 1) E L_S + I(L;U)/lambda, gamma the smallest admissible (fast-rate e-CMI form)"},
      {"b8_ld_mi", InformationTerm::gap, "", "sqrt(2 I(Delta;U)) (Wang & Mao 2023)"},
      {"b9_single_loss", InformationTerm::single, "", "2 sqrt(2 I(L_0;U)) (Wang & Mao 2023)"},
      {"b10_fast_rate", InformationTerm::single, "C2",
       "C1min(C2) E L_S + I(L_0;U)/C2, minimised over C2 (Wang & Mao 2023)"},
      {"b11_interpolating", InformationTerm::gap, "",
       "I(Delta;U)/ln 2, only when every training loss is 0 (Wang & Mao 2023; Haghifam et al. 2022)"},
      {"b12_variance", InformationTerm::gap, "", "I + sqrt(I^2 + 2 V I), I = I(Delta;U), V = E G^2 (Wang & Mao 2024)"},
      {"b13_exact_cgf", InformationTerm::gap, "lambda",
       "inf over lambda of (I(Delta;U) + ln E cosh(lambda G))/lambda (derived here)"},
  }};
  return info;
}

double b5_gen_bound(double mean_training_loss, double pair_information) {
  const double q = mean_training_loss;
  if (!(pair_information > 0) || q >= 1) return 0.0;
  // d(q || p) increases in p >= q; find the largest R in [q, 1] with d(q || (q + R)/2) <= I.
  if (binary_kl(q, 0.5 * (q + 1)) <= pair_information) return 1 - q;
  double lo = q, hi = 1;
  for (int it = 0; it < 200 && hi - lo > 1e-15; ++it) {
    const double mid = 0.5 * (lo + hi);
    (binary_kl(q, 0.5 * (q + mid)) <= pair_information ? lo : hi) = mid;
  }
  return lo - q;
}

double b6_lambda_max() {
  // Discriminant of kappa gamma^2 - lambda gamma + (lambda + kappa) <= 0, kappa = e^l - 1 - l:
  // positive below the root, negative above (bisection on [0.1, 0.5]).
  static const double root = [] {
    auto discriminant = [](double l) {
      const double kappa = std::expm1(l) - l;
      return l * l - 4 * kappa * (l + kappa);
    };
    double lo = 0.1, hi = 0.5;
    for (int it = 0; it < 200 && hi - lo > 1e-16; ++it) {
      const double mid = 0.5 * (lo + hi);
      (discriminant(mid) > 0 ? lo : hi) = mid;
    }
    return lo;
  }();
  return root;
}

namespace {
// e^lambda - 1 - lambda without cancellation at small lambda (Taylor series below 0.01).
double exp_remainder(double lambda) {
  if (lambda >= 0.01) return std::expm1(lambda) - lambda;
  return lambda * lambda / 2 * (1 + lambda / 3 * (1 + lambda / 4 * (1 + lambda / 5 * (1 + lambda / 6))));
}

// The smallest gamma >= 1 allowed at lambda, as 2 c / (b + sqrt(D)) (no cancellation at small lambda).
double b6_gamma(double lambda) {
  const double kappa = exp_remainder(lambda);
  const double discriminant = std::max(0.0, lambda * lambda - 4 * kappa * (lambda + kappa));
  return std::max(1.0, 2 * (lambda + kappa) / (lambda + std::sqrt(discriminant)));
}
}  // namespace

BoundResult b6_bound(double mean_training_loss, double pair_information) {
  if (!(pair_information > 0)) return {0.0, 0.0, true};
  const double top = b6_lambda_max();
  if (mean_training_loss <= 0) return {pair_information / top, top, true};
  auto objective = [&](double l) { return (b6_gamma(l) - 1) * mean_training_loss + pair_information / l; };
  const double lo = 1e-4 * std::min(1.0, std::sqrt(pair_information / mean_training_loss));
  const ScalarMinimum m = minimise_on_log_grid(objective, lo, top);
  return {m.value, m.x, true};
}

double b8_bound(double gap_information) { return std::sqrt(2 * std::max(gap_information, 0.0)); }

double b9_bound(double single_information) { return 2 * std::sqrt(2 * std::max(single_information, 0.0)); }

BoundResult b10_bound(double mean_training_loss, double single_information) {
  if (!(single_information > 0)) return {0.0, 0.0, true};  // C2 -> 0
  if (mean_training_loss <= 0) return {2 * single_information / kLn2, kLn2 / 2, true};  // C2 -> ln(2)/2
  auto objective = [&](double c2) { return fast_rate_c1(c2) * mean_training_loss + single_information / c2; };
  // Near 0 the objective is about 2 C2 E L_S + I / C2: its optimum sqrt(I / (2 E L_S)) sets the scale.
  const double lo = 1e-3 * std::min(1.0, std::sqrt(single_information / (2 * mean_training_loss)));
  const ScalarMinimum m = minimise_on_log_grid(objective, lo, kLn2 / 2 * (1 - 1e-12));
  return {m.value, m.x, true};
}

double b11_bound(double gap_information) { return std::max(gap_information, 0.0) / kLn2; }

double b12_bound(double gap_information, double gap_second_moment) {
  const double i = std::max(gap_information, 0.0);
  return i + std::sqrt(i * i + 2 * gap_second_moment * i);
}

BoundResult b13_bound(double gap_information, const Eigen::VectorXd& gap_pmf) {
  if (!(gap_information > 0)) return {0.0, 0.0, true};  // lambda -> 0: ln E cosh = O(lambda^2)
  const Eigen::ArrayXd values = Eigen::ArrayXd::LinSpaced(gap_pmf.size(), -1.0, 1.0);
  const Eigen::ArrayXd p = gap_pmf.array();
  auto objective = [&](double lambda) {
    return (gap_information + std::log((p * (lambda * values).cosh()).sum())) / lambda;
  };
  // Near 0 the objective is about I / lambda + V lambda / 2, with optimum sqrt(2 I / V).
  const double v = (p * values.square()).sum();
  const double scale = v > 0 ? std::sqrt(2 * gap_information / v) : 1.0;
  const ScalarMinimum m = minimise_on_log_grid(objective, 1e-3 * std::min(1.0, scale), 50.0);
  return {m.value, m.x, true};
}

std::array<BoundResult, kPlainBoundCount> plain_bounds(const PlainTerms& t) {
  const PlainInformation& i = t.information;
  std::array<BoundResult, kPlainBoundCount> out;
  out[b5_binary_kl] = {b5_gen_bound(t.mean_training_loss, i.pair), 0.0, true};
  out[b6_linear_fast_rate] = b6_bound(t.mean_training_loss, i.pair);
  out[b8_ld_mi] = {b8_bound(i.gap), 0.0, true};
  out[b9_single_loss] = {b9_bound(i.single), 0.0, true};
  out[b10_fast_rate] = b10_bound(t.mean_training_loss, i.single);
  out[b11_interpolating] = t.interpolating ? BoundResult{b11_bound(i.gap), 0.0, true} : BoundResult{kNan, 0.0, false};
  out[b12_variance] = {b12_bound(i.gap, t.gap_second_moment), 0.0, true};
  out[b13_exact_cgf] = b13_bound(i.gap, t.gap_pmf);
  return out;
}

}  // namespace sdegen::supersample
