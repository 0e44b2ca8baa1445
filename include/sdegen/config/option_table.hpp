// The one table of sdegen's run options: name, default, unit, help, kind and whether it may be swept.
// The command line (--section.key) and INI files ([section] key = value) are both built from it.
#pragma once
#include <string>
#include <vector>

namespace sdegen {

enum class OptionKind { text, choice, integer, real, boolean };

// Which random streams an option keys (docs/engine.md, "Random streams"): `data` options define
// the data distribution and the training sets drawn from it; `training` options define how the
// dynamics use their randomness; others (what is measured, how long, how many) key no stream.
enum class StreamRole { none, data, training };

struct OptionSpec {
  std::string name;             // "section.key"
  std::string default_value;    // as written in an INI file
  OptionKind kind;
  std::string unit;             // "" for dimensionless
  std::string help;
  bool sweepable;               // a list of values makes a sweep axis
  std::vector<std::string> choices;  // for OptionKind::choice
  double min_value = 0;         // for numbers: smallest allowed value
  bool min_exclusive = false;   // true: value must be > min_value
  // For numbers: largest allowed value. Integers stay within what the engine holds in an int
  // (or, for the seed, an int64); reals within what keeps every later square and product finite.
  double max_value = 0;
  StreamRole stream_role = StreamRole::none;
};

// The range of a number option as its help shows it, e.g. "1 to 1e8" or "> 0 and <= 1e50".
std::string option_range_text(const OptionSpec& spec);

// All options of `sdegen run`, in the order they appear in the effective config and the grid.
const std::vector<OptionSpec>& run_options();

// The name an option has as a cell attribute and a /summary column: "problem" for
// "problem.name", else the key after the dot ("data.n" -> "n").
std::string option_key(const std::string& option);

// The spec of one option; throws UsageError if there is none of that name.
const OptionSpec& find_option(const std::string& name);

}  // namespace sdegen
