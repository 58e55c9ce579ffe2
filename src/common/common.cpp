#include <sstream>

#include "common/config_error.hpp"
#include "common/internal_error.hpp"
#include "common/source_location.hpp"

namespace outpace {

void internal_error(const char* condition, const char* message, const char* file, int line) {
  std::ostringstream out;
  out << "internal error (this is a bug in Outpace, please report it): " << message << " ["
      << condition << " at " << file << ":" << line << "]";
  throw InternalError(out.str());
}

std::string SourceLocation::str() const {
  std::string s = file.empty() ? "<input>" : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  return s;
}

std::string Diagnostic::str() const { return where.str() + ": " + message; }

static std::string join(const std::vector<Diagnostic>& diagnostics) {
  std::string s;
  for (const Diagnostic& d : diagnostics) {
    if (!s.empty()) s += "\n";
    s += d.str();
  }
  return s;
}

ConfigError::ConfigError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

void DiagnosticSink::error(const SourceLocation& where, std::string message) {
  diagnostics_.push_back({where, std::move(message)});
}

void DiagnosticSink::throw_if_any() const {
  if (!diagnostics_.empty()) throw ConfigError(diagnostics_);
}

}  // namespace outpace
