// The plan of a run as text: the cells (with --list), how the work is cut, the estimates and
// what they are measured against. Times extrapolate the cost model from one measured rate.
#include "sdegen/commands/run_plan.hpp"

#include <cstdio>
#include <sstream>

#include "sdegen/report/text_table.hpp"

namespace sdegen {

namespace {

std::string per_replicate(double seconds) {
  char buf[32];
  if (seconds >= 1) std::snprintf(buf, sizeof buf, "%.3g s", seconds);
  else std::snprintf(buf, sizeof buf, "%.3g ms", seconds * 1e3);
  return buf;
}

std::string setting(const CellParams& cell, const std::string& option) {
  for (const auto& [name, value] : cell.settings)
    if (name == option) return value;
  return "";
}

}  // namespace

void print_run_plan(std::ostream& out, const RunPlanContext& context, bool list_cells) {
  const RunConfig& config = *context.config;
  const ExperimentSetup& setup = *context.setup;
  const RunEstimate& e = context.estimate;
  const bool timed = context.flop_rate > 0;
  out << "cells: " << setup.active.size();
  if (config.cells_parts > 1)
    out << " of the sweep's " << setup.grid.cells.size() << " (part --cells " << config.cells_part << "/"
        << config.cells_parts << ")";
  if (setup.active.empty()) out << ": this part has no cells; the run writes a results file without cells";
  out << "\n";
  if (list_cells && !setup.active.empty()) {
    std::vector<std::string> header = {"cell"};
    for (const auto& axis : setup.grid.axes) header.push_back(axis);
    for (const char* column : {"time/replicate", "time", "block state", "output"}) header.push_back(column);
    std::vector<std::vector<std::string>> rows = {header};
    for (std::size_t k = 0; k < e.cells.size(); ++k) {
      const CellEstimate& c = e.cells[k];
      std::vector<std::string> row = {std::to_string(c.cell)};
      for (const auto& axis : setup.grid.axes) row.push_back(setting(setup.grid.cells[c.cell], axis));
      const double seconds = timed ? c.replicate_cost / context.flop_rate : 0;
      row.push_back(timed ? per_replicate(seconds) : "-");
      row.push_back(timed ? duration_text(seconds * setup.replicates) : "-");
      row.push_back(byte_size(8.0 * c.state_doubles));
      row.push_back(byte_size(c.output_bytes));
      rows.push_back(row);
    }
    print_aligned(out, rows);
    out << "(time: of one rank, for all replicates of the cell)\n";
  }
  out << "work: " << setup.replicates << " replicates per cell in " << e.items << " blocks of up to " << setup.block
      << ", " << e.waves << " wave(s) of up to " << e.wave_items << " blocks, on " << e.ranks << " rank(s)\n";
  out << "memory per rank: about " << byte_size(e.root_bytes) << " on rank 0 (statistics "
      << byte_size(e.statistics_bytes) << ", one replicate " << byte_size(e.working_bytes) << ", a wave "
      << byte_size(e.wave_bytes) << ")";
  if (e.ranks > 1) out << ", " << byte_size(e.other_bytes) << " on the others";
  out << "; a rank may use " << byte_size(context.memory.bytes) << " (" << context.memory.origin << ")\n";
  out << "output: results file about " << byte_size(e.output_bytes) << ", a checkpoint up to "
      << byte_size(e.checkpoint_bytes);
  if (context.free_disk >= 0) out << "; " << byte_size(context.free_disk) << " free in '" << context.output_directory << "'";
  out << "\n";
  if (timed)
    out << "time: about " << duration_text(e.busiest_cost / context.flop_rate) << " on " << e.ranks
        << " rank(s) of this machine, from the cost model calibrated by " << context.timed
        << " (other load on the machine slows it)\n";
}

}  // namespace sdegen
