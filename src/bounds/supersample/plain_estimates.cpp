// The plain bounds with their jackknife over groups. The information terms are the only biased
// ingredients (upward, about k / (2 N_eff)); every other ingredient is a mean, linear in the
// counts and unbiased. So a bound is reported at the bias-corrected information term, clamped at
// 0, rather than as the jackknife of the bound itself: that removes the same first-order bias
// where the bound is smooth, and near I = 0, where sqrt is not smooth and the jackknife of
// sqrt(I^) removes only about half of its O(N^-1/2) bias, it stays close to 0.
#include "sdegen/bounds/supersample/plain_estimates.hpp"

#include <algorithm>
#include <stdexcept>

namespace sdegen::supersample {

namespace {
double information_of(const PlainInformation& i, InformationTerm term) {
  return term == InformationTerm::gap ? i.gap : term == InformationTerm::single ? i.single : i.pair;
}
}  // namespace

PlainEstimates plain_estimates(const std::vector<PairCounts>& groups) {
  if (groups.empty()) throw std::invalid_argument("plain estimates: no groups");
  PairCounts total = PairCounts::Zero(groups.front().rows(), groups.front().cols());
  std::vector<const PairCounts*> used;
  for (const PairCounts& g : groups) {
    if (g.rows() != total.rows() || g.cols() != total.cols())
      throw std::invalid_argument("plain estimates: groups of different shapes");
    if (g.sum() == 0) continue;
    total += g;
    used.push_back(&g);
  }
  if (used.empty()) throw std::invalid_argument("plain estimates: no pairs counted");

  PlainEstimates out;
  out.groups = static_cast<int>(used.size());
  out.pairs = total.sum();
  out.predicted_null_bias = null_bias(total);
  const PlainTerms full = plain_terms(LossPairLaw::of_counts(total));
  const std::array<BoundResult, kPlainBoundCount> full_bounds = plain_bounds(full);
  out.interpolating = full.interpolating;

  // Delete-one-group recomputations (none with a single group: no error bars then).
  std::vector<PlainTerms> rest;
  std::vector<std::array<BoundResult, kPlainBoundCount>> rest_bounds;
  if (used.size() >= 2)
    for (const PairCounts* g : used) {
      rest.push_back(plain_terms(LossPairLaw::of_counts(total - *g)));
      rest_bounds.push_back(plain_bounds(rest.back()));
    }
  auto figure = [&](double full_value, auto pick) {
    std::vector<double> values;
    for (const PlainTerms& t : rest) values.push_back(pick(t));
    return jackknife(full_value, values);
  };
  out.gap_information = figure(full.information.gap, [](const PlainTerms& t) { return t.information.gap; });
  out.single_information = figure(full.information.single, [](const PlainTerms& t) { return t.information.single; });
  out.pair_information = figure(full.information.pair, [](const PlainTerms& t) { return t.information.pair; });
  out.mean_training_loss = figure(full.mean_training_loss, [](const PlainTerms& t) { return t.mean_training_loss; });
  out.gen = figure(full.gen, [](const PlainTerms& t) { return t.gen; });
  out.gap_second_moment = figure(full.gap_second_moment, [](const PlainTerms& t) { return t.gap_second_moment; });

  // The bounds at the bias-corrected informations, each clamped at 0.
  const PlainInformation corrected_information{out.gap_information.reported, out.single_information.reported,
                                               out.pair_information.reported};
  PlainTerms corrected = full;
  corrected.information = {std::max(corrected_information.gap, 0.0), std::max(corrected_information.single, 0.0),
                           std::max(corrected_information.pair, 0.0)};
  const std::array<BoundResult, kPlainBoundCount> reported = plain_bounds(corrected);

  for (int k = 0; k < kPlainBoundCount; ++k) {
    std::vector<double> values;
    for (const auto& b : rest_bounds) values.push_back(b[k].value);
    JackknifeEstimate& e = out.bounds[k];
    e = jackknife(full_bounds[k].value, values);
    e.reported = reported[k].value;
    e.clamped = information_of(corrected_information, plain_bound_info()[k].information) < 0;
    out.parameter[k] = reported[k].parameter;
    out.applicable[k] = reported[k].applicable;
  }
  return out;
}

std::vector<PlainEstimates> plain_estimates_by_step(const std::vector<LossPairHistogram>& groups) {
  if (groups.empty()) throw std::invalid_argument("plain estimates: no groups");
  std::vector<PlainEstimates> out;
  for (int step = 0; step < groups.front().steps(); ++step) {
    std::vector<PairCounts> counts;
    for (const LossPairHistogram& g : groups) {
      if (g.steps() != groups.front().steps() || g.loss_levels() != groups.front().loss_levels())
        throw std::invalid_argument("plain estimates: groups of different shapes");
      counts.push_back(g.counts(step));
    }
    out.push_back(plain_estimates(counts));
  }
  return out;
}

}  // namespace sdegen::supersample
