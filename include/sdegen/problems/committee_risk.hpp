// Closed-form mean squared distance between two soft committee machines (erf(u / sqrt 2) units,
// no hidden biases) under Gaussian inputs x ~ N(0, I_p) (Saad & Solla 1995), and its gradient.
#pragma once
#include "sdegen/problems/two_layer_network.hpp"

namespace sdegen {

// E[g(u) g(v)] for g(u) = erf(u / sqrt 2) and centred jointly Gaussian (u, v) with variances
// c_uu, c_vv and covariance c_uv: (2 / pi) arcsin(c_uv / sqrt((1 + c_uu)(1 + c_vv))).
double erf_unit_moment(double c_uu, double c_vv, double c_uv);

// Whether a network's output is a committee of erf units of centred Gaussian fields: erf
// activation and no hidden bias (an output bias is allowed).
bool is_soft_committee(const NetworkShape& shape);

// E_x[(f_w(x) - f_v(x))^2] for two committees on the same inputs; throws std::invalid_argument
// when either is not a soft committee or the input dimensions differ.
double committee_squared_distance(const TwoLayerNetwork& student, const Vector& w, const TwoLayerNetwork& teacher,
                                  const Vector& v);

// Its gradient with respect to the student's weights w (in the student's weight layout).
Vector committee_squared_distance_gradient(const TwoLayerNetwork& student, const Vector& w,
                                           const TwoLayerNetwork& teacher, const Vector& v);

}  // namespace sdegen
