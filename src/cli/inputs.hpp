#pragma once
// What the commands read: Timeloop files, layers, constraints, search options and the results
// store, each with its errors located at the option or file that gave it.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "cli/commands.hpp"
#include "common/config_error.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "mapper/constraints.hpp"
#include "mapper/mapper.hpp"
#include "netmap/layer_constraints.hpp"
#include "store/results_store.hpp"
#include "workload/einsum.hpp"

namespace outpace::cli {

/// Reads Timeloop files (architecture, problem, mapping or constraints, ERT, in any order and
/// split), printing what they hold that Outpace ignores to stderr as warnings.
outpace::io::TimeloopSpec read_timeloop(const std::vector<std::string>& files, bool needs_mapping);

/// Prints warnings, each once, as "path: warning: message".
void print_warnings(const std::vector<outpace::Diagnostic>& warnings);

/// Reads a constraints file onto a layer's constraints; nothing to do without a file.
std::function<void(const outpace::workload::Einsum&, const outpace::arch::Arch&,
                   outpace::mapper::Constraints&)>
constraints_file(const std::string& path);

/// Where the constraints of a layer come from: the file, when one is given.
outpace::netmap::ConstraintSources constraint_sources(const std::string& path);

/// The layer, architecture and constraints a map or mapspace command works on.
struct MapInput {
  outpace::workload::Einsum einsum;
  outpace::arch::Arch arch;
  outpace::mapper::Constraints constraints;
};

/// The dataflow preset `--dataflow` names.
outpace::mapper::Dataflow dataflow(const std::string& name);

/// The layer `--problem` or `--layer` names (a problem file, or a layer of the built-in zoo).
outpace::workload::Einsum load_layer(const std::string& problem, const std::string& layer);

/// Warns on standard error that `what` (sparse features or densities) is not searched with.
void warn_dense_search(const std::string& what);

/// Reads the layer, architecture and constraints of a map or mapspace command.
MapInput read_map_input(const MapOptions& opt);

/// The objective, strategy and time limit of a search, from their option values.
outpace::mapper::MapperOptions search_options(const std::string& objective_text,
                                              const std::string& strategy,
                                              const std::string& time_limit);

/// Opens the results store the options name, creating its folder; null with --no-cache, and
/// null with a warning when the environment will not let it be opened (a read-only folder, a
/// full disk): a store never costs a result. A file that is not a store is still refused.
std::unique_ptr<outpace::store::ResultsStore> open_cache(const RunOptions& opt);

}  // namespace outpace::cli
