#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace outpace::report {

/// `x` printed with a printf format for one double, e.g. format_number("%.3f", 1.5) == "1.500".
std::string format_number(const char* format, double x);
/// 1234567 -> "1,234,567".
std::string with_commas(std::int64_t n);
/// `part` as a percentage of `whole` with one decimal ("12.5%"); "0.0%" when `whole` is 0.
std::string percent(double part, double whole);
/// A table: the first `text_columns` columns (and the last, with `last_is_text`) left-aligned,
/// the others right-aligned, every column as wide as its widest cell, two spaces apart, no
/// trailing spaces.
std::string text_table(const std::vector<std::vector<std::string>>& rows, std::size_t text_columns,
                       bool last_is_text = false);

}  // namespace outpace::report
