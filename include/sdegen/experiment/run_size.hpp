// The size limit of a whole run: rank 0 gathers the statistics of every replicate block in one
// MPI message, whose count is an int, so cells x blocks x per-block statistics must fit 2^31 - 1.
#pragma once
#include "sdegen/experiment/experiment.hpp"

namespace sdegen {

// Throws UsageError naming the options to change when the gathered statistics would not fit.
void check_run_size(const ExperimentSetup& setup);

}  // namespace sdegen
