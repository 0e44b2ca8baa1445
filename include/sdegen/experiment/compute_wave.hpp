// One rank's share of a wave: its blocks in item order, replicate by replicate, with progress
// and periodic checkpoints; a stop signal ends it between replicates.
#pragma once
#include <string>

#include "sdegen/experiment/experiment.hpp"
#include "sdegen/experiment/run_state.hpp"
#include "sdegen/experiment/waves.hpp"

namespace sdegen {

// Adds this rank's finished blocks to state.finished. Returns false when a stop signal arrived
// (the unfinished block is dropped).
bool compute_wave(const ExperimentSetup& setup, const WorkPlan& plan, const Wave& wave, const Communicator& comm,
                  const CheckpointSettings* checkpoint, Progress& progress, RunState& state);

// Writes this rank's checkpoint part; returns "" or one line saying why it failed (a full disk).
// The previous part then stays.
std::string write_checkpoint(const RunState& state, const WorkPlan& plan, const CheckpointSettings& checkpoint,
                             const Communicator& comm);

}  // namespace sdegen
