#pragma once

#include <cstdint>
#include <vector>

#include "arch/arch.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::reference {

/// Counts of one tensor at one storage level, summed over the level's used instances.
struct SimTensor {
  bool kept = false;
  std::int64_t tile_words = 0;  ///< words of this tensor one instance holds (0 when not kept)
  std::int64_t reads = 0;       ///< words sent down to children or MACs (multicast counted once)
  std::int64_t fills = 0;       ///< words received from the parent
  std::int64_t updates = 0;     ///< partial sums written back from below (after reduction)
  std::int64_t held_words = 0;  ///< outputs only: distinct points each instance ever held, summed
  /// The same counts per instance the spatial loops reach (index as in the nest), for the
  /// bandwidth cycles of the busiest instance.
  std::vector<std::int64_t> reads_at, fills_at, updates_at;
};

/// Everything the simulator counts about one storage level.
struct SimLevel {
  std::int64_t used_instances = 0;     ///< instances that work at some step
  std::int64_t reached_instances = 0;  ///< instances the spatial loops reach (some may idle)
  std::vector<SimTensor> tensors;  ///< indexed by the Einsum's tensor index
};

/// The counts of one brute-force run of a mapping's loop nest.
struct SimResult {
  std::int64_t macs = 0;            ///< MACs actually executed (points within the bounds)
  std::int64_t used_macs = 0;       ///< MAC units that execute some MAC
  std::int64_t compute_cycles = 0;  ///< steps that run: product of all temporal factors when perfect
  std::vector<SimLevel> levels;     ///< indexed like the architecture's levels
};

/// How the simulator counts where Timeloop v3.0.3 takes shortcuts (docs/timeloop-semantics.md
/// states each rule). All off: the exact semantics of docs/model.md.
struct SimOptions {
  /// Children share a parent's read only when the words they receive at that step are the same
  /// set; otherwise each is sent its own (Timeloop's ComputeAccurateMulticastedAccesses). Each
  /// level between a keeper and its parent merges its own children, and the parent's count is
  /// scaled by each level's share of distinct words (docs/timeloop-semantics.md, rule 3).
  bool multicast_identical_only = false;
  /// A tile whose translation differs from the one remembered for its instance is received
  /// whole (Timeloop's OperationSpace::SaveAndSubtractIfSameStride, gResetOnStrideChange).
  bool reset_on_stride_change = false;
  /// Only iterations 0 and 1 of every temporal loop run; the transfers of iteration 1 count
  /// (factor - 1) times (Timeloop's gExtrapolateUniformTemporal).
  bool extrapolate_temporal = false;
  /// With multicast_identical_only: a child whose delta a mesh neighbour received at the
  /// previous call gets it from that neighbour when that leaves the parent fewer words to read
  /// (Timeloop's ComputeNetworkLinkTransfers; docs/timeloop-semantics.md, rule 4).
  bool link_transfers = false;
};

/// Every Timeloop v3.0.3 default rule on: what timeloop-model counts.
inline constexpr SimOptions kTimeloopSim{true, true, true, true};

/// Runs the mapping's loop nest step by step, keeping every buffer instance's current tile of
/// every kept tensor as an explicit set of points, and counts every transfer (Timeloop v3.0.3
/// conventions). The mapping must be structurally valid (mapping::validate gives no violation),
/// except that a dimension's factors may multiply past its bound (imperfect factorization,
/// docs/model.md): the nest is then padded, points past a bound do nothing, a step with no point
/// within the bounds does not run (no cycle), an instance with no such point in its tile idles
/// and keeps what it holds, and a level's tile size is its largest tile. Timeloop's shortcuts
/// (SimOptions) are not defined with imperfect factors. Capacities are ignored. Slow by design:
/// for tiny problems only.
SimResult simulate(const workload::Einsum& einsum, const arch::Arch& arch,
                   const mapping::Mapping& mapping, const SimOptions& options = {});

}  // namespace outpace::reference
