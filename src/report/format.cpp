#include "report/format.hpp"

#include <cstdio>

namespace outpace::report {

std::string format_number(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

std::string with_commas(std::int64_t n) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string percent(double part, double whole) {
  return format_number("%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
}

}  // namespace outpace::report
