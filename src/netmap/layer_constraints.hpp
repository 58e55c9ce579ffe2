#pragma once

#include <functional>

#include "arch/arch.hpp"
#include "common/source_location.hpp"
#include "mapper/constraints.hpp"
#include "workload/einsum.hpp"

namespace outpace::netmap {

/// Where constraints come from, for messages: the dataflow's option and the constraints file
/// (or "constraints" when there is none).
struct ConstraintSources {
  SourceLocation dataflow{"--dataflow", 0, 0};
  SourceLocation file{"constraints", 0, 0};
  bool from_file = false;  ///< a constraints file (or Timeloop file) gave constraints
};

/// Adds a dataflow's rules to `c` and checks the result against the Einsum and the
/// architecture. Throws one ConfigError with every problem: what the dataflow cannot apply (at
/// `where.dataflow`), every rule the constraints break and what no mapping can meet (at
/// `where.file`, or at `where.dataflow` for a bound no level may take when only the dataflow
/// constrains the layer).
void finish_constraints(mapper::Dataflow dataflow, const ConstraintSources& where,
                        const workload::Einsum& einsum, const arch::Arch& arch,
                        mapper::Constraints& c);

/// The constraints a layer is searched under: the architecture preset's own
/// (mapper::arch_constraints), then `extra` (e.g. a user's constraints file read onto them),
/// then the dataflow's rules, checked as finish_constraints does.
mapper::Constraints layer_constraints(
    const workload::Einsum& einsum, const arch::Arch& arch, mapper::Dataflow dataflow,
    const ConstraintSources& where,
    const std::function<void(const workload::Einsum&, const arch::Arch&, mapper::Constraints&)>&
        extra = {});

}  // namespace outpace::netmap
