// Command-line and INI parsing for `sdegen run` with Boost.Program_options, plus value checks.
// Program_options keeps the first value stored, so the command line is stored before the file.
#include "sdegen/config/config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sdegen/config/option_table.hpp"
#include "sdegen/config/usage_error.hpp"

namespace po = boost::program_options;

namespace sdegen {

std::vector<std::string> split_tokens(const std::string& value) {
  std::istringstream in(value);
  std::vector<std::string> out;
  for (std::string token; in >> token;) out.push_back(token);
  return out;
}

std::int64_t parse_integer(const std::string& option, const std::string& token) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(token.c_str(), &end, 10);
  if (token.empty() || *end != '\0')
    throw UsageError("option '" + option + "': '" + token + "' is not an integer");
  if (errno == ERANGE) throw UsageError("option '" + option + "': '" + token + "' is out of range");
  return v;
}

double parse_real(const std::string& option, const std::string& token) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  if (token.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    throw UsageError("option '" + option + "': '" + token + "' is not a finite number");
  return v;
}

bool parse_boolean(const std::string& option, const std::string& token) {
  if (token == "true" || token == "1" || token == "yes" || token == "on") return true;
  if (token == "false" || token == "0" || token == "no" || token == "off") return false;
  throw UsageError("option '" + option + "': '" + token + "' is not true or false");
}

namespace {

void check_no_duplicates(const OptionSpec& spec, const std::vector<std::string>& tokens);

void check_value(const OptionSpec& spec, const std::vector<std::string>& tokens) {
  if (tokens.empty()) throw UsageError("option '" + spec.name + "' has an empty value");
  if (tokens.size() > 1 && !spec.sweepable)
    throw UsageError("option '" + spec.name + "' takes one value, not a list");
  for (const auto& token : tokens) {
    double number = 0;
    switch (spec.kind) {
      case OptionKind::text:
        continue;
      case OptionKind::boolean:
        parse_boolean(spec.name, token);
        continue;
      case OptionKind::choice: {
        bool known = false;
        std::string list;
        for (const auto& c : spec.choices) {
          known = known || c == token;
          list += (list.empty() ? "" : ", ") + c;
        }
        if (!known)
          throw UsageError("option '" + spec.name + "': unknown value '" + token +
                           "' (choose from " + list + ")");
        continue;
      }
      case OptionKind::integer:
        number = static_cast<double>(parse_integer(spec.name, token));
        break;
      case OptionKind::real:
        number = parse_real(spec.name, token);
        break;
    }
    const bool too_small = spec.min_exclusive ? !(number > spec.min_value) : number < spec.min_value;
    if (too_small) {
      std::ostringstream msg;
      msg << "option '" << spec.name << "': " << token << " must be "
          << (spec.min_exclusive ? "> " : ">= ") << spec.min_value;
      throw UsageError(msg.str());
    }
    if (number > spec.max_value)
      throw UsageError("option '" + spec.name + "': " + token + " is out of range (" + option_range_text(spec) + ")");
  }
  check_no_duplicates(spec, tokens);
}

// Two equal values on a sweep axis make two identical cells (and break the sgd-sde pairing), so
// values are compared as what they mean: "0.1" equals "1e-1", "050" equals "50".
void check_no_duplicates(const OptionSpec& spec, const std::vector<std::string>& tokens) {
  for (std::size_t i = 0; i < tokens.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      bool same = tokens[i] == tokens[j];
      if (spec.kind == OptionKind::integer)
        same = parse_integer(spec.name, tokens[i]) == parse_integer(spec.name, tokens[j]);
      else if (spec.kind == OptionKind::real)
        same = parse_real(spec.name, tokens[i]) == parse_real(spec.name, tokens[j]);
      else if (spec.kind == OptionKind::boolean)
        same = parse_boolean(spec.name, tokens[i]) == parse_boolean(spec.name, tokens[j]);
      if (same)
        throw UsageError("option '" + spec.name + "' lists the same value twice ('" + tokens[j] + "' and '" +
                         tokens[i] + "'): every value of a sweep must differ");
    }
}

std::string join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) out += (out.empty() ? "" : " ") + t;
  return out;
}

}  // namespace

const std::vector<std::string>& RunConfig::tokens(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end()) throw UsageError("unknown option '" + name + "'");
  return it->second;
}

const std::string& RunConfig::single(const std::string& name) const {
  const auto& t = tokens(name);
  if (t.size() != 1) throw UsageError("option '" + name + "' takes one value");
  return t.front();
}

std::int64_t RunConfig::integer(const std::string& name) const {
  return parse_integer(name, single(name));
}
double RunConfig::real(const std::string& name) const { return parse_real(name, single(name)); }
bool RunConfig::boolean(const std::string& name) const {
  return parse_boolean(name, single(name));
}

std::string RunConfig::effective_text() const {
  std::ostringstream out;
  std::string section;
  for (const auto& spec : run_options()) {
    const auto dot = spec.name.find('.');
    const std::string sec = spec.name.substr(0, dot);
    if (sec != section) {
      out << (section.empty() ? "" : "\n") << "[" << sec << "]\n";
      section = sec;
    }
    out << spec.name.substr(dot + 1) << " = " << join(tokens(spec.name)) << "\n";
  }
  return out.str();
}

namespace {

po::options_description run_description() {
  po::options_description run_desc("Run options (also [section] key = value in a config file)");
  for (const auto& spec : run_options()) {
    std::string help = spec.help + (spec.unit.empty() ? "" : " [" + spec.unit + "]");
    const std::string range = option_range_text(spec);
    help += range.empty() ? "" : "; " + range;
    help += spec.sweepable ? "; a list sweeps" : "";
    auto* value = po::value<std::string>()->value_name("V")->default_value(spec.default_value);
    if (spec.kind == OptionKind::boolean) value->implicit_value("true");
    run_desc.add_options()(spec.name.c_str(), value, help.c_str());
  }
  return run_desc;
}

void fill_values(const po::variables_map& vm, RunConfig& config) {
  for (const auto& spec : run_options()) {
    const std::string& value = vm[spec.name].as<std::string>();
    auto tokens = spec.kind == OptionKind::text ? std::vector<std::string>{value} : split_tokens(value);
    check_value(spec, tokens);
    config.values[spec.name] = tokens;
  }
}

// The text of a config file. A directory or an unreadable file is an error rather than an empty
// config, and so is a NUL byte: the text is stored as a C string, which would end there.
std::string read_config_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    throw UsageError("cannot read config file '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw UsageError("config file '" + path + "' is a directory, not an INI file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UsageError("cannot read config file '" + path + "': " + std::strerror(errno));
  const std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) throw UsageError("cannot read config file '" + path + "'");
  const auto nul = content.find('\0');
  if (nul != std::string::npos)
    throw UsageError("config file '" + path + "' contains a NUL byte (line " +
                     std::to_string(1 + std::count(content.begin(), content.begin() + nul, '\n')) +
                     "): it is not a text file");
  return content;
}

// -o FILE and --output.file FILE on one command line must agree: neither silently wins.
void check_single_output_name(const po::parsed_options& command_line) {
  std::vector<std::pair<std::string, std::string>> given;  // (spelling, value)
  for (const auto& option : command_line.options)
    if ((option.string_key == "output" || option.string_key == "output.file") && !option.value.empty())
      given.emplace_back(option.string_key == "output" ? "-o" : "--output.file", option.value.front());
  for (const auto& [spelling, value] : given)
    if (value != given.front().second)
      throw UsageError("options '" + given.front().first + " " + given.front().second + "' and '" + spelling +
                       " " + value + "' name different output files (option 'output.file'): give one");
}

}  // namespace

RunConfig config_from_text(const std::string& text, const std::string& origin) {
  po::variables_map vm;
  RunConfig config;
  try {
    std::istringstream in(text);
    po::store(po::parse_config_file(in, run_description(), false), vm);
    po::notify(vm);
    fill_values(vm, config);
  } catch (const po::error& e) {
    throw UsageError(origin + ": " + e.what());
  } catch (const UsageError& e) {
    throw UsageError(origin + ": " + e.what());
  }
  return config;
}

RunCommandLine parse_run_command_line(const std::vector<std::string>& args) {
  const po::options_description run_desc = run_description();
  po::options_description general("General");
  general.add_options()("help,h", "show this help")("version", "show the version")(
      "quiet,q", po::bool_switch(), "no progress or table on the terminal")(
      "resume", po::bool_switch(), "continue from the checkpoint of this run (<output>.checkpoint/)")(
      "dry-run", po::bool_switch(),
      "print the estimated memory per rank, output size and time (from a short timing); run nothing")(
      "list", po::bool_switch(), "list the cells (of this --cells part) with the estimates of --dry-run")(
      "cells", po::value<std::string>()->value_name("i/N"),
      "run only the cells whose index % N == i (a part of the sweep, for job arrays)")(
      "output,o", po::value<std::string>()->value_name("FILE"), "same as --output.file")(
      "config", po::value<std::string>()->value_name("FILE"),
      "INI file of run options (also the first positional argument)");
  po::options_description all;
  all.add(general).add(run_desc);
  po::positional_options_description positional;
  positional.add("config", 1);

  RunCommandLine out;
  po::variables_map vm;
  try {
    const po::parsed_options command_line = po::command_line_parser(args).options(all).positional(positional).run();
    po::store(command_line, vm);
    check_single_output_name(command_line);
    if (vm.count("config")) {
      const std::string path = vm["config"].as<std::string>();
      std::istringstream file(read_config_file(path));
      try {
        po::store(po::parse_config_file(file, run_desc, false), vm);
      } catch (const po::error& e) {
        throw UsageError("config file '" + path + "': " + e.what());
      }
      out.config.config_file = path;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }

  if (vm.count("help")) {
    std::ostringstream help;
    help << "Usage: sdegen run [CONFIG.ini] [options]\n\n"
         << "Runs a Monte Carlo experiment: for every cell of the sweep, trains on many independent\n"
         << "training sets and writes the statistics to an HDF5 file. A value list such as\n"
         << "--data.n \"50 100 200\" makes a sweep axis; the run covers the Cartesian product.\n\n"
         << all;
    out.action = RunAction::help;
    out.help_text = help.str();
    return out;
  }
  if (vm.count("version")) {
    out.action = RunAction::version;
    return out;
  }
  out.config.quiet = vm["quiet"].as<bool>();
  out.config.resume = vm["resume"].as<bool>();
  out.config.dry_run = vm["dry-run"].as<bool>();
  out.config.list = vm["list"].as<bool>();
  if (vm.count("cells")) {
    const std::string part = vm["cells"].as<std::string>();
    const auto slash = part.find('/');
    if (slash == std::string::npos) throw UsageError("option '--cells': '" + part + "' is not of the form i/N");
    const auto i = parse_integer("cells", part.substr(0, slash)), n = parse_integer("cells", part.substr(slash + 1));
    if (n < 1 || i < 0 || i >= n) throw UsageError("option '--cells': need 0 <= i < N in i/N, got '" + part + "'");
    if (n > 100000) throw UsageError("option '--cells': N in i/N is at most 100000, the most cells a sweep has");
    out.config.cells_part = static_cast<int>(i);
    out.config.cells_parts = static_cast<int>(n);
  }
  fill_values(vm, out.config);
  if (vm.count("output")) out.config.values["output.file"] = {vm["output"].as<std::string>()};
  if (out.config.single("output.file").find_first_not_of(" \t") == std::string::npos)
    throw UsageError("option 'output.file' is empty");
  return out;
}

}  // namespace sdegen
