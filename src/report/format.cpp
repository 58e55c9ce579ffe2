#include "report/format.hpp"

#include <algorithm>
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

std::string text_table(const std::vector<std::vector<std::string>>& rows, std::size_t text_columns,
                       bool last_is_text) {
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      const std::string pad(width[c] - std::min(width[c], r[c].size()), ' ');
      const bool left = c < text_columns || (last_is_text && c + 1 == r.size());
      line += (c ? "  " : "") + (left ? r[c] + pad : pad + r[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace outpace::report
