// Problem factory: name -> class. Unknown names were already rejected by the option table,
// so reaching the end here is a programming error.
#include "sdegen/problems/make_problem.hpp"

#include <stdexcept>

#include "sdegen/problems/gaussian_mean.hpp"
#include "sdegen/problems/linreg.hpp"
#include "sdegen/problems/logistic.hpp"

namespace sdegen {

std::unique_ptr<Problem> make_problem(const CellParams& cell) {
  if (cell.problem == "gaussian-mean")
    return std::make_unique<GaussianMean>(cell.dim, cell.noise, cell.signal, cell.clip);
  if (cell.problem == "linreg")
    return std::make_unique<LinearRegression>(cell.dim, cell.noise, cell.signal, cell.spectrum_decay,
                                              cell.clip);
  if (cell.problem == "logistic") return std::make_unique<Logistic>(cell.dim, cell.noise, cell.signal);
  throw std::logic_error("unknown problem '" + cell.problem + "'");
}

}  // namespace sdegen
