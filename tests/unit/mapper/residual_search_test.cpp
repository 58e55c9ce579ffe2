// Residual tiles in the mapper (MapperOptions::imperfect): the padded bounds, fitting a padded
// mapping back to the true bounds, and a search that gains from them.
#include <gtest/gtest.h>

#include "common/mapping_builder.hpp"
#include "mapper/mapper.hpp"
#include "mapper/residual_search.hpp"
#include "small_cases.hpp"

namespace outpace::mapper {
namespace {

// Divisor counts by hand: 479 is prime (2); in [479, 538] the most is 24, first at
// 480 = 2^5 * 3 * 5 (504 = 2^3 * 3^2 * 7 ties later); 12 has 6; 1080 = 2^3 * 3^3 * 5 has 32,
// more than 1024 (11) and anything else in [1024, 1152]; [7, 7] leaves 7 alone.
TEST(ResidualSearch, PaddedBoundHasTheMostDivisorsWithinAnEighth) {
  EXPECT_EQ(padded_bound(479), 480);
  EXPECT_EQ(padded_bound(11), 12);
  EXPECT_EQ(padded_bound(1024), 1080);
  EXPECT_EQ(padded_bound(7), 7);
  EXPECT_EQ(padded_bound(1), 1);
}

// K's loops, outermost first: DRAM 2, Buffer spatial 2, RF 120 (480 for the padded K). With
// K = 479 or 300 every loop's last iteration still runs ((2 - 1) x 240 < K): unchanged. With
// K = 200 the DRAM loop's second iteration would start at 240: it becomes ⌈200 / 240⌉ = 1 and
// is dropped; the spatial loop's second instance starts at 120 < 200 and stays.
TEST(ResidualSearch, FitToBoundsShrinksTheLoopsThatWouldNeverRun) {
  workload::Einsum e = testing::conv1d(1, 1, 480);
  const arch::Arch a = testing::small_arch(1024, 4096);
  const mapping::Mapping m = test::MappingBuilder(e, a)
                                 .level("RF").temporal("K", 120).keep_all()
                                 .level("Buffer").spatial_x("K", 2).keep_all()
                                 .level("DRAM").temporal("K", 2).keep_all()
                                 .build();
  for (std::int64_t k : {479, 300}) {
    e.bounds[2] = k;
    EXPECT_EQ(fit_to_bounds(e, m), m) << k;
    EXPECT_TRUE(mapping::validate(e, a, m).empty()) << k;
  }
  e.bounds[2] = 200;
  mapping::Mapping expected = m;
  expected.levels[a.level_index("DRAM")].temporal = {};
  EXPECT_EQ(fit_to_bounds(e, m), expected);
  EXPECT_TRUE(mapping::validate(e, a, expected).empty());
}

// P = 17 (prime) on 2 x 2 PEs: without residual tiles P cannot be split across PEs; P = 18
// can, and its best mapping fitted back to 17 costs less than the best perfect one.
TEST(ResidualSearch, ResidualTilesBeatThePerfectOptimumOnAPrimeSize) {
  const workload::Einsum e = testing::conv1d(3, 17, 2);
  const arch::Arch a = testing::small_arch(64, 256);
  const Constraints c = unconstrained(e, a);
  const MapSpace space(e, a, c);
  MapperOptions opt;
  opt.threads = 2;
  const MapperResult perfect = map_layer(space, opt);
  ASSERT_TRUE(perfect.found && perfect.stats.proven_optimal);
  opt.imperfect = true;
  const MapperResult first = map_layer(space, opt), second = map_layer(space, opt);
  ASSERT_TRUE(first.found);
  EXPECT_TRUE(first.result.valid);
  EXPECT_TRUE(first.stats.residual);
  EXPECT_TRUE(mapping::has_residual(e, first.mapping));
  EXPECT_TRUE(first.cost < perfect.cost);
  EXPECT_TRUE(first.stats.proven_optimal && first.stats.residual_space);  // over every residual tiling
  EXPECT_EQ(first.stats.padded, "P=18");
  EXPECT_FALSE(first.cost < first.stats.lower_bound);
  EXPECT_EQ(first.mapping, second.mapping);
  EXPECT_EQ(first.cost, second.cost);
}

}  // namespace
}  // namespace outpace::mapper
