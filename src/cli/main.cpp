// The `outpace` command: a thin layer over the library. The only place that may exit.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "arch/presets.hpp"
#include "common/config_error.hpp"
#include "common/internal_error.hpp"
#include "io/arch_spec.hpp"
#include "io/mapping_spec.hpp"
#include "io/problem_spec.hpp"
#include "io/report.hpp"
#include "io/timeloop_spec.hpp"
#include "model/evaluate.hpp"

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

/// Reads Timeloop files (architecture, problem, mapping, ERT, in any order and split), printing
/// what they hold that Outpace ignores to stderr as warnings.
outpace::io::TimeloopSpec read_timeloop(const std::vector<std::string>& files) {
  using namespace outpace;
  io::TimeloopSpec spec = io::load_timeloop(files);
  for (const Diagnostic& w : spec.warnings)
    std::cerr << w.where.str() << ": warning: " << w.message << "\n";
  std::vector<Diagnostic> missing;
  for (const auto& [given, section] : {std::pair{spec.problem.has_value(), "problem"},
                                       std::pair{spec.arch.has_value(), "architecture"},
                                       std::pair{spec.mapping.has_value(), "mapping"}})
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
    io::TimeloopSpec spec = read_timeloop(opt.timeloop);
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

std::string arch_help() {
  std::string names;
  for (const std::string& n : outpace::arch::preset_names()) names += (names.empty() ? "" : ", ") + n;
  return "architecture: a preset (" + names + ") or a YAML file";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Outpace: a codesign engine for deep-learning accelerators"};
  app.require_subcommand(0, 1);
  EvalOptions eval;
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
  cmd->callback([&] {
    if (!eval.timeloop.empty()) return;
    for (CLI::Option* o : {arch_opt, problem_opt, mapping_opt})
      if (o->count() == 0)
        throw CLI::RequiredError(o->get_name() + " (or --timeloop <files...>)");
  });
  cmd->add_flag("--json", eval.json, "print the report as JSON (schema outpace.eval/1)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }
  try {
    if (cmd->parsed()) return run_eval(eval);
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
