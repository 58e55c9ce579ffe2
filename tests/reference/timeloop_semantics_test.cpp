// The simulator's Timeloop options (SimOptions: identical-only multicast per spatial level, reset
// on stride change, temporal extrapolation)
// checked against figures timeloop-model v3.0.3 printed, and against hand derivations of the
// rules in docs/timeloop-semantics.md; the analytical model, with the same options
// (model::Options), is held to the same figures. Counts here are per used instance, as Timeloop
// prints them.
#include <gtest/gtest.h>

#include <string>

#include "common/mapping_builder.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "model/evaluate.hpp"
#include "reference/simulator.hpp"

namespace outpace::reference {
namespace {

/// Expected reads, fills and updates of one tensor at one level, per used instance.
struct Expect {
  std::string level, tensor;
  std::int64_t reads, fills, updates;
};

int level_index(const arch::Arch& a, const std::string& name) {
  for (int l = 0; l < a.num_levels(); ++l)
    if (a.levels[l].name == name) return l;
  return -1;
}

int tensor_index(const workload::Einsum& e, const std::string& name) {
  for (int t = 0; t < e.num_tensors(); ++t)
    if (e.tensors[t].name == name) return t;
  return -1;
}

/// Checks the simulator's and the model's counts, under the same options, against `expected`.
void check(const workload::Einsum& e, const arch::Arch& a, const mapping::Mapping& m,
           const SimOptions& options, std::initializer_list<Expect> expected) {
  const SimResult sim = simulate(e, a, m, options);
  const model::Result model =
      model::evaluate(e, a, m,
                      {.multicast_identical_only = options.multicast_identical_only,
                       .reset_on_stride_change = options.reset_on_stride_change,
                       .extrapolate_temporal = options.extrapolate_temporal,
                       .link_transfers = options.link_transfers});
  ASSERT_TRUE(model.valid) << "the model rejects the mapping";
  for (const Expect& x : expected) {
    const int l = level_index(a, x.level), t = tensor_index(e, x.tensor);
    ASSERT_GE(l, 0) << x.level;
    ASSERT_GE(t, 0) << x.tensor;
    const SimTensor& c = sim.levels[l].tensors[t];
    const std::int64_t n = sim.levels[l].used_instances;
    const std::string where = x.level + "/" + x.tensor;
    EXPECT_TRUE(c.kept) << where;
    EXPECT_EQ(c.reads, x.reads * n) << where << " reads";
    EXPECT_EQ(c.fills, x.fills * n) << where << " fills";
    EXPECT_EQ(c.updates, x.updates * n) << where << " updates";
    const model::TensorStats& mt = model.levels[l].tensors[t];
    EXPECT_TRUE(mt.kept) << where << " (model)";
    EXPECT_EQ(mt.reads, x.reads * n) << where << " reads (model)";
    EXPECT_EQ(mt.fills, x.fills * n) << where << " fills (model)";
    EXPECT_EQ(mt.updates, x.updates * n) << where << " updates (model)";
  }
}

io::TimeloopSpec load_golden(const std::string& name) {
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/" + name + "/";
  return io::load_timeloop(
      {dir + "arch.yaml", dir + "problem.yaml", dir + "mapping.yaml", dir + "ERT.yaml"});
}

// Figures from tests/golden/timeloop/sliding_window_reset/expected.yaml (timeloop-model v3.0.3,
// default settings). The buffer's loops are K=4 inside P=12: the scratchpad's 6-input window
// moves 0, 0, 0, +2, 0, ... so every P step changes the translation and refetches 6 inputs.
TEST(TimeloopSemantics, SlidingWindowResetGolden) {
  const io::TimeloopSpec s = load_golden("sliding_window_reset");
  check(*s.problem, *s.arch, *s.mapping, kTimeloopSim,
        {{"Scratch", "Weights", 1920, 960, 0},
         {"Scratch", "Inputs", 1920, 144, 0},
         {"Scratch", "Outputs", 1536, 0, 1920},
         {"Buffer", "Weights", 960, 80, 0},
         {"Buffer", "Inputs", 144, 28, 0},
         {"Buffer", "Outputs", 0, 0, 384},
         {"Backing", "Weights", 80, 0, 0},
         {"Backing", "Inputs", 28, 0, 0},
         {"Backing", "Outputs", 0, 0, 384}});
  // The README states the same figures come out with extrapolation disabled: the reset alone.
  check(*s.problem, *s.arch, *s.mapping,
        {.multicast_identical_only = true, .reset_on_stride_change = true},
        {{"Scratch", "Inputs", 1920, 144, 0}, {"Buffer", "Inputs", 144, 28, 0}});
  // Exact semantics: 2 new inputs per P step, 6 + 11 x 2 = 28 per K iteration of DRAM, derived
  // by hand in tests/golden/timeloop/README.md.
  check(*s.problem, *s.arch, *s.mapping, {},
        {{"Scratch", "Inputs", 1920, 56, 0}, {"Buffer", "Inputs", 56, 28, 0}});
}

// Figures from tests/golden/timeloop/wrap_extrapolation/expected.yaml. The buffer's loops are
// R=3 inside P=8 over a 2-input window at 2p + r. Extrapolated, the scratchpad sees the windows
// at (p, r) = (0,0), (0,1) x2, (1,0) x7, (1,1) x14, each after the first one input new: 2 + 2 +
// 7 + 14 = 25. Without extrapolation, 32 (README.md); exactly, 18.
TEST(TimeloopSemantics, WrapExtrapolationGolden) {
  const io::TimeloopSpec s = load_golden("wrap_extrapolation");
  check(*s.problem, *s.arch, *s.mapping, kTimeloopSim,
        {{"Scratch", "Weights", 192, 96, 0},
         {"Scratch", "Inputs", 192, 25, 0},
         {"Scratch", "Outputs", 128, 0, 192},
         {"Buffer", "Weights", 96, 12, 0},
         {"Buffer", "Inputs", 25, 18, 0},
         {"Buffer", "Outputs", 0, 0, 64},
         {"Backing", "Weights", 12, 0, 0},
         {"Backing", "Inputs", 18, 0, 0},
         {"Backing", "Outputs", 0, 0, 64}});
  check(*s.problem, *s.arch, *s.mapping,
        {.multicast_identical_only = true, .reset_on_stride_change = true},
        {{"Scratch", "Inputs", 192, 32, 0}, {"Buffer", "Inputs", 32, 18, 0}});
  check(*s.problem, *s.arch, *s.mapping, {},
        {{"Scratch", "Inputs", 192, 18, 0}, {"Buffer", "Inputs", 18, 18, 0}});
}

// Figures from tests/golden/timeloop/iii_q_dummy_s and iii_s_dummy_q (expected.yaml): a level
// that keeps nothing spreads one term of the input row q + s and the GLB above spreads the other.
// Timeloop merges each level's children on their own (docs/timeloop-semantics.md, rule 3):
// iii_q_dummy_s reads 2 x 4 x 3 = 24 inputs from the GLB, where the 12 PEs need rows 0..5 at each
// of the GLB's 2 steps (exactly, 12); iii_s_dummy_q 6 x 2 x 4 = 48, where the PEs' 3-row windows
// start at q + 3s (q < 4, s < 2) and cover 9 rows at each of the GLB's 2 steps, which move them by
// 4 (exactly, 18).
TEST(TimeloopSemantics, MulticastIsCreditedPerSpatialLevel) {
  const io::TimeloopSpec a = load_golden("iii_q_dummy_s");
  check(*a.problem, *a.arch, *a.mapping, kTimeloopSim,
        {{"spad", "Inputs", 2, 2, 0}, {"GLB", "Inputs", 24, 10, 0}});
  check(*a.problem, *a.arch, *a.mapping, {}, {{"GLB", "Inputs", 12, 10, 0}});
  const io::TimeloopSpec b = load_golden("iii_s_dummy_q");
  check(*b.problem, *b.arch, *b.mapping, kTimeloopSim,
        {{"spad", "Inputs", 6, 6, 0}, {"GLB", "Inputs", 48, 13, 0}});
  check(*b.problem, *b.arch, *b.mapping, {}, {{"GLB", "Inputs", 18, 13, 0}});
}

// Link transfers (docs/timeloop-semantics.md, rule 4, derives each): the input figures of the
// rule-4 cases in tests/golden/timeloop/ (expected.yaml, timeloop-model v3.0.3), per instance:
// the keeping child, then its parent.
TEST(TimeloopSemantics, LinkTransfersBetweenNeighbours) {
  struct Case {
    const char* name;
    Expect child, parent;
  };
  const Case cases[] = {
      {"iv_link_s_over_q", {"spad", "Inputs", 5, 3, 0}, {"GLB", "Inputs", 6, 6, 0}},
      {"iv_link_s8_over_q", {"spad", "Inputs", 80, 48, 0}, {"GLB", "Inputs", 66, 44, 0}},
      {"iv_link_2d_full_x", {"spad", "Inputs", 5, 3, 0}, {"GLB", "Inputs", 12, 12, 0}},
      {"iv_link_two_parents", {"spad", "Inputs", 4, 2, 0}, {"Dummy", "Inputs", 6, 6, 0}},
      {"iv_link_at_bypassed_level", {"spad", "Inputs", 4, 2, 0}, {"GLB", "Inputs", 6, 6, 0}},
      {"iv_link_2d_partial_x", {"spad", "Inputs", 3, 3, 0}, {"GLB", "Inputs", 24, 12, 0}},
      {"iv_link_child_bypassed", {"spad", "Inputs", 3, 3, 0}, {"GLB", "Inputs", 12, 6, 0}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const io::TimeloopSpec s = load_golden(c.name);
    check(*s.problem, *s.arch, *s.mapping, kTimeloopSim, {c.child, c.parent});
  }
}

/// Outputs[p] (+ Outputs[k][p] with `with_k`) += Weights[(k,) r] * Inputs[p + r].
workload::Einsum conv1d(bool with_k, std::int64_t k, std::int64_t r, std::int64_t p) {
  workload::Einsum e;
  e.name = "conv1d";
  auto plain = [](int d) { return workload::TensorDim{{workload::Term{d, 1}}}; };
  const int kR = with_k ? 1 : 0, kP = kR + 1;
  if (with_k)
    e.dim_names = {"K", "R", "P"}, e.bounds = {k, r, p};
  else
    e.dim_names = {"R", "P"}, e.bounds = {r, p};
  workload::Tensor w{"Weights", {plain(kR)}, false};
  workload::Tensor o{"Outputs", {plain(kP)}, true};
  if (with_k) {
    w = workload::Tensor{"Weights", {plain(0), plain(kR)}, false};
    o = workload::Tensor{"Outputs", {plain(0), plain(kP)}, true};
  }
  workload::Tensor i{"Inputs", {workload::TensorDim{{{kR, 1}, {kP, 1}}}}, false};
  e.tensors = {w, i, o};
  return e;
}

/// One L0 under an L1, one MAC.
arch::Arch two_levels() {
  arch::Arch a;
  a.name = "hand";
  a.levels.resize(2);
  a.levels[0].name = "L0";
  a.levels[1].name = "L1";
  return a;
}

// K=2 R=3 P=3. L1: for p in 3 { for k in 2 }; L0: for r in 3. L0's input window [p, p+2] (3
// words) moves, per L1 step: first (3 new), 0 (remember 0, nothing new), +1 (differs from 0:
// reset, all 3, forget), 0 (nothing remembered: delta 0, remember 0), +1 (reset, 3), 0. Fills:
// 3 + 3 + 3 = 9 where 3 + 1 + 1 = 5 are new; extrapolation gives the same (P: p = 0, then p = 1
// standing for 2 steps: 3 + 0 + 2 x (3 + 0)). timeloop-model v3.0.3 prints 9 on this case.
TEST(TimeloopSemantics, ResetWhenTheTranslationChanges) {
  const workload::Einsum e = conv1d(true, 2, 3, 3);
  const arch::Arch a = two_levels();
  const mapping::Mapping m = test::MappingBuilder(e, a)  // L1: k inside p
                                 .level("L0").temporal("R", 3).keep_all()
                                 .level("L1").temporal("K", 2).temporal("P", 3).keep_all()
                                 .build();
  check(e, a, m, {}, {{"L0", "Inputs", 18, 5, 0}, {"L1", "Inputs", 5, 0, 0}});
  check(e, a, m, {.reset_on_stride_change = true},
        {{"L0", "Inputs", 18, 9, 0}, {"L1", "Inputs", 9, 0, 0}});
  check(e, a, m, {.extrapolate_temporal = true},
        {{"L0", "Inputs", 18, 5, 0}, {"L1", "Inputs", 5, 0, 0}});
  check(e, a, m, kTimeloopSim,
        {{"L0", "Weights", 18, 18, 0},
         {"L0", "Inputs", 18, 9, 0},
         {"L0", "Outputs", 12, 0, 18},
         {"L1", "Weights", 18, 0, 0},
         {"L1", "Inputs", 9, 0, 0},
         {"L1", "Outputs", 0, 0, 6}});
}

// Rule 3 where the MACs read the tensor straight from a keeper above levels that bypass it: L2
// spreads R = 3 over L1's instances, each L1 spreads P = 3 over its L0s, and neither L1 nor L0
// keeps the inputs. The 9 MACs need inputs p + r, 5 distinct words, but Timeloop merges each
// level's children on their own: 3 distinct r offsets x 3 distinct p offsets = 9 reads from L2.
// timeloop-model v3.0.3 prints 9 on the same case written in its format.
TEST(TimeloopSemantics, MulticastPerSpatialLevelDownToTheMacs) {
  const workload::Einsum e = conv1d(false, 1, 3, 3);
  arch::Arch a;
  a.name = "hand";
  a.levels.resize(3);
  const std::int64_t instances[] = {9, 3, 1};
  for (int l = 0; l < 3; ++l) {
    a.levels[l].name = "L" + std::to_string(l);
    a.levels[l].instances = a.levels[l].mesh_x = instances[l];
  }
  a.compute.instances = a.compute.mesh_x = 9;
  const mapping::Mapping m = test::MappingBuilder(e, a)
                                 .level("L0")
                                 .keep("Weights", "Outputs")
                                 .level("L1")
                                 .spatial_x("P", 3)
                                 .keep("Weights", "Outputs")
                                 .level("L2")
                                 .spatial_x("R", 3)
                                 .keep_all()
                                 .build();
  check(e, a, m, {}, {{"L2", "Inputs", 5, 0, 0}});
  check(e, a, m, kTimeloopSim, {{"L2", "Inputs", 9, 0, 0}});
}

// R=3 P=6. L1: for p' in 3 { for r in 3 }; L0: for p in 2. L0's window [2p' + r, 2p' + r + 1].
// Exact: 2 + 1 + 1 per p' sweep, the wrap (r 2 -> 0, p' + 1) moving by 0: 2 + 1 + 1 + 2 x (0 + 1
// + 1) = 8. Reset only: the wrap's translation 0 differs from +1: 2 + 1 + 1 + 2 x (2 + 1 + 1) =
// 12. Extrapolated: (p', r) = (0,0) first: 2; (0,1) x2: +1, 1 new; (1,0) x2: from (0,1) the
// window moves +1 (same translation), 1 new; (1,1) x4: 1 new. 2 + 2 + 2 + 4 = 10, with or
// without the reset. timeloop-model v3.0.3 prints 10, and 12 with extrapolation disabled.
TEST(TimeloopSemantics, ExtrapolationComparesWithIterationOne) {
  const workload::Einsum e = conv1d(false, 1, 3, 6);
  const arch::Arch a = two_levels();
  const mapping::Mapping m = test::MappingBuilder(e, a)  // L1: r inside p'
                                 .level("L0").temporal("P", 2).keep_all()
                                 .level("L1").temporal("R", 3).temporal("P", 3).keep_all()
                                 .build();
  check(e, a, m, {}, {{"L0", "Inputs", 18, 8, 0}, {"L1", "Inputs", 8, 0, 0}});
  check(e, a, m, {.reset_on_stride_change = true},
        {{"L0", "Inputs", 18, 12, 0}, {"L1", "Inputs", 12, 0, 0}});
  check(e, a, m, {.extrapolate_temporal = true},
        {{"L0", "Inputs", 18, 10, 0}, {"L1", "Inputs", 10, 0, 0}});
  check(e, a, m, kTimeloopSim,
        {{"L0", "Weights", 18, 9, 0},
         {"L0", "Inputs", 18, 10, 0},
         {"L0", "Outputs", 12, 0, 18},
         {"L1", "Weights", 9, 0, 0},
         {"L1", "Inputs", 10, 0, 0},
         {"L1", "Outputs", 0, 0, 6}});
}

}  // namespace
}  // namespace outpace::reference
