#pragma once

// The bounds' parts that make them hold under Timeloop's counting (model::Options other than the
// exact rules; docs/mapper.md, "Bounds under Timeloop's counting"). Used by bounds.cpp and
// keeper_moves.cpp only.

#include "arch/arch.hpp"
#include "mapper/bounds.hpp"
#include "model/evaluate.hpp"

namespace outpace::mapper::bounds_detail {

/// True when the basis bounds Timeloop's counting: a tensor with a sliding dimension is then
/// bounded by one whole tile per run (and its first tile), not by the distinct words its runs
/// cover, which temporal extrapolation may undercount.
inline bool timeloop_counting(const SpatialBasis& b) { return !model::exact_counting(b.options); }

/// True when tensor ti of the basis has a dimension that sums several terms (a sliding window).
inline bool slides(const SpatialBasis& b, int ti) { return b.sliding[ti] != 0; }

/// The share of a level's per-instance access energy charged per used instance: 1, or under
/// Options::cluster_energy min(used, instances / cluster size) / used (Timeloop's utilized
/// clusters, docs/timeloop-semantics.md, rule 5), never above 1.
double charged_share(const arch::StorageLevel& level, double used, const model::Options& options);

/// Compulsory traffic of a sliding tensor under Timeloop's counting, added to `tr`: the
/// innermost keeper's traffic with the MACs (counted exactly), and every other keeper's first
/// tile, which covers at least the words its MACs use in one step (received once, and sent
/// once by its parent).
void add_timeloop_tensor(const MapSpace& s, const Tiling& t, const SpatialBasis& b, int ti,
                         Traffic& tr);

}  // namespace outpace::mapper::bounds_detail
