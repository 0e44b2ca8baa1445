// Hidden-unit activations of a two-layer network (tanh, relu, erf(u / sqrt 2)), applied to a
// whole matrix of pre-activations at once: values, first and second derivatives.
#pragma once
#include <string>

#include "sdegen/problems/problem.hpp"

namespace sdegen {

enum class Activation { tanh, relu, erf };

// "tanh", "relu" or "erf"; anything else throws std::invalid_argument naming the accepted names.
Activation parse_activation(const std::string& name);
std::string activation_name(Activation activation);

// In place: values holds pre-activations z on entry and phi(z) on return; slopes = phi'(z).
void activate(Activation activation, Matrix& values, Matrix& slopes);

// phi(z), phi'(z) and phi''(z) element-wise (relu: phi'' = 0, phi'(0) = 0).
Matrix activation_values(Activation activation, const Matrix& z);
Matrix activation_slopes(Activation activation, const Matrix& z);
Matrix activation_curvatures(Activation activation, const Matrix& z);

}  // namespace sdegen
