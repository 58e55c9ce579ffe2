// What the commands read (src/cli/inputs.hpp).
#include "cli/inputs.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <utility>

#include "arch/presets.hpp"
#include "cli/checks.hpp"
#include "cli/options.hpp"
#include "common/config_error.hpp"
#include "common/environment_error.hpp"
#include "common/suggest.hpp"
#include "io/spec/arch_spec.hpp"
#include "io/spec/constraints_spec.hpp"
#include "io/spec/problem_spec.hpp"
#include "io/spec/sparsity_spec.hpp"
#include "io/timeloop/timeloop_constraints.hpp"
#include "io/yaml/object_reader.hpp"
#include "mapper/search.hpp"
#include "network/zoo.hpp"

namespace outpace::cli {

namespace {

/// "; did you mean 'x'?" for the closest of `names`, or nothing.
std::string hint(const std::string& word, const std::vector<std::string>& names) {
  const std::string text = outpace::did_you_mean(word, names);
  return text.empty() ? "" : "; " + text;
}

/// Seconds from "30s", "2m", "500ms", "1h" or a plain number of seconds.
double parse_duration(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const double scale = unit.empty() || unit == "s" ? 1
                       : unit == "ms"              ? 1e-3
                       : unit == "m"               ? 60
                       : unit == "h"               ? 3600
                                                   : -1;
  if (used == 0 || scale < 0 || !(value > 0))
    throw outpace::ConfigError({{outpace::SourceLocation{"--time-limit", 0, 0},
                                 "'" + text + "' is not a duration (e.g. 30s, 2m, 500ms)"}});
  if (!(value * scale <= kMaxTimeLimitS))
    throw outpace::ConfigError(
        {{outpace::SourceLocation{"--time-limit", 0, 0},
          "'" + text + "' is longer than the limit of 168h (a week); 0 means no limit"}});
  return value * scale;
}

/// Where the constraints of Timeloop files come from: the files holding a constraints section
/// ("a.yaml" or "a.yaml and b.yaml"), or "constraints" when none does.
outpace::netmap::ConstraintSources timeloop_sources(const outpace::io::TimeloopSpec& spec) {
  const std::vector<std::string> files = outpace::io::constraints_files(spec);
  outpace::netmap::ConstraintSources where;
  if (files.empty()) return where;
  where.file = {files.front(), 0, 0};
  where.from_file = true;
  for (std::size_t i = 1; i < files.size(); ++i)
    where.file.file += (i + 1 == files.size() ? " and " : ", ") + files[i];
  return where;
}

/// The results store's default file: $XDG_CACHE_HOME/outpace/results.sqlite, else
/// ~/.cache/outpace/results.sqlite; empty when neither variable is set.
std::string default_cache_path() {
  namespace fs = std::filesystem;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path dir = xdg && *xdg     ? fs::path(xdg)
                       : home && *home ? fs::path(home) / ".cache"
                                       : fs::path();
  return dir.empty() ? "" : (dir / "outpace" / "results.sqlite").string();
}

}  // namespace

void warn_dense_search(const std::string& what) {
  std::cerr << "warning: " << what << " are used by eval only: the search models the dense layer\n";
}

outpace::io::TimeloopSpec read_timeloop(const std::vector<std::string>& files, bool needs_mapping) {
  using namespace outpace;
  io::TimeloopSpec spec = io::load_timeloop(files);
  for (const Diagnostic& w : spec.warnings)
    std::cerr << w.where.str() << ": warning: " << w.message << "\n";
  std::vector<Diagnostic> missing;
  for (const auto& [given, section] :
       {std::pair{spec.problem.has_value(), "problem"},
        std::pair{spec.arch.has_value(), "architecture"},
        std::pair{spec.mapping.has_value() || !needs_mapping, "mapping"}})
    if (!given)
      missing.push_back({SourceLocation{"--timeloop", 0, 0},
                         std::string("no file gives the '") + section + ":' section"});
  if (!missing.empty()) throw outpace::ConfigError(std::move(missing));
  return spec;
}

void print_warnings(const std::vector<outpace::Diagnostic>& warnings) {
  for (const outpace::Diagnostic& w : warnings)
    std::cerr << w.where.str() << ": warning: " << w.message << "\n";
}

std::function<void(const outpace::workload::Einsum&, const outpace::arch::Arch&,
                   outpace::mapper::Constraints&)>
constraints_file(const std::string& path) {
  if (path.empty()) return {};
  return [path](const auto& einsum, const auto& arch, auto& c) {
    outpace::io::load_constraints(path, einsum, arch, c);
  };
}

outpace::netmap::ConstraintSources constraint_sources(const std::string& path) {
  outpace::netmap::ConstraintSources where;
  if (!path.empty()) where.file = {path, 0, 0}, where.from_file = true;
  return where;
}

outpace::mapper::Dataflow dataflow(const std::string& name) {
  using namespace outpace;
  const auto flow = mapper::dataflow_by_name(name);
  if (!flow)
    throw ConfigError(
        {{SourceLocation{"--dataflow", 0, 0}, "unknown dataflow '" + name + "'; the presets are " +
                                                  io::join_names(mapper::dataflow_names()) +
                                                  hint(name, mapper::dataflow_names())}});
  return *flow;
}

outpace::workload::Einsum load_layer(const std::string& problem, const std::string& layer) {
  using namespace outpace;
  if (layer.empty()) return io::load_problem(problem);
  if (auto found = network::zoo_layer(layer)) return std::move(found->einsum);
  throw ConfigError({{SourceLocation{"--layer", 0, 0}, unknown_layer_message(layer)}});
}

MapInput read_map_input(const MapOptions& opt) {
  using namespace outpace;
  MapInput in;
  netmap::ConstraintSources where = constraint_sources(opt.constraints);
  if (!opt.timeloop.empty()) {
    io::TimeloopSpec spec = read_timeloop(opt.timeloop, false);
    where = timeloop_sources(spec);
    DiagnosticSink sink;
    in.constraints = io::read_timeloop_constraints(spec, sink);
    for (const Diagnostic& w : sink.of(Severity::kWarning))
      std::cerr << w.where.str() << ": warning: " << w.message << "\n";
    sink.throw_if_any();
    in.einsum = std::move(*spec.problem);
    in.arch = std::move(*spec.arch);
    if (spec.sparsity) warn_dense_search("the densities and sparse_optimizations");
  } else {
    check_arch_name(opt.arch);
    in.arch = io::load_arch(opt.arch);
    in.einsum = load_layer(opt.problem, opt.layer);
    if (io::has_sparse_features(in.arch)) warn_dense_search("the architecture's sparse features");
  }
  const auto flow = dataflow(opt.dataflow);
  if (opt.timeloop.empty())
    in.constraints = netmap::layer_constraints(in.einsum, in.arch, flow, where,
                                               constraints_file(opt.constraints));
  else
    netmap::finish_constraints(flow, where, in.einsum, in.arch, in.constraints);
  return in;
}

outpace::mapper::MapperOptions search_options(const std::string& objective_text,
                                              const std::string& strategy,
                                              const std::string& time_limit) {
  using namespace outpace;
  mapper::MapperOptions mo;
  const auto objective = mapper::parse_objective(objective_text);
  if (!objective)
    throw ConfigError(
        {{SourceLocation{"--objective", 0, 0},
          "unknown objective '" + objective_text + "' (" + mapper::objective_forms() + ")"}});
  mo.objective = *objective;
  const auto names = mapper::strategy_names();
  if (std::find(names.begin(), names.end(), strategy) == names.end())
    throw ConfigError({{SourceLocation{"--strategy", 0, 0},
                        "unknown strategy '" + strategy + "'; the strategies are " +
                            io::join_names(names) + hint(strategy, names)}});
  mo.strategy = strategy;
  if (time_limit != "0") mo.time_limit_s = parse_duration(time_limit);
  return mo;
}

std::unique_ptr<outpace::store::ResultsStore> open_cache(const RunOptions& opt) {
  using namespace outpace;
  if (opt.no_cache) return nullptr;
  const std::string path = opt.cache.empty() ? default_cache_path() : opt.cache;
  if (path.empty()) {
    std::cerr << "warning: neither XDG_CACHE_HOME nor HOME is set: results are not cached (use "
                 "--cache FILE)\n";
    return nullptr;
  }
  const std::string without = "; going on without the results cache";
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, ec);
  if (ec) {
    std::cerr << path
              << ": warning: cannot create the folder of the results cache: " << ec.message()
              << without << "\n";
    return nullptr;
  }
  try {
    auto store = std::make_unique<store::ResultsStore>(path);
    print_warnings(store->warnings());
    return store;
  } catch (const EnvironmentError& e) {
    std::cerr << e.where().str() << ": warning: " << e.message() << without << "\n";
    return nullptr;
  }
}

}  // namespace outpace::cli
