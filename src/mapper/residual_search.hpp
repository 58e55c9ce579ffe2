#pragma once

#include <cstdint>
#include <vector>

#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::mapper {

/// The bound a search with residual tiles searches instead of `bound`: the value in
/// [bound, bound + bound/8] with the most divisors (the smallest such), so that a size with few
/// divisors (a prime, say) can still be split across levels and instances.
std::int64_t padded_bound(std::int64_t bound);

/// A mapping of the Einsum with its bounds padded, made a mapping of `einsum` itself with
/// residual tiles: per dimension, from the outermost loop in, a loop whose last iteration would
/// start past the bound gets the factor that just reaches it, ⌈bound / inner⌉ (docs/model.md,
/// "Imperfect factorization"), where inner is the product of the factors inside it.
mapping::Mapping fit_to_bounds(const workload::Einsum& einsum, mapping::Mapping padded);

}  // namespace outpace::mapper
