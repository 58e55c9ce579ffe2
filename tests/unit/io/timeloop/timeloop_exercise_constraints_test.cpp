// Timeloop's mapspace constraints of the Eyeriss-like exercise (its own files, unchanged):
// every field as timeloop-mapper v3.0.3 reads it, and Timeloop's own best mapping meets them.
#include <gtest/gtest.h>

#include <algorithm>

#include "io/timeloop/timeloop_constraints.hpp"
#include "unit/io/timeloop/constraints_test_support.hpp"

namespace outpace::io {
namespace {

using Factors = std::vector<std::int64_t>;

/// Every rule of `c` that mapping `m` breaks, one line each naming the level; empty if none.
std::string broken(const mapping::Mapping& m, const mapper::Constraints& c, const arch::Arch& a) {
  std::string out;
  for (int l = 0; l < a.num_levels(); ++l) {
    const mapping::LevelMapping& lm = m.levels[l];
    const mapper::LevelConstraints& lc = c.levels[l];
    const std::string at = a.levels[l].name + ": ";
    Factors t(lc.temporal_fixed.size(), 1), sp(t.size(), 1);
    std::vector<int> order;
    for (const mapping::TemporalLoop& loop : lm.temporal) t[loop.dim] *= loop.factor;
    for (const mapping::TemporalLoop& loop : lm.temporal) order.push_back(loop.dim);
    for (const mapping::SpatialLoop& loop : lm.spatial) {
      sp[loop.dim] *= loop.factor;
      const std::uint32_t axes = loop.axis == mapping::Axis::X ? lc.spatial_x : lc.spatial_y;
      if (!((axes >> loop.dim) & 1u))
        out += at + "axis of dimension " + std::to_string(loop.dim) + "\n";
    }
    for (std::size_t d = 0; d < t.size(); ++d) {
      if (lc.temporal_fixed[d] && t[d] != lc.temporal_fixed[d]) out += at + "temporal factor\n";
      if (lc.temporal_max[d] && t[d] > lc.temporal_max[d]) out += at + "temporal maximum\n";
      if (lc.spatial_fixed[d] && sp[d] != lc.spatial_fixed[d]) out += at + "spatial factor\n";
    }
    if ((lm.keep & lc.keep) != lc.keep || (lm.keep & lc.bypass) != 0) out += at + "keep\n";
    std::vector<int> inner;  // the required innermost loops this level has, in their order
    for (std::int8_t d : lc.innermost)
      if (std::count(order.begin(), order.end(), d)) inner.push_back(d);
    if (!std::equal(inner.begin(), inner.end(), order.begin())) out += at + "loop order\n";
  }
  return out;
}

TEST(TimeloopConstraints, EyerissExerciseConstraints) {
  const std::string dir =
      std::string(OUTPACE_SOURCE_DIR) + "/tests/unit/io/timeloop/inputs/eyeriss_alexnet1/";
  const TimeloopSpec spec = load_timeloop({dir + "eyeriss_like.yaml", dir + "AlexNet_layer1.yaml",
                                           dir + "eyeriss_like_arch_constraints.yaml",
                                           dir + "eyeriss_like_map_constraints.yaml"});
  DiagnosticSink sink;
  const mapper::Constraints c = read_timeloop_constraints(spec, sink);
  ASSERT_EQ(lines(sink, Severity::kError), "");
  EXPECT_EQ(lines(sink, Severity::kWarning), "");
  const workload::Einsum& e = *spec.problem;
  const arch::Arch& a = *spec.arch;
  auto dim = [&](const char* n) { return e.dim_index(n); };
  auto bits = [&](std::initializer_list<const char*> names) {
    std::uint32_t m = 0;
    for (const char* n : names) m |= 1u << dim(n);
    return m;
  };
  auto tensors = [&](std::initializer_list<const char*> names) {
    std::uint32_t m = 0;
    for (const char* n : names) m |= 1u << e.tensor_index(n);
    return m;
  };
  const mapper::LevelConstraints& psum = c.levels[a.level_index("psum_spad")];
  const mapper::LevelConstraints& weights = c.levels[a.level_index("weights_spad")];
  const mapper::LevelConstraints& dummy = c.levels[a.level_index("DummyBuffer")];
  const mapper::LevelConstraints& glb = c.levels[a.level_index("shared_glb")];
  EXPECT_EQ(psum.keep, tensors({"Outputs"}));
  EXPECT_EQ(psum.bypass, tensors({"Inputs", "Weights"}));
  EXPECT_EQ(dummy.bypass, tensors({"Inputs", "Outputs", "Weights"}));
  // weights_spad: R=0 is the whole filter row (11); NMPQS CR, innermost first.
  EXPECT_EQ(weights.temporal_fixed[dim("R")], 11);
  EXPECT_EQ(weights.temporal_fixed[dim("C")], 0);
  EXPECT_EQ(weights.innermost,
            order({dim("N"), dim("M"), dim("P"), dim("Q"), dim("S"), dim("C"), dim("R")}));
  // DummyBuffer fans out 12 along Y: NPQR SCM with split 4 puts S, C, M on Y; S=0 is 11.
  EXPECT_EQ(dummy.spatial_fixed[dim("S")], 11);
  EXPECT_EQ(dummy.spatial_x, 0u);
  EXPECT_EQ(dummy.spatial_y, bits({"S", "C", "M"}));
  // shared_glb fans out 14 along X: split 7 of 7 puts everything free (Q, M) on X.
  EXPECT_EQ(glb.spatial_x, bits({"Q", "M"}));
  EXPECT_EQ(glb.spatial_y, 0u);
  // The mapspace file: QRSC PNM at the GLB, P=0 the whole row of outputs.
  EXPECT_EQ(glb.temporal_fixed[dim("P")], 55);
  EXPECT_EQ(glb.innermost,
            order({dim("Q"), dim("R"), dim("S"), dim("C"), dim("P"), dim("N"), dim("M")}));
  EXPECT_TRUE(mapper::check(c, e, a).empty());
}

TEST(TimeloopConstraints, TimeloopsOwnBestMappingMeetsTheExerciseConstraints) {
  // map_ref2022.yaml is what timeloop-mapper found under these very constraint files: it must
  // meet every constraint read from them (factors, axes, keep and bypass, loop orders).
  const std::string dir =
      std::string(OUTPACE_SOURCE_DIR) + "/tests/unit/io/timeloop/inputs/eyeriss_alexnet1/";
  const TimeloopSpec spec = load_timeloop(
      {dir + "eyeriss_like.yaml", dir + "AlexNet_layer1.yaml", dir + "map_ref2022.yaml",
       dir + "eyeriss_like_arch_constraints.yaml", dir + "eyeriss_like_map_constraints.yaml"});
  DiagnosticSink sink;
  const mapper::Constraints c = read_timeloop_constraints(spec, sink);
  ASSERT_EQ(lines(sink, Severity::kError), "");
  ASSERT_TRUE(spec.mapping);
  EXPECT_EQ(broken(*spec.mapping, c, *spec.arch), "");
  // The check sees a change: the GLB's spatial M moved to Y, an M loop inside its P loop.
  mapping::Mapping moved = *spec.mapping;
  mapping::LevelMapping& glb = moved.levels[spec.arch->level_index("shared_glb")];
  glb.spatial[0].axis = mapping::Axis::Y;
  const auto loops = glb.temporal;
  glb.temporal = {{spec.problem->dim_index("M"), 2}};
  for (const mapping::TemporalLoop& loop : loops) glb.temporal.push_back(loop);
  EXPECT_EQ(broken(moved, c, *spec.arch),
            "shared_glb: axis of dimension 1\nshared_glb: loop order\n");
}

}  // namespace
}  // namespace outpace::io
