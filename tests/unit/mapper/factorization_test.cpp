// Factorizations of a dimension over slots, against brute-force enumeration.
#include <gtest/gtest.h>

#include <cmath>

#include "mapper/factorization.hpp"

namespace outpace::mapper {
namespace {

/// Every `slots`-tuple of divisors of n whose product is n, with factor i <= limits[i].
std::vector<std::vector<std::int64_t>> brute_force(std::int64_t n,
                                                   const std::vector<std::int64_t>& limits) {
  std::vector<std::vector<std::int64_t>> out;
  const std::vector<std::int64_t> divs = divisors(n);
  std::vector<std::size_t> idx(limits.size(), 0);
  while (true) {
    std::int64_t product = 1;
    bool fits = true;
    std::vector<std::int64_t> f;
    for (std::size_t i = 0; i < idx.size(); ++i) {
      f.push_back(divs[idx[i]]);
      product *= divs[idx[i]];
      fits &= divs[idx[i]] <= limits[i];
    }
    if (fits && product == n) out.push_back(f);
    std::size_t i = idx.size();
    while (i > 0 && ++idx[i - 1] == divs.size()) idx[--i] = 0;
    if (i == 0) return out;
  }
}

TEST(Factorization, PrimesAndDivisors) {
  EXPECT_EQ(prime_factors(360), (std::vector<std::pair<std::int64_t, int>>{{2, 3}, {3, 2}, {5, 1}}));
  EXPECT_EQ(prime_factors(97), (std::vector<std::pair<std::int64_t, int>>{{97, 1}}));
  EXPECT_TRUE(prime_factors(1).empty());
  EXPECT_EQ(divisors(12), (std::vector<std::int64_t>{1, 2, 3, 4, 6, 12}));
}

TEST(Factorization, CountsEqualBruteForce) {
  for (std::int64_t n : {1, 2, 7, 12, 16, 30, 56, 64, 96}) {
    for (int slots = 1; slots <= 4; ++slots) {
      const std::vector<std::int64_t> unlimited(slots, n);
      const auto all = brute_force(n, unlimited);
      EXPECT_EQ(count_factorizations(n, slots).value(), all.size()) << n << " over " << slots;
      EXPECT_EQ(count_factorizations(n, unlimited).value(), all.size()) << n << " over " << slots;
      std::vector<std::int64_t> limits(slots, 4);
      limits[0] = n;
      std::vector<std::vector<std::int64_t>> seen;
      for_each_factorization(n, limits, [&](const std::vector<std::int64_t>& f) {
        seen.push_back(f);
        return true;
      });
      EXPECT_EQ(seen, brute_force(n, limits)) << n << " over " << slots << " (limits 4)";
      EXPECT_EQ(count_factorizations(n, limits).value(), seen.size());
    }
  }
}

TEST(Factorization, HandCounts) {
  // 12 = 2^2 * 3 over 3 slots: C(4, 2) * C(3, 2) = 6 * 3 = 18.
  EXPECT_EQ(count_factorizations(12, 3).value(), 18u);
  // 2^31 over 24 slots: C(54, 23) = 1,085,929,983,159,840 (Python: math.comb(54, 23)), exact.
  const BigCount big = count_factorizations(std::int64_t{1} << 31, 24);
  ASSERT_TRUE(big.exact());
  EXPECT_EQ(big.value(), 1085929983159840ull);
}

TEST(BigCountTest, GoesToLogarithmsPastSixtyFourBits) {
  BigCount c(1);
  for (int i = 0; i < 30; ++i) c *= BigCount(1000);  // 1e90
  EXPECT_FALSE(c.exact());
  EXPECT_NEAR(c.log10(), 90.0, 1e-9);
  EXPECT_EQ(c.str(), "1.00e+90");
  EXPECT_NEAR((c + c).log10(), 90.0 + std::log10(2.0), 1e-9);
  EXPECT_EQ((BigCount(2) * BigCount(0)).value(), 0u);
  EXPECT_EQ(BigCount(123456).str(), "123456");
}

TEST(Factorization, StopsWhenAsked) {
  int calls = 0;
  const bool finished = for_each_factorization(64, {64, 64, 64}, [&](const auto&) {
    return ++calls < 5;
  });
  EXPECT_FALSE(finished);
  EXPECT_EQ(calls, 5);
}

}  // namespace
}  // namespace outpace::mapper
