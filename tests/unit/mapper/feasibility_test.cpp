// Constraints no mapping can meet, found before any search; each case worked out by hand.
#include "mapper/feasibility.hpp"

#include <gtest/gtest.h>

#include <random>

#include "arch/presets.hpp"
#include "mapper/mapper.hpp"
#include "mapper/quality.hpp"
#include "mapper/search.hpp"
#include "model/evaluate.hpp"
#include "small_cases.hpp"
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

// K = 16 fits the 168 PEs of the Eyeriss-like global buffer, but neither its 14 columns nor its 12
// rows; K = 8 with C = 4 and M... fits each axis alone, but 8 x 4 = 32 > 14 and 4 x 4 = 16 > 12
// leave no split of the three between X and Y.
TEST(Feasibility, FixedSpatialFactorsThatFitNoAxis) {
  const workload::Einsum e = workload::gemm("g", 16, 16, 4);
  const arch::Arch a = *arch::preset("eyeriss");
  const int glb = a.level_index("shared_glb");
  const int M = e.dim_index("M"), N = e.dim_index("N"), K = e.dim_index("K");
  Constraints c = unconstrained(e, a);
  c.levels[glb].spatial_fixed[N] = 16;
  EXPECT_EQ(infeasibility(c, e, a),
            Messages{"level 'shared_glb': dimension 'N' has the fixed spatial factor 16, larger "
                     "than the fanout along X (14) and along Y (12)"});
  c.levels[glb].spatial_fixed[N] = 0;
  c.levels[glb].spatial_fixed[M] = 16;
  c.levels[glb].spatial_x &= ~(1u << M);  // Y only: 12 rows
  EXPECT_EQ(infeasibility(c, e, a),
            Messages{"level 'shared_glb': the fixed spatial factors of the dimensions that may "
                     "spread only along Y multiply to more than its fanout there (14 x 12)"});
  c = unconstrained(e, a);
  c.levels[glb].spatial_fixed[M] = 8;
  c.levels[glb].spatial_fixed[N] = 4;
  c.levels[glb].spatial_fixed[K] = 4;
  EXPECT_EQ(infeasibility(c, e, a),
            Messages{"level 'shared_glb': no choice of axes fits the fixed spatial factors M=8 "
                     "N=4 K=4 into its fanout along X (14) and along Y (12)"});
  c.levels[glb].spatial_fixed[K] = 2;  // M=8 on X, N=4 K=2 on Y (8 rows)
  EXPECT_EQ(infeasibility(c, e, a), Messages{});
}

// P = 4 fixed at the global buffer whose temporal_max for P is 3; row stationary forbids loops
// over R inside a PE, so R = 3 fixed in the weights scratchpad clashes with it.
TEST(Feasibility, FixedTemporalFactorAboveItsMaximum) {
  Toy t;
  t.c.levels[t.glb].temporal_fixed[t.M] = 4;
  t.c.levels[t.glb].temporal_max[t.M] = 3;
  EXPECT_EQ(infeasibility(t.c, t.e, t.a),
            Messages{"level 'GlobalBuffer': dimension 'M' has the fixed temporal factor 4, above "
                     "its temporal_max 3 (set in the constraints or by the --dataflow preset)"});

  const workload::Einsum e =
      workload::conv2d("c", {.k = 4, .c = 2, .p = 4, .q = 4, .r = 3, .s = 3});
  const arch::Arch a = *arch::preset("eyeriss");
  Constraints c = arch_constraints(e, a);
  c.levels[a.level_index("weights_spad")].temporal_fixed[e.dim_index("R")] = 3;
  ASSERT_EQ(apply_dataflow(Dataflow::kRowStationary, e, a, c), Messages{});
  EXPECT_EQ(infeasibility(c, e, a),
            Messages{"level 'weights_spad': dimension 'R' has the fixed temporal factor 3, above "
                     "its temporal_max 1 (set in the constraints or by the --dataflow preset)"});
}

// Row stationary on the toy preset: one PE, so every level is the PE's own and may loop over
// neither R nor P, and no level spreads them. infeasibility() lets it through (no single rule
// is broken); the space is empty and says so.
TEST(Feasibility, BoundThatSplitsOverNoLevel) {
  const workload::Einsum e =
      workload::conv2d("c", {.k = 2, .c = 2, .p = 4, .q = 4, .r = 3, .s = 3});
  const arch::Arch a = *arch::preset("toy");
  Constraints c = arch_constraints(e, a);
  ASSERT_EQ(apply_dataflow(Dataflow::kRowStationary, e, a, c), Messages{});
  const std::string limits =
      " over the levels keeps within their limits (temporal at most 1 at 'RegisterFile', "
      "temporal at most 1 at 'GlobalBuffer', temporal at most 1 at 'MainMemory'; from "
      "temporal_max, the spatial axes and fanouts or the --dataflow preset)";
  EXPECT_EQ(unsplittable_dimensions(c, e, a),
            (Messages{"dimension 'R': no split of its bound 3" + limits,
                      "dimension 'P': no split of its bound 4" + limits}));
  const MapSpace space(e, a, c);
  EXPECT_FALSE(space.can_sample());
  std::mt19937_64 rng(1);
  EXPECT_FALSE(space.try_sample(rng).has_value());
  EXPECT_FALSE(model::evaluate(e, a, space.sample(rng)).valid) << "an empty space's draw";
  EXPECT_EQ(tally_invalid(space, 10, 1).draws, 0u);
}

// M = N = 14 on the Eyeriss-like preset with no temporal loop over either anywhere: both must
// spread over the 14 x 12 array, 196 PEs, though each fits alone. No single rule is broken,
// every draw breaks a fanout.
TEST(Feasibility, DrawsSayWhichRuleEveryMappingBreaks) {
  const workload::Einsum e = workload::gemm("g", 14, 14, 4);
  const arch::Arch a = *arch::preset("eyeriss");
  Constraints c = arch_constraints(e, a);
  for (LevelConstraints& lc : c.levels)
    lc.temporal_max[e.dim_index("M")] = lc.temporal_max[e.dim_index("N")] = 1;
  ASSERT_EQ(infeasibility(c, e, a), Messages{});
  ASSERT_EQ(unsplittable_dimensions(c, e, a), Messages{});
  const InvalidTally tally = tally_invalid(MapSpace(e, a, c), 200, 3);
  EXPECT_EQ(tally.draws, 200u);
  EXPECT_EQ(tally.valid, 0u);
  std::uint64_t broken = 0;
  for (const auto& [n, rule] : tally.rules) {
    broken += n;
    EXPECT_NE(rule.find("level 'shared_glb': spatial "), std::string::npos) << rule;
  }
  EXPECT_EQ(broken, 200u);
  EXPECT_FALSE(map_layer(MapSpace(e, a, c), {}).found);
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

/// Random constraints for a layer and an architecture: fixed and largest factors, axes, keep
/// and bypass, a dataflow and a utilization, each drawn with some chance. Fixed spatial factors
/// only where the level fans out: elsewhere the map space has no slot for them and ignores them
/// (infeasibility() refuses them).
Constraints random_constraints(const workload::Einsum& e, const arch::Arch& a,
                               std::mt19937_64& rng) {
  Constraints c =
      std::bernoulli_distribution(0.5)(rng) ? arch_constraints(e, a) : unconstrained(e, a);
  const auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  const auto divisor = [&](std::int64_t n) {
    std::vector<std::int64_t> ds;
    for (std::int64_t f = 1; f <= n; ++f)
      if (n % f == 0) ds.push_back(f);
    return ds[std::uniform_int_distribution<std::size_t>(0, ds.size() - 1)(rng)];
  };
  const std::uint32_t tensors = (1u << e.num_tensors()) - 1;
  for (int l = 0; l < a.num_levels(); ++l) {
    LevelConstraints& lc = c.levels[l];
    for (int d = 0; d < e.num_dims(); ++d) {
      if (chance(0.15)) lc.temporal_fixed[d] = divisor(e.bounds[d]);
      if (chance(0.15))
        lc.temporal_max[d] = std::uniform_int_distribution<std::int64_t>(1, e.bounds[d])(rng);
      if (a.fanout_x(l) * a.fanout_y(l) > 1 && chance(0.15))
        lc.spatial_fixed[d] = divisor(e.bounds[d]);
    }
    if (chance(0.2)) lc.spatial_x = static_cast<std::uint32_t>(rng());
    if (chance(0.2)) lc.spatial_y = static_cast<std::uint32_t>(rng());
    if (l + 1 < a.num_levels() && chance(0.2)) {
      lc.keep = static_cast<std::uint32_t>(rng()) & tensors & ~lc.bypass;
      lc.bypass |= static_cast<std::uint32_t>(rng()) & tensors & ~lc.keep;
    }
  }
  if (chance(0.2)) c.min_utilization = std::uniform_real_distribution<double>(0, 1)(rng);
  const std::vector<std::string> flows = dataflow_names();
  const std::string flow =
      flows[std::uniform_int_distribution<std::size_t>(0, flows.size() - 1)(rng)];
  apply_dataflow(*dataflow_by_name(flow), e, a, c);  // a convolution's rule on a GEMM: skipped
  return c;
}

// Whatever the constraints, no strategy, draw or count crashes or reads out of range; what
// infeasibility() refuses, no search maps (the refusal is sound), and the space is empty exactly
// when unsplittable_dimensions() says so. Small layers on three
// architectures (one PE; 4 x 2 PEs; 14 x 12 PEs), with small budgets.
TEST(Feasibility, RandomConstraintsNeverCrashAndRefusalsAreSound) {
  const std::vector<workload::Einsum> layers = {
      testing::conv1d(3, 4, 4), workload::gemm("g", 4, 6, 2),
      workload::conv2d("c", {.k = 4, .c = 2, .p = 2, .q = 2, .r = 3, .s = 1})};
  const std::vector<arch::Arch> archs = {*arch::preset("toy"), testing::small_arch(8, 64),
                                         *arch::preset("eyeriss")};
  std::mt19937_64 rng(20240611);
  int tried = 0, refused = 0;
  for (int round = 0; round < 400; ++round) {
    const workload::Einsum& e = layers[round % layers.size()];
    const arch::Arch& a = archs[(round / layers.size()) % archs.size()];
    const Constraints c = random_constraints(e, a, rng);
    if (!check(c, e, a).empty()) continue;
    ++tried;
    const std::vector<std::string> why = infeasibility(c, e, a);
    refused += why.empty() ? 0 : 1;
    const std::string where = "round " + std::to_string(round) + " (" + e.name + " on " + a.name +
                              (why.empty() ? "" : ", refused: " + why.front()) + ")";
    const MapSpace space(e, a, c);
    EXPECT_EQ(unsplittable_dimensions(c, e, a).empty(), space.can_sample()) << where;
    for (const std::string& strategy : strategy_names()) {
      MapperOptions opt;
      opt.strategy = strategy;
      opt.threads = 1;
      opt.seed = static_cast<std::uint64_t>(round);
      opt.max_evaluations = 40;
      const MapperResult r = map_layer(space, opt);
      EXPECT_TRUE(!r.found || r.result.valid) << where << ", " << strategy;
      EXPECT_FALSE(!why.empty() && r.found) << where << ", " << strategy << " found a mapping";
    }
    const QualitySample q = sample_quality(space, 3, 100, static_cast<std::uint64_t>(round));
    EXPECT_FALSE(!why.empty() && !q.energy_pj.empty()) << where << ": drew a valid mapping";
    const SpaceSize size = space.size(2000);
    EXPECT_FALSE(!why.empty() && size.complete && size.tilings > 0) << where << ": has tilings";
  }
  EXPECT_GT(tried, 200);
  EXPECT_GT(refused, 20);
  EXPECT_LT(refused, tried);
}

}  // namespace
}  // namespace outpace::mapper
