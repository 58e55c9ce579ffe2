// The `outpace` command: a thin layer over the library. The only place that may exit.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "arch/presets.hpp"
#include "common/config_error.hpp"
#include "common/internal_error.hpp"
#include "io/arch_spec.hpp"
#include "io/constraints_spec.hpp"
#include "io/map_report.hpp"
#include "io/mapping_spec.hpp"
#include "io/network_report.hpp"
#include "io/network_source.hpp"
#include "io/problem_spec.hpp"
#include "io/report.hpp"
#include "io/timeloop_constraints.hpp"
#include "io/timeloop_spec.hpp"
#include "mapper/constraints.hpp"
#include "mapper/mapper.hpp"
#include "mapper/quality.hpp"
#include "mapper/search.hpp"
#include "model/evaluate.hpp"
#include "network/zoo.hpp"

namespace {

constexpr int kExitInvalidMapping = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitBug = 3;

struct EvalOptions {
  std::string arch;
  std::string problem;
  std::string mapping;
  std::vector<std::string> timeloop;
  bool json = false;
};

/// Reads Timeloop files (architecture, problem, mapping or constraints, ERT, in any order and
/// split), printing what they hold that Outpace ignores to stderr as warnings.
outpace::io::TimeloopSpec read_timeloop(const std::vector<std::string>& files, bool needs_mapping) {
  using namespace outpace;
  io::TimeloopSpec spec = io::load_timeloop(files);
  for (const Diagnostic& w : spec.warnings)
    std::cerr << w.where.str() << ": warning: " << w.message << "\n";
  std::vector<Diagnostic> missing;
  for (const auto& [given, section] : {std::pair{spec.problem.has_value(), "problem"},
                                       std::pair{spec.arch.has_value(), "architecture"},
                                       std::pair{spec.mapping.has_value() || !needs_mapping, "mapping"}})
    if (!given)
      missing.push_back({SourceLocation{"--timeloop", 0, 0},
                         std::string("no file gives the '") + section + ":' section"});
  if (!missing.empty()) throw outpace::ConfigError(std::move(missing));
  return spec;
}

int run_eval(const EvalOptions& opt) {
  using namespace outpace;
  workload::Einsum einsum;
  arch::Arch arch;
  mapping::Mapping mapping;
  if (!opt.timeloop.empty()) {
    io::TimeloopSpec spec = read_timeloop(opt.timeloop, true);
    einsum = std::move(*spec.problem);
    arch = std::move(*spec.arch);
    mapping = *spec.mapping;
  } else {
    einsum = io::load_problem(opt.problem);
    arch = io::load_arch(opt.arch);
    mapping = io::load_mapping(opt.mapping, einsum, arch);
  }
  // Timeloop input gets Timeloop's counting where it differs (docs/model.md).
  const model::Options options = opt.timeloop.empty() ? model::Options{} : model::kTimeloopOptions;
  const model::Result result = model::evaluate(einsum, arch, mapping, options);
  const io::EvalReport report{einsum, arch, mapping, result};
  if (opt.json) {
    std::cout << io::report_json(report);
  } else {
    std::cout << io::mapping_text(einsum, arch, mapping) << "\n" << io::report_text(report);
  }
  return result.valid ? 0 : kExitInvalidMapping;
}

std::string arch_help();

/// Set by Ctrl-C: the search stops and reports the best mapping so far.
std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) { g_interrupted.store(true); }

struct MapOptions {
  std::string arch;
  std::string problem;
  std::string layer;
  std::string dataflow = "free";
  std::string objective = "edp";
  std::string strategy = "exhaustive";
  std::string time_limit = "60s";
  std::uint64_t max_tilings = 10'000'000;
  std::uint64_t histogram = 0;  ///< valid mappings to draw for the quality histogram (0: none)
  std::string timeloop_mapping;  ///< where to write the best mapping as a Timeloop mapping file
  std::vector<std::string> timeloop;  ///< Timeloop files instead of --arch/--problem
  std::string constraints;            ///< a constraints file (docs/formats.md)
  std::uint64_t max_evaluations = 0;
  int threads = 0;
  std::uint64_t seed = 1;
  bool json = false;
};

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
  const double scale = unit.empty() || unit == "s" ? 1 : unit == "ms" ? 1e-3 : unit == "m" ? 60 : unit == "h" ? 3600 : -1;
  if (used == 0 || scale < 0 || !(value > 0))
    throw outpace::ConfigError({{outpace::SourceLocation{"--time-limit", 0, 0},
                                 "'" + text + "' is not a duration (e.g. 30s, 2m, 500ms)"}});
  return value * scale;
}

/// The layer, architecture and constraints a map or mapspace command works on.
struct MapInput {
  outpace::workload::Einsum einsum;
  outpace::arch::Arch arch;
  outpace::mapper::Constraints constraints;
};

MapInput read_map_input(const MapOptions& opt) {
  using namespace outpace;
  MapInput in;
  if (!opt.timeloop.empty()) {
    io::TimeloopSpec spec = read_timeloop(opt.timeloop, false);
    DiagnosticSink errors, warnings;
    in.constraints = io::read_timeloop_constraints(spec, errors, warnings);
    for (const Diagnostic& w : warnings.diagnostics())
      std::cerr << w.where.str() << ": warning: " << w.message << "\n";
    errors.throw_if_any();
    in.einsum = std::move(*spec.problem);
    in.arch = std::move(*spec.arch);
  } else {
    in.arch = io::load_arch(opt.arch);
    if (opt.layer.empty()) {
      in.einsum = io::load_problem(opt.problem);
    } else if (auto layer = network::zoo_layer(opt.layer)) {
      in.einsum = std::move(layer->einsum);
    } else {
      throw ConfigError({{SourceLocation{"--layer", 0, 0},
                          "unknown layer '" + opt.layer + "' (written <network>.<layer>, e.g. resnet50.conv3_1b; "
                          "docs/zoo.md lists them)"}});
    }
    in.constraints = mapper::arch_constraints(in.einsum, in.arch);
    if (!opt.constraints.empty()) io::load_constraints(opt.constraints, in.einsum, in.arch, in.constraints);
  }
  const auto flow = mapper::dataflow_by_name(opt.dataflow);
  std::vector<Diagnostic> errors;
  if (!flow) errors.push_back({SourceLocation{"--dataflow", 0, 0}, "unknown dataflow '" + opt.dataflow + "'"});
  else
    for (const std::string& m : mapper::apply_dataflow(*flow, in.einsum, in.arch, in.constraints))
      errors.push_back({SourceLocation{"--dataflow", 0, 0}, m});
  for (const std::string& m : mapper::check(in.constraints, in.einsum, in.arch))
    errors.push_back({SourceLocation{"constraints", 0, 0}, m});
  if (!errors.empty()) throw ConfigError(std::move(errors));
  return in;
}

/// Writes `text` to `path`; a path that cannot be written is bad input.
void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out)
    throw outpace::ConfigError({{outpace::SourceLocation{path, 0, 0}, "cannot write the file"}});
}

int run_map(const MapOptions& opt) {
  using namespace outpace;
  const MapInput in = read_map_input(opt);
  mapper::MapperOptions mo;
  const auto objective = mapper::parse_objective(opt.objective);
  if (!objective)
    throw ConfigError({{SourceLocation{"--objective", 0, 0},
                        "unknown objective '" + opt.objective +
                            "' (energy, delay, edp, ed2p, energy,delay, delay,energy, energy^A*delay^B)"}});
  mo.objective = *objective;
  const auto names = mapper::strategy_names();
  if (std::find(names.begin(), names.end(), opt.strategy) == names.end())
    throw ConfigError({{SourceLocation{"--strategy", 0, 0}, "unknown strategy '" + opt.strategy + "'"}});
  mo.strategy = opt.strategy;
  mo.threads = opt.threads;
  mo.seed = opt.seed;
  mo.max_evaluations = opt.max_evaluations;
  if (opt.time_limit != "0") mo.time_limit_s = parse_duration(opt.time_limit);
  mo.stop = &g_interrupted;
  // Timeloop input gets Timeloop's counting, under which equivalent loop orders may differ.
  if (!opt.timeloop.empty()) mo.model = model::kTimeloopOptions;
  std::signal(SIGINT, on_interrupt);
  const mapper::MapSpace space(in.einsum, in.arch, in.constraints, model::exact_counting(mo.model));
  const mapper::MapperResult res = mapper::map_layer(space, mo);
  std::signal(SIGINT, SIG_DFL);
  if (!res.found) {
    std::cerr << "no valid mapping found\n" << io::search_text(res, mo.objective);
    return kExitInvalidMapping;
  }
  const io::EvalReport report{in.einsum, in.arch, res.mapping, res.result};
  if (!opt.timeloop_mapping.empty()) write_file(opt.timeloop_mapping, io::write_timeloop_mapping(in.einsum, in.arch, res.mapping));
  if (opt.json) {
    std::cout << io::map_json(report, res, mo.objective);
  } else {
    std::cout << io::mapping_text(in.einsum, in.arch, res.mapping) << "\n"
              << io::report_text(report) << "\n"
              << io::search_text(res, mo.objective);
  }
  return 0;
}

int run_mapspace(const MapOptions& opt) {
  using namespace outpace;
  const MapInput in = read_map_input(opt);
  const mapper::MapSpace space(in.einsum, in.arch, in.constraints);
  std::cout << "layer " << in.einsum.name << " on " << in.arch.name << "\n"
            << io::space_size_text(space.size(opt.max_tilings));
  if (opt.histogram > 0)
    std::cout << io::quality_text(mapper::sample_quality(space, opt.histogram, 1000 * opt.histogram, opt.seed));
  return 0;
}

/// The options map and mapspace share.
void add_map_input_options(CLI::App* cmd, MapOptions& opt) {
  CLI::Option* arch = cmd->add_option("--arch", opt.arch, arch_help());
  CLI::Option* problem = cmd->add_option("--problem", opt.problem, "problem (layer) YAML file");
  CLI::Option* layer = cmd->add_option("--layer", opt.layer, "a layer of the built-in zoo, e.g. resnet50.conv3_1b");
  CLI::Option* timeloop = cmd->add_option(
      "--timeloop", opt.timeloop,
      "Timeloop YAML files (architecture, problem, mapspace constraints, ERT; merged as Timeloop does), "
      "instead of --arch and --problem");
  CLI::Option* constraints = cmd->add_option(
      "--constraints", opt.constraints, "constraints YAML file, on top of the preset's (docs/formats.md)");
  problem->excludes(layer);
  timeloop->expected(1, -1)->excludes(arch)->excludes(problem)->excludes(layer)->excludes(constraints);
  cmd->add_option("--dataflow", opt.dataflow, "dataflow preset: free, ws, os, is, rs")
      ->capture_default_str();
  cmd->callback([arch, problem, layer, timeloop] {
    if (timeloop->count() > 0) return;
    if (arch->count() == 0) throw CLI::RequiredError("--arch (or --timeloop <files...>)");
    if (problem->count() == 0 && layer->count() == 0) throw CLI::RequiredError("--problem or --layer");
  });
}

std::string arch_help() {
  std::string names;
  for (const std::string& n : outpace::arch::preset_names()) names += (names.empty() ? "" : ", ") + n;
  return "architecture: a preset (" + names + ") or a YAML file";
}

CLI::App* add_eval_command(CLI::App& app, EvalOptions& eval) {
  CLI::App* cmd = app.add_subcommand("eval", "evaluate one mapping of one layer on one architecture");
  CLI::Option* arch_opt = cmd->add_option("--arch", eval.arch, arch_help());
  CLI::Option* problem_opt = cmd->add_option("--problem", eval.problem, "problem (layer) YAML file");
  CLI::Option* mapping_opt = cmd->add_option("--mapping", eval.mapping, "mapping YAML file");
  CLI::Option* timeloop_opt = cmd->add_option(
      "--timeloop", eval.timeloop,
      "Timeloop YAML files (architecture, problem, mapping, ERT; merged as Timeloop does), "
      "instead of --arch/--problem/--mapping");
  timeloop_opt->expected(1, -1)->excludes(arch_opt)->excludes(problem_opt)->excludes(mapping_opt);
  // Without --timeloop, all three native specs are needed.
  cmd->callback([&eval, arch_opt, problem_opt, mapping_opt] {
    if (!eval.timeloop.empty()) return;
    for (CLI::Option* o : {arch_opt, problem_opt, mapping_opt})
      if (o->count() == 0)
        throw CLI::RequiredError(o->get_name() + " (or --timeloop <files...>)");
  });
  cmd->add_flag("--json", eval.json, "print the report as JSON (schema outpace.eval/1)");
  return cmd;
}

CLI::App* add_map_command(CLI::App& app, MapOptions& map) {
  CLI::App* cmd = app.add_subcommand("map", "find the best mapping of one layer on one architecture");
  add_map_input_options(cmd, map);
  cmd->add_option("--objective", map.objective,
                  "energy, delay, edp, ed2p, energy,delay, delay,energy or energy^A*delay^B")
      ->capture_default_str();
  cmd->add_option("--strategy", map.strategy,
                  "exhaustive (annealing first, then proves optimality if it finishes in time), "
                  "annealing, genetic or random (Timeloop's baseline)")
      ->capture_default_str();
  cmd->add_option("--threads", map.threads, "threads (0: one per core)")->capture_default_str();
  cmd->add_option("--seed", map.seed, "random seed")->capture_default_str();
  cmd->add_option("--time-limit", map.time_limit,
                  "stop after this long with the best so far (e.g. 30s, 2m; 0: no limit)")
      ->capture_default_str();
  cmd->add_option("--max-evaluations", map.max_evaluations, "stop after this many evaluations (0: no limit)");
  cmd->add_flag("--json", map.json, "print the result as JSON (schema outpace.map/1)");
  cmd->add_option("--timeloop-mapping", map.timeloop_mapping,
                  "also write the best mapping to this file as a Timeloop mapping (timeloop-model reads it)");
  return cmd;
}

/// `outpace net --net NAME`: the layers Outpace sees in a network.
int run_net(const std::string& name) {
  std::cout << outpace::io::network_text(outpace::io::load_network(name));
  return 0;
}

CLI::App* add_mapspace_command(CLI::App& app, MapOptions& opt) {
  CLI::App* cmd = app.add_subcommand("mapspace", "the size of a layer's map space before and after pruning");
  add_map_input_options(cmd, opt);
  cmd->add_option("--max-tilings", opt.max_tilings,
                  "stop counting after this many tilings (the last counts are then partial)")
      ->capture_default_str();
  cmd->add_option("--histogram", opt.histogram,
                  "draw this many valid mappings uniformly and print the spread of energy and EDP")
      ->expected(0, 1)
      ->default_str("1000");
  cmd->add_option("--seed", opt.seed, "random seed of --histogram")->capture_default_str();
  return cmd;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Outpace: a codesign engine for deep-learning accelerators"};
  app.require_subcommand(0, 1);
  EvalOptions eval;
  MapOptions map, space_opt;
  CLI::App* cmd = add_eval_command(app, eval);
  CLI::App* map_cmd = add_map_command(app, map);
  CLI::App* space_cmd = add_mapspace_command(app, space_opt);
  std::string net_name;
  CLI::App* net_cmd = app.add_subcommand("net", "the layers Outpace sees in a network: op, shape, MACs, weights, repeats");
  net_cmd->add_option("--net", net_name, "a built-in network (docs/zoo.md), e.g. resnet50")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }
  try {
    if (cmd->parsed()) return run_eval(eval);
    if (map_cmd->parsed()) return run_map(map);
    if (space_cmd->parsed()) return run_mapspace(space_opt);
    if (net_cmd->parsed()) return run_net(net_name);
    std::cout << app.help();
    return 0;
  } catch (const outpace::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const outpace::InternalError& e) {
    std::cerr << e.what() << "\n";
    return kExitBug;
  } catch (const std::exception& e) {
    std::cerr << "internal error (this is a bug in Outpace, please report it): " << e.what() << "\n";
    return kExitBug;
  }
}
