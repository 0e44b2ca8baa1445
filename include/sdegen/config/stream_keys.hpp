// The keys of a cell's random streams, from what the options mean rather than where the cell sits
// in a sweep: a hash of the data options (data key), and of those plus the training options.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sdegen {

struct StreamKeys {
  std::uint64_t data = 0;      // training sets, held-out samples, W_0
  std::uint64_t training = 0;  // batches, noise and the estimators' own draws
};

// settings: every keyed option of the cell as (name, value token). Values are compared as numbers
// where the option is numeric, so "0.1" and "1e-1" key the same streams; a value equal to the
// option's default counts as absent, so options added to sdegen later change no existing key.
StreamKeys stream_keys(const std::vector<std::pair<std::string, std::string>>& settings);

}  // namespace sdegen
