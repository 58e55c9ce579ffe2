#pragma once

#include <cstdint>

#include "common/fixed_vector.hpp"
#include "common/limits.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::model {

/// Words of one tensor one level reads, receives and has written back.
struct Traffic {
  std::int64_t reads = 0, fills = 0, updates = 0;
};

/// The counts of a mapping whose factors multiply past some bound (imperfect factorization,
/// docs/model.md): residual tiles make instances and steps differ, so counts are summed over
/// every instance rather than multiplied from one.
struct ImperfectCounts {
  std::int64_t steps = 0;  ///< temporal steps that run: compute cycles
  /// Per level and tensor: words of the largest tile, and whether the level keeps it.
  std::int64_t tile_words[kMaxLevels][kMaxTensors] = {};
  Traffic total[kMaxLevels][kMaxTensors] = {};  ///< over every instance of the level
  Traffic first[kMaxLevels][kMaxTensors] = {};  ///< of the level's first instance
};

/// Counts a valid mapping with residual tiles exactly by Outpace's own rules (Timeloop's
/// shortcuts are not defined for it).
ImperfectCounts count_imperfect(const workload::Einsum& einsum, const mapping::Mapping& mapping);

}  // namespace outpace::model
