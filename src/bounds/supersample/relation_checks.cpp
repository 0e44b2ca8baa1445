// Checks of the orderings the bounds and informations obey in exact arithmetic, applied to
// estimates with a tolerance from their error bars.
#include "sdegen/bounds/supersample/relation_checks.hpp"

#include <cmath>

namespace sdegen::supersample {

namespace {
double error_bar(double se) { return std::isfinite(se) ? se : 0.0; }

void check(std::vector<Violation>& out, const std::string& relation, double lhs, double lhs_se, double rhs,
           double rhs_se, double z, double slack = 0) {
  const double tolerance = z * std::hypot(error_bar(lhs_se), error_bar(rhs_se)) + slack + 1e-12;
  if (lhs - rhs > tolerance) out.push_back({relation, lhs, rhs, tolerance});
}
}  // namespace

std::vector<Violation> violated_relations(const PlainEstimates& plain, const ConditionalEstimates* loss_difference,
                                          const MeasuredGen* gen, double z) {
  std::vector<Violation> out;
  const auto& b = plain.bounds;
  const auto& name = plain_bound_info();
  check(out, std::string(name[b13_exact_cgf].name) + " <= " + name[b8_ld_mi].name, b[b13_exact_cgf].reported,
        b[b13_exact_cgf].stderr_, b[b8_ld_mi].reported, b[b8_ld_mi].stderr_, z);
  check(out, "I(Delta;U) <= I(L;U)", plain.gap_information.reported, plain.gap_information.stderr_,
        plain.pair_information.reported, plain.pair_information.stderr_, z);
  check(out, "I(L;U) <= ln 2", plain.pair_information.reported, plain.pair_information.stderr_, std::log(2.0), 0, z);
  if (loss_difference)
    check(out, std::string(name[b8_ld_mi].name) + " <= b7_prime", b[b8_ld_mi].reported, b[b8_ld_mi].stderr_,
          loss_difference->root_outside.reported, loss_difference->root_outside.stderr_, z);
  if (gen) {
    for (int k = 0; k < kPlainBoundCount; ++k)
      if (plain.applicable[k])
        check(out, std::string("gen <= ") + name[k].name, gen->value, gen->stderr_, b[k].reported, b[k].stderr_, z,
              gen->quantisation_slack);
    if (loss_difference) {
      check(out, "gen <= b7", gen->value, gen->stderr_, loss_difference->root_inside.reported,
            loss_difference->root_inside.stderr_, z, gen->quantisation_slack);
      check(out, "gen <= b7_prime", gen->value, gen->stderr_, loss_difference->root_outside.reported,
            loss_difference->root_outside.stderr_, z, gen->quantisation_slack);
    }
  }
  return out;
}

}  // namespace sdegen::supersample
