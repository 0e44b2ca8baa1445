// Tests of the two forms of the per-example gradients the bounds read: the margin models' scaled
// design (g_i = s_i x_i, never formed) against the n x d matrix the problem forms, moment by moment
// and through every path of the trajectory terms.
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "sdegen/bounds/trajectory_terms.hpp"
#include "sdegen/problems/example_gradients.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/problems/logistic.hpp"
#include "sdegen/random/stream.hpp"

using namespace sdegen;

namespace {

struct Case {
  std::shared_ptr<const Problem> problem;
  int n;
};

// Relative agreement of two sums of n products of O(1) numbers, computed in different orders.
constexpr double kTolerance = 1e-12;

}  // namespace

TEST_CASE("ExampleGradients: the scaled design gives the moments and trajectory terms of the formed gradients") {
  const int d = 9;
  for (const Case& c :
       {Case{std::make_shared<LinearRegression>(d, 0.5, 1.0, 0.3, 0.0), 203},
        Case{std::make_shared<Logistic>(d, 0.2, 2.0), 50}, Case{std::make_shared<Logistic>(d, 0.2, 2.0), 5}}) {
    INFO(c.problem->name() << " n " << c.n);
    Stream draw(17, static_cast<std::uint64_t>(c.n), 0, Purpose::data);
    const Dataset data = c.problem->sample(draw, c.n);
    Vector w(d);
    draw.fill_normal(w);
    Matrix p;
    c.problem->example_gradients(data, w, p);
    Vector scales;
    GradientScratch scratch;
    REQUIRE(c.problem->example_gradient_scales(data, w, scales, scratch));
    const ExampleGradients formed(p), scaled(data.X, scales);
    REQUIRE(scaled.dense() == nullptr);
    REQUIRE(formed.dense() == &p);
    REQUIRE((scaled.rows() == c.n && scaled.cols() == d));

    Vector mean_formed, mean_scaled;
    formed.mean(mean_formed);
    scaled.mean(mean_scaled);
    CHECK((mean_scaled - mean_formed).norm() <= kTolerance * (1 + mean_formed.norm()));
    CHECK(scaled.mean_squared_norm() == Approx(formed.mean_squared_norm()).epsilon(kTolerance));
    Matrix gram_formed = Matrix::Zero(d, d), gram_scaled = Matrix::Zero(d, d), scratch_p;
    formed.add_gram(0.5, gram_formed);
    scaled.add_gram(0.5, gram_scaled);
    const Matrix lower_formed = gram_formed.triangularView<Eigen::Lower>();
    const Matrix lower_scaled = gram_scaled.triangularView<Eigen::Lower>();
    CHECK((lower_scaled - lower_formed).norm() <= kTolerance * lower_formed.norm());
    CHECK(gram_scaled.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().isZero(0.0));
    CHECK((scaled.matrix(scratch_p) - p).norm() <= kTolerance * p.norm());

    // Weighted sums: P^T weights either way; the scaled form is bit for bit the problem's own
    // weighted_gradient_sums (the step's products without bounds), which the steps rely on.
    Matrix weights(c.n, 2), sums_formed, sums_scaled, sums_problem, rows;
    weights.col(0).setConstant(1.0 / c.n);
    draw.fill_normal(weights.col(1));
    formed.weighted_sums(weights, sums_formed, rows);
    scaled.weighted_sums(weights, sums_scaled, rows);
    c.problem->weighted_gradient_sums(data, w, weights, sums_problem, scratch);
    const Matrix direct = p.transpose() * weights;
    CHECK((sums_formed - direct).norm() <= kTolerance * (1 + direct.norm()));
    CHECK((sums_scaled - direct).norm() <= kTolerance * (1 + direct.norm()));
    CHECK((sums_scaled.array() == sums_problem.array()).all());
    // A view with G known hands it out as its mean and to the steps.
    const Vector known = sums_scaled.col(0);
    const ExampleGradients with_known = scaled.with_mean(known);
    REQUIRE(with_known.known_mean() == &known);
    REQUIRE(scaled.known_mean() == nullptr);
    Vector mean_known;
    with_known.mean(mean_known);
    CHECK((mean_known.array() == known.array()).all());
    CHECK((mean_known - mean_scaled).norm() <= kTolerance * (1 + mean_scaled.norm()));
    CHECK(&formed.matrix(scratch_p) == &p);

    // Every path of the terms: no log det, dense log det, the Gram path (a floor and n < d), alignment.
    const Population& population = *c.problem->closed_form_population();
    const double kappa = 0.05;
    for (const double floor : {0.0, 1e-2})
      for (const bool with_logdet : {false, true})
        for (const bool with_align : {false, true}) {
          if (with_align && !with_logdet) continue;
          if (floor == 0 && c.n <= d && with_logdet) continue;  // C_t singular: no log det to compare
          INFO("floor " << floor << " logdet " << with_logdet << " align " << with_align);
          TrajectoryWorkspace work_formed, work_scaled;
          const TrajectoryTerms a =
              trajectory_terms(population, w, formed, kappa, floor, with_logdet, with_align, work_formed);
          const TrajectoryTerms b =
              trajectory_terms(population, w, scaled, kappa, floor, with_logdet, with_align, work_scaled);
          CHECK(b.logdet_ok == a.logdet_ok);
          CHECK(b.align_ok == a.align_ok);
          CHECK(b.a_zero == Approx(a.a_zero).epsilon(kTolerance));
          CHECK(b.a_pop == Approx(a.a_pop).epsilon(kTolerance));
          // log det and the alignment term: sums of d logs, compared in units of d.
          CHECK(std::abs(b.logdet - a.logdet) <= 1e-10 * d);
          CHECK(std::abs(b.align - a.align) <= 1e-10 * d);
        }
  }
}
