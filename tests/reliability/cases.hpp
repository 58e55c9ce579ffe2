#pragma once
// One bad input of the reliability suite: the files it writes, the command a user types, and
// what the user must get back (the exit code and one whole line it prints).

#include <string>
#include <utility>
#include <vector>

namespace outpace::reliability {

/// The token, in a command or an expected line, that stands for the case's temporary folder.
inline constexpr const char* kDir = "{dir}";

/// Where the expected line is printed: bad input is refused on standard error; the reasons a
/// mapping is invalid (exit 1) are part of the report on standard output.
enum class Stream { err, out };

struct Case {
  std::string name;  ///< the test's name: letters, digits and '_' only
  /// Files written into the case's folder before the command runs (name, bytes).
  std::vector<std::pair<std::string, std::string>> files;
  /// outpace's arguments, split at spaces; run with the case's folder as working directory.
  std::string command;
  int exit_code = 0;
  /// One whole line the command must print, compared exactly.
  std::string stderr_line;
  Stream stream = Stream::err;  ///< where `stderr_line` is printed
};

std::vector<Case> problem_cases();      // cases_problem.cpp
std::vector<Case> arch_cases();         // cases_arch.cpp
std::vector<Case> mapping_cases();      // cases_mapping.cpp
std::vector<Case> constraints_cases();  // cases_constraints.cpp
std::vector<Case> timeloop_cases();     // cases_timeloop.cpp
std::vector<Case> onnx_cases();         // cases_onnx.cpp
std::vector<Case> cli_cases();          // cases_cli.cpp

}  // namespace outpace::reliability
