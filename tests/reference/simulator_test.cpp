// The simulator checked against counts derived on paper, so that the oracle is itself checked.
// Each case is tiny; the comments derive every expected count from the semantics in
// docs/model.md (Timeloop v3.0.3's conventions). The model must agree on these cases too.
#include "reference/simulator.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "common/mapping_builder.hpp"
#include "model/evaluate.hpp"
#include "reference/compare.hpp"
#include "reference/random_cases.hpp"

namespace outpace::reference {
namespace {

using mapping::LevelMapping;

constexpr int kW = 0, kI = 1, kO = 2;  // tensor indices of conv1d()
constexpr int kR = 0, kP = 1;          // dimension indices of conv1d()

/// Outputs[p] += Weights[r] * Inputs[stride*p + r].
workload::Einsum conv1d(std::int64_t p, std::int64_t r, std::int64_t stride) {
  workload::Einsum e;
  e.name = "conv1d";
  e.dim_names = {"R", "P"};
  e.bounds = {r, p};
  auto plain = [](int d) { return workload::TensorDim{{workload::Term{d, 1}}}; };
  workload::Tensor w{"Weights", {plain(kR)}, false};
  workload::Tensor i{"Inputs", {workload::TensorDim{{{kP, stride}, {kR, 1}}}}, false};
  workload::Tensor o{"Outputs", {plain(kP)}, true};
  e.tensors = {w, i, o};
  return e;
}

/// Two levels (L0 under L1) with `pes` L0 instances and one MAC under each, all along X.
arch::Arch two_levels(std::int64_t pes) {
  arch::Arch a;
  a.name = "hand";
  a.levels.resize(2);
  a.levels[0].name = "L0", a.levels[0].instances = pes, a.levels[0].mesh_x = pes;
  a.levels[1].name = "L1";
  a.compute.instances = pes, a.compute.mesh_x = pes;
  return a;
}

struct Expect {
  int level, tensor;
  std::int64_t tile_words, reads, fills, updates;  // summed over used instances
};

/// Runs the simulator, checks the expected counts, then checks the model agrees with it.
void run(const Case& c, std::initializer_list<Expect> expected) {
  ASSERT_TRUE(mapping::validate(c.einsum, c.arch, c.mapping).empty());
  const SimResult sim = simulate(c.einsum, c.arch, c.mapping);
  for (const Expect& x : expected) {
    const SimTensor& t = sim.levels[x.level].tensors[x.tensor];
    const std::string where = "L" + std::to_string(x.level) + "/" + c.einsum.tensors[x.tensor].name;
    EXPECT_TRUE(t.kept) << where;
    EXPECT_EQ(t.tile_words, x.tile_words) << where << " tile_words";
    EXPECT_EQ(t.reads, x.reads) << where << " reads";
    EXPECT_EQ(t.fills, x.fills) << where << " fills";
    EXPECT_EQ(t.updates, x.updates) << where << " updates";
  }
  for (const std::string& diff : compare(c, sim, model::evaluate(c.einsum, c.arch, c.mapping)))
    ADD_FAILURE() << diff << "\n" << describe_case(c);
}

// P=4, R=3, one PE. L1: for p in 4; L0: for r in 3. Steps = 12.
// L0 tiles: Weights [0,3) (3 words, filled once), Inputs [p, p+2] (3 words: 3 at p=0, then one
// new word per p: 3+1+1+1 = 6 fills), Outputs {p} (1 word, never held before: 0 fills).
// The MAC reads W and I every step (12 each); it updates its output every step (12), and reads
// it first unless it is the first update of that output: 12 - 4 = 8.
// L1 sends down what L0 fills (W 3, I 6, O 0); it receives O's evictions at p = 1, 2, 3 plus the
// final write-back of {3}: 4 updates. L1 tiles are the whole tensors: 3, 6 (P+R-1), 4.
TEST(Simulator, Conv1dWeightStationaryInner) {
  Case c{conv1d(4, 3, 1), two_levels(1), {}, {}};
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").temporal("R", 3).keep_all()
                  .level("L1").temporal("P", 4).keep_all()
                  .build();
  run(c, {{0, kW, 3, 12, 3, 0},
          {0, kI, 3, 12, 6, 0},
          {0, kO, 1, 8, 0, 12},
          {1, kW, 3, 3, 0, 0},
          {1, kI, 6, 6, 0, 0},
          {1, kO, 4, 0, 0, 4}});
}

// P=4, R=3, one PE, every loop at L1: for r in 3 { for p in 4 }; L0 holds single points.
// W {r} changes only with r: 3 fills. I {p+r} changes every step: 12 fills. O {p} changes every
// step: the first sweep (r=0) meets never-held outputs (0 fills), the two later sweeps refill
// partial sums: 8 fills. O evicts at 11 step changes plus 1 final write-back: L1 gets 12 updates,
// and sends down 8 (its reads = 12 updates - 4 distinct outputs). MAC-side: O 12 updates,
// 12 - 4 = 8 reads.
TEST(Simulator, Conv1dOutputRefills) {
  Case c{conv1d(4, 3, 1), two_levels(1), {}, {}};
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").keep_all()
                  .level("L1").temporal("P", 4).temporal("R", 3).keep_all()  // p inside r
                  .build();
  run(c, {{0, kW, 1, 12, 3, 0},
          {0, kI, 1, 12, 12, 0},
          {0, kO, 1, 8, 8, 12},
          {1, kW, 3, 3, 0, 0},
          {1, kI, 6, 12, 0, 0},
          {1, kO, 4, 8, 0, 12}});
}

// P=2, R=2 over two PEs: L1 spreads p over X and iterates r. PE p holds W {r}, I {p+r}, O {p}.
// Per PE: W 2 fills, I 2 fills, O 0 fills; MAC reads W 2, I 2, O 1 (second update), updates 2.
// L1: W {r} is the same word for both PEs: multicast, 1 read per step = 2. I {r}, {1+r} are
// different: 2 per step = 4. O: the final write-back of {0} and {1}: 2 updates.
TEST(Simulator, SpatialMulticast) {
  Case c{conv1d(2, 2, 1), two_levels(2), {}, {}};
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").keep_all()
                  .level("L1").temporal("R", 2).spatial_x("P", 2).keep_all()
                  .build();
  run(c, {{0, kW, 1, 4, 4, 0},
          {0, kI, 1, 4, 4, 0},
          {0, kO, 1, 2, 0, 4},
          {1, kW, 2, 2, 0, 0},
          {1, kI, 3, 4, 0, 0},
          {1, kO, 2, 0, 0, 2}});
}

// P=2, R=2 over two PEs: L1 spreads r over X and iterates p. PE r holds W {r}, I {p+r}, O {p}.
// Per PE: W 1 fill, I 2 fills, O 0 fills (the output of p=1 was never held); MACs: O 2 updates,
// 0 reads. L1: W {0,1} at the first step: 2 reads; I {0,1} then {1,2}: 4 reads. O: both PEs
// evict {0} at p=1 and end with {1}: spatial reduction makes each one update: 2.
TEST(Simulator, SpatialReduction) {
  Case c{conv1d(2, 2, 1), two_levels(2), {}, {}};
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").keep_all()
                  .level("L1").temporal("P", 2).spatial_x("R", 2).keep_all()
                  .build();
  run(c, {{0, kW, 1, 4, 2, 0},
          {0, kI, 1, 4, 4, 0},
          {0, kO, 1, 0, 0, 4},
          {1, kW, 2, 2, 0, 0},
          {1, kI, 3, 4, 0, 0},
          {1, kO, 2, 0, 0, 2}});
}

// Stride 2, R=1, P=2: Inputs[2p]. L0 iterates p and holds the bounding box of {0, 2}, which is
// [0, 2]: 3 words, skipped word included (Timeloop's tiles are hyper-rectangles), 3 fills.
// The MAC still reads only the 2 words it uses. Weights and Outputs bypass L0: L1 feeds the MAC
// directly (W 2 reads; O 2 updates, 0 reads).
TEST(Simulator, StridedTileIsABoundingBox) {
  Case c{conv1d(2, 1, 2), two_levels(1), {}, {}};
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").temporal("P", 2).keep("Inputs")
                  .level("L1").keep_all()
                  .build();
  run(c, {{0, kI, 3, 2, 3, 0}, {1, kW, 1, 2, 0, 0}, {1, kI, 3, 3, 0, 0}, {1, kO, 2, 0, 0, 2}});
  const SimResult sim = simulate(c.einsum, c.arch, c.mapping);
  EXPECT_FALSE(sim.levels[0].tensors[kW].kept);
  EXPECT_EQ(sim.levels[0].tensors[kW].reads, 0);
  EXPECT_EQ(sim.compute_cycles, 2);
  EXPECT_EQ(sim.macs, 2);
}

/// In[sum of the dimensions but the last] read into Out[last dimension]; tensor 0 is In.
workload::Einsum sum_index(std::vector<std::string> names, std::vector<std::int64_t> bounds) {
  workload::Einsum e;
  e.name = "sum_index";
  e.dim_names = std::move(names);
  e.bounds = std::move(bounds);
  workload::TensorDim index;
  const int last = e.num_dims() - 1;
  for (int d = 0; d < last; ++d) index.terms.push_back({d, 1});
  e.tensors = {workload::Tensor{"In", {index}, false},
               workload::Tensor{"Out", {workload::TensorDim{{workload::Term{last, 1}}}}, true}};
  return e;
}

// Found by the random agreement test (minimized); the model disagrees with these counts.
// In[A+B+C], A=B=C=2, Out[Z] with Z=1. One PE. L1: for c { for b { for a } }; L0 keeps In only
// and has no loops, so it holds the single word a+b+c: 0,1,1,2 then (c=1) 1,2,2,3.
// L0 fills every step whose word differs from the previous step's: 6 (steps 0,1,3,4,5,7).
// At the step c advances, a and b both wrap: the word goes from 2 back to 1, which L0 no longer
// holds (its tile is one word), so it must be filled again.
// The MAC reads In every step (8). Out lives at L1 only: 8 updates, 8 - 1 = 7 reads.
TEST(Simulator, TwoInnerLoopsWrapAndMoveTheTileBack) {
  Case c{sum_index({"A", "B", "C", "Z"}, {2, 2, 2, 1}), two_levels(1), {}, {}};
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").keep("In")
                  .level("L1").temporal("A", 2).temporal("B", 2).temporal("C", 2).keep_all()
                  .build();
  run(c, {{0, 0, 1, 8, 6, 0}, {1, 0, 4, 6, 0, 0}, {1, 1, 1, 7, 0, 8}});
}

// Found by the random agreement test (minimized); the model disagrees with these counts.
// In[P+R], P=4 split P = 2*p2 + p1, R=2, Out[P]. One PE, three levels. L2: for p2; L1 (keeps
// nothing): for r { for p1 }; L0 keeps In only, no loops: it holds the word 2*p2 + r + p1:
// 0,1,1,2 then (p2=1) 2,3,3,4. Fills: 5 (steps 0,1,3,5,7). When p2 advances, r and p1 wrap and
// the word stays 2: no fill. MAC: In 8 reads; Out (at L2 only) 8 updates, 8 - 4 = 4 reads.
TEST(Simulator, OuterAdvanceWithTwoWrapsKeepsTheTile) {
  arch::Arch a = two_levels(1);
  a.levels.insert(a.levels.begin() + 1, a.levels[1]);
  a.levels[1].name = "L1", a.levels[2].name = "L2";
  Case c{sum_index({"R", "P"}, {2, 4}), a, {}, {}};
  c.einsum.tensors[0].dims[0].terms = {{0, 1}, {1, 1}};  // In[R+P]
  c.einsum.tensors[1].dims[0].terms = {{1, 1}};          // Out[P]
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").keep("In")
                  .level("L1").temporal("P", 2).temporal("R", 2)  // p1 inside r; keeps nothing
                  .level("L2").temporal("P", 2).keep_all()
                  .build();
  run(c, {{0, 0, 1, 8, 5, 0}, {2, 0, 5, 5, 0, 0}, {2, 1, 4, 4, 0, 8}});
}

/// Imperfect factors (docs/model.md, "Imperfect factorization"): the hand-derived counts, cycles
/// and MACs, and the model's agreement.
void run_imperfect(const Case& c, std::int64_t cycles, std::int64_t macs, std::initializer_list<Expect> expected) {
  run(c, expected);
  const SimResult sim = simulate(c.einsum, c.arch, c.mapping);
  EXPECT_EQ(sim.compute_cycles, cycles);
  EXPECT_EQ(sim.macs, macs);
}

// P=5, R=3, one PE; L1: for p1 in 3; L0: for p0 in 2, for r in 3 (p = 2 p1 + p0: 6 > 5, the
// last p1 has one p left). The 3 steps of (p1=2, p0=1) do not run: 18 - 3 = 15 cycles, 15 MACs.
// L0 tiles per p1: Weights [0,3) filled once (3); Inputs h = p + r: [0,3], [2,5], [4,6]
// (4, 4, 3 words; fills 4 + 2 + 1 = 7, the tile size is the largest, 4); Outputs {0,1}, {2,3},
// {4} (never held before: 0 fills). The MACs read W and I at every step (15 each), update an
// output at every step (15) and read it unless first updated (15 - 5 = 10). L1 sends what L0
// fills (W 3, I 7) and receives the outputs once each (evicted at p1 = 1, 2, then {4}): 5.
TEST(Simulator, ImperfectOuterFactorLeavesAResidualTile) {
  Case c{conv1d(5, 3, 1), two_levels(1), {}, {}};
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").temporal("R", 3).temporal("P", 2).keep_all()
                  .level("L1").temporal("P", 3).keep_all()
                  .build();
  run_imperfect(c, 15, 15,
                {{0, kW, 3, 15, 3, 0}, {0, kI, 4, 15, 7, 0}, {0, kO, 2, 10, 0, 15},
                 {1, kW, 3, 3, 0, 0}, {1, kI, 7, 7, 0, 0}, {1, kO, 5, 0, 0, 5}});
}

// P=3, R=1 over 2 PEs: L1: for p1 in 2, spatial x in 2 (p = 2 p1 + x; p = 3 is past the bound,
// so PE 1 idles at p1 = 1 and keeps what it holds). 2 cycles, 3 MACs.
// L0 (2 PEs): Weights {0} filled once per PE (2); Inputs h = p: PE0 {0} then {2}, PE1 {1}
// (3 fills); Outputs 0 fills. MACs: W and I read 2 + 1 = 3 times each; O updated 3 times, each
// output for the first time (0 reads). L1: W multicast to both PEs at p1 = 0 (1 read), nothing
// at p1 = 1; I {0,1} then {2} (3 reads); O: PE0 evicts {0} at p1 = 1, the final write-back
// gives {2} and {1}: 3 updates.
TEST(Simulator, ImperfectSpatialFactorIdlesAnInstance) {
  Case c{conv1d(3, 1, 1), two_levels(2), {}, {}};
  c.mapping = test::MappingBuilder(c.einsum, c.arch)
                  .level("L0").keep_all()
                  .level("L1").temporal("P", 2).spatial_x("P", 2).keep_all()
                  .build();
  run_imperfect(c, 2, 3,
                {{0, kW, 1, 3, 2, 0}, {0, kI, 1, 3, 3, 0}, {0, kO, 1, 0, 0, 3},
                 {1, kW, 1, 1, 0, 0}, {1, kI, 3, 3, 0, 0}, {1, kO, 3, 0, 0, 3}});
}

// Random imperfect factors: the bounds of random cases lowered below the product of their
// factors. Counted independently of the simulator: its MACs are the points within the bounds,
// and its cycles the temporal steps whose first point is within them, per dimension the tuples
// of temporal indices i_j with sum_j i_j * stride_j < bound (strides: the mixed radix of every
// loop over the dimension, nested outermost level first, temporal loops outside spatial ones).
TEST(Simulator, ImperfectRandomCasesRunThePointsWithinTheBounds) {
  std::mt19937_64 rng(2026);
  for (int n = 0; n < 300; ++n) {
    Case c = random_case(rng, 400);
    const int dims = c.einsum.num_dims();
    struct Loop {
      int dim;
      std::int64_t factor;
      bool temporal;
    };
    std::vector<Loop> nest;  // outermost first
    for (int l = static_cast<int>(c.mapping.levels.size()) - 1; l >= 0; --l) {
      const LevelMapping& lm = c.mapping.levels[l];
      for (auto it = lm.temporal.end(); it != lm.temporal.begin();) --it, nest.push_back({it->dim, it->factor, true});
      for (const auto& sp : lm.spatial) nest.push_back({sp.dim, sp.factor, false});
    }
    std::int64_t macs = 1, cycles = 1;
    for (int d = 0; d < dims; ++d) {
      std::vector<std::int64_t> strides, factors;  // of the temporal loops over d
      std::int64_t stride = 1;
      for (auto it = nest.rbegin(); it != nest.rend(); ++it) {
        if (it->dim != d) continue;
        if (it->temporal) strides.push_back(stride), factors.push_back(it->factor);
        stride *= it->factor;
      }
      std::uniform_int_distribution<std::int64_t> pick(1, c.einsum.bounds[d]);
      c.einsum.bounds[d] = pick(rng);  // the factors now multiply to at least the bound
      macs *= c.einsum.bounds[d];
      std::int64_t tuples = 0;  // every tuple of temporal indices, counted when within the bound
      std::vector<std::int64_t> idx(factors.size(), 0);
      for (bool more = true; more;) {
        std::int64_t at = 0;
        for (std::size_t j = 0; j < idx.size(); ++j) at += idx[j] * strides[j];
        tuples += at < c.einsum.bounds[d] ? 1 : 0;
        more = false;
        for (std::size_t j = 0; j < idx.size(); ++j) {
          if (++idx[j] < factors[j]) {
            more = true;
            break;
          }
          idx[j] = 0;
        }
      }
      cycles *= tuples;
    }
    const SimResult sim = simulate(c.einsum, c.arch, c.mapping);
    EXPECT_EQ(sim.macs, macs) << describe_case(c);
    EXPECT_EQ(sim.compute_cycles, cycles) << describe_case(c);
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
}  // namespace outpace::reference
