// The supersample bounds computable from one loss-pair histogram (no retraining), as functions
// of its information terms and moments. Values are bounds on gen of the normalised quantised loss.
#pragma once
#include <array>
#include <string>

#include "sdegen/bounds/supersample/loss_pair_law.hpp"
#include "sdegen/bounds/supersample/plain_information.hpp"

namespace sdegen::supersample {

// What the plain bounds are computed from.
struct PlainTerms {
  PlainInformation information;
  double mean_training_loss = 0;  // E L_S
  double gen = 0;                 // gen_ss = E L_mu - E L_S
  double gap_second_moment = 0;   // V = E G^2
  Eigen::VectorXd gap_pmf;        // law of G on -1..1 (step 1/B), for E cosh(lambda G)
  bool interpolating = false;     // training loss 0 almost surely
};
PlainTerms plain_terms(const LossPairLaw& law);

// Binary KL d(q || p) = q ln(q/p) + (1-q) ln((1-q)/(1-p)), with 0 ln 0 = 0.
double binary_kl(double q, double p);
// C1min(C2) = -ln(2 - e^{2 C2}) / (2 C2) - 1, the smallest C1 allowed with C2 in (0, ln(2)/2).
double fast_rate_c1(double c2);

enum PlainBound : int {
  b5_binary_kl,        // Hellstrom & Durisi 2022: binary-KL inversion with I(L_i; U_i)
  b6_linear_fast_rate, // linear fast-rate e-CMI form with I(L_i; U_i)
  b8_ld_mi,            // Wang & Mao 2023: sqrt(2 I(Delta_i; U_i))
  b9_single_loss,      // Wang & Mao 2023: 2 sqrt(2 I(L_{i,0}; U_i))
  b10_fast_rate,       // Wang & Mao 2023: C1min(C2) E L_S + I(L_{i,0}; U_i) / C2, optimised
  b11_interpolating,   // Wang & Mao 2023: I(Delta_i; U_i) / ln 2, when L_S = 0 almost surely
  b12_variance,        // Wang & Mao 2024: I + sqrt(I^2 + 2 V I), I = I(Delta_i; U_i)
  b13_exact_cgf,       // derived here: inf_lambda (I(Delta_i; U_i) + ln E cosh(lambda G)) / lambda
  kPlainBoundCount
};

// Which information term a bound uses.
enum class InformationTerm { gap, single, pair };

struct PlainBoundInfo {
  const char* name;             // a stable identifier, e.g. "b8_ld_mi"
  InformationTerm information;  // the one information term it depends on
  const char* parameter;        // the optimised free parameter ("" when none)
  const char* description;
};
const std::array<PlainBoundInfo, kPlainBoundCount>& plain_bound_info();

struct BoundResult {
  double value = 0;
  double parameter = 0;     // the optimum (C2* for b10, lambda* for b6 and b13); 0 when none
  bool applicable = true;   // false: b11 without interpolation (value then NaN)
};

// Each bound on its own, from the numbers it needs (information in nats, losses normalised).
double b5_gen_bound(double mean_training_loss, double pair_information);  // R - E L_S
BoundResult b6_bound(double mean_training_loss, double pair_information);
double b8_bound(double gap_information);
double b9_bound(double single_information);
BoundResult b10_bound(double mean_training_loss, double single_information);
double b11_bound(double gap_information);
double b12_bound(double gap_information, double gap_second_moment);
BoundResult b13_bound(double gap_information, const Eigen::VectorXd& gap_pmf);

// b6's largest admissible lambda: lambda (1 - gamma) + (e^lambda - 1 - lambda)(1 + gamma^2) <= 0
// has a solution gamma >= 1 only for lambda up to this value (about 0.3653).
double b6_lambda_max();

// Every plain bound, in PlainBound order.
std::array<BoundResult, kPlainBoundCount> plain_bounds(const PlainTerms& terms);

}  // namespace sdegen::supersample
