// Builds the problem a cell names, with the cell's problem options.
// The only place that maps problem names to classes.
#pragma once
#include <memory>

#include "sdegen/config/grid.hpp"
#include "sdegen/problems/problem.hpp"

namespace sdegen {

std::unique_ptr<Problem> make_problem(const CellParams& cell);

}  // namespace sdegen
