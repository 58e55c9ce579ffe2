#pragma once

#include <vector>

#include "arch/arch.hpp"
#include "common/config_error.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "io/yaml/yaml.hpp"
#include "mapper/constraints.hpp"
#include "workload/einsum.hpp"

namespace outpace::io {

/// Timeloop's mapspace constraints of `spec.unread_sections` (`mapspace`, `mapspace_constraints`,
/// `constraints`, `arch_constraints`, `architecture_constraints`) applied to
/// mapper::unconstrained(problem, arch), as timeloop-mapper v3.0.3 reads them (docs/timeloop.md,
/// "Mapspace constraints"). Every user mistake goes to `sink` as an error with file:line:column
/// (all of them, then the result must not be used); keys and forms Outpace does not model go to
/// it as warnings. Needs `spec.problem` and `spec.arch` when there is anything to read.
mapper::Constraints read_timeloop_constraints(const TimeloopSpec& spec, DiagnosticSink& sink);

/// The same on root sections as written (entries with other keys are skipped), for this problem
/// and architecture. An `architecture` or `arch` entry contributes its `constraints:` child,
/// which Timeloop prefers to `arch_constraints` and `architecture_constraints`.
mapper::Constraints read_timeloop_constraints(const std::vector<YamlEntry>& sections,
                                              const workload::Einsum& einsum,
                                              const arch::Arch& arch, DiagnosticSink& sink);

}  // namespace outpace::io
