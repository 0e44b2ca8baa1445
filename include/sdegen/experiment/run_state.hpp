// What the ranks hold while a run goes on: on rank 0 the cells' statistics merged in item order
// so far and the blocks restored from a checkpoint but not merged yet; on every rank its finished
// blocks of the current wave. Its checkpoint part, and its restoration from a checkpoint.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "sdegen/experiment/checkpoint.hpp"
#include "sdegen/experiment/experiment_setup.hpp"
#include "sdegen/experiment/work_plan.hpp"
#include "sdegen/mpi/communicator.hpp"

namespace sdegen {

// A rank's finished blocks of a wave, packed back to back as [id, length, state...] records: the
// form the gather sends, so each is held once. Integer counts (the supersample tables) travel with
// one block per cell and jackknife group among those this rank finished in the wave, the group's
// carrier, rather than with every block: a sum of integers is the same whichever block holds which
// part, so no group's or cell's counts change, and a wave holds one table per group and rank
// instead of one per block. The carrier's counts are added to in place, in its packed record.
class FinishedBlocks {
 public:
  void reserve(std::size_t doubles) { records_.reserve(doubles); }
  // Adds a finished block of jackknife group `group` (its end_block hooks have run); moves its
  // counts to the group's carrier when there is one.
  void add(std::int64_t id, int cell, int group, CellStatistics& block);
  const std::vector<double>& records() const { return records_; }
  std::vector<ItemSpan> spans() const;
  void clear();  // and free

 private:
  struct Carrier {
    std::size_t end;  // where its record ends in records_: its counts are the last doubles
    std::vector<std::size_t> count_sizes;  // per estimator with counts, in order
  };
  std::vector<double> records_;
  std::map<std::pair<int, int>, Carrier> carriers_;  // (cell, group) -> its carrier in this wave
};

struct RunState {
  std::vector<CellResult> merged;  // rank 0: per grid cell
  std::int64_t merged_items = 0;   // items [0, merged_items) are in `merged` (known to every rank)
  std::map<std::int64_t, std::vector<double>> pending;  // rank 0: restored, not merged yet (packed)
  std::set<std::int64_t> restored;                      // every rank: the ids of `pending`
  FinishedBlocks finished;                              // this rank's blocks of the current wave
  std::chrono::steady_clock::time_point last_checkpoint = std::chrono::steady_clock::now();

  // This rank's checkpoint part (by reference: valid while the state is unchanged).
  CheckpointContent checkpoint_content(const WorkPlan& plan, const std::string& run_key, bool is_root) const;
};

// An empty state: rank 0's cells without replicates.
RunState fresh_state(const ExperimentSetup& setup, bool is_root);

// Collective. Rank 0 reads the checkpoint in `directory`; every rank learns how far it was merged
// and which later blocks it holds. Throws UsageError on every rank when it cannot be used.
RunState restore_state(const ExperimentSetup& setup, const WorkPlan& plan, const Communicator& comm,
                       const std::string& directory, const std::string& run_key);

}  // namespace sdegen
