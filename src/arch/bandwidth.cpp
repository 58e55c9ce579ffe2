#include "arch/bandwidth.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <numeric>

#include "common/internal_error.hpp"

namespace outpace::arch {

namespace {

constexpr std::int64_t kMaxPart = 1'000'000'000'000'000'000;  // 10^18

/// 10^e for 0 <= e <= 18.
std::int64_t pow10(int e) {
  std::int64_t p = 1;
  while (e-- > 0) p *= 10;
  return p;
}

}  // namespace

Bandwidth Bandwidth::fraction(std::int64_t num, std::int64_t den) {
  OUTPACE_ASSERT(den > 0 && num >= 0) << "bandwidth " << num << "/" << den;
  const std::int64_t g = std::gcd(num, den);
  Bandwidth b;
  b.num_ = g > 0 ? num / g : 0;
  b.den_ = g > 0 ? den / g : 1;
  return b;
}

std::optional<Bandwidth> Bandwidth::parse(std::string_view t) {
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  std::string digits;  // the significant digits, without the point
  int scale = 0;       // value = digits * 10^scale
  bool point = false, any = false;
  std::size_t i = 0;
  for (; i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.'); ++i) {
    if (t[i] == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    any = true;
    if (digits.empty() && t[i] == '0') {  // leading zeros carry nothing
      if (point) --scale;
      continue;
    }
    digits += t[i];
    if (point) --scale;
  }
  if (!any) return std::nullopt;
  if (i < t.size()) {
    if (t[i] != 'e' && t[i] != 'E') return std::nullopt;
    ++i;
    bool negative = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
    if (i == t.size()) return std::nullopt;
    int e = 0;
    for (; i < t.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
      e = std::min(e * 10 + (t[i] - '0'), 100000);
    }
    scale += negative ? -e : e;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back(), ++scale;
  if (digits.empty()) return fraction(0, 1);
  if (digits.size() > 18 || scale > 18 - static_cast<int>(digits.size()) || scale < -18)
    return std::nullopt;
  const std::int64_t mantissa = std::stoll(digits);
  if (scale >= 0) return fraction(mantissa * pow10(scale), 1);
  const Bandwidth b = fraction(mantissa, pow10(-scale));
  if (b.num_ > kMaxPart || b.den_ > kMaxPart) return std::nullopt;
  return b;
}

double Bandwidth::value() const {
  if (unbounded()) return std::numeric_limits<double>::infinity();
  return static_cast<double>(num_) / static_cast<double>(den_);
}

Bandwidth Bandwidth::halved() const {
  if (unbounded()) return *this;
  if (num_ % 2 == 0) return fraction(num_ / 2, den_);
  OUTPACE_ASSERT(den_ <= std::numeric_limits<std::int64_t>::max() / 2) << "bandwidth " << text();
  return fraction(num_, den_ * 2);
}

std::optional<std::int64_t> Bandwidth::cycles(std::int64_t words) const {
  if (unbounded() || words == 0) return 0;
  const __int128 scaled = static_cast<__int128>(words) * den_;
  const __int128 c = (scaled + num_ - 1) / num_;
  if (c > std::numeric_limits<std::int64_t>::max()) return std::nullopt;
  return static_cast<std::int64_t>(c);
}

std::string Bandwidth::text() const {
  if (unbounded()) return "unbounded";
  // den = 2^a 5^b has a finite decimal: scale to 10^max(a, b).
  std::int64_t rest = den_;
  int twos = 0, fives = 0;
  while (rest % 2 == 0) rest /= 2, ++twos;
  while (rest % 5 == 0) rest /= 5, ++fives;
  const int places = std::max(twos, fives);
  if (rest != 1 || places > 18) return std::to_string(num_) + "/" + std::to_string(den_);
  const __int128 scaled = static_cast<__int128>(num_) * (pow10(places) / den_);
  const __int128 unit = pow10(places);
  std::string whole = std::to_string(static_cast<std::int64_t>(scaled / unit));
  if (places == 0) return whole;
  std::string frac = std::to_string(static_cast<std::int64_t>(scaled % unit));
  frac.insert(0, static_cast<std::size_t>(places) - frac.size(), '0');
  while (frac.back() == '0') frac.pop_back();
  return whole + "." + frac;
}

std::ostream& operator<<(std::ostream& os, const Bandwidth& b) { return os << b.text(); }

}  // namespace outpace::arch
