#pragma once

#include <optional>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "common/config_error.hpp"
#include "io/yaml/yaml.hpp"
#include "mapping/mapping.hpp"
#include "model/sparsity.hpp"
#include "workload/einsum.hpp"

namespace outpace::io {

/// Everything a set of Timeloop YAML files describes. Timeloop merges all the files it is given
/// into one tree; so does this, so files may come in any order and be split or merged freely.
/// docs/timeloop.md says what is read, what is not, and how names and energies map.
struct TimeloopSpec {
  std::optional<workload::Einsum> problem;  ///< from `problem:` (shape + instance)
  std::optional<arch::Arch> arch;           ///< from `architecture:` or `arch:`, energies from `ERT:`
  std::optional<mapping::Mapping> mapping;  ///< from `mapping:` (needs problem and arch)
  /// The problem's densities and `sparse_optimizations:`, when the files give any.
  std::optional<model::Sparsity> sparsity;
  std::vector<Diagnostic> warnings;         ///< keys Outpace does not use, with file:line:column
  /// Root sections read but not interpreted (constraints, mapper, mapspace, ...), as written;
  /// nested constraints under the architecture are not among them.
  std::vector<YamlEntry> unread_sections;
};

/// Whether a root section of that name holds mapspace constraints (`mapspace`,
/// `mapspace_constraints`, `constraints`, `arch_constraints`, `architecture_constraints`).
bool is_constraints_section(const std::string& key);

/// The files holding the spec's constraints sections, each once, in the order read.
std::vector<std::string> constraints_files(const TimeloopSpec& spec);

/// Reads and merges Timeloop YAML files; every error of every file is thrown at once as a
/// ConfigError, unknown keys become warnings.
TimeloopSpec load_timeloop(const std::vector<std::string>& paths);

/// The text of one Timeloop file and the name its messages use.
struct TimeloopText {
  std::string text;
  std::string file;
};

/// Like load_timeloop, on texts already in memory.
TimeloopSpec parse_timeloop(const std::vector<TimeloopText>& files);

/// The mapping as a Timeloop mapping file (`mapping:` list of temporal, spatial and bypass
/// entries) that timeloop-model accepts with the same problem and architecture. Throws
/// ConfigError when Timeloop cannot express it (a dimension name longer than one letter, or two
/// loops over one dimension at one level).
std::string write_timeloop_mapping(const workload::Einsum& einsum, const arch::Arch& arch,
                                   const mapping::Mapping& mapping);

/// Throws ConfigError, located at `where`, when a Timeloop mapping cannot name the Einsum's
/// dimensions (a name longer than one letter): checked before a search whose result is to be
/// written as one.
void check_timeloop_names(const workload::Einsum& einsum, const std::string& where);

}  // namespace outpace::io
