#pragma once

#include <cstdint>

#include "common/fixed_vector.hpp"
#include "common/limits.hpp"
#include "mapping/mapping.hpp"

namespace outpace::model {

/// Traffic of one tensor at one storage level, summed over the level's used instances.
struct TensorStats {
  bool kept = false;
  std::int64_t tile_words = 0;  ///< words of this tensor one instance holds
  /// Words the tile takes in the level's storage: tile_words, or where the level stores the
  /// tensor compressed (Options::sparsity) the most nonzeros such a tile can hold.
  std::int64_t stored_words = 0;
  std::int64_t reads = 0;    ///< words sent down to children or MACs (multicast counted once)
  std::int64_t fills = 0;    ///< words received from the parent
  std::int64_t updates = 0;  ///< partial sums written back from below (after spatial reduction)
  /// With a sparse feature (Options::sparsity): the reads and updates it gates or skips, apart
  /// from `reads` and `updates`, which then count only the actual ones.
  std::int64_t gated_reads = 0, skipped_reads = 0, gated_updates = 0, skipped_updates = 0;
  /// With sparsity, at a level that stores the tensor uncompressed under one that stores it
  /// compressed: the words it decompresses (its fills) and compresses (the parent's updates).
  std::int64_t decompressions = 0, compressions = 0;
  double energy_pj = 0;
};

/// Everything about one storage level.
struct LevelStats {
  std::int64_t used_instances = 0;
  std::int64_t cycles = 0;  ///< cycles its traffic needs at its bandwidth
  double leak_pj = 0;
  double energy_pj = 0;                           ///< accesses of every tensor plus leakage
  FixedVector<TensorStats, kMaxTensors> tensors;  ///< indexed by the Einsum's tensor index
};

/// The evaluation of one mapping of one layer on one architecture.
struct Result {
  bool valid = false;
  mapping::Violations violations;
  std::int64_t macs = 0;  ///< the layer's MACs (algorithmic, dense)
  /// MACs that run, that are gated and that are skipped (Options::sparsity; the others have a
  /// missing operand and do not exist); without sparsity actual_macs = macs.
  std::int64_t actual_macs = 0, gated_macs = 0, skipped_macs = 0;
  std::int64_t used_macs = 0;       ///< MAC units the mapping keeps busy
  std::int64_t compute_cycles = 0;  ///< cycles if no level were bandwidth-bound
  std::int64_t cycles = 0;          ///< max of compute cycles and every level's cycles
  double mac_energy_pj = 0;
  double energy_pj = 0;    ///< MACs plus every level
  double utilization = 0;  ///< MACs that take a cycle (actual + gated) / (cycles x MAC units)
  double area_um2 = 0;
  FixedVector<LevelStats, kMaxLevels> levels;  ///< indexed like the architecture's levels

  /// Energy per MAC in picojoules.
  double energy_per_mac_pj() const { return macs ? energy_pj / static_cast<double>(macs) : 0; }
};

}  // namespace outpace::model
