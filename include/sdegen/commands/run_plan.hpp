// `sdegen run --dry-run` and `--list`: what a run would need (memory per rank, output and
// checkpoint size) and take (time on this machine), with or without its cells, running nothing.
#pragma once
#include <ostream>
#include <string>

#include "sdegen/config/config.hpp"
#include "sdegen/experiment/run_estimate.hpp"

namespace sdegen {

struct RunPlanContext {
  const RunConfig* config = nullptr;
  const ExperimentSetup* setup = nullptr;
  RunEstimate estimate;
  MemoryLimit memory;
  double free_disk = -1;          // bytes; negative: unknown
  std::string output_directory;
  double flop_rate = 0;           // measured on this machine; 0: not measured
  std::string timed;              // what the rate was measured on
};

void print_run_plan(std::ostream& out, const RunPlanContext& context, bool list_cells);

}  // namespace sdegen
