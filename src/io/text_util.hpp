#pragma once

#include <cstdint>
#include <string>

namespace outpace::io {

/// `x` printed with a printf format for one double, e.g. format_number("%.3f", 1.5) == "1.500".
std::string format_number(const char* format, double x);
/// 1234567 -> "1,234,567".
std::string with_commas(std::int64_t n);

}  // namespace outpace::io
