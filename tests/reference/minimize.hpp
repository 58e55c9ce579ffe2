#pragma once

#include <functional>

#include "reference/random_cases.hpp"

namespace outpace::reference {

/// Shrinks a case while `fails` still holds: smallest meshes, fewer dimensions (bound 1),
/// tensors, index terms and tensor dimensions, lower coefficients, fewer kept copies, levels
/// folded into the one above, loops of factor 1 dropped, factors (and bounds) divided, temporal
/// loops moved outward. `fails` should reject invalid cases. Greedy, so a local minimum.
Case minimize(Case c, const std::function<bool(const Case&)>& fails);

}  // namespace outpace::reference
