#include <sstream>

#include "common/config_error.hpp"
#include "common/internal_error.hpp"
#include "common/source_location.hpp"

namespace outpace {

void internal_error(const char* condition, const char* message, const char* file, int line) {
  std::ostringstream out;
  out << "internal error (this is a bug in Outpace, please report it): " << message
      << (*message ? " [" : "[") << condition << " at " << file << ":" << line << "]";
  throw InternalError(out.str());
}

namespace detail {

AssertFailure::AssertFailure(const char* condition, const char* file, int line)
    : condition_(condition), file_(file), line_(line) {}

AssertFailure::~AssertFailure() noexcept(false) {
  internal_error(condition_, message_.c_str(), file_, line_);
}

AssertFailure& AssertFailure::operator<<(std::string_view text) {
  message_ += text;
  return *this;
}

AssertFailure& AssertFailure::operator<<(char c) {
  message_ += c;
  return *this;
}

AssertFailure& AssertFailure::operator<<(long long value) {
  message_ += std::to_string(value);
  return *this;
}

AssertFailure& AssertFailure::operator<<(unsigned long long value) {
  message_ += std::to_string(value);
  return *this;
}

AssertFailure& AssertFailure::operator<<(double value) {
  message_ += std::to_string(value);
  return *this;
}

}  // namespace detail

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
  add({where, std::move(message), Severity::kError});
}

void DiagnosticSink::warning(const SourceLocation& where, std::string message) {
  add({where, std::move(message), Severity::kWarning});
}

void DiagnosticSink::add(Diagnostic d) {
  errors_ += d.severity == Severity::kError ? 1 : 0;
  diagnostics_.push_back(std::move(d));
}

std::vector<Diagnostic> DiagnosticSink::of(Severity severity) const {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : diagnostics_)
    if (d.severity == severity) out.push_back(d);
  return out;
}

void DiagnosticSink::throw_if_any() const {
  if (errors_ > 0) throw ConfigError(of(Severity::kError));
}

}  // namespace outpace
