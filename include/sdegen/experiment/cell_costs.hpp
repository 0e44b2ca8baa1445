// What a replicate of each cell costs on this machine, timed before the run: the flop model is
// off by up to 5x across cells with bounds on, and blocks of a wave are balanced by these costs.
#pragma once
#include <vector>

#include "sdegen/experiment/experiment_setup.hpp"
#include "sdegen/mpi/communicator.hpp"

namespace sdegen {

// Whether timing is worth its cost: more than one rank and one cell (else every assignment is
// as good), and enough replicates per cell that two more per cell are at most 1% of the work.
bool worth_measuring_cell_costs(const ExperimentSetup& setup, int ranks);

// Seconds per replicate by active cell, the same vector on every rank (collective): rank r times
// the cells at positions r, r + ranks, ..., each after one untimed replicate of it (first-touch
// pages, a table's column copies), and one sum over ranks shares them. The replicates timed are
// computed again in the run: results never depend on this.
std::vector<double> measure_cell_costs(const ExperimentSetup& setup, const Communicator& comm);

}  // namespace sdegen
