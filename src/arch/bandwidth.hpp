#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace outpace::arch {

/// Words per cycle per instance, held exactly as a reduced fraction num/den of 64-bit integers
/// (a decimal from a spec file, e.g. 0.7 = 7/10, is exact), or unbounded. Cycles from a
/// bandwidth are computed in integer arithmetic (docs/model.md, "Cycles").
class Bandwidth {
 public:
  /// Unbounded: no limit.
  constexpr Bandwidth() = default;
  /// A whole number of words per cycle.
  constexpr Bandwidth(std::int64_t words) : num_(words), den_(1) {}  // NOLINT: implicit
  /// Same, from an int.
  constexpr Bandwidth(int words) : num_(words), den_(1) {}  // NOLINT: implicit

  /// num/den, reduced; den must be positive.
  static Bandwidth fraction(std::int64_t num, std::int64_t den);
  /// The exact value of a non-negative decimal (`12`, `0.7`, `2.5e-3`, `+4.`), or nothing when
  /// the text is not one or its reduced numerator or denominator passes 10^18.
  static std::optional<Bandwidth> parse(std::string_view text);

  /// True when there is no limit.
  constexpr bool unbounded() const { return den_ == 0; }
  /// Numerator (0 when unbounded).
  constexpr std::int64_t num() const { return num_; }
  /// Denominator (0 when unbounded).
  constexpr std::int64_t den() const { return den_; }
  /// Nearest double; infinity when unbounded.
  double value() const;
  /// Half of it (Timeloop's deprecated `bandwidth` split into read and write).
  Bandwidth halved() const;
  /// ⌈words / bandwidth⌉ exactly (0 when unbounded or no words), or nothing when it passes
  /// int64. `words` must not be negative.
  std::optional<std::int64_t> cycles(std::int64_t words) const;
  /// The exact decimal (`0.35`) when there is one, else `num/den`; "unbounded".
  std::string text() const;

  friend constexpr bool operator==(const Bandwidth&, const Bandwidth&) = default;

 private:
  std::int64_t num_ = 0;
  std::int64_t den_ = 0;  // 0: unbounded
};

/// Prints text().
std::ostream& operator<<(std::ostream& os, const Bandwidth& b);

}  // namespace outpace::arch
