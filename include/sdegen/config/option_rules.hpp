// Rules that relate options to each other: limits on products and ratios of options that the
// engine supports per cell, and options that have no effect in a given configuration.
#pragma once
#include <string>
#include <vector>

#include "sdegen/config/config.hpp"
#include "sdegen/config/grid.hpp"

namespace sdegen {

// Throws UsageError naming the options when a cell exceeds a cross-option limit
// (n x d numbers per training set, logged steps per cell).
void check_cross_option_limits(const CellParams& cell);

// One message per option that was changed from its default but changes nothing in this run,
// e.g. 'bounds.stationary_steps' without terminal bounds. Empty when there is none.
std::vector<std::string> no_effect_warnings(const RunConfig& config, const Grid& grid);

}  // namespace sdegen
