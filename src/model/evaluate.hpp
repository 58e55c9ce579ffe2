#pragma once

#include "arch/arch.hpp"
#include "mapping/mapping.hpp"
#include "model/result.hpp"
#include "workload/einsum.hpp"

namespace outpace::model {

/// Evaluates one mapping: access counts per level and tensor, energy, cycles, utilization and
/// area, plus every rule the mapping breaks. Pure; an invalid mapping is a result, not an error.
/// The formulas are derived in docs/model.md.
Result evaluate(const workload::Einsum& einsum, const arch::Arch& arch,
                const mapping::Mapping& mapping);

}  // namespace outpace::model
