#include "common/big_count.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace outpace {

double BigCount::log10() const {
  if (!is_exact_) return log10_;
  return exact_ == 0 ? -std::numeric_limits<double>::infinity()
                     : std::log10(static_cast<double>(exact_));
}

std::string BigCount::str() const {
  if (is_exact_) return std::to_string(exact_);
  const double exponent = std::floor(log10_);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2fe+%.0f", std::pow(10.0, log10_ - exponent), exponent);
  return buf;
}

BigCount BigCount::from_log10(double log10) {
  BigCount c;
  c.is_exact_ = false;
  c.log10_ = log10;
  return c;
}

BigCount operator*(const BigCount& a, const BigCount& b) {
  if (a.is_exact_ && b.is_exact_) {
    std::uint64_t r;
    if (!__builtin_mul_overflow(a.exact_, b.exact_, &r)) return BigCount(r);
  }
  if ((a.is_exact_ && a.exact_ == 0) || (b.is_exact_ && b.exact_ == 0)) return BigCount(0);
  return BigCount::from_log10(a.log10() + b.log10());
}

BigCount operator+(const BigCount& a, const BigCount& b) {
  if (a.is_exact_ && b.is_exact_) {
    std::uint64_t r;
    if (!__builtin_add_overflow(a.exact_, b.exact_, &r)) return BigCount(r);
  }
  const double hi = std::max(a.log10(), b.log10()), lo = std::min(a.log10(), b.log10());
  return BigCount::from_log10(hi + std::log10(1.0 + std::pow(10.0, lo - hi)));
}

}  // namespace outpace
