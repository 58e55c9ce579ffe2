// The sparse model (Options::sparsity): gating on a dot product against timeloop-model v3.0.3's
// figures, and compressed formats, skipping and the MACs' split by hand.
#include <gtest/gtest.h>

#include <optional>

#include "arch/presets.hpp"
#include "model/evaluate.hpp"

namespace outpace::model {
namespace {

/// Z[m] += A[k] * B[k]: a dot product over K (M = 1), tensors A, B, Z.
workload::Einsum dot_product(std::int64_t k) {
  workload::Einsum e;
  e.name = "dot";
  e.dim_names = {"K", "M"};
  e.bounds = {k, 1};
  workload::Tensor a{"A", {}, false}, b{"B", {}, false}, z{"Z", {}, true};
  a.dims.push_back({{{0, 1}}});
  b.dims.push_back({{{0, 1}}});
  z.dims.push_back({{{1, 1}}});
  e.tensors = {a, b, z};
  return e;
}

/// One PE: a 64-word register file reading 3 words and writing 1 a cycle, over one MAC, with
/// the energies of the Sparseloop exercise's table (single-PE gating dot product): 0.42018 pJ a
/// read or write, 0.00441 pJ for an idle (gated) port, 0.5608 pJ a MAC.
arch::Arch one_pe() {
  arch::Arch a;
  a.name = "one_pe";
  a.technology = "45nm";
  arch::StorageLevel buffer =
      arch::make_level("Buffer", arch::MemoryKind::kRegisterFile, 64, 8, 1, 1, 1);
  buffer.read_bandwidth = 3;
  buffer.write_bandwidth = 1;
  buffer.energy = {0.42018, 0.42018, 0.42018, 0, 0.00441, 0.00441, 0.00441, 0.00441};
  a.levels = {buffer};
  a.compute = arch::make_compute(1, 1, 8);
  a.compute.mac_energy_pj = 0.5608;
  return a;
}

/// The buffer loops over K.
mapping::Mapping over_k(std::int64_t k) {
  mapping::Mapping m;
  m.levels.resize(1);
  m.levels[0].temporal.push_back({0, k});
  m.levels[0].keep = 7;
  return m;
}

// The Sparseloop exercise's single-PE dot product (K = 16, A fixed-structured at 0.25; the
// buffer gates B on A and Z on A), as timeloop-model v3.0.3 reports it: B read 4 times and gated
// 12; Z read 3 times (read-modify-write, ⌈15 x 0.75⌉ gated) and updated 4 times (12 gated); A
// read 16 times; 4 MACs, none gated (the 12 with a zero A do not exist); 16 cycles (the write
// port: 16 updates, actual and gated, at 1 a cycle); energy 13.75 pJ (B: 4 x 0.42018 + 12 x
// 0.00441, Z: 7 x 0.42018 + 24 x 0.00441, A: 16 x 0.42018, MACs 4 x 0.5608).
TEST(Sparse, GatingOnADotProductAsTimeloop) {
  Sparsity s;
  s.densities.push_back({DensityKind::kFixedStructured, 0.25});
  s.safs.push_back({0, 1, 1u, SafKind::kGating});
  s.safs.push_back({0, 2, 1u, SafKind::kGating});
  Options o;
  o.sparsity = &s;
  o.timeloop_sparsity = true;
  const Result r = evaluate(dot_product(16), one_pe(), over_k(16), o);
  ASSERT_TRUE(r.valid);
  const TensorStats &a = r.levels[0].tensors[0], &b = r.levels[0].tensors[1],
                    &z = r.levels[0].tensors[2];
  EXPECT_EQ(a.reads, 16);
  EXPECT_EQ(a.gated_reads, 0);
  EXPECT_EQ(b.reads, 4);
  EXPECT_EQ(b.gated_reads, 12);
  EXPECT_EQ(z.reads, 3);
  EXPECT_EQ(z.gated_reads, 12);
  EXPECT_EQ(z.updates, 4);
  EXPECT_EQ(z.gated_updates, 12);
  EXPECT_EQ(r.actual_macs, 4);
  EXPECT_EQ(r.gated_macs, 0);
  EXPECT_EQ(r.skipped_macs, 0);
  EXPECT_EQ(r.cycles, 16);
  EXPECT_NEAR(r.energy_pj, 13.75, 0.005);  // Timeloop prints two decimals
  // The exercise's dense run: 63 accesses and 16 MACs, 35.44 pJ, 16 cycles.
  const Result dense = evaluate(dot_product(16), one_pe(), over_k(16));
  EXPECT_NEAR(dense.energy_pj, 35.44, 0.005);
  EXPECT_EQ(dense.cycles, 16);
}

// A compressed A (fixed-structured 0.25) moves only its nonzeros: 16 - ⌊16 x 0.75⌋ = 4 reads;
// skipping B on A then skips ⌊16 x 0.75⌋ = 12 of B's reads and takes no cycle for them.
TEST(Sparse, CompressedFormatsAndSkippingByHand) {
  Sparsity s;
  s.densities.push_back({DensityKind::kFixedStructured, 0.25});
  s.compressed[0] = 1u;
  s.safs.push_back({0, 1, 1u, SafKind::kSkipping});
  Options o;
  o.sparsity = &s;
  const Result r = evaluate(dot_product(16), one_pe(), over_k(16), o);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.levels[0].tensors[0].reads, 4);
  EXPECT_EQ(r.levels[0].tensors[1].reads, 4);
  EXPECT_EQ(r.levels[0].tensors[1].skipped_reads, 12);
  EXPECT_EQ(r.levels[0].tensors[1].gated_reads, 0);
  // A compressed at its innermost keeper: its zeros are missing, not stored; B is dense. The 12
  // MACs with a zero A are removed by B's skipping (B's feature reaches the MACs): 4 run.
  EXPECT_EQ(r.actual_macs, 4);
  // Reads 4 + 4 + 15 (Z) at 3 a cycle: 8 cycles; writes 16 updates: 16.
  EXPECT_EQ(r.cycles, 16);
}

// A stored compressed in DRAM and plain in the buffer under it: DRAM reads only the nonzeros,
// 16 - ⌊16 x 0.75⌋ = 4; the buffer is still filled with all 16 words, decompressing each; Z,
// compressed in DRAM too, is compressed on its way back, once per DRAM update (the nonzeros of
// its one word: 1 - ⌊1 x (1 - 0.5)⌋ = 1).
TEST(Sparse, DecompressionUnderACompressedParentByHand) {
  arch::Arch a = one_pe();
  a.levels[0].energy.decompression_pj = 0.03;
  a.levels[0].energy.compression_pj = 0.05;
  arch::StorageLevel dram =
      arch::make_level("DRAM", arch::MemoryKind::kDram, std::nullopt, 8, 1, 1, 1);
  dram.energy = {10, 10, 10, 0};
  a.levels.push_back(dram);
  mapping::Mapping m = over_k(16);
  m.levels.resize(2);
  m.levels[1].keep = 7;
  Sparsity s;
  s.densities.push_back({DensityKind::kFixedStructured, 0.25});
  s.densities.push_back({});
  s.densities.push_back({DensityKind::kFixedStructured, 0.5});
  s.compressed[1] = 5u;  // A and Z
  Options o;
  o.sparsity = &s;
  const Result r = evaluate(dot_product(16), a, m, o);
  ASSERT_TRUE(r.valid);
  const TensorStats &dram_a = r.levels[1].tensors[0], &buf_a = r.levels[0].tensors[0],
                    &buf_z = r.levels[0].tensors[2], &dram_z = r.levels[1].tensors[2];
  EXPECT_EQ(dram_a.reads, 4);
  EXPECT_EQ(buf_a.fills, 16);
  EXPECT_EQ(buf_a.decompressions, 16);
  EXPECT_EQ(dram_z.updates, 1);
  EXPECT_EQ(buf_z.compressions, 1);
  EXPECT_EQ(r.levels[0].tensors[1].decompressions, 0);  // B is not compressed anywhere
  EXPECT_DOUBLE_EQ(buf_a.energy_pj, 16 * 0.42018 + 16 * 0.42018 + 16 * 0.03);
}

// Under Timeloop's rules, a level's tile under a parent that compresses it too is sent only when
// it holds a nonzero: the buffer's one-point tiles of A (fixed-structured 0.25, empty with
// probability 0.75) are nonzero whenever they move (density 0.25 / 0.25 = 1: its 16 reads and
// fills stay), while DRAM, holding all of A, reads 16 - ⌊16 x 0.75⌋ = 4 (as timeloop-model counts
// a register under a compressed scratchpad on the Sparseloop artifact's Eyeriss-v2 PE). Outpace's
// own rules count the nonzeros that move, 4 at every level.
TEST(Sparse, ATileUnderACompressedParentIsNeverEmptyByHand) {
  arch::Arch a = one_pe();
  arch::StorageLevel dram =
      arch::make_level("DRAM", arch::MemoryKind::kDram, std::nullopt, 8, 1, 1, 1);
  a.levels.push_back(dram);
  mapping::Mapping m;
  m.levels.resize(2);
  m.levels[0].keep = 7;
  m.levels[1].temporal.push_back({0, 16});
  m.levels[1].keep = 7;
  Sparsity s;
  s.densities.push_back({DensityKind::kFixedStructured, 0.25});
  s.compressed[0] = s.compressed[1] = 1u;
  Options o;
  o.sparsity = &s;
  o.timeloop_sparsity = true;
  const Result r = evaluate(dot_product(16), a, m, o);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.levels[0].tensors[0].reads, 16);
  EXPECT_EQ(r.levels[0].tensors[0].fills, 16);
  EXPECT_EQ(r.levels[1].tensors[0].reads, 4);
  o.timeloop_sparsity = false;
  const Result own = evaluate(dot_product(16), a, m, o);
  EXPECT_EQ(own.levels[0].tensors[0].reads, 4);
  EXPECT_EQ(own.levels[0].tensors[0].fills, 4);
  EXPECT_EQ(own.levels[1].tensors[0].reads, 4);
}

// Uniform (hypergeometric) densities on 16 points: A 0.61 holds ⌈9.76⌉ = 10, B 0.55 ⌈8.8⌉ = 9.
// B compressed: 16 - ⌊16 x 7/16⌋ = 9 reads; skipped on A (P(A's element is 0) = 6/16): ⌊9 x
// 0.375⌋ = 3 skipped, 6 read. MACs: 16 - ⌊16 x 0.375⌋ = 10 left; A is nonzero where B's
// feature let the access through (0.625 / 0.625 = 1), B missing with probability 7/16: under
// compute skipping ⌊10 x 0.4375⌋ = 4 skipped, 6 run (the MACs' split of the Sparseloop
// artifact's Eyeriss-v2 PE, on a smaller case).
TEST(Sparse, SkippingMacsOfAMissingOperandByHand) {
  Sparsity s;
  s.densities.push_back({DensityKind::kUniform, 0.61});
  s.densities.push_back({DensityKind::kUniform, 0.55});
  s.compressed[0] = 2u;
  s.safs.push_back({0, 1, 1u, SafKind::kSkipping});
  s.compute_skipping = true;
  Options o;
  o.sparsity = &s;
  arch::Arch a = one_pe();
  a.compute.skipped_mac_pj = 0.01798;
  const Result r = evaluate(dot_product(16), a, over_k(16), o);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.levels[0].tensors[1].reads, 6);
  EXPECT_EQ(r.levels[0].tensors[1].skipped_reads, 3);
  EXPECT_EQ(r.skipped_macs, 4);
  EXPECT_EQ(r.actual_macs, 6);
  EXPECT_EQ(r.gated_macs, 0);
  EXPECT_DOUBLE_EQ(r.mac_energy_pj, 6 * 0.5608 + 4 * 0.01798);
}

// What a gated read's condition is: a buffer sends each of B's 16 words to one of 4 PEs (K split
// 4 x 4 over time and the PEs) and gates B on A (fixed-structured 0.25: one nonzero in every 4
// points). The PE receiving B[k] uses A[k] alone while it holds it, so Outpace's rules find the
// read ineffectual when that one element is zero: ⌊16 x 0.75⌋ = 12 reads gated, the PEs filled
// 16 - 12 = 4 times, 4 MACs. Timeloop's rules test the 4 points of A that the buffer's
// spatial loop spans, which always hold a nonzero: nothing is gated.
TEST(Sparse, AGatedReadTestsWhatItsRecipientUsesByHand) {
  arch::Arch a = one_pe();
  arch::StorageLevel pe = arch::make_level("PE", arch::MemoryKind::kRegisterFile, 64, 8, 1, 4, 4);
  a.levels[0].name = "Buffer";
  a.levels.insert(a.levels.begin(), pe);
  a.compute = arch::make_compute(4, 4, 8);
  mapping::Mapping m;
  m.levels.resize(2);
  m.levels[0].keep = m.levels[1].keep = 7;
  m.levels[1].temporal.push_back({0, 4});
  m.levels[1].spatial.push_back({0, 4, mapping::Axis::X});
  Sparsity s;
  s.densities.push_back({DensityKind::kFixedStructured, 0.25});
  s.safs.push_back({1, 1, 1u, SafKind::kGating});
  Options o;
  o.sparsity = &s;
  const Result r = evaluate(dot_product(16), a, m, o);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.levels[1].tensors[1].reads, 4);
  EXPECT_EQ(r.levels[1].tensors[1].gated_reads, 12);
  EXPECT_EQ(r.levels[0].tensors[1].fills, 4);
  EXPECT_EQ(r.actual_macs, 4);
  o.timeloop_sparsity = true;
  const Result timeloop = evaluate(dot_product(16), a, m, o);
  EXPECT_EQ(timeloop.levels[1].tensors[1].reads, 16);
  EXPECT_EQ(timeloop.levels[1].tensors[1].gated_reads, 0);
  EXPECT_EQ(timeloop.actual_macs, 16);
}

}  // namespace
}  // namespace outpace::model
