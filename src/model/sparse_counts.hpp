#pragma once

// The sparse model's pass over the dense counts (docs/model.md, "Sparse model"). Used by
// level_figures.cpp only.

#include "arch/arch.hpp"
#include "mapping/mapping.hpp"
#include "model/result.hpp"
#include "model/sparsity.hpp"
#include "workload/einsum.hpp"

namespace outpace::model {

/// Turns dense counts into sparse ones (per instance, or the totals over instances with
/// residual tiles), in Sparseloop's order: compressed tensors move only their nonzeros; each
/// gating or skipping feature splits its level's reads and updates and removes its share from
/// the levels below; its condition is the condition tensors' points its accesses meet in `m`
/// (Outpace's condition sets, or Timeloop's with `timeloop`, which also takes Timeloop's
/// roundings). Sets below[t], the share of tensor t's accesses removed below the innermost level.
void sparse_levels(const workload::Einsum& e, const mapping::Mapping& m, const Sparsity& s,
                   bool timeloop, FixedVector<LevelStats, kMaxLevels>& levels, double* below);

/// Words a tile of `tile_words` points of tensor t takes at level l: the most nonzeros it can hold
/// where l stores t compressed (the density model's worst case), else every point.
std::int64_t stored_words(const workload::Einsum& e, const Sparsity& s, int l, int t,
                          std::int64_t tile_words);

/// The MACs of a sparse evaluation, from sparse_levels' shares: actual, gated and skipped, their
/// energy, and the compute cycles (and the cycles to them).
void sparse_macs(const workload::Einsum& e, const arch::Arch& a, const Sparsity& s, bool timeloop,
                 const double* below, Result& r);

}  // namespace outpace::model
