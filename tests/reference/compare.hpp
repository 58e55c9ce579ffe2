#pragma once

#include <string>
#include <vector>

#include "model/result.hpp"
#include "reference/random_cases.hpp"
#include "reference/simulator.hpp"

namespace outpace::reference {

/// Every count on which the model and the simulator differ, one line each naming the level,
/// the tensor, the count and both values; empty when they agree. Checks kept, tile words,
/// reads, fills and updates per level and tensor, used instances per level, MACs, used MACs
/// and compute cycles, and that the model flags exactly the capacity overflows the simulated
/// tiles imply (and nothing else).
std::vector<std::string> compare(const Case& c, const SimResult& sim, const model::Result& model);

}  // namespace outpace::reference
