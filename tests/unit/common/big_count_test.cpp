// BigCount: exact while the count fits in 64 bits, its log10 beyond; products and sums past 2^64.
#include "common/big_count.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace outpace {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();  // 2^64 - 1

TEST(BigCount, DefaultIsExactZero) {
  const BigCount zero;
  EXPECT_TRUE(zero.exact());
  EXPECT_EQ(zero.value(), 0u);
  EXPECT_EQ(zero.str(), "0");
  // log10(0) is -infinity.
  EXPECT_EQ(zero.log10(), -std::numeric_limits<double>::infinity());
}

TEST(BigCount, SmallProductsAndSumsStayExact) {
  const BigCount six = BigCount(2) * BigCount(3);
  EXPECT_TRUE(six.exact());
  EXPECT_EQ(six.value(), 6u);
  EXPECT_EQ((six + BigCount(36)).value(), 42u);
  EXPECT_EQ((six + BigCount(36)).str(), "42");
  // log10(1000) = 3.
  EXPECT_DOUBLE_EQ(BigCount(1000).log10(), 3.0);
  BigCount c = 5;
  c *= 4;   // 20
  c += 22;  // 42
  EXPECT_TRUE(c.exact());
  EXPECT_EQ(c.value(), 42u);
}

TEST(BigCount, TheLargest64BitValueIsStillExact) {
  const BigCount max = BigCount(kMax) * BigCount(1);
  EXPECT_TRUE(max.exact());
  EXPECT_EQ(max.value(), kMax);
  EXPECT_EQ(max.str(), "18446744073709551615");
  EXPECT_TRUE((BigCount(kMax - 1) + BigCount(1)).exact());
}

TEST(BigCount, ProductPast64BitsKeepsLog10) {
  // 2^32 * 2^32 = 2^64 = 18446744073709551616, one past the largest 64-bit value.
  // log10(2^64) = 64 * log10(2) = 64 * 0.30102999566398120 = 19.265919722494797;
  // 10^0.2659 = 1.8447, so it prints as 1.84e+19.
  const BigCount two_to_32 = BigCount(std::uint64_t{1} << 32);
  const BigCount two_to_64 = two_to_32 * two_to_32;
  EXPECT_FALSE(two_to_64.exact());
  EXPECT_NEAR(two_to_64.log10(), 19.265919722494797, 1e-12);
  EXPECT_EQ(two_to_64.str(), "1.84e+19");
  // Times 10 more: log10 = 20.265919722494797, 1.84e+20.
  const BigCount more = two_to_64 * BigCount(10);
  EXPECT_FALSE(more.exact());
  EXPECT_NEAR(more.log10(), 20.265919722494797, 1e-12);
  EXPECT_EQ(more.str(), "1.84e+20");
}

TEST(BigCount, PowersOfTenPast64Bits) {
  // 10^10 * 10^10 = 10^20 > 2^64 - 1 (about 1.84e19): log10 = 10 + 10 = 20, printed 1.00e+20.
  const BigCount e10 = BigCount(10'000'000'000ull);
  const BigCount e20 = e10 * e10;
  EXPECT_FALSE(e20.exact());
  EXPECT_NEAR(e20.log10(), 20.0, 1e-12);
  EXPECT_EQ(e20.str(), "1.00e+20");
  // 10^20 * 10^20 = 10^40: log10 adds to 40.
  EXPECT_NEAR((e20 * e20).log10(), 40.0, 1e-12);
  EXPECT_EQ((e20 * e20).str(), "1.00e+40");
}

TEST(BigCount, FactorialsOverflowAt21) {
  // 20! = 2432902008176640000 < 2^64 - 1 = 18446744073709551615: still exact.
  // 21! = 51090942171709440000 > 2^64 - 1: log10(21!) = 19.708343911611635.
  // 25! = 15511210043330985984000000: log10(25!) = 25.190645678835075, printed 1.55e+25.
  BigCount f = 1;
  for (std::uint64_t i = 1; i <= 20; ++i) f *= BigCount(i);
  ASSERT_TRUE(f.exact());
  EXPECT_EQ(f.value(), 2432902008176640000ull);
  f *= BigCount(21);
  EXPECT_FALSE(f.exact());
  EXPECT_NEAR(f.log10(), 19.708343911611635, 1e-12);
  EXPECT_EQ(f.str(), "5.11e+19");
  for (std::uint64_t i = 22; i <= 25; ++i) f *= BigCount(i);
  EXPECT_NEAR(f.log10(), 25.190645678835075, 1e-12);
  EXPECT_EQ(f.str(), "1.55e+25");
}

TEST(BigCount, ZeroTimesAHugeCountIsExactZero) {
  const BigCount huge = BigCount(kMax) * BigCount(kMax);  // about 3.4e38
  ASSERT_FALSE(huge.exact());
  // log10((2^64 - 1)^2) = 2 * 19.265919722494797 = 38.531839444989594.
  EXPECT_NEAR(huge.log10(), 38.531839444989594, 1e-12);
  for (const BigCount& zero : {BigCount(0) * huge, huge * BigCount(0)}) {
    EXPECT_TRUE(zero.exact());
    EXPECT_EQ(zero.value(), 0u);
  }
}

TEST(BigCount, SumPast64Bits) {
  // 10^19 + 10^19 = 2 * 10^19 > 2^64 - 1: log10 = 19 + log10(2) = 19.301029995663981.
  const BigCount e19 = BigCount(10'000'000'000'000'000'000ull);
  const BigCount sum = e19 + e19;
  EXPECT_FALSE(sum.exact());
  EXPECT_NEAR(sum.log10(), 19.301029995663981, 1e-12);
  EXPECT_EQ(sum.str(), "2.00e+19");
  // (2^64 - 1) + 1 = 2^64: log10 = 19.265919722494797 (the +1 is far below double precision).
  const BigCount just_past = BigCount(kMax) + BigCount(1);
  EXPECT_FALSE(just_past.exact());
  EXPECT_NEAR(just_past.log10(), 19.265919722494797, 1e-12);
  // Adding a small count to a huge one leaves its log10 as it was: 10^40 + 5 = 10^40.
  const BigCount e40 = BigCount(10'000'000'000ull) * BigCount(10'000'000'000ull) *
                       BigCount(10'000'000'000ull) * BigCount(10'000'000'000ull);
  EXPECT_NEAR((e40 + BigCount(5)).log10(), 40.0, 1e-12);
  // 10^40 + 10^40 = 2 * 10^40: log10 = 40.301029995663981.
  EXPECT_NEAR((e40 + e40).log10(), 40.301029995663981, 1e-12);
  // Zero added to an inexact count changes nothing.
  EXPECT_NEAR((e40 + BigCount(0)).log10(), 40.0, 1e-12);
}

}  // namespace
}  // namespace outpace
