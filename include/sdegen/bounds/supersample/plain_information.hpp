// Plug-in estimators of the unconditional supersample informations (nats), each a function of
// the loss-pair law, and the upward bias each has when losses do not depend on membership.
#pragma once
#include <Eigen/Core>

#include "sdegen/bounds/supersample/loss_pair_law.hpp"

namespace sdegen::supersample {

// JS(P, Q) = KL(P || M) / 2 + KL(Q || M) / 2, M = (P + Q) / 2; inputs of equal size, each
// summing to 1. In [0, ln 2].
double jensen_shannon(const Eigen::Ref<const Eigen::ArrayXd>& p, const Eigen::Ref<const Eigen::ArrayXd>& q);

// I(Delta_i; U_i) for the column-ordered loss difference, by the column-swap symmetry:
// E_G ln(2 p(G) / (p(G) + p(-G))) = JS(law of G, law of -G). Atoms at G = 0 contribute nothing.
double gap_information(const LossPairLaw& law);
// I(L_{i,0}; U_i) = JS(law of L^+, law of L^-).
double single_loss_information(const LossPairLaw& law);
// I(L_i; U_i) = JS(law of (L^+, L^-), law of (L^-, L^+)); equal to gap_information for B = 1.
double pair_information(const LossPairLaw& law);

struct PlainInformation {
  double gap = 0;     // I(Delta_i; U_i): b8, b11, b12, b13
  double single = 0;  // I(L_{i,0}; U_i): b9, b10
  double pair = 0;    // I(L_i; U_i): b5, b6
};
PlainInformation plain_information(const LossPairLaw& law);

// Expected plug-in value when membership does not matter and the N pairs are independent
// (2 N I ~ chi^2_k): gap k / (2N), k = non-empty bin pairs {g, -g}, g > 0; pair k / (2N),
// k = non-empty off-diagonal cell pairs {(a, b), (b, a)}; single (r - 1) / (4N), r = non-empty
// levels. Pairs of one replicate share W, so the effective N is smaller: an under-estimate of
// the bias in general, which is why the reported values are jackknifed instead.
PlainInformation null_bias(const PairCounts& counts);

}  // namespace sdegen::supersample
