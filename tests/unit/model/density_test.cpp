// The density models' statistics (model/density.hpp) against enumeration of every placement of
// the nonzeros on small tensors, and the nonzero counts timeloop-model v3.0.3 reports.
#include "model/density.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace outpace::model {
namespace {

/// The number of ways to place `nonzeros` of `size` points so that the first `tile` points hold
/// exactly k of them, for every k, by walking every subset (bit masks).
std::vector<double> enumerated_counts(int size, int nonzeros, int tile) {
  std::vector<double> count(static_cast<std::size_t>(tile) + 1, 0);
  for (std::uint32_t mask = 0; mask < (1u << size); ++mask) {
    if (std::popcount(mask) != nonzeros) continue;
    ++count[static_cast<std::size_t>(std::popcount(mask & ((1u << tile) - 1)))];
  }
  return count;
}

// Every placement of the nonzeros equally likely: the pmf, the expectation and the probability of
// an empty tile equal the enumeration's shares, for every small size, nonzero count and tile.
TEST(Density, UniformOccupancyIsTheEnumeratedShare) {
  int cases = 0;
  for (int size = 1; size <= 12; ++size)
    for (int nonzeros = 0; nonzeros <= size; ++nonzeros)
      for (int tile = 1; tile <= size; ++tile) {
        const std::vector<double> count = enumerated_counts(size, nonzeros, tile);
        double total = 0, mean = 0;
        for (int k = 0; k <= tile; ++k) total += count[k], mean += k * count[k];
        for (int k = 0; k <= tile; ++k)
          ASSERT_NEAR(hypergeometric_pmf(size, nonzeros, tile, k), count[k] / total, 1e-12)
              << size << " " << nonzeros << " " << tile << " " << k;
        const Density d{DensityKind::kUniform, static_cast<double>(nonzeros) / size};
        ASSERT_EQ(tensor_nonzeros(d, size), nonzeros) << size << " " << nonzeros;
        const Occupancy o = occupancy(d, size, tile);
        EXPECT_NEAR(o.expected, mean / total, 1e-12);
        EXPECT_NEAR(o.p_empty, count[0] / total, 1e-12);
        int most = 0;  // the largest count any placement gives
        for (int k = 0; k <= tile; ++k)
          if (count[k] > 0) most = k;
        EXPECT_EQ(o.most, most);
        ++cases;
      }
  EXPECT_EQ(cases, 728);  // (size + 1) x size for each size: every case was met
}

// The quantile is the least k whose tail beyond it is at most the one asked, by the enumeration's
// shares; with tail 0 it is the worst case.
TEST(Density, QuantileLeavesAtMostTheTailAbove) {
  for (int size : {7, 12})
    for (int nonzeros = 0; nonzeros <= size; ++nonzeros)
      for (int tile = 1; tile <= size; ++tile) {
        const std::vector<double> count = enumerated_counts(size, nonzeros, tile);
        double total = 0;
        for (double c : count) total += c;
        for (double tail : {0.0, 0.01, 0.1, 0.5}) {
          // The least k of the support whose share beyond it is at most the tail.
          const int lowest = std::max(0, tile - (size - nonzeros));
          int least = tile;
          for (int k = tile; k >= lowest; --k) {
            double beyond = 0;
            for (int j = k + 1; j <= tile; ++j) beyond += count[j] / total;
            if (beyond <= tail + 1e-12) least = k;
          }
          EXPECT_EQ(hypergeometric_quantile(size, nonzeros, tile, tail), least)
              << size << " " << nonzeros << " " << tile << " " << tail;
        }
        EXPECT_EQ(hypergeometric_quantile(size, nonzeros, tile, 0), std::min(tile, nonzeros));
      }
}

// On a large tensor the worst case stays the worst case however unlikely (here about 1e-2000),
// and a tail of one in a million leaves a capacity near the mean (128 x 0.55 = 70.4).
TEST(Density, LargeTensorQuantiles) {
  EXPECT_EQ(hypergeometric_quantile(65536, 36045, 128, 0), 128);
  const std::int64_t q = hypergeometric_quantile(65536, 36045, 128, 1e-6);
  EXPECT_GT(q, 70);
  EXPECT_LT(q, 100);
  EXPECT_LE(hypergeometric_pmf(65536, 36045, 128, q + 1), 1e-6);
}

// The nonzeros timeloop-model v3.0.3 stores for whole tensors ("Max utilized data storage
// capacity" at the backing store, on the public Sparseloop artifact's Eyeriss-v2 PE setup for
// MobileNet-0.5 layers 19 and 23): 65,536 weights at 0.55 and 0.70, 16,384 inputs at 0.61; and a
// product that lands just above an integer in floating point (10 x 0.7) is that integer.
TEST(Density, TensorNonzerosRoundUp) {
  EXPECT_EQ(tensor_nonzeros({DensityKind::kUniform, 0.55}, 65536), 36045);
  EXPECT_EQ(tensor_nonzeros({DensityKind::kUniform, 0.70}, 65536), 45876);
  EXPECT_EQ(tensor_nonzeros({DensityKind::kUniform, 0.61}, 16384), 9995);
  EXPECT_EQ(tensor_nonzeros({DensityKind::kUniform, 0.7}, 10), 7);
  EXPECT_EQ(tensor_nonzeros({DensityKind::kDense, 1}, 10), 10);
}

// A dense tensor fills every tile; a fixed-structured one holds its share in every tile, rounded
// down or up with the share as its mean (timeloop-model v3.0.3's fixed-structured model).
TEST(Density, DenseAndFixedStructuredTiles) {
  const Occupancy dense = occupancy({}, 100, 8);
  EXPECT_EQ(dense.expected, 8);
  EXPECT_EQ(dense.p_empty, 0);
  EXPECT_EQ(dense.most, 8);
  const Occupancy half = occupancy({DensityKind::kFixedStructured, 0.5}, 100, 8);
  EXPECT_EQ(half.expected, 4);
  EXPECT_EQ(half.p_empty, 0);
  EXPECT_EQ(half.most, 4);
  // A share below one point: empty with probability 1 - x (one in four here holds a nonzero).
  const Occupancy quarter = occupancy({DensityKind::kFixedStructured, 0.25}, 100, 1);
  EXPECT_EQ(quarter.expected, 0.25);
  EXPECT_EQ(quarter.p_empty, 0.75);
  EXPECT_EQ(quarter.most, 1);
  // 2.5 points: 2 or 3 nonzeros, never none.
  const Occupancy five = occupancy({DensityKind::kFixedStructured, 0.5}, 100, 5);
  EXPECT_EQ(five.expected, 2.5);
  EXPECT_EQ(five.p_empty, 0);
  EXPECT_EQ(five.most, 3);
}

}  // namespace
}  // namespace outpace::model
