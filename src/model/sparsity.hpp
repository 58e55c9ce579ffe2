#pragma once

#include <cstdint>

#include "common/fixed_vector.hpp"
#include "common/limits.hpp"
#include "model/density.hpp"

namespace outpace::model {

/// What a sparse feature does with an ineffectual access: gate it (the port stays busy for the
/// cycle, the data does not move) or skip it (no cycle either).
enum class SafKind : std::uint8_t { kGating, kSkipping };

/// A storage level's gating or skipping of one tensor's reads and updates when an element of a
/// condition tensor is zero (Sparseloop's "action optimization").
struct StorageSaf {
  int level = 0;                ///< the level whose accesses of `target` it cuts
  int target = 0;               ///< tensor index
  std::uint32_t condition = 0;  ///< tensors (bit t) any zero of which makes the access ineffectual
  SafKind kind = SafKind::kGating;
};

/// The largest number of storage features one evaluation takes.
inline constexpr std::size_t kMaxSafs = 2 * kMaxLevels * kMaxTensors;

/// The sparsity an evaluation models (docs/model.md, "Sparse model"): each tensor's density,
/// the tensors each level stores compressed, the levels' gating and skipping, and the MACs' own.
/// Every density 1 and no feature gives the dense figures.
struct Sparsity {
  FixedVector<Density, kMaxTensors> densities;  ///< by tensor index; a tensor past the end is dense
  /// Per level, the tensors (bit t) it stores in a compressed format: only their nonzeros move.
  std::uint32_t compressed[kMaxLevels] = {};
  FixedVector<StorageSaf, kMaxSafs> safs;  ///< at most one per level and target
  /// The MACs' own feature for a missing or zero operand, when they have one.
  bool compute_gating = false, compute_skipping = false;

  /// Tensor t's density model (dense when none is given).
  Density density(int t) const {
    return t < static_cast<int>(densities.size()) ? densities[t] : Density{};
  }
};

}  // namespace outpace::model
