#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/source_location.hpp"

namespace outpace {

/// How much a diagnostic matters: an error makes the input unusable, a warning says that
/// something in it is ignored.
enum class Severity : std::uint8_t { kError, kWarning };

/// One problem in a user's input: where it is and what rule it breaks.
struct Diagnostic {
  SourceLocation where;
  std::string message;
  Severity severity = Severity::kError;

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

/// Collects diagnostics while a spec is checked, then throws its errors all at once.
class DiagnosticSink {
 public:
  /// Records one problem that makes the input unusable.
  void error(const SourceLocation& where, std::string message);
  /// Records something in the input that is ignored.
  void warning(const SourceLocation& where, std::string message);
  /// Records `d` with its own severity.
  void add(Diagnostic d);
  /// True when no error has been recorded (warnings do not count).
  bool ok() const { return errors_ == 0; }
  /// Errors recorded so far.
  std::size_t error_count() const { return errors_; }
  /// Throws ConfigError with every error recorded, if there is any.
  void throw_if_any() const;
  /// Everything recorded, errors and warnings, in the order recorded.
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  /// The diagnostics of one severity, in the order recorded.
  std::vector<Diagnostic> of(Severity severity) const;

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

}  // namespace outpace
