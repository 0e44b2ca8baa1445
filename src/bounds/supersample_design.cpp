// Drawing a supersample and a mask, and gathering the training set they select. The replicate
// and the supersample estimator draw the same (Z~, U) from the same streams, so neither needs to
// hand it to the other.
#include "sdegen/bounds/supersample_design.hpp"

namespace sdegen {

Dataset SupersampleDraw::training_set() const {
  const Eigen::Index n = mask.size();
  const Eigen::VectorXi rows = (Eigen::ArrayXi::LinSpaced(n, 0, static_cast<int>(n) - 1) + static_cast<int>(n) * mask).matrix();
  Dataset out;
  out.X = points.X(rows, Eigen::all);
  if (points.y.size() > 0) out.y = points.y(rows);
  return out;
}

SupersampleDraw SupersampleDesign::draw(const Problem& problem, const ReplicateStreams& streams, int n) const {
  SupersampleDraw out;
  out.supersample = supersample(streams.replicate());
  Stream points = streams.with_replicate(out.supersample).get(Purpose::supersample);
  out.points = problem.sample(points, 2 * n);
  Stream mask = streams.get(Purpose::mask);
  out.mask.resize(n);
  for (int i = 0; i < n; ++i) out.mask(i) = static_cast<int>(mask() >> 63);
  return out;
}

}  // namespace sdegen
