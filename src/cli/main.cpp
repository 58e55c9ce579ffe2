// The `outpace` command: a thin layer over the library. The only place that may exit.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <iostream>
#include <limits>
#include <new>
#include <string>
#include <vector>

#include "arch/presets.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "common/config_error.hpp"
#include "common/environment_error.hpp"
#include "common/internal_error.hpp"
#include "common/version.hpp"
#include "mapper/constraints.hpp"
#include "mapper/objective.hpp"

using namespace outpace::cli;

namespace {

/// Any seed: a whole number that fits 64 bits.
CLI::Validator any_seed() { return whole_number(0, std::numeric_limits<std::uint64_t>::max()); }

/// dataflow_help().
std::string dataflow_help() {
  std::string out = "dataflow preset:";
  for (const std::string& name : outpace::mapper::dataflow_names())
    out += (out.back() == ':' ? " " : ", ") + name;
  return out;
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
  cmd->add_option("--dataflow", opt.dataflow, dataflow_help())
      ->capture_default_str();
  cmd->callback([arch, problem, layer, timeloop] {
    if (timeloop->count() > 0) return;
    if (arch->count() == 0) throw CLI::RequiredError("--arch (or --timeloop <files...>)");
    if (problem->count() == 0 && layer->count() == 0) throw CLI::RequiredError("--problem or --layer");
  });
}

CLI::App* add_eval_command(CLI::App& app, EvalOptions& eval) {
  CLI::App* cmd = app.add_subcommand("eval", "evaluate one mapping of one layer on one architecture");
  CLI::Option* arch_opt = cmd->add_option("--arch", eval.arch, arch_help());
  CLI::Option* problem_opt = cmd->add_option("--problem", eval.problem, "problem (layer) YAML file");
  CLI::Option* layer_opt =
      cmd->add_option("--layer", eval.layer,
                      "a layer of the built-in zoo instead of --problem, e.g. resnet50.conv3_1b");
  CLI::Option* mapping_opt = cmd->add_option("--mapping", eval.mapping, "mapping YAML file");
  problem_opt->excludes(layer_opt);
  CLI::Option* timeloop_opt = cmd->add_option(
      "--timeloop", eval.timeloop,
      "Timeloop YAML files (architecture, problem, mapping, ERT; merged as Timeloop does), "
      "instead of --arch/--problem/--mapping");
  timeloop_opt->expected(1, -1)
      ->excludes(arch_opt)
      ->excludes(problem_opt)
      ->excludes(layer_opt)
      ->excludes(mapping_opt);
  // Without --timeloop, the architecture, the layer and the mapping are needed.
  cmd->callback([&eval, arch_opt, problem_opt, layer_opt, mapping_opt] {
    if (!eval.timeloop.empty()) return;
    for (CLI::Option* o : {arch_opt, mapping_opt})
      if (o->count() == 0)
        throw CLI::RequiredError(o->get_name() + " (or --timeloop <files...>)");
    if (problem_opt->count() == 0 && layer_opt->count() == 0)
      throw CLI::RequiredError("--problem or --layer (or --timeloop <files...>)");
  });
  cmd->add_option("--density", eval.density,
                  "tensor densities, e.g. Weights=0.3,Inputs=uniform:0.55 (fixed-structured "
                  "unless uniform:); with the architecture's sparse features (docs/formats.md)")
      ->excludes(timeloop_opt);
  cmd->add_flag("--json", eval.json, "print the report as JSON (schema outpace.eval/1)");
  return cmd;
}

CLI::App* add_map_command(CLI::App& app, MapOptions& map) {
  CLI::App* cmd = app.add_subcommand("map", "find the best mapping of one layer on one architecture");
  add_map_input_options(cmd, map);
  cmd->add_option("--objective", map.objective,
                  outpace::mapper::objective_forms() + " (" + outpace::mapper::objective_exponent_rule() + ")")
      ->capture_default_str();
  cmd->add_option("--strategy", map.strategy,
                  "exhaustive (annealing first, then proves optimality if it finishes within its budget), "
                  "annealing, genetic or random (Timeloop's baseline)")
      ->capture_default_str();
  cmd->add_option("--threads", map.threads, "threads (0: one per core)")
      ->check(whole_number(0, kMaxThreads, "one per core"))
      ->capture_default_str();
  cmd->add_option("--seed", map.seed, "random seed")->check(any_seed())->capture_default_str();
  cmd->add_option("--time-limit", map.time_limit,
                  "stop after this long with the best so far (e.g. 30s, 2m; 0: no limit); the "
                  "result then depends on the machine's speed and load")
      ->capture_default_str();
  cmd->add_option("--max-evaluations", map.max_evaluations,
                  "stop after this many evaluations (0: no limit)")
      ->check(whole_number(0, kMaxEvaluations, "no limit"));
  cmd->add_option("--max-steps", map.max_steps,
                  "stop after this many search steps: evaluations, bound checks, tilings (0: no "
                  "limit)")
      ->check(whole_number(0, kMaxEvaluations, "no limit"))
      ->capture_default_str();
  cmd->add_flag("--json", map.json, "print the result as JSON (schema outpace.map/1)");
  CLI::Option* timeloop_mapping = cmd->add_option(
      "--timeloop-mapping", map.timeloop_mapping,
      "also write the best mapping to this file as a Timeloop mapping (timeloop-model reads it)");
  cmd->add_option("--mapping-out", map.mapping_out,
                  "also write the best mapping to this file in Outpace's mapping format (eval "
                  "--mapping reads it)");
  cmd->add_flag("--imperfect", map.imperfect,
                "search the residual map space (factors that do not divide their dimension, "
                "residual tiles) exhaustively and prove the optimum over it")
      ->excludes(timeloop_mapping)
      ->excludes("--timeloop");
  return cmd;
}

CLI::App* add_run_command(CLI::App& app, RunOptions& run) {
  CLI::App* cmd = app.add_subcommand(
      "run", "map every layer of a network (identical layers once, in parallel, cached); `outpace` alone runs "
             "resnet50 on eyeriss");
  cmd->add_option("--net", run.net, "a built-in network (docs/zoo.md) or an ONNX model (docs/onnx.md)")->capture_default_str();
  cmd->add_option("--arch", run.arch, arch_help())->capture_default_str();
  cmd->add_option("--constraints", run.constraints, "constraints YAML file, on top of the preset's, for every layer");
  cmd->add_option("--dataflow", run.dataflow, dataflow_help())->capture_default_str();
  cmd->add_option("--objective", run.objective,
                  outpace::mapper::objective_forms() + " (" + outpace::mapper::objective_exponent_rule() + ")")
      ->capture_default_str();
  cmd->add_option("--strategy", run.strategy, "exhaustive, annealing, genetic or random")->capture_default_str();
  cmd->add_option("--threads", run.threads,
                  "layers searched at once, one thread each (0: one per core)")
      ->check(whole_number(0, kMaxThreads, "one per core"))
      ->capture_default_str();
  cmd->add_option("--seed", run.seed, "random seed")->check(any_seed())->capture_default_str();
  cmd->add_option("--time-limit", run.time_limit,
                  "per layer: stop its search after this long (0: no limit); a result cut by it "
                  "depends on the machine's speed and load and is not stored")
      ->capture_default_str();
  cmd->add_option("--max-steps", run.max_steps,
                  "per layer: stop its search after this many steps (evaluations, bound checks, "
                  "tilings; 0: no limit); the same on any machine")
      ->check(whole_number(0, kMaxEvaluations, "no limit"))
      ->capture_default_str();
  cmd->add_option("--json", run.json, "also write the report to this file as JSON (schema outpace.run/1)");
  cmd->add_option("--csv", run.csv, "also write one row per layer to this CSV file");
  CLI::Option* no_cache = cmd->add_flag("--no-cache", run.no_cache, "neither read nor store results");
  cmd->add_option("--cache", run.cache,
                  "the results cache (SQLite; default $XDG_CACHE_HOME/outpace/results.sqlite or "
                  "~/.cache/outpace/results.sqlite)")
      ->excludes(no_cache);
  return cmd;
}

CLI::App* add_mapspace_command(CLI::App& app, MapOptions& opt) {
  CLI::App* cmd = app.add_subcommand("mapspace", "the size of a layer's map space before and after pruning");
  add_map_input_options(cmd, opt);
  cmd->add_option("--max-tilings", opt.max_tilings,
                  "stop counting after this many tilings (the last counts are then partial)")
      ->check(whole_number(1, kMaxTilings))
      ->capture_default_str();
  cmd->add_option("--histogram", opt.histogram,
                  "draw this many valid mappings uniformly and print the spread of energy and EDP")
      ->expected(0, 1)
      ->default_str("1000")
      ->check(whole_number(1, kMaxHistogram));
  cmd->add_option("--seed", opt.seed, "random seed of --histogram")
      ->check(any_seed())
      ->capture_default_str();
  return cmd;
}

/// The command line without the program, with `help` and `help <command>` turned into the
/// `--help` they stand for.
std::vector<std::string> arguments(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args.front() != "help") return args;
  if (args.size() == 1) return {"--help"};
  return {args[1], "--help"};
}

/// CLI11's "--arch: 1 required TEXT missing" said plainly: the option, and what it takes.
std::string missing_value(const CLI::App& app, const std::string& message) {
  const std::string name = message.substr(0, message.find(':'));
  for (const CLI::App* cmd : app.get_subcommands([](const CLI::App*) { return true; }))
    if (const CLI::Option* o = cmd->get_option_no_throw(name); o && cmd->parsed())
      return name + " needs a value: " + o->get_description();
  return message;
}

/// Runs the command the options chose; every failure becomes its exit code (docs/cli.md).
int dispatch(const std::function<int()>& command) {
  try {
    return command();
  } catch (const outpace::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const outpace::EnvironmentError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitEnvironment;
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory\n";
    return kExitEnvironment;
  } catch (const outpace::InternalError& e) {
    std::cerr << e.what() << "\n";
    return kExitBug;
  } catch (const std::exception& e) {
    std::cerr << "internal error (this is a bug in Outpace, please report it): " << e.what()
              << "\n";
    return kExitBug;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Outpace: a codesign engine for deep-learning accelerators"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("outpace ") + outpace::kVersion,
                       "print the version and exit");
  EvalOptions eval;
  MapOptions map, space_opt;
  CLI::App* cmd = add_eval_command(app, eval);
  CLI::App* map_cmd = add_map_command(app, map);
  CLI::App* space_cmd = add_mapspace_command(app, space_opt);
  std::string net_name;
  RunOptions run_opt;
  add_run_command(app, run_opt);
  CLI::App* net_cmd = app.add_subcommand("net", "the layers Outpace sees in a network: op, shape, MACs, weights, repeats");
  net_cmd->add_option("--net", net_name, "a built-in network (docs/zoo.md) or an ONNX model, e.g. resnet50, model.onnx:x=1x3x224x224 (docs/onnx.md)")->required();
  app.footer("'outpace help <command>' shows a command's options.");
  const std::vector<std::string> args = arguments(argc, argv);
  if (const std::string unknown = unknown_argument(app, args); !unknown.empty()) {
    std::cerr << unknown << "\n";
    return kExitBadInput;
  }
  std::vector<const char*> argv_used{argv[0]};
  for (const std::string& a : args) argv_used.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv_used.size()), argv_used.data());
  } catch (const CLI::ArgumentMismatch& e) {
    const std::string message = e.what();
    if (!message.ends_with(" missing")) return app.exit(e) == 0 ? 0 : kExitBadInput;
    std::cerr << missing_value(app, message) << "\nRun with --help for more information.\n";
    return kExitBadInput;
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }
  return dispatch([&] {
    if (cmd->parsed()) return run_eval(eval);
    if (map_cmd->parsed()) return run_map(map);
    if (space_cmd->parsed()) return run_mapspace(space_opt);
    if (net_cmd->parsed()) return run_net(net_name);
    return run_run(run_opt);  // run or, without a command, the main job on its defaults
  });
}
