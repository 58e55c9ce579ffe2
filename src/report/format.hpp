#pragma once

#include <cstdint>
#include <string>

namespace outpace::report {

/// `x` printed with a printf format for one double, e.g. format_number("%.3f", 1.5) == "1.500".
std::string format_number(const char* format, double x);
/// 1234567 -> "1,234,567".
std::string with_commas(std::int64_t n);
/// `part` as a percentage of `whole` with one decimal ("12.5%"); "0.0%" when `whole` is 0.
std::string percent(double part, double whole);

}  // namespace outpace::report
