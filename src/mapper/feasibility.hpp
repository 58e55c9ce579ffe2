#pragma once

#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "mapper/constraints.hpp"
#include "workload/einsum.hpp"

namespace outpace::mapper {

/// The constraints no mapping can meet, found without searching (docs/mapper.md, "Infeasible
/// constraints"): fixed factors of a dimension that multiply to something that does not divide
/// its bound; fixed spatial factors of a level past its fanout, past the fanout of every axis
/// they may use, that no choice of axes fits together, or on an axis no dimension may use; a
/// fixed temporal factor above its level's largest one (temporal_max or a dataflow's rule); a
/// level told to keep tensors whose smallest tiles under the fixed factors overflow its
/// capacity; a minimum utilization above what the layer's MACs allow. Each message names the
/// constraint, the level and the figures; empty when none is found (the search may still find
/// no valid mapping). `c` must pass check().
std::vector<std::string> infeasibility(const Constraints& c, const workload::Einsum& einsum,
                                       const arch::Arch& arch);

/// The dimensions whose bound splits over no choice of one factor per slot of the map space
/// within each slot's largest and fixed factor (temporal_max, the allowed axes and their
/// fanouts, a dataflow's rules): the constrained space is then empty (MapSpace::can_sample() is
/// false exactly when this is not). Each message names the dimension, its bound and every
/// slot's limit; `c` must pass check(). Meant for constraints infeasibility() lets through, as
/// row stationary on a one-PE architecture: every level is the PE's own, so none may take a
/// factor of R or P.
std::vector<std::string> unsplittable_dimensions(const Constraints& c,
                                                 const workload::Einsum& einsum,
                                                 const arch::Arch& arch);

}  // namespace outpace::mapper
