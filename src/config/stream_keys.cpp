// FNV-1a over a canonical text of the keyed options, finished with a SplitMix64 mix so that
// nearby texts give unrelated keys. The text lists options in table order as name=value lines,
// leaving out options at their default value: a new option leaves existing configurations' keys alone.
#include "sdegen/config/stream_keys.hpp"

#include <cstdio>

#include "sdegen/config/config.hpp"
#include "sdegen/config/option_table.hpp"

namespace sdegen {

namespace {

std::uint64_t hash_text(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h += 0x9e3779b97f4a7c15ull;  // SplitMix64 finaliser
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

std::string canonical(const OptionSpec& spec, const std::string& token) {
  if (spec.kind == OptionKind::integer) return std::to_string(parse_integer(spec.name, token));
  if (spec.kind == OptionKind::real) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", parse_real(spec.name, token) + 0.0);  // -0 as 0
    return buf;
  }
  return token;
}

}  // namespace

StreamKeys stream_keys(const std::vector<std::pair<std::string, std::string>>& settings) {
  std::string data, training;
  for (const auto& spec : run_options())
    for (const auto& [name, value] : settings) {
      if (name != spec.name) continue;
      const std::string meaning = canonical(spec, value);
      const std::vector<std::string> defaults = split_tokens(spec.default_value);  // a sweep default: never equal
      const bool at_default = spec.kind == OptionKind::text ? value == spec.default_value
                                                            : defaults.size() == 1 && meaning == canonical(spec, defaults[0]);
      if (at_default) continue;
      const std::string line = spec.name + "=" + meaning + "\n";
      if (spec.stream_role == StreamRole::data) data += line;
      if (spec.stream_role == StreamRole::training) training += line;
    }
  StreamKeys keys;
  keys.data = hash_text("data\n" + data);
  keys.training = hash_text("training\n" + data + training);
  return keys;
}

}  // namespace sdegen
