#pragma once

#include "arch/arch.hpp"
#include "mapping/mapping.hpp"
#include "model/result.hpp"
#include "model/sparsity.hpp"
#include "workload/einsum.hpp"

namespace outpace::model {

/// Choices where Timeloop v3.0.3 counts differently from Outpace's exact model
/// (docs/model.md, "Timeloop compatibility"). The defaults are Outpace's own semantics.
struct Options {
  /// Energy is charged per whole vector access: ceil(accesses per instance / block size) per
  /// level, tensor and action, instead of accesses / block size.
  bool whole_vector_accesses = false;
  /// Sibling instances share a transfer only when the words they receive are identical; words
  /// in partly overlapping windows (convolution halos) are sent to each sibling separately.
  bool multicast_identical_only = false;
  /// A tile whose translation differs from the one remembered for its instance is received
  /// whole (Timeloop's reset on stride change; docs/timeloop-semantics.md, rule 1).
  bool reset_on_stride_change = false;
  /// Only the first two iterations of every temporal loop are analysed and the second one's
  /// transfers count factor - 1 times (Timeloop's temporal extrapolation;
  /// docs/timeloop-semantics.md, rule 2).
  bool extrapolate_temporal = false;
  /// A level's access energy is charged once per used cluster of `cluster_size` instances,
  /// min(used instances, instances / cluster size) times, instead of once per used instance
  /// (Timeloop's utilized clusters; docs/timeloop-semantics.md, rule 5). Counts do not change.
  bool cluster_energy = false;
  /// With multicast_identical_only: a child instance whose delta a mesh neighbour received at the
  /// previous call gets it from that neighbour when that leaves the parent fewer words to read;
  /// the child then reads and is filled more (Timeloop's link transfers;
  /// docs/timeloop-semantics.md, rule 4).
  bool link_transfers = false;
  /// With `sparsity`: Timeloop's Sparseloop rules for the points a feature's condition tests,
  /// compressed tiles under compressed parents, and roundings (docs/timeloop-sparse-semantics.md)
  /// instead of Outpace's expectation (docs/model.md, "Sparse model").
  bool timeloop_sparsity = false;
  /// Densities, compressed formats, gating and skipping (docs/model.md, "Sparse model"); none:
  /// every tensor dense and no sparse feature. Not owned.
  const Sparsity* sparsity = nullptr;
};

/// True when `o` counts and charges by Outpace's own (exact) rules, which the mapper's bounds and
/// loop-order equivalence are derived for. The energy-only options are not exact either: the
/// bounds charge every used instance word by word, and `cluster_energy` charges less. Sparsity
/// is apart: it keeps the counting rules and removes accesses from their counts (the mapper's
/// bounds are for dense counts).
constexpr bool exact_counting(const Options& o) {
  return !o.whole_vector_accesses && !o.multicast_identical_only && !o.reset_on_stride_change &&
         !o.extrapolate_temporal && !o.cluster_energy && !o.link_transfers;
}

/// The options that reproduce timeloop-model v3.0.3 where it is known to differ.
inline constexpr Options kTimeloopOptions{.whole_vector_accesses = true,
                                          .multicast_identical_only = true,
                                          .reset_on_stride_change = true,
                                          .extrapolate_temporal = true,
                                          .cluster_energy = true,
                                          .link_transfers = true,
                                          .timeloop_sparsity = true};

/// Evaluates one mapping: access counts per level and tensor, energy, cycles, utilization and
/// area, plus every rule the mapping breaks. Pure; an invalid mapping is a result, not an error.
/// The formulas are derived in docs/model.md.
Result evaluate(const workload::Einsum& einsum, const arch::Arch& arch,
                const mapping::Mapping& mapping, const Options& options = {});

}  // namespace outpace::model
