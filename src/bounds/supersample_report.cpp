// The supersample estimator's report: plain bounds from the loss-pair tables of the cell and of its
// jackknife groups (each group's table is the cell's minus the leave-one-group-out one, exactly),
// conditional bounds from the per-supersample sums, b1 by argument, and the relations every run
// must satisfy. Values are in the bounded loss's units (the library's normalised values times c).
#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "sdegen/bounds/supersample/conditional_bounds.hpp"
#include "sdegen/bounds/supersample/plain_estimates.hpp"
#include "sdegen/bounds/supersample/relation_checks.hpp"
#include "sdegen/bounds/supersample_estimator.hpp"
#include "sdegen/stats/jackknife.hpp"

namespace sdegen {

namespace {

using supersample::ConditionalEstimates;
using supersample::JackknifeEstimate;
using supersample::PlainEstimates;

enum Bound { b1, b3, b4, b5, b6, b7, b7_prime, b8, b9, b10, b11, b12, b13, kBounds };
const char* const kNames[kBounds] = {"b1_whole_sample_cmi", "b3_prediction_cmi", "b4_loss_pair_cmi",
                                     "b5_binary_kl",        "b6_linear_fast_rate", "b7_ld_cmi",
                                     "b7_prime_ld_cmi",     "b8_ld_mi",            "b9_single_loss",
                                     "b10_fast_rate",       "b11_interpolating",   "b12_variance",
                                     "b13_exact_cgf"};
// The library's plain bounds, in its order, as bounds of this list (names checked below).
const Bound kPlain[supersample::kPlainBoundCount] = {b5, b6, b8, b9, b10, b11, b12, b13};
// The root-inside conditional bounds by symbol kind.
const Bound kRootInside[SupersampleLayout::kinds] = {b7, b4, b3};

enum Reference {
  gen_ss, gen_ss_quantised, gen_ss_minus_gen, mi_gap, mi_single, mi_pair, cmi_gap, cmi_pair, cmi_prediction,
  training_loss_positive, kReferences
};
const char* const kReferenceNames[kReferences] = {
    "gen_ss",     "gen_ss_quantised", "gen_ss_minus_gen", "ss_mi_gap",         "ss_mi_single",
    "ss_mi_pair", "ss_cmi_gap",       "ss_cmi_pair",      "ss_cmi_prediction", "ss_training_loss_positive"};

bool has_parameter(Bound b) { return b == b6 || b == b10 || b == b13; }
bool conditional(Bound b) { return b == b3 || b == b4 || b == b7 || b == b7_prime; }

// The loss-pair table of logged step `row` from an estimator's integer counts.
supersample::PairCounts table(const std::vector<std::int64_t>& counts, const SupersampleLayout& layout, int row) {
  const int size = layout.levels + 1;
  supersample::PairCounts out(size, size);
  for (int a = 0; a < size; ++a)
    for (int b = 0; b < size; ++b) out(a, b) = counts[static_cast<std::size_t>(layout.count(row, a, b))];
  return out;
}

// A moments figure of the unit records (ratio of means for the conditional sums) with its
// jackknife over the leave-one-group-out statistics.
template <class Figure>
JackknifeEstimate moment_figure(const EstimatorStatistics& total, const std::vector<EstimatorStatistics>& rest,
                                Figure figure) {
  std::vector<double> values;
  for (const auto& r : rest)
    if (r.moments.count() > 0) values.push_back(figure(r.moments.mean()));
  return supersample::jackknife(figure(total.moments.mean()), values);
}

// The conditional estimates of one symbol kind from the per-supersample sums, as the library
// would give them from every supersample's tables, but with the engine's jackknife groups.
ConditionalEstimates conditional_estimates(const SupersampleLayout& layout, int kind, const EstimatorStatistics& total,
                                           const std::vector<EstimatorStatistics>& rest) {
  using L = SupersampleLayout;
  auto per_table = [&](int field) {
    return [&layout, kind, field](const Eigen::VectorXd& m) {
      return m[layout.conditional(kind, field)] / m[layout.conditional(kind, L::tables)];
    };
  };
  ConditionalEstimates out;
  out.supersamples = static_cast<int>(total.moments.count());
  out.pairs = layout.pairs;
  out.min_masks = out.max_masks = layout.masks;
  out.mean_information = moment_figure(total, rest, per_table(L::information));
  out.root_inside = moment_figure(total, rest, per_table(L::root));
  const auto outside = [&](const Eigen::VectorXd& m) { return std::sqrt(2 * std::max(per_table(L::information)(m), 0.0)); };
  out.root_outside = moment_figure(total, rest, outside);
  // Linear in the sums, the first two are unchanged by the correction; root_outside is reported
  // at the reported information, like the plain bounds.
  out.root_inside.reported = out.root_inside.plugin;
  out.root_outside.reported = std::sqrt(2 * std::max(out.mean_information.reported, 0.0));
  out.root_outside.clamped = out.mean_information.reported < 0;
  out.root_inside_null_value = per_table(L::null_root)(total.moments.mean());
  out.miller_madow_shift = per_table(L::shift)(total.moments.mean());
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

std::vector<std::string> SupersampleEstimator::bound_names() const { return {kNames, kNames + kBounds}; }

std::vector<std::string> SupersampleEstimator::reference_names() const {
  return {kReferenceNames, kReferenceNames + kReferences};
}

std::vector<std::pair<std::string, std::string>> SupersampleEstimator::extra_names() const {
  std::vector<std::pair<std::string, std::string>> out{{kNames[b1], "exact"}};
  for (int k = b3; k < kBounds; ++k) {
    const Bound b = static_cast<Bound>(k);
    out.push_back({kNames[b], "slack"});
    if (has_parameter(b)) out.push_back({kNames[b], "parameter"});
    if (conditional(b)) {
      out.push_back({kNames[b], "k_bias"});
      out.push_back({kNames[b], "masks"});
    }
  }
  return out;
}

EstimatorReport SupersampleEstimator::report(const EstimatorStatistics& total,
                                             const std::vector<EstimatorStatistics>& leave_one_out,
                                             const std::vector<int>& logged_steps) const {
  for (int k = 0; k < supersample::kPlainBoundCount; ++k)
    if (supersample::plain_bound_info()[k].name != std::string(kNames[kPlain[k]]))
      throw std::logic_error("supersample report: the library's plain bounds changed order");
  EstimatorReport out;
  out.family = family();
  const CellParams& cell = context_.cell;
  const double c = levels_.clip();                  // normalised units -> loss units
  const double slack = c * levels_.quantisation_slack();  // gen(l) <= bound(l_B) + slack
  const int rows = static_cast<int>(logged_steps.size()), last = rows - 1;
  // Guaranteed: fresh draws are independent held-out points, and pairs are exchangeable (pooling).
  const bool guaranteed = context_.problem_capabilities.iid_sample && context_.dynamics.exchangeable;
  std::string off;  // why no bound of the family is defined
  if (!context_.config.supersample) off = "not computed: [bounds] supersample = false";
  else if (context_.bounded_loss < 0) off = "the problem has no bounded evaluation loss";

  // Plain estimates at every logged step; a group's table is the cell's minus the cell without it.
  std::vector<PlainEstimates> plain(static_cast<std::size_t>(rows));
  if (off.empty())
    for (int row = 0; row < rows; ++row) {
      const supersample::PairCounts all = table(total.counts, layout_, row);
      if (all.sum() == 0) continue;
      std::vector<supersample::PairCounts> groups;
      for (const auto& rest : leave_one_out) groups.push_back(all - table(rest.counts, layout_, row));
      if (groups.empty()) groups.push_back(all);
      plain[static_cast<std::size_t>(row)] = supersample::plain_estimates(groups);
    }
  const PlainEstimates* final_step = off.empty() && plain[static_cast<std::size_t>(last)].pairs > 0
                                         ? &plain[static_cast<std::size_t>(last)]
                                         : nullptr;

  // Conditional estimates per symbol kind (nested design).
  const bool nested = off.empty() && layout_.masks > 0 && total.moments.count() > 0;
  ConditionalEstimates conditional_kind[SupersampleLayout::kinds];
  bool has_kind[SupersampleLayout::kinds] = {false, false, false};
  for (int kind = 0; kind < SupersampleLayout::kinds; ++kind) {
    if (!nested || (kind == SupersampleLayout::prediction && layout_.prediction_symbols == 0)) continue;
    if (!(total.moments.mean()[layout_.conditional(kind, SupersampleLayout::tables)] > 0)) continue;
    conditional_kind[kind] = conditional_estimates(layout_, kind, total, leave_one_out);
    has_kind[kind] = true;
  }
  const double mean_masks = nested ? total.moments.mean()[layout_.masks_seen()] : NAN;

  auto information_of = [](const PlainEstimates& e, supersample::InformationTerm term) -> const JackknifeEstimate& {
    return term == supersample::InformationTerm::gap      ? e.gap_information
           : term == supersample::InformationTerm::single ? e.single_information
                                                          : e.pair_information;
  };
  for (int k = 0; k < kBounds; ++k) {
    const Bound id = static_cast<Bound>(k);
    BoundValue v;
    v.name = kNames[k];
    v.value = v.stderr_ = v.mi = NAN;
    v.reason = off;
    if (id == b1) {
      // I(W; U | Z~) <= n ln 2 always; equal when U can be read off (W, Z~), as for a deterministic
      // algorithm from a fixed start whose output differs between training sets (docs/supersample.md).
      if (v.reason.empty()) {
        const bool deterministic = !context_.dynamics.stochastic && cell.init == 0 && cell.noise_floor == 0;
        v.value = c * std::sqrt(2 * std::log(2.0));
        v.stderr_ = 0;
        v.mi = cell.n * std::log(2.0);
        v.valid = true;
        v.extras = {{"exact", deterministic ? 1.0 : 0.0}};
      }
    } else if (conditional(id)) {
      const int kind = id == b3 ? SupersampleLayout::prediction : id == b4 ? SupersampleLayout::pair : SupersampleLayout::gap;
      if (!v.reason.empty()) {
      } else if (layout_.masks == 0) {
        v.reason = "not computed: [bounds] supersample_masks = 0 (no nested design)";
      } else if (id == b3 && layout_.prediction_symbols == 0) {
        v.reason = "defined for classifiers only: the problem's predictions are not classes";
      } else if (!has_kind[kind]) {
        v.reason = "no supersample finished (see supersample_failed)";
      } else {
        const ConditionalEstimates& e = conditional_kind[kind];
        const JackknifeEstimate& bound = id == b7_prime ? e.root_outside : e.root_inside;
        v.value = c * bound.reported;
        v.stderr_ = c * bound.stderr_;
        v.mi = e.mean_information.reported;
        v.valid = guaranteed;
        // The K-bias: root inside, its value if every conditional information were 0 (upward);
        // root outside, what the Miller-Madow correction removed from the plug-in.
        const double plugin_information = e.mean_information.reported - e.miller_madow_shift;
        const double k_bias = id == b7_prime ? c * (std::sqrt(2 * std::max(plugin_information, 0.0)) -
                                                    std::sqrt(2 * std::max(e.mean_information.reported, 0.0)))
                                             : c * e.root_inside_null_value;
        v.extras = {{"slack", slack}, {"k_bias", k_bias}, {"masks", mean_masks}};
        if (!std::isfinite(v.value)) v.reason = "not finite";
      }
    } else {
      int p = 0;
      while (kPlain[p] != id) ++p;
      const auto& info = supersample::plain_bound_info()[static_cast<std::size_t>(p)];
      if (!v.reason.empty()) {
      } else if (!final_step) {
        v.reason = "no replicate finished (see supersample_failed)";
      } else if (!final_step->applicable[p]) {
        v.reason = "needs zero training loss in every pair (the share above 0 is ss_training_loss_positive)";
      } else {
        const JackknifeEstimate& bound = final_step->bounds[static_cast<std::size_t>(p)];
        v.value = c * bound.reported;
        v.stderr_ = c * bound.stderr_;
        v.mi = information_of(*final_step, info.information).reported;
        v.valid = guaranteed;
        v.extras = {{"slack", slack}};
        if (has_parameter(id)) v.extras.push_back({"parameter", final_step->parameter[static_cast<std::size_t>(p)]});
        if (!std::isfinite(v.value)) v.reason = "not finite";
        for (const PlainEstimates& e : plain)
          v.running.push_back(e.pairs > 0 && e.applicable[static_cast<std::size_t>(p)]
                                  ? c * e.bounds[static_cast<std::size_t>(p)].reported
                                  : NAN);
      }
    }
    v.defined = v.reason.empty();
    if (!v.defined) {
      v.value = v.stderr_ = v.mi = NAN;
      v.valid = false;
      v.extras.clear();
      v.running.clear();
    }
    out.bounds.push_back(v);
  }

  // Reference figures.
  const bool units = off.empty() && total.moments.count() > 0;
  auto moment = [&](int index) {
    return moment_figure(total, leave_one_out, [index](const Eigen::VectorXd& m) { return m[index]; });
  };
  auto reference = [](const char* name, bool defined, double mean, double stderr_) {
    ReferenceValue r;
    r.name = name;
    r.defined = defined && std::isfinite(mean);
    r.mean = r.defined ? mean : NAN;
    r.stderr_ = r.defined ? stderr_ : NAN;
    return r;
  };
  const JackknifeEstimate gen_ss_figure = units ? moment(layout_.gen_ss(last)) : JackknifeEstimate{};
  const JackknifeEstimate agreement =
      units ? moment_figure(total, leave_one_out,
                            [this, last](const Eigen::VectorXd& m) {
                              return m[layout_.gen_ss(last)] - m[layout_.gen_measured(last)];
                            })
            : JackknifeEstimate{};
  const JackknifeEstimate measured_gen = units ? moment(layout_.gen_measured(last)) : JackknifeEstimate{};
  out.references.push_back(reference(kReferenceNames[gen_ss], units, gen_ss_figure.plugin, gen_ss_figure.stderr_));
  out.references.push_back(reference(kReferenceNames[gen_ss_quantised], final_step != nullptr,
                                     final_step ? c * final_step->gen.reported : NAN,
                                     final_step ? c * final_step->gen.stderr_ : NAN));
  out.references.push_back(reference(kReferenceNames[gen_ss_minus_gen], units, agreement.plugin, agreement.stderr_));
  const JackknifeEstimate none;
  const JackknifeEstimate* plain_information[] = {final_step ? &final_step->gap_information : &none,
                                                  final_step ? &final_step->single_information : &none,
                                                  final_step ? &final_step->pair_information : &none};
  for (int k = 0; k < 3; ++k)
    out.references.push_back(reference(kReferenceNames[mi_gap + k], final_step != nullptr,
                                       plain_information[k]->reported, plain_information[k]->stderr_));
  for (int kind = 0; kind < SupersampleLayout::kinds; ++kind)
    out.references.push_back(reference(kReferenceNames[cmi_gap + kind], has_kind[kind],
                                       conditional_kind[kind].mean_information.reported,
                                       conditional_kind[kind].mean_information.stderr_));
  {
    // The share of pairs whose training loss is above level 0 (b11 needs it to be 0).
    auto positive = [&](const std::vector<std::int64_t>& counts) {
      const supersample::PairCounts all = table(counts, layout_, last);
      return static_cast<double>(all.bottomRows(layout_.levels).sum()) / static_cast<double>(all.sum());
    };
    std::vector<double> rest;
    if (final_step)
      for (const auto& r : leave_one_out)
        if (table(r.counts, layout_, last).sum() > 0) rest.push_back(positive(r.counts));
    out.references.push_back(reference(kReferenceNames[training_loss_positive], final_step != nullptr,
                                       final_step ? positive(total.counts) : NAN, jackknife_error(rest)));
  }

  if (!off.empty()) return out;
  // Relations every run must satisfy, at the final step (z = 3 combined standard errors).
  std::vector<std::string> violated;
  auto describe = [](const supersample::Violation& v, const std::string& relation) {
    std::ostringstream s;
    s << relation << " (" << v.lhs << " > " << v.rhs << " + " << v.tolerance << ", normalised units or nats)";
    return s.str();
  };
  if (final_step) {
    const ConditionalEstimates* gap = has_kind[SupersampleLayout::gap] ? &conditional_kind[SupersampleLayout::gap] : nullptr;
    // Against the measured gen of the loss itself (quantities), with the quantisation slack ...
    const supersample::MeasuredGen measured{measured_gen.plugin / c, measured_gen.stderr_ / c, levels_.quantisation_slack()};
    for (const auto& v : supersample::violated_relations(*final_step, gap, units ? &measured : nullptr))
      violated.push_back(describe(v, v.relation));
    // ... and against gen of the quantised loss from the same tables, without it.
    const supersample::MeasuredGen quantised{final_step->gen.reported, final_step->gen.stderr_, 0};
    for (const auto& v : supersample::violated_relations(*final_step, gap, &quantised))
      if (v.relation.rfind("gen <= ", 0) == 0) violated.push_back(describe(v, "gen_ss_quantised" + v.relation.substr(3)));
    for (int kind : {SupersampleLayout::pair, SupersampleLayout::prediction}) {
      if (!has_kind[kind] || !units) continue;
      const JackknifeEstimate& b = conditional_kind[kind].root_inside;
      const double tolerance = 3 * std::hypot(std::isfinite(measured.stderr_) ? measured.stderr_ : 0.0,
                                              std::isfinite(b.stderr_) ? b.stderr_ : 0.0) +
                               measured.quantisation_slack + 1e-12;
      if (measured.value - b.reported > tolerance)
        violated.push_back(describe({"", measured.value, b.reported, tolerance},
                                    std::string("gen <= ") + kNames[kRootInside[kind]]));
    }
  }
  if (units && std::isfinite(agreement.stderr_) && std::abs(agreement.plugin) > 3 * agreement.stderr_ + 1e-12) {
    std::ostringstream s;
    s << "gen_ss = gen (gen_ss - gen = " << agreement.plugin << " +- " << agreement.stderr_ << ")";
    violated.push_back(s.str());
  }
  for (const auto& v : violated) out.warnings.push_back("supersample relation violated: " + v);

  out.attributes.push_back({"supersample_levels", std::int64_t{layout_.levels}});
  out.attributes.push_back({"supersample_clip", c});
  out.attributes.push_back({"supersample_masks", std::int64_t{layout_.masks}});
  out.attributes.push_back({"supersample_pairs", final_step ? final_step->pairs : std::int64_t{0}});
  out.attributes.push_back({"supersample_supersamples", layout_.masks > 0 ? total.moments.count() : std::int64_t{0}});
  out.attributes.push_back({"supersample_guaranteed", std::int64_t{guaranteed}});
  out.attributes.push_back({"supersample_violations", static_cast<std::int64_t>(violated.size())});
  out.attributes.push_back({"supersample_violated", join(violated)});
  out.attributes.push_back(
      {"supersample_bias_note", has_kind[SupersampleLayout::gap]
                                    ? conditional_kind[SupersampleLayout::gap].bias_note() +
                                          " (bounds in the note in normalised units: divide loss units by c)"
                                    : std::string()});
  return out;
}

}  // namespace sdegen
