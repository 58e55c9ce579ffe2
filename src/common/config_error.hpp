#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "common/source_location.hpp"

namespace outpace {

/// One problem in a user's input: where it is and what rule it breaks.
struct Diagnostic {
  SourceLocation where;
  std::string message;

  /// "file:line:column: message".
  std::string str() const;
};

/// A user's input broke one or more rules; carries every problem found, not just the first.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<Diagnostic> diagnostics);
  /// The problems, in the order they were found.
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Collects diagnostics while a spec is checked, then throws them all at once.
class DiagnosticSink {
 public:
  /// Records one problem.
  void error(const SourceLocation& where, std::string message);
  /// True when nothing has been recorded.
  bool ok() const { return diagnostics_.empty(); }
  /// Throws ConfigError with everything recorded, if anything was.
  void throw_if_any() const;
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace outpace
