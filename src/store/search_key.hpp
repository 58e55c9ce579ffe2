#pragma once

#include <string>

#include "arch/arch.hpp"
#include "mapper/constraints.hpp"
#include "mapper/mapper.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::store {

/// Everything that decides what a search of one layer returns, as canonical text: the Einsum
/// (bounds, tensors and their projections, by index; names left out), every field of the
/// architecture the model reads (its name left out), the constraints, the objective, the
/// strategy, the seed, the counting options and mapper::kMapperVersion. Two searches with equal
/// keys and equal budgets return the same result. Budgets and threads are not part of it: see
/// budget_key. `mapper_version` is for tests.
std::string search_key(const workload::Einsum& einsum, const arch::Arch& arch,
                       const mapper::Constraints& constraints, const mapper::MapperOptions& options,
                       int mapper_version = mapper::kMapperVersion);

/// The budget a search ran under: threads, evaluation limit and step limit. A result proven
/// optimal holds for any budget; one that is not holds only for the same budget. The time limit
/// is not part of it: a result the clock cut is never stored (netmap::map_network).
std::string budget_key(int threads, const mapper::MapperOptions& options);

}  // namespace outpace::store
