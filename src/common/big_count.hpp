#pragma once

#include <cstdint>
#include <string>

namespace outpace {

/// A non-negative count that may outgrow 64 bits (map-space sizes): exact while it fits in an
/// unsigned 64-bit integer, kept as its base-10 logarithm beyond.
class BigCount {
 public:
  BigCount() = default;
  /// An exact count.
  BigCount(std::uint64_t n) : exact_(n) {}  // NOLINT: counts convert implicitly

  /// True while the count is held exactly.
  bool exact() const { return is_exact_; }
  /// The exact value; only meaningful when exact().
  std::uint64_t value() const { return exact_; }
  /// log10 of the count (-infinity for zero).
  double log10() const;
  /// "123456" while exact, "1.23e+45" beyond.
  std::string str() const;

  friend BigCount operator*(const BigCount& a, const BigCount& b);
  friend BigCount operator+(const BigCount& a, const BigCount& b);
  BigCount& operator*=(const BigCount& b) { return *this = *this * b; }
  BigCount& operator+=(const BigCount& b) { return *this = *this + b; }

 private:
  static BigCount from_log10(double log10);
  std::uint64_t exact_ = 0;
  double log10_ = 0;  ///< used when !is_exact_
  bool is_exact_ = true;
};

}  // namespace outpace
