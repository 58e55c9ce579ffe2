// The tests' mapping builder: what it builds is the mapping written by index, and a misspelt
// name fails with a message naming it.
#include "common/mapping_builder.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "workload/builders.hpp"

namespace outpace::test {
namespace {

using mapping::Axis;

/// Conv2d: dimensions R S P Q C K N (0 to 6); tensors Weights, Inputs, Outputs (0 to 2).
workload::Einsum conv() {
  workload::ConvShape s;
  s.k = 8, s.c = 4, s.p = s.q = 14, s.r = s.s = 3;
  return workload::conv2d("conv", s);
}

/// Three levels named as in the builder's example.
arch::Arch three_levels() {
  arch::Arch a;
  a.levels.resize(3);
  a.levels[0].name = "RF", a.levels[1].name = "GLB", a.levels[2].name = "DRAM";
  return a;
}

/// The message of the std::logic_error that `f` throws, or "" when it throws none.
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "";
}

TEST(MappingBuilder, BuildsTheMappingWrittenByIndex) {
  const workload::Einsum e = conv();
  const mapping::Mapping m = MappingBuilder(e, three_levels())
                                 .level("RF")
                                 .temporal("R", 3)
                                 .temporal("C", 2)
                                 .keep("Weights")
                                 .level("GLB")
                                 .spatial_x("Q", 14)
                                 .spatial_y("K", 4)
                                 .keep("Inputs", "Outputs")
                                 .level("DRAM")
                                 .temporal("K", 2)
                                 .keep_all()
                                 .build();
  const int R = 0, Q = 3, C = 4, K = 5;
  ASSERT_EQ(m.levels.size(), 3u);
  EXPECT_EQ(m.levels[0].temporal, (FixedVector<mapping::TemporalLoop, kMaxDims>{{R, 3}, {C, 2}}));
  EXPECT_TRUE(m.levels[0].spatial.empty());
  EXPECT_EQ(m.levels[0].keep, 0b001u);
  EXPECT_TRUE(m.levels[1].temporal.empty());
  EXPECT_EQ(m.levels[1].spatial,
            (FixedVector<mapping::SpatialLoop, 2 * kMaxDims>{{Q, 14, Axis::X}, {K, 4, Axis::Y}}));
  EXPECT_EQ(m.levels[1].keep, 0b110u);
  EXPECT_EQ(m.levels[2].temporal, (FixedVector<mapping::TemporalLoop, kMaxDims>{{K, 2}}));
  EXPECT_TRUE(m.levels[2].spatial.empty());
  EXPECT_EQ(m.levels[2].keep, 0b111u);
  // Without an architecture, level names are for the reader only; a level keeps nothing unless
  // told, and the list form of keep() is the same as the variadic one.
  const mapping::Mapping loose = MappingBuilder(e)
                                     .level("anything")
                                     .temporal("P", 14)
                                     .level()
                                     .keep({"Weights", "Outputs"})
                                     .build();
  ASSERT_EQ(loose.levels.size(), 2u);
  EXPECT_EQ(loose.levels[0].temporal, (FixedVector<mapping::TemporalLoop, kMaxDims>{{2, 14}}));
  EXPECT_EQ(loose.levels[0].keep, 0u);
  EXPECT_EQ(loose.levels[1].keep, 0b101u);
}

TEST(MappingBuilder, UnknownNamesFailWithAMessageNamingThem) {
  const workload::Einsum e = conv();
  const arch::Arch a = three_levels();
  EXPECT_EQ(error_of([&] { MappingBuilder(e).level().temporal("X", 2); }),
            "MappingBuilder: unknown dimension 'X' (known: R S P Q C K N)");
  EXPECT_EQ(error_of([&] { MappingBuilder(e).level().keep("Weights", "Psums"); }),
            "MappingBuilder: unknown tensor 'Psums' (known: Weights Inputs Outputs)");
  EXPECT_EQ(error_of([&] { MappingBuilder(e, a).level("Rf"); }),
            "MappingBuilder: unknown level 'Rf' (known: RF GLB DRAM)");
  EXPECT_EQ(error_of([&] { MappingBuilder(e, a).level("GLB"); }),
            "MappingBuilder: level 'GLB' is the architecture's level 1, given as level 0 (levels "
            "go innermost first)");
  EXPECT_EQ(error_of([&] { MappingBuilder(e, a).level("RF").level("GLB").build(); }),
            "MappingBuilder: the mapping has 2 levels, the architecture has 3");
  EXPECT_EQ(error_of([&] { MappingBuilder(e).temporal("R", 3); }),
            "MappingBuilder: call level() before adding loops or kept tensors");
}

}  // namespace
}  // namespace outpace::test
