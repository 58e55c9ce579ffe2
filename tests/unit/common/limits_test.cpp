// The size limits: the values docs/formats.md states, and usable as compile-time capacities.
#include "common/limits.hpp"

#include <gtest/gtest.h>

#include "common/fixed_vector.hpp"

namespace outpace {
namespace {

TEST(Limits, AreTheDocumentedValues) {
  // docs/formats.md: a problem has at most 8 dimensions, 4 tensors, 6 dimensions per tensor and
  // 4 terms per index; an architecture has 1 to 8 storage levels.
  EXPECT_EQ(kMaxDims, 8u);
  EXPECT_EQ(kMaxTensors, 4u);
  EXPECT_EQ(kMaxTensorDims, 6u);
  EXPECT_EQ(kMaxTerms, 4u);
  EXPECT_EQ(kMaxLevels, 8u);
}

TEST(Limits, SizeFixedVectors) {
  static_assert(FixedVector<int, kMaxDims>::capacity() == 8);
  FixedVector<int, kMaxLevels> levels;
  for (std::size_t i = 0; i < kMaxLevels; ++i) levels.push_back(static_cast<int>(i));
  EXPECT_EQ(levels.size(), kMaxLevels);
  EXPECT_THROW(levels.push_back(8), InternalError);
}

}  // namespace
}  // namespace outpace
