// Tests of what a run checks and takes before computing: derived names against NAME_MAX, the kind
// of an existing output, the output lock, stale temporaries and the checkpoint checksum.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sdegen/config/usage_error.hpp"
#include "sdegen/experiment/checkpoint.hpp"
#include "sdegen/io/h5_read.hpp"
#include "sdegen/io/output_claim.hpp"
#include "sdegen/io/output_lock.hpp"
#include "sdegen/io/output_paths.hpp"
#include "sdegen/io/stale_temporaries.hpp"

namespace fs = std::filesystem;
using namespace sdegen;

namespace {

struct ScratchDir {
  fs::path dir;
  ScratchDir() : dir(fs::temp_directory_path() / ("sdegen_output_files_" + std::to_string(getpid()))) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

std::string error_of(void (*check)(const OutputPaths&), const OutputPaths& paths) {
  try {
    check(paths);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

void check_names(const OutputPaths& p) { check_output_names(p, true, 4, "output.file"); }
void check_replace(const OutputPaths& p) { check_output_target(p, true, "output.file", "output.overwrite"); }

}  // namespace

TEST_CASE("output names whose derived names exceed NAME_MAX are refused up front", "[output]") {
  const ScratchDir scratch;
  const std::size_t longest = longest_output_name(scratch.dir.string(), true);
  const long name_max = pathconf(scratch.dir.c_str(), _PC_NAME_MAX);
  CHECK(longest == static_cast<std::size_t>(name_max) - std::string(".checkpoint").size());
  CHECK(error_of(check_names, output_paths(scratch.path(std::string(longest, 'a')), getpid())).empty());
  const std::string refused = error_of(check_names, output_paths(scratch.path(std::string(longest + 1, 'a')), getpid()));
  CHECK(refused.find("output.file") != std::string::npos);
  CHECK(refused.find("longest output name accepted there is " + std::to_string(longest)) != std::string::npos);
  CHECK(!error_of(check_names, output_paths(scratch.path(std::string(name_max, 'a')), getpid())).empty());
  CHECK(error_of(check_names, output_paths(scratch.path("missing/x.h5"), getpid())).find("missing") !=
        std::string::npos);
}

TEST_CASE("a device, pipe or directory is never replaced by an output file", "[output]") {
  const ScratchDir scratch;
  const std::string fifo = scratch.path("pipe.h5"), dir = scratch.path("dir.h5"), file = scratch.path("file.h5");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  fs::create_directory(dir);
  std::ofstream(file) << "x";
  CHECK(error_of(check_replace, output_paths(fifo, getpid())).find("not a regular file") != std::string::npos);
  CHECK(error_of(check_replace, output_paths(dir, getpid())).find("is a directory") != std::string::npos);
  CHECK(error_of(check_replace, output_paths(file, getpid())).empty());
  CHECK(error_of(check_replace, output_paths(scratch.path("new.h5"), getpid())).empty());
}

TEST_CASE("the output lock excludes a second holder, names the first and vanishes on release", "[lock]") {
  const ScratchDir scratch;
  const std::string lock_path = scratch.path("out.h5.lock");
  {
    OutputLock first = OutputLock::acquire(lock_path, "out.h5", "pid 1 on host here");
    REQUIRE(first.held());
    try {
      OutputLock::acquire(lock_path, "out.h5", "pid 2 on host there");
      FAIL("a second lock on the same output was granted");
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).find("pid 1 on host here") != std::string::npos);
      CHECK(std::string(e.what()).find("out.h5") != std::string::npos);
    }
  }
  CHECK(!fs::exists(lock_path));
  OutputLock again = OutputLock::acquire(lock_path, "out.h5", "pid 3");
  CHECK(again.held());
}

TEST_CASE("a run without --resume refuses to discard a checkpoint unless told to overwrite", "[checkpoint]") {
  const ScratchDir scratch;
  const OutputPaths paths = output_paths(scratch.path("out.h5"), getpid());
  fs::create_directories(paths.checkpoint_directory);
  std::ofstream(paths.checkpoint_directory + "/rank-0.h5") << "x";
  OutputClaim claim;
  try {
    claim_output(paths, claim);
    FAIL("a run without --resume went ahead over a checkpoint");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("--resume") != std::string::npos);
    CHECK(std::string(e.what()).find("output.overwrite") != std::string::npos);
  }
  CHECK(fs::exists(paths.checkpoint_directory + "/rank-0.h5"));
  CHECK(!fs::exists(paths.lock));
  claim.resume = true;
  CHECK(claim_output(paths, claim).held());
  CHECK(fs::exists(paths.checkpoint_directory));
  claim.resume = false;
  claim.overwrite = true;
  CHECK(claim_output(paths, claim).held());
  CHECK(!fs::exists(paths.checkpoint_directory));
}

TEST_CASE("stale temporaries of dead runs are removed, a live process's never", "[lock]") {
  const ScratchDir scratch;
  const OutputPaths paths = output_paths(scratch.path("out.h5"), getpid());
  fs::create_directories(paths.checkpoint_directory);
  const std::string dead = temporary_name(paths.output, 999999999), live = temporary_name(paths.output, getpid());
  const std::string dead_part = temporary_name(paths.checkpoint_directory + "/rank-1.h5", 999999999);
  const std::string other = scratch.path("other.h5.tmp999999999");
  for (const auto& f : {dead, live, dead_part, other}) std::ofstream(f) << "x";
  std::timespec later{};
  clock_gettime(CLOCK_REALTIME, &later);
  later.tv_sec += 1;
  const auto removed = remove_stale_temporaries(paths, later);
  CHECK(removed.size() == 2);
  CHECK(!fs::exists(dead));
  CHECK(!fs::exists(dead_part));
  CHECK(fs::exists(live));
  CHECK(fs::exists(other));  // another output's
  std::ofstream(dead) << "x";  // newer than the lock: a run that is not ours to judge
  std::timespec earlier{};
  CHECK(remove_stale_temporaries(paths, earlier).empty());
  CHECK(fs::exists(dead));
}

TEST_CASE("a checkpoint whose saved state changed is refused, naming the file", "[checkpoint]") {
  const ScratchDir scratch;
  const std::string directory = scratch.path("out.h5.checkpoint");
  CheckpointContent checkpoint;
  checkpoint.run_key = "key";
  checkpoint.item_count = 3;
  const std::vector<double> state = {1.0, 2.0, 3.0};
  checkpoint.items.push_back({1, state.data(), state.size()});
  write_checkpoint_part(directory, 0, checkpoint);
  CHECK(read_checkpoint(directory, "key", 3).items.at(1) == state);
  {  // one bit of one saved double flips
    h5::silence_error_printing();
    h5::Handle file(H5Fopen((directory + "/rank-0.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose, "open");
    h5::Handle set(H5Dopen2(file.id(), "states", H5P_DEFAULT), H5Dclose, "open states");
    const double changed[3] = {1.0, 2.0000000000000004, 3.0};
    REQUIRE(H5Dwrite(set.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, changed) >= 0);
  }
  try {
    read_checkpoint(directory, "key", 3);
    FAIL("a corrupted checkpoint was accepted");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("rank-0.h5") != std::string::npos);
    CHECK(std::string(e.what()).find("checksum") != std::string::npos);
    CHECK(std::string(e.what()).find("--resume") != std::string::npos);
  }
}

TEST_CASE("a checkpoint's merged state comes from its most advanced part, and blocks it covers are dropped",
          "[checkpoint]") {
  const ScratchDir scratch;
  const std::string directory = scratch.path("out.h5.checkpoint");
  QuantityLayout layout;
  layout.steps = {0, 10};
  layout.columns = {{"a", "", ""}, {"b", "", ""}};
  CellStatistics one(layout, {});
  ReplicateTrace trace;
  trace.values = Eigen::VectorXd::LinSpaced(4, 1.0, 4.0);
  trace.logdet = Eigen::VectorXd::Zero(2);
  one.add(trace);
  const CellResult result(one, 2);
  const std::vector<double> early = {5.0}, late = {6.0, 7.0};
  CheckpointContent rank0;  // items [0, 4) merged into cell 2; block 5 finished
  rank0.run_key = "key";
  rank0.item_count = 8;
  rank0.merged_items = 4;
  rank0.merged.emplace_back(2, &result);
  rank0.items.push_back({5, late.data(), late.size()});
  write_checkpoint_part(directory, 0, rank0);
  CheckpointContent rank1;  // written before the merge of block 3, and block 6
  rank1.run_key = "key";
  rank1.item_count = 8;
  rank1.items.push_back({3, early.data(), early.size()});
  rank1.items.push_back({6, early.data(), early.size()});
  write_checkpoint_part(directory, 1, rank1);
  const RestoredCheckpoint restored = read_checkpoint(directory, "key", 8);
  CHECK(restored.merged_items == 4);
  REQUIRE(restored.merged.count(2) == 1);
  REQUIRE(restored.merged.at(2).size() == 3);  // total and 2 groups
  std::vector<double> packed;
  result.total.pack(packed);
  CHECK(restored.merged.at(2)[0] == packed);
  CHECK(restored.items.size() == 2);  // block 3 is in the merged state already
  CHECK(restored.items.at(5) == late);
  CHECK(restored.items.at(6) == early);
  CHECK_THROWS_AS(read_checkpoint(directory, "another key", 8), UsageError);
}
