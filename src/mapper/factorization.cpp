#include "mapper/factorization.hpp"

#include <algorithm>
#include <map>

namespace outpace::mapper {

std::vector<std::pair<std::int64_t, int>> prime_factors(std::int64_t n) {
  std::vector<std::pair<std::int64_t, int>> out;
  for (std::int64_t p = 2; p * p <= n; ++p) {
    int e = 0;
    for (; n % p == 0; n /= p) ++e;
    if (e > 0) out.emplace_back(p, e);
  }
  if (n > 1) out.emplace_back(n, 1);
  return out;
}

std::vector<std::int64_t> divisors(std::int64_t n) {
  std::vector<std::int64_t> out{1};
  for (const auto& [p, e] : prime_factors(n)) {
    const std::size_t base = out.size();
    std::int64_t power = 1;
    for (int i = 1; i <= e; ++i) {
      power *= p;
      for (std::size_t j = 0; j < base; ++j) out.push_back(out[j] * power);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

/// C(n, k) for the small arguments map spaces need (n below 100): exact in 128-bit steps,
/// C(n - k + i, i) = C(n - k + i - 1, i - 1) * (n - k + i) / i.
BigCount binomial(int n, int k) {
  k = std::min(k, n - k);
  unsigned __int128 c = 1;
  for (int i = 1; i <= k; ++i) c = c * static_cast<unsigned>(n - k + i) / static_cast<unsigned>(i);
  if (c > UINT64_MAX) {  // hi * 2^64 + lo
    const BigCount hi(static_cast<std::uint64_t>(c >> 64));
    return hi * BigCount(UINT64_MAX) + hi + BigCount(static_cast<std::uint64_t>(c));
  }
  return BigCount(static_cast<std::uint64_t>(c));
}

/// Splits of n over slots [i, end) under limits: counts memoized by (i, n).
BigCount count_from(std::size_t i, std::int64_t n, const std::vector<std::int64_t>& limits,
                    std::map<std::pair<std::size_t, std::int64_t>, BigCount>& memo) {
  if (i + 1 == limits.size()) return BigCount(n <= limits[i] ? 1 : 0);
  const auto key = std::make_pair(i, n);
  if (const auto it = memo.find(key); it != memo.end()) return it->second;
  BigCount total(0);
  for (std::int64_t d : divisors(n)) {
    if (d > limits[i]) break;
    total += count_from(i + 1, n / d, limits, memo);
  }
  return memo[key] = total;
}

bool visit_from(std::size_t i, std::int64_t n, const std::vector<std::int64_t>& limits,
                std::vector<std::int64_t>& factors,
                const std::function<bool(const std::vector<std::int64_t>&)>& visit) {
  if (i + 1 == limits.size()) {
    if (n > limits[i]) return true;
    factors[i] = n;
    return visit(factors);
  }
  for (std::int64_t d : divisors(n)) {
    if (d > limits[i]) break;
    factors[i] = d;
    if (!visit_from(i + 1, n / d, limits, factors, visit)) return false;
  }
  return true;
}

}  // namespace

BigCount count_factorizations(std::int64_t n, int slots) {
  if (slots <= 0) return BigCount(n == 1 ? 1 : 0);
  BigCount total(1);
  for (const auto& [p, e] : prime_factors(n)) total *= binomial(e + slots - 1, slots - 1);
  return total;
}

BigCount count_factorizations(std::int64_t n, const std::vector<std::int64_t>& limits) {
  if (limits.empty()) return BigCount(n == 1 ? 1 : 0);
  std::map<std::pair<std::size_t, std::int64_t>, BigCount> memo;
  return count_from(0, n, limits, memo);
}

bool for_each_factorization(std::int64_t n, const std::vector<std::int64_t>& limits,
                            const std::function<bool(const std::vector<std::int64_t>&)>& visit) {
  if (limits.empty()) return n == 1 ? visit({}) : true;
  std::vector<std::int64_t> factors(limits.size());
  return visit_from(0, n, limits, factors, visit);
}

}  // namespace outpace::mapper
