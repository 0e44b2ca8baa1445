// A figure computed from groups of replicates with its delete-one-group jackknife: the plug-in
// value, the bias-corrected value, the standard error, and which value is reported.
#pragma once
#include <limits>
#include <vector>

namespace sdegen::supersample {

struct JackknifeEstimate {
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  double plugin = nan;              // b: from all groups together
  double leave_one_out_mean = nan;  // mean over g of b_(g), each without group g
  double bias_corrected = nan;      // G b - (G - 1) mean_g b_(g)
  double stderr_ = nan;             // sqrt((G - 1) / G sum_g (b_(g) - mean)^2)
  double reported = nan;            // the value to show (see where it is computed)
  bool clamped = false;             // an information term below 0 was set to 0 for `reported`
};

// The jackknife of one figure from its full value and its G delete-one values; reported is the
// bias-corrected value. With fewer than 2 delete-one values only plugin (= reported) is set.
JackknifeEstimate jackknife(double full, const std::vector<double>& leave_one_out);

}  // namespace sdegen::supersample
