#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "mapper/orders.hpp"
#include "workload/einsum.hpp"

namespace outpace::mapper {

/// What the user (or a preset) allows at one storage level. Factors are per dimension of the
/// Einsum; 0 means "not constrained".
struct LevelConstraints {
  std::uint32_t keep = 0;    ///< tensors this level must keep (bit t)
  std::uint32_t bypass = 0;  ///< tensors this level must bypass (bit t)
  std::vector<std::int64_t> temporal_fixed;  ///< exact temporal factor per dimension, 0 = free
  std::vector<std::int64_t> temporal_max;    ///< largest temporal factor per dimension, 0 = free
  std::vector<std::int64_t> spatial_fixed;   ///< exact spatial factor per dimension, 0 = free
  std::uint32_t spatial_x = ~0u;  ///< dimensions that may spread along X (bit d)
  std::uint32_t spatial_y = ~0u;  ///< dimensions that may spread along Y (bit d)
  Order innermost;  ///< temporal loops that must be innermost, in this order (innermost first)
};

/// Constraints on the mappings of one Einsum onto one architecture; levels[i] is arch level i.
struct Constraints {
  std::vector<LevelConstraints> levels;
  double min_utilization = 0;  ///< smallest fraction of the MAC array a mapping must keep busy
};

/// No constraint at all, sized for the Einsum and the architecture.
Constraints unconstrained(const workload::Einsum& einsum, const arch::Arch& arch);

/// Every rule the constraints break against this Einsum and architecture (sizes, impossible
/// factors, a level told to keep and bypass the same tensor, the outermost level bypassing), as
/// messages naming the level and dimension; empty if they can be used.
std::vector<std::string> check(const Constraints& c, const workload::Einsum& einsum,
                               const arch::Arch& arch);

/// The classic dataflows as constraints on the innermost level and the spatial fanouts.
enum class Dataflow : std::uint8_t { kFree, kWeightStationary, kOutputStationary, kInputStationary, kRowStationary };

/// Names of the dataflow presets, as the command line accepts them.
std::vector<std::string> dataflow_names();
/// The dataflow with this name ("ws", "os", "is", "rs", "free"), or nothing.
std::optional<Dataflow> dataflow_by_name(const std::string& name);

/// The constraints an architecture preset imposes by construction (which tensors each buffer can
/// hold), for the presets of arch/presets.hpp; unconstrained for any other architecture.
Constraints arch_constraints(const workload::Einsum& einsum, const arch::Arch& arch);

/// Adds a dataflow's rules to `c` (docs/mapper.md, "Dataflow presets"); what the dataflow needs
/// and the Einsum lacks (e.g. row stationary needs a convolution) is returned as messages.
std::vector<std::string> apply_dataflow(Dataflow dataflow, const workload::Einsum& einsum,
                                        const arch::Arch& arch, Constraints& c);

}  // namespace outpace::mapper
