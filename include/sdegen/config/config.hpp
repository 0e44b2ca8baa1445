// A run's configuration: every option of the table with its value list, from the command line
// over an INI file over the defaults. Values are validated here, so later stages can trust them.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sdegen {

struct RunConfig {
  std::map<std::string, std::vector<std::string>> values;  // option name -> value tokens
  bool quiet = false;
  bool resume = false;     // continue from the checkpoint of the same run
  bool dry_run = false;    // estimate memory, output size and time; run nothing
  bool list = false;       // the same, with the cells listed
  int cells_part = 0;      // --cells i/N: run the cells whose index % N == i
  int cells_parts = 1;
  std::string config_file;  // empty when none was given

  const std::vector<std::string>& tokens(const std::string& name) const;
  const std::string& single(const std::string& name) const;  // for non-sweepable options
  std::int64_t integer(const std::string& name) const;
  double real(const std::string& name) const;
  bool boolean(const std::string& name) const;

  // The full effective configuration as an INI file that `sdegen run FILE` accepts again.
  std::string effective_text() const;
};

enum class RunAction { run, help, version };

struct RunCommandLine {
  RunAction action = RunAction::run;
  RunConfig config;
  std::string help_text;
};

// Parses the arguments after `sdegen run`. Throws UsageError naming the offending option or file.
RunCommandLine parse_run_command_line(const std::vector<std::string>& args);

// A RunConfig from INI text (such as a results file's `config` attribute); errors name `origin`.
RunConfig config_from_text(const std::string& text, const std::string& origin);

// Token parsers that name the option in their error message.
std::int64_t parse_integer(const std::string& option, const std::string& token);
double parse_real(const std::string& option, const std::string& token);
bool parse_boolean(const std::string& option, const std::string& token);

// Splits a value on white space: "50 100 200" -> {"50", "100", "200"}.
std::vector<std::string> split_tokens(const std::string& value);

}  // namespace sdegen
