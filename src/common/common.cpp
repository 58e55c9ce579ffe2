#include <sstream>

#include "common/config_error.hpp"
#include "common/internal_error.hpp"
#include "common/source_location.hpp"
#include "common/utf8.hpp"

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

std::string Diagnostic::str() const { return valid_utf8(where.str() + ": " + message); }

namespace {

/// Bytes in the well-formed UTF-8 sequence that starts at text[i], or 0 when none does (RFC
/// 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;  // no overlong forms
    if (b == 0xED) hi = 0x9F;  // no surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  }
  if (n == 0 || i + n > text.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_length(text, i);
    if (n > 0) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    static const char* hex = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(text[i++]);
    out += "\\x";
    out += hex[b >> 4];
    out += hex[b & 0xF];
  }
  return out;
}

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
