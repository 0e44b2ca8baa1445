// Gaussian mean estimation. ||w - z||^2 / s^2 is non-central chi-squared (d dof, non-centrality
// ||w - m||^2 / s^2), which gives the population risk of the clipped loss in closed form.
#include "sdegen/problems/gaussian_mean.hpp"

#include <cmath>

#include "sdegen/problems/clipped_chi_squared.hpp"

namespace sdegen {

GaussianMean::GaussianMean(int dim, double noise, double signal, double clip)
    : mean_(Vector::Constant(dim, signal / std::sqrt(double(dim)))),
      noise_(noise),
      clip_(clip > 0 ? clip : 4.0 * dim * noise * noise) {
  losses_ = {{"sq", std::numeric_limits<double>::infinity(), "squared distance ||w - z||^2"},
             {"sq_clip", clip_ / 2, "clipped squared distance min(||w - z||^2, c), c = " +
                                        std::to_string(clip_)}};
}

Dataset GaussianMean::sample(Stream& stream, int n) const {
  Dataset data;
  data.X.resize(n, dim());
  stream.fill_normal(data.X);
  data.X = (data.X * noise_).rowwise() + mean_.transpose();
  return data;
}

void GaussianMean::example_gradients(const Dataset& data, const Vector& w, Matrix& out) const {
  out = 2.0 * ((-data.X).rowwise() + w.transpose());
}

void GaussianMean::weighted_gradient_sums(const Dataset& data, const Vector& w, const Matrix& weights,
                                          Matrix& out, GradientScratch&) const {
  // sum_i c_i 2 (w - z_i) = 2 (w sum_i c_i - Z^T c)
  out.noalias() = -2.0 * data.X.transpose() * weights;
  out += 2.0 * w * weights.colwise().sum();
}

void GaussianMean::batch_gradient(const Dataset& data, const Eigen::VectorXi& rows, const Vector& w,
                                  Vector& out, GradientScratch& scratch) const {
  scratch.rows = data.X(rows, Eigen::all);
  out = 2.0 * (w - scratch.rows.colwise().mean().transpose());
}

void GaussianMean::empirical_risks(const Dataset& data, const Vector& w, Eigen::Ref<Vector> out) const {
  const Eigen::ArrayXd loss = (data.X.rowwise() - w.transpose()).rowwise().squaredNorm().array();
  out[0] = loss.mean();
  out[1] = loss.min(clip_).mean();
}

void GaussianMean::example_losses(const Dataset& data, const Vector& w, Matrix& out) const {
  out.resize(data.size(), 2);
  out.col(0) = (data.X.rowwise() - w.transpose()).rowwise().squaredNorm();
  out.col(1) = out.col(0).cwiseMin(clip_);
}

void GaussianMean::population_risks(const Vector& w, Eigen::Ref<Vector> out) const {
  const double s2 = noise_ * noise_;
  const double dist2 = (w - mean_).squaredNorm();
  out[0] = dist2 + dim() * s2;
  out[1] = s2 * expected_clipped_chi_squared(dim(), dist2 / s2, clip_ / s2);
}

Vector GaussianMean::population_gradient(const Vector& w) const { return 2.0 * (w - mean_); }

Matrix GaussianMean::empirical_hessian(const Dataset&, const Vector&) const {
  return 2.0 * Matrix::Identity(dim(), dim());
}

Matrix GaussianMean::population_hessian(const Vector&) const {
  return 2.0 * Matrix::Identity(dim(), dim());
}

Matrix GaussianMean::population_gradient_covariance(const Vector& w) const {
  DiagonalPlusLowRank structure;
  population_gradient_covariance_structure(w, structure);
  return structure.dense();
}

bool GaussianMean::population_gradient_covariance_structure(const Vector&, DiagonalPlusLowRank& out) const {
  // Sigma_mu = 4 s^2 I.
  out.diagonal = Vector::Constant(dim(), 4.0 * noise_ * noise_);
  out.factor.resize(dim(), 0);  // no low-rank part
  return true;
}

}  // namespace sdegen
