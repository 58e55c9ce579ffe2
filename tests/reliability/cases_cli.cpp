// Bad command lines: unknown commands and options with their suggestions, mistyped presets,
// layers and networks, count options out of range, missing and excluded options, output paths
// that cannot be written, devices and folders given as spec files, a cache that is not one.
#include "reliability/cases.hpp"

namespace outpace::reliability {
namespace {

/// A GEMM small enough that `map` would finish at once on the toy preset.
const std::string kGemm = "problem:\n  name: tiny_gemm\n  gemm: {M: 8, N: 4, K: 6}\n";

/// `outpace <command>` in a folder holding g.yaml (kGemm).
Case cli(std::string name, std::string command, int exit_code, std::string line) {
  return {std::move(name), {{"g.yaml", kGemm}}, std::move(command), exit_code, std::move(line)};
}

/// `outpace map --arch toy --problem g.yaml <options>`, refused with exit 2.
Case map(std::string name, const std::string& options, std::string line) {
  return cli(std::move(name), "map --arch toy --problem g.yaml " + options, 2, std::move(line));
}

}  // namespace

std::vector<Case> cli_cases() {
  return {
      // unknown commands and options, with suggestions
      cli("cli_command_mistyped", "mapp --arch toy", 2,
          "unknown command 'mapp'; did you mean 'map'? ('outpace help' lists the commands)"),
      cli("cli_command_unknown", "frobnicate", 2,
          "unknown command 'frobnicate' ('outpace help' lists the commands)"),
      cli("cli_help_unknown_command", "help frob", 2,
          "unknown command 'frob' ('outpace help' lists the commands)"),
      map("cli_option_mistyped", "--thread 2",
          "map: unknown option '--thread'; did you mean '--threads'? ('outpace help map' lists "
          "the options)"),
      cli("cli_version_mistyped", "--versoin", 2,
          "unknown option '--versoin'; did you mean '--version'? ('outpace help' lists the "
          "options)"),
      // presets, layers, networks, strategies, dataflows, objectives
      cli("cli_preset_mistyped", "map --arch eyerss --layer resnet50.conv3_1b", 2,
          "--arch: unknown preset 'eyerss'; did you mean 'eyeriss'? (the presets are toy, "
          "eyeriss, simba, tpu; an architecture file is given by its path)"),
      cli("cli_layer_mistyped", "map --arch toy --layer resnet50.conv3_1x", 2,
          "--layer: unknown layer 'resnet50.conv3_1x'; did you mean 'resnet50.conv3_1a'? "
          "(written <network>.<layer>, e.g. resnet50.conv3_1b; docs/zoo.md lists them)"),
      cli("cli_layer_network_mistyped", "mapspace --arch toy --layer resnet5.conv1", 2,
          "--layer: unknown layer 'resnet5.conv1'; did you mean 'resnet50.conv1'? (written "
          "<network>.<layer>, e.g. resnet50.conv3_1b; docs/zoo.md lists them)"),
      cli("cli_layer_without_network", "map --arch toy --layer alexnet", 2,
          "--layer: unknown layer 'alexnet' (written <network>.<layer>, e.g. resnet50.conv3_1b; "
          "docs/zoo.md lists them)"),
      cli("cli_network_mistyped", "run --net resnt50 --no-cache", 2,
          "--net: unknown network 'resnt50'; did you mean 'resnet50'? (the built-in ones are "
          "alexnet, vgg16, resnet50, mobilenet_v2, bert_base, dlrm, gcn_cora; an ONNX model is "
          "given by its file, model.onnx)"),
      map("cli_strategy_mistyped", "--strategy anealing",
          "--strategy: unknown strategy 'anealing'; the strategies are exhaustive, random, "
          "annealing, genetic; did you mean 'annealing'?"),
      map("cli_dataflow_mistyped", "--dataflow rss",
          "--dataflow: unknown dataflow 'rss'; the presets are free, ws, os, is, rs; did you mean "
          "'rs'?"),
      map("cli_objective_unknown", "--objective speed",
          "--objective: unknown objective 'speed' (energy, delay, edp, ed2p, energy,delay, "
          "delay,energy or energy^A*delay^B)"),
      map("cli_objective_bad_exponent", "--objective energy^x*delay",
          "--objective: unknown objective 'energy^x*delay' (energy, delay, edp, ed2p, "
          "energy,delay, delay,energy or energy^A*delay^B)"),
      // count options out of range
      map("cli_threads_too_many", "--threads 100000",
          "--threads: 100000 is not a whole number from 0 to 1024 (0: one per core)"),
      map("cli_threads_negative", "--threads -1",
          "--threads: -1 is not a whole number from 0 to 1024 (0: one per core)"),
      map("cli_threads_not_digits", "--threads 1x",
          "--threads: 1x is not a whole number from 0 to 1024 (0: one per core)"),
      map("cli_seed_past_64_bits", "--seed 18446744073709551616",
          "--seed: 18446744073709551616 is not a whole number from 0 to 18446744073709551615"),
      map("cli_seed_negative", "--seed -3",
          "--seed: -3 is not a whole number from 0 to 18446744073709551615"),
      map("cli_max_evaluations_past_limit", "--max-evaluations 1000000000001",
          "--max-evaluations: 1000000000001 is not a whole number from 0 to 1000000000000 (0: no "
          "limit)"),
      map("cli_max_evaluations_exponent", "--max-evaluations 1e6",
          "--max-evaluations: 1e6 is not a whole number from 0 to 1000000000000 (0: no limit)"),
      cli("cli_max_tilings_zero", "mapspace --arch toy --problem g.yaml --max-tilings 0", 2,
          "--max-tilings: 0 is not a whole number from 1 to 10000000000"),
      cli("cli_histogram_huge",
          "mapspace --arch toy --problem g.yaml --histogram 18446744073709551615", 2,
          "--histogram: 18446744073709551615 is not a whole number from 1 to 1000000"),
      cli("cli_histogram_zero", "mapspace --arch toy --problem g.yaml --histogram 0", 2,
          "--histogram: 0 is not a whole number from 1 to 1000000"),
      map("cli_time_limit_past_a_week", "--time-limit 169h",
          "--time-limit: '169h' is longer than the limit of 168h (a week); 0 means no limit"),
      map("cli_time_limit_bad_unit", "--time-limit 2x",
          "--time-limit: '2x' is not a duration (e.g. 30s, 2m, 500ms)"),
      // missing and excluded options
      cli("cli_map_without_layer", "map --arch toy", 2, "--problem or --layer is required"),
      cli("cli_eval_without_mapping", "eval --arch toy --problem g.yaml", 2,
          "--mapping (or --timeloop <files...>) is required"),
      cli("cli_map_without_arch", "map --problem g.yaml", 2,
          "--arch (or --timeloop <files...>) is required"),
      cli("cli_net_without_net", "net", 2, "--net is required"),
      cli("cli_arch_without_value", "map --problem g.yaml --arch", 2,
          "--arch needs a value: architecture: a preset (toy, eyeriss, simba, tpu) or a YAML file"),
      cli("cli_timeloop_without_files", "eval --timeloop", 2,
          "--timeloop needs a value: Timeloop YAML files (architecture, problem, mapping, ERT; "
          "merged as Timeloop does), instead of --arch/--problem/--mapping"),
      map("cli_problem_and_layer", "--layer resnet50.conv1", "--problem excludes --layer"),
      cli("cli_arch_and_timeloop",
          "eval --arch toy --problem g.yaml --mapping g.yaml --timeloop "
          "g.yaml",
          2, "--arch excludes --timeloop"),
      map("cli_imperfect_and_timeloop_mapping", "--imperfect --timeloop-mapping t.yaml",
          "--timeloop-mapping excludes --imperfect"),
      cli("cli_cache_and_no_cache", "run --net resnet50 --cache c.sqlite --no-cache", 2,
          "--no-cache excludes --cache"),
      // output paths, checked before any search
      cli("cli_run_json_folder_missing",
          "run --net resnet50 --arch toy --no-cache --json {dir}/missing/run.json", 2,
          "--json: cannot write '{dir}/missing/run.json': the folder '{dir}/missing' does not "
          "exist"),
      cli("cli_run_csv_is_folder", "run --net resnet50 --arch toy --no-cache --csv .", 2,
          "--csv: cannot write '.': it is a folder"),
      map("cli_timeloop_mapping_folder_missing", "--timeloop-mapping /nonexistent/t.yaml",
          "--timeloop-mapping: cannot write '/nonexistent/t.yaml': the folder '/nonexistent' "
          "does not exist"),
      {"cli_timeloop_mapping_long_dimension_name",
       {{"mm.yaml",
         "problem:\n  name: g\n  dimensions: {MM: 4, K: 4, N: 4}\n  tensors:\n"
         "    - {name: A, index: [MM, K]}\n    - {name: B, index: [K, N]}\n"
         "    - {name: Z, index: [MM, N], output: true}\n"}},
       "map --arch toy --problem mm.yaml --timeloop-mapping t.yaml",
       2,
       "--timeloop-mapping: dimension 'MM': a Timeloop mapping cannot name it (Timeloop "
       "permutations name dimensions by one letter)"},
      map("cli_mapping_out_is_folder", "--mapping-out .",
          "--mapping-out: cannot write '.': it is a folder"),
      // a folder that exists but where no file can be made, even by root: exit 4 (environment)
      cli("cli_run_csv_in_proc", "run --net resnet50 --arch toy --no-cache --csv /proc/x.csv", 4,
          "error: --csv: cannot write '/proc/x.csv': No such file or directory"),
      cli("cli_mapping_out_in_proc", "map --arch toy --problem g.yaml --mapping-out /proc/m.yaml",
          4, "error: --mapping-out: cannot write '/proc/m.yaml': No such file or directory"),
      // devices, folders and missing files as specs; a cache that is not one
      cli("cli_problem_dev_zero", "map --arch toy --problem /dev/zero", 2,
          "/dev/zero: the file is larger than the limit of 64 MiB for a spec file"),
      cli("cli_arch_dev_zero", "mapspace --arch /dev/zero --problem g.yaml", 2,
          "/dev/zero: the file is larger than the limit of 64 MiB for a spec file"),
      cli("cli_problem_missing", "map --arch toy --problem nothere.yaml", 2,
          "nothere.yaml: cannot open file: No such file or directory"),
      cli("cli_problem_is_folder", "map --arch toy --problem .", 2,
          ".: cannot read file: Is a directory"),
      // a spec file of another kind
      cli("cli_problem_given_as_arch", "map --arch g.yaml --problem g.yaml", 2,
          "g.yaml:1:1: missing section 'architecture:'"),
      cli("cli_problem_given_as_constraints",
          "map --arch toy --problem g.yaml --constraints g.yaml", 2,
          "g.yaml:1:1: missing section 'constraints:'"),
      cli("cli_cache_is_yaml", "run --net alexnet --arch toy --cache g.yaml", 2,
          "g.yaml: not an Outpace results store: the file is not an SQLite database"),
      cli("cli_cache_is_folder", "run --net alexnet --arch toy --cache .", 2,
          ".: not an Outpace results store: a folder"),
  };
}

}  // namespace outpace::reliability
