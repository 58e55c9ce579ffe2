// Energy, cycles and utilization on a case small enough to add up by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "common/mapping_builder.hpp"
#include "model/evaluate.hpp"
#include "workload/builders.hpp"

namespace outpace::model {
namespace {

/// GEMM M=4 N=2 K=3 (24 MACs) on two levels: a buffer (block of 2 words) over 2 MACs, and DRAM.
struct Small {
  workload::Einsum e = workload::gemm("g", 4, 2, 3);
  arch::Arch a;
  mapping::Mapping m;
  Small() {
    arch::StorageLevel buf, dram;
    buf.name = "Buf";
    buf.capacity_words = 64;
    buf.block_size = 2;
    buf.energy = {1.0, 2.0, 3.0, 0.5};  // per vector access; leak per cycle
    buf.read_bandwidth = 1;             // words per cycle
    dram.name = "DRAM";
    dram.energy = {10.0, 10.0, 10.0, 0};
    a.levels = {buf, dram};
    a.compute.instances = 2;
    a.compute.mesh_x = 2;
    a.compute.mac_energy_pj = 0.25;
    m = test::MappingBuilder(e, a)  // K innermost at Buf
            .level("Buf").temporal("K", 3).temporal("M", 4).spatial_x("N", 2).keep_all()
            .level("DRAM").keep_all()
            .build();
  }
};

TEST(EnergyCycles, AddsUpByHand) {
  Small s;
  const Result r = evaluate(s.e, s.a, s.m);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.compute_cycles, 12);  // 24 MACs on 2 MACs
  // Buffer reads per step: 1 input (shared by both MACs: multicast), 2 weights, 2 outputs
  // except on the first update of each; inputs 12, weights 24, outputs 24 - 8 = 16 -> 52 reads.
  const auto& buf = r.levels[0];
  EXPECT_EQ(buf.tensors[0].reads, 12);
  EXPECT_EQ(buf.tensors[1].reads, 24);
  EXPECT_EQ(buf.tensors[2].reads, 16);
  EXPECT_EQ(buf.tensors[2].updates, 24);
  // The read port moves 1 word per cycle: 52 cycles, longer than the 12 compute cycles.
  EXPECT_EQ(buf.cycles, 52);
  EXPECT_EQ(r.cycles, 52);
  EXPECT_DOUBLE_EQ(r.utilization, 24.0 / (52 * 2));
  // Fills: every word once (12 inputs, 6 weights; 8 outputs start at zero, so no fills).
  EXPECT_EQ(buf.tensors[0].fills, 12);
  EXPECT_EQ(buf.tensors[1].fills, 6);
  EXPECT_EQ(buf.tensors[2].fills, 0);
  // Per-word energy is the vector energy over the block size (2 words).
  EXPECT_DOUBLE_EQ(buf.tensors[0].energy_pj, (12 * 1.0 + 12 * 2.0) / 2);
  EXPECT_DOUBLE_EQ(buf.tensors[2].energy_pj, (16 * 1.0 + 24 * 3.0) / 2);
  EXPECT_DOUBLE_EQ(buf.leak_pj, 0.5 * 52);
  EXPECT_DOUBLE_EQ(r.mac_energy_pj, 24 * 0.25);
  double total = r.mac_energy_pj;
  for (const auto& level : r.levels) total += level.energy_pj;
  EXPECT_DOUBLE_EQ(r.energy_pj, total);
}

// Timeloop's energy per used cluster (Options::cluster_energy; docs/timeloop-semantics.md, rule
// 5): the buffer's access energy is charged min(U, instances / cluster size) times instead of U.
TEST(EnergyCycles, ClusterEnergyChargesOncePerUsedCluster) {
  const workload::Einsum e = workload::gemm("g", 4, 4, 3);
  arch::Arch a;
  arch::StorageLevel buf, dram;
  buf.name = "Buf";
  buf.instances = buf.mesh_x = 4;
  buf.energy = {1.0, 2.0, 3.0, 0};
  dram.name = "DRAM";
  dram.energy = {10.0, 10.0, 10.0, 0};
  a.levels = {buf, dram};
  a.compute.instances = a.compute.mesh_x = 4;
  auto mapping = [&](std::int64_t spread) {  // N over `spread` of the 4 buffers
    // clang-format off
    return test::MappingBuilder(e, a)
        .level("Buf").temporal("K", 3).temporal("M", 4).keep_all()
        .level("DRAM").temporal("N", 4 / spread).spatial_x("N", spread).keep_all()
        .build();
    // clang-format on
  };
  const Options clusters{.cluster_energy = true};
  EXPECT_FALSE(exact_counting(clusters));
  EXPECT_TRUE(kTimeloopOptions.cluster_energy);
  for (const auto& [cluster_size, spread, charged] :
       {std::tuple{2, 4, 2}, {2, 2, 2}, {1, 4, 4}, {4, 4, 1}, {4, 2, 1}}) {
    a.levels[0].cluster_size = cluster_size;
    const Result per_instance = evaluate(e, a, mapping(spread));
    const Result per_cluster = evaluate(e, a, mapping(spread), clusters);
    ASSERT_TRUE(per_instance.valid && per_cluster.valid);
    const TensorStats &x = per_instance.levels[0].tensors[1], &y = per_cluster.levels[0].tensors[1];
    const std::string what =
        "cluster size " + std::to_string(cluster_size) + ", " + std::to_string(spread) + " used";
    EXPECT_EQ(per_cluster.levels[0].used_instances, spread) << what;
    EXPECT_EQ(y.reads, x.reads) << what;  // counts do not change
    EXPECT_DOUBLE_EQ(y.energy_pj, x.energy_pj * charged / spread) << what;
    EXPECT_DOUBLE_EQ(per_cluster.levels[1].energy_pj, per_instance.levels[1].energy_pj) << what;
  }
}

TEST(EnergyCycles, CapacityOverflowIsAViolationWithCounts) {
  Small s;
  s.a.levels[0].capacity_words = 20;  // tiles: 12 inputs + 6 weights + 8 outputs = 26 words
  const Result r = evaluate(s.e, s.a, s.m);
  EXPECT_FALSE(r.valid);
  ASSERT_EQ(r.violations.items.size(), 1u);
  EXPECT_EQ(mapping::describe(r.violations.items[0], s.e, s.a),
            "level 'Buf': tiles need 26 words, capacity is 20 (over by 6)");
  EXPECT_EQ(r.levels[0].tensors[0].reads, 12);  // counts are still there
}

TEST(EnergyCycles, BandwidthCyclesAreExact) {
  Small s;                                                        // 52 buffer reads
  s.a.levels[0].read_bandwidth = *arch::Bandwidth::parse("1.3");  // 52 / 1.3 = 40 exactly
  EXPECT_EQ(evaluate(s.e, s.a, s.m).levels[0].cycles, 40);
  s.a.levels[0].read_bandwidth = *arch::Bandwidth::parse("0.7");  // 74.29 -> 75
  EXPECT_EQ(evaluate(s.e, s.a, s.m).levels[0].cycles, 75);
}

TEST(EnergyCycles, VanishingBandwidthIsAnOverflowNotIgnored) {
  Small s;
  s.a.levels[0].read_bandwidth = *arch::Bandwidth::parse("1e-18");  // 52e18 cycles: past 2^63
  const Result r = evaluate(s.e, s.a, s.m);
  EXPECT_FALSE(r.valid);
  ASSERT_EQ(r.violations.items.size(), 1u);
  EXPECT_EQ(r.violations.items[0].kind, mapping::ViolationKind::kOverflow);
  EXPECT_EQ(mapping::describe(r.violations.items[0], s.e, s.a),
            "level 'Buf': cycles pass 2^63 - 1: too large to count exactly; use smaller bounds, "
            "coefficients or factors");
}

// docs/formats.md: every count fits in int64 or the evaluation says which one does not. With
// In[65536*P + R] over P = 2^31 and K = 2^17 outside P at DRAM, the buffer's input tile (2^47
// words) is fetched again at every step of K: about 2^65 fills.
TEST(EnergyCycles, CountsPastInt64AreOverflowViolations) {
  workload::Einsum e;
  e.name = "huge";
  e.dim_names = {"K", "P", "R"};
  e.bounds = {std::int64_t{1} << 17, std::int64_t{1} << 31, 1};
  e.tensors = {{"In", {workload::TensorDim{{{1, 65536}, {2, 1}}}}, false},
               {"W", {workload::TensorDim{{{0, 1}}}}, false},
               {"Out", {workload::TensorDim{{{0, 1}}}, workload::TensorDim{{{1, 1}}}}, true}};
  ASSERT_TRUE(workload::check_messages(e).empty());
  arch::Arch a;
  a.levels.resize(2);
  a.levels[0].name = "Buf";
  a.levels[1].name = "DRAM";
  // clang-format off
  const mapping::Mapping m = test::MappingBuilder(e, a)
                                 .level("Buf").temporal("P", std::int64_t{1} << 30).keep_all()
                                 .level("DRAM").temporal("P", 2).temporal("K", std::int64_t{1} << 17)
                                 .keep_all()
                                 .build();
  // clang-format on
  const Result r = evaluate(e, a, m);
  EXPECT_FALSE(r.valid);
  ASSERT_FALSE(r.violations.empty());
  EXPECT_EQ(r.violations.items[0].kind, mapping::ViolationKind::kOverflow);
  EXPECT_EQ(mapping::describe(r.violations.items[0], e, a),
            "level 'DRAM', tensor 'In': reads pass 2^63 - 1: too large to count exactly; use "
            "smaller bounds, coefficients or factors");
}

/// In[65536*P + R], W[K], Out[K][P][N]: the input's tile grows 65536 words per P.
workload::Einsum wide_input(std::int64_t k, std::int64_t p, std::int64_t n) {
  workload::Einsum e;
  e.name = "wide";
  e.dim_names = {"K", "P", "R", "N"};
  e.bounds = {k, p, 1, n};
  e.tensors = {{"In", {workload::TensorDim{{{1, 65536}, {2, 1}}}}, false},
               {"W", {workload::TensorDim{{{0, 1}}}}, false},
               {"Out",
                {workload::TensorDim{{{0, 1}}}, workload::TensorDim{{{1, 1}}},
                 workload::TensorDim{{{3, 1}}}},
                true}};
  return e;
}

// Each buffer instance's fills fit (2^20 input tiles of 2^30 words), but not summed over the
// 2^16 instances: the level total is the overflow.
TEST(EnergyCycles, TotalsOverInstancesPastInt64AreOverflowViolations) {
  const std::int64_t n = std::int64_t{1} << 16;
  const workload::Einsum e = wide_input(std::int64_t{1} << 19, std::int64_t{1} << 15, n);
  ASSERT_TRUE(workload::check_messages(e).empty());
  arch::Arch a;
  a.levels.resize(2);
  a.levels[0].name = "Buf", a.levels[0].instances = n, a.levels[0].mesh_x = n;
  a.levels[1].name = "DRAM";
  a.compute.instances = n, a.compute.mesh_x = n;
  // clang-format off
  const mapping::Mapping m = test::MappingBuilder(e, a)
      .level("Buf").temporal("P", std::int64_t{1} << 14).keep("In")
      .level("DRAM").spatial_x("N", n).temporal("P", 2).temporal("K", std::int64_t{1} << 19)
      .keep_all()
      .build();
  // clang-format on
  const Result r = evaluate(e, a, m);
  EXPECT_FALSE(r.valid);
  std::vector<std::string> found;
  for (const mapping::Violation& v : r.violations.items)
    found.push_back(mapping::describe(v, e, a));
  EXPECT_TRUE(std::any_of(found.begin(), found.end(), [](const std::string& d) {
    return d.starts_with("level 'Buf', tensor 'In': fills pass 2^63 - 1");
  })) << ::testing::PrintToString(found);
}

// With residual tiles the counting is guarded as a whole (docs/model.md, "Overflow").
TEST(EnergyCycles, ResidualCountsPastTheGuardAreRefused) {
  const workload::Einsum e = wide_input(std::int64_t{1} << 17, (std::int64_t{1} << 31) - 1, 1);
  arch::Arch a;
  a.levels.resize(2);
  a.levels[0].name = "Buf";
  a.levels[1].name = "DRAM";
  // clang-format off
  const mapping::Mapping m = test::MappingBuilder(e, a)
      .level("Buf").temporal("P", std::int64_t{1} << 30).keep_all()
      .level("DRAM").temporal("P", 2).temporal("K", std::int64_t{1} << 17).keep_all()
      .build();
  // clang-format on
  const Result r = evaluate(e, a, m);
  EXPECT_FALSE(r.valid);
  ASSERT_EQ(r.violations.items.size(), 1u);
  EXPECT_EQ(mapping::describe(r.violations.items[0], e, a).substr(0, 40),
            "counts with residual tiles may pass 2^63");
}

TEST(EnergyCycles, EnergyPast1e300IsAnOverflowViolation) {
  Small s;
  s.a.levels[1].energy.read_pj = 1e299;  // 36 DRAM reads
  const Result r = evaluate(s.e, s.a, s.m);
  EXPECT_FALSE(r.valid);
  ASSERT_EQ(r.violations.items.size(), 1u);
  EXPECT_EQ(mapping::describe(r.violations.items[0], s.e, s.a).substr(0, 22),
            "energy passes 1e300 pJ");
}

TEST(EnergyCycles, BrokenStructureGivesNoCounts) {
  Small s;
  s.m.levels.resize(1);
  const Result r = evaluate(s.e, s.a, s.m);
  EXPECT_FALSE(r.valid);
  EXPECT_TRUE(r.levels.empty());
  EXPECT_EQ(r.violations.items[0].kind, mapping::ViolationKind::kLevelCount);
}

}  // namespace
}  // namespace outpace::model
