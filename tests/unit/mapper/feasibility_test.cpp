// Constraints no mapping can meet, found before any search; each case worked out by hand.
#include "mapper/feasibility.hpp"

#include <gtest/gtest.h>

#include "arch/presets.hpp"
#include "workload/builders.hpp"

namespace outpace::mapper {
namespace {

using Messages = std::vector<std::string>;

// GEMM M=8, N=4, K=6 on the toy preset (RegisterFile 64 words, GlobalBuffer, MainMemory; one MAC).
struct Toy {
  workload::Einsum e = workload::gemm("g", 8, 4, 6);
  arch::Arch a = *arch::preset("toy");
  Constraints c = unconstrained(e, a);
  int rf = a.level_index("RegisterFile"), glb = a.level_index("GlobalBuffer");
  int M = e.dim_index("M"), N = e.dim_index("N"), K = e.dim_index("K");
};

TEST(Feasibility, UnconstrainedIsFeasible) {
  const Toy t;
  EXPECT_EQ(infeasibility(t.c, t.e, t.a), Messages{});
}

// Keeping all three tensors with the whole layer in the register file: Inputs M x K = 48,
// Weights K x N = 24, Outputs M x N = 32, 104 words in all, over its 64.
TEST(Feasibility, KeptTilesOverTheCapacity) {
  Toy t;
  t.c.levels[t.rf].keep = 0b111;
  t.c.levels[t.rf].temporal_fixed[t.M] = 8;
  t.c.levels[t.rf].temporal_fixed[t.N] = 4;
  t.c.levels[t.rf].temporal_fixed[t.K] = 6;
  EXPECT_EQ(infeasibility(t.c, t.e, t.a),
            Messages{"level 'RegisterFile': it must keep Inputs, Weights, Outputs, whose smallest "
                     "tiles under the fixed factors (M=8 N=4 K=6 at or below it) hold 104 words, "
                     "more than its capacity of 64"});
  t.c.levels[t.rf].keep = 0b010;  // Weights alone: 24 words fit
  EXPECT_EQ(infeasibility(t.c, t.e, t.a), Messages{});
}

// M = 8: 4 at the register file and 4 at the global buffer make 16. K = 6: 2 and 2 make 4.
TEST(Feasibility, FixedFactorsThatCannotTileTheBound) {
  Toy t;
  t.c.levels[t.rf].temporal_fixed[t.M] = 4;
  t.c.levels[t.glb].temporal_fixed[t.M] = 4;
  t.c.levels[t.rf].temporal_fixed[t.K] = 2;
  t.c.levels[t.glb].temporal_fixed[t.K] = 2;
  EXPECT_EQ(infeasibility(t.c, t.e, t.a),
            (Messages{"dimension 'M': the fixed factors (temporal 4 at 'RegisterFile', temporal 4 "
                      "at 'GlobalBuffer') multiply to more than its bound 8",
                      "dimension 'K': the fixed factors (temporal 2 at 'RegisterFile', temporal 2 "
                      "at 'GlobalBuffer') multiply to 4, which does not divide its bound 6"}));
}

// The Eyeriss-like global buffer fans out to 14 x 12 PEs (168).
TEST(Feasibility, FixedSpatialFactorsPastTheFanout) {
  const workload::Einsum e = workload::gemm("g", 16, 16, 4);
  const arch::Arch a = *arch::preset("eyeriss");
  const int glb = a.level_index("shared_glb");
  ASSERT_EQ(a.fanout_x(glb) * a.fanout_y(glb), 168);
  Constraints c = unconstrained(e, a);
  c.levels[glb].spatial_fixed[e.dim_index("M")] = 16;
  c.levels[glb].spatial_fixed[e.dim_index("N")] = 16;  // 256 PEs
  EXPECT_EQ(infeasibility(c, e, a),
            Messages{"level 'shared_glb': the fixed spatial factors multiply to more than its "
                     "fanout of 168 (14 x 12)"});
  c.levels[glb].spatial_fixed[e.dim_index("N")] = 0;
  c.levels[glb].spatial_fixed[e.dim_index("K")] = 2;
  c.levels[glb].spatial_x &= ~(1u << e.dim_index("K"));
  c.levels[glb].spatial_y &= ~(1u << e.dim_index("K"));
  EXPECT_EQ(infeasibility(c, e, a),
            Messages{"level 'shared_glb': dimension 'K' has the fixed spatial factor 2 but may "
                     "spread along neither X nor Y"});
  c.levels[glb].spatial_fixed[e.dim_index("K")] = 0;
  c.levels[glb].spatial_y &= ~(1u << e.dim_index("M"));  // M (16) along X only: 14 columns
  EXPECT_EQ(infeasibility(c, e, a),
            Messages{"level 'shared_glb': the fixed spatial factors of the dimensions that may "
                     "spread only along X multiply to more than its fanout there (14 x 12)"});
}

// Half of 168 MACs is 84 busy at once; a 2 x 2 x 2 GEMM has 8 MACs in all.
TEST(Feasibility, UtilizationTheLayerCannotReach) {
  const workload::Einsum e = workload::gemm("g", 2, 2, 2);
  const arch::Arch a = *arch::preset("eyeriss");
  Constraints c = unconstrained(e, a);
  c.min_utilization = 0.5;
  EXPECT_EQ(infeasibility(c, e, a),
            Messages{"min_utilization 0.500000 needs at least 84 of the 168 MACs busy at once; the "
                     "layer has only 8 MACs"});
}

}  // namespace
}  // namespace outpace::mapper
