// The `outpace` command: a thin layer over the library. The only place that may exit.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "arch/presets.hpp"
#include "common/config_error.hpp"
#include "common/internal_error.hpp"
#include "io/arch_spec.hpp"
#include "io/mapping_spec.hpp"
#include "io/problem_spec.hpp"
#include "io/report.hpp"
#include "model/evaluate.hpp"

namespace {

constexpr int kExitInvalidMapping = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitBug = 3;

struct EvalOptions {
  std::string arch;
  std::string problem;
  std::string mapping;
  bool json = false;
};

int run_eval(const EvalOptions& opt) {
  using namespace outpace;
  const workload::Einsum einsum = io::load_problem(opt.problem);
  const arch::Arch arch = io::load_arch(opt.arch);
  const mapping::Mapping mapping = io::load_mapping(opt.mapping, einsum, arch);
  const model::Result result = model::evaluate(einsum, arch, mapping);
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
  cmd->add_option("--arch", eval.arch, arch_help())->required();
  cmd->add_option("--problem", eval.problem, "problem (layer) YAML file")->required();
  cmd->add_option("--mapping", eval.mapping, "mapping YAML file")->required();
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
