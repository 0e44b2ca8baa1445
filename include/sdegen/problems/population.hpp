// The population side of a problem: risk, gradient, gradient covariance and Hessian under mu,
// and how they were obtained (closed form, estimated from a held-out sample, or exact over a table).
#pragma once
#include <Eigen/Core>
#include <string>

namespace sdegen {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;

enum class PopulationSource { closed_form, held_out, finite };
std::string population_source_name(PopulationSource source);

// Sigma_mu(w) = diag(diagonal) + factor factor^T (factor: d x k, k small, possibly 0).
struct DiagonalPlusLowRank {
  Vector diagonal;
  Matrix factor;
  Matrix dense() const {  // the d x d matrix it stands for
    Matrix out = factor * factor.transpose();
    out.diagonal() += diagonal;
    return out;
  }
};

class Population {
 public:
  virtual ~Population() = default;
  virtual PopulationSource source() const { return PopulationSource::closed_form; }
  // Held-out sample size, or the table's row count; 0 for closed forms.
  virtual long long sample_size() const { return 0; }

  // Risk of every evaluation loss, in the order of the problem's losses().
  virtual void population_risks(const Vector& w, Eigen::Ref<Vector> out) const = 0;
  virtual Vector population_gradient(const Vector& w) const = 0;
  // Sigma_mu(w): covariance of one example's gradient under mu.
  virtual Matrix population_gradient_covariance(const Vector& w) const = 0;
  // The same as diagonal plus low rank, where the closed form has that shape: traj_align then
  // needs no d x d factorisation of C_mu. False (the default): no such form.
  virtual bool population_gradient_covariance_structure(const Vector& /*w*/, DiagonalPlusLowRank& /*out*/) const {
    return false;
  }
  virtual Matrix population_hessian(const Vector& w) const = 0;
};

}  // namespace sdegen
