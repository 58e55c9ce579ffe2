// The commands of `outpace` (src/cli/commands.hpp).
#include "cli/commands.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arch/presets.hpp"
#include "cli/checks.hpp"
#include "cli/inputs.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "common/config_error.hpp"
#include "common/environment_error.hpp"
#include "common/internal_error.hpp"
#include "io/onnx/network_source.hpp"
#include "io/spec/arch_spec.hpp"
#include "io/spec/mapping_spec.hpp"
#include "io/spec/problem_spec.hpp"
#include "io/spec/sparsity_spec.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "io/yaml/object_reader.hpp"
#include "mapper/constraints.hpp"
#include "mapper/feasibility.hpp"
#include "mapper/mapper.hpp"
#include "mapper/quality.hpp"
#include "mapper/search.hpp"
#include "model/evaluate.hpp"
#include "netmap/layer_constraints.hpp"
#include "netmap/network_map.hpp"
#include "network/zoo.hpp"
#include "report/eval_report.hpp"
#include "report/format.hpp"
#include "report/map_report.hpp"
#include "report/network_report.hpp"
#include "report/run_report.hpp"
#include "store/results_store.hpp"

namespace outpace::cli {

std::atomic<bool> g_interrupted{false};

namespace {

/// Draws `mapspace --histogram N` makes at most per valid mapping asked, and in all: about a
/// minute of drawing at 170,000 draws a second (ResNet-50's conv3_1b on the Eyeriss-like preset).
constexpr std::uint64_t kDrawsPerValid = 1000;
constexpr std::uint64_t kMaxHistogramDraws = 10'000'000;

extern "C" void on_interrupt(int) { g_interrupted.store(true); }

/// Mappings drawn at random to say why a search found no valid mapping.
constexpr std::uint64_t kWhyDraws = 1000;
/// Kinds of broken rule listed at most.
constexpr std::size_t kWhyRules = 5;

/// Why a search found no valid mapping: whether none exists (the search covered the constrained
/// space) and the rules mappings drawn at random from the space break first, most frequent first.
std::string why_no_mapping(const outpace::mapper::MapSpace& space, bool covered, std::uint64_t seed,
                           const outpace::model::Options& model) {
  using namespace outpace;
  const auto commas = [](std::uint64_t n) {
    return report::with_commas(static_cast<std::int64_t>(n));
  };
  std::string out = covered ? "no valid mapping found: none exists in the constrained space\n"
                            : "no valid mapping found\n";
  const mapper::InvalidTally tally = mapper::tally_invalid(space, kWhyDraws, seed, model);
  const std::string drawn = "  of " + commas(tally.draws) + " mappings drawn at random from it, ";
  if (tally.draws == 0) {
    out += "  the constrained space is empty: nothing can be drawn from it\n";
  } else if (tally.valid == 0) {
    out += drawn + "none is valid; the rules they break first:\n";
    for (std::size_t i = 0; i < tally.rules.size() && i < kWhyRules; ++i)
      out += "    " + commas(tally.rules[i].first) + " of them: " + tally.rules[i].second + "\n";
    if (tally.rules.size() > kWhyRules)
      out += "    and " + std::to_string(tally.rules.size() - kWhyRules) + " other rules\n";
  } else {
    out += drawn + commas(tally.valid) +
           " are valid: the search ended before it met one; a larger budget or another "
           "strategy may find one\n";
  }
  return out;
}

/// Why a search found no valid mapping, for standard error: why_no_mapping, and the search's
/// statistics, which then say no valid mapping exists instead of "proven optimal: yes".
std::string no_mapping_text(const outpace::mapper::MapSpace& space,
                            const outpace::mapper::MapperResult& res,
                            const outpace::mapper::MapperOptions& mo) {
  using namespace outpace;
  const std::string out = why_no_mapping(space, res.stats.proven_optimal, mo.seed, mo.model);
  std::string search = report::search_text(res, mo.objective);
  if (const std::size_t at = search.find("  proven optimal: yes"); at != std::string::npos)
    search.replace(at, search.find('\n', at) + 1 - at,
                   "  no valid mapping exists in the constrained space (the search covered it)\n");
  return out + search;
}

}  // namespace

int run_eval(const EvalOptions& opt) {
  using namespace outpace;
  workload::Einsum einsum;
  arch::Arch arch;
  mapping::Mapping mapping;
  std::optional<model::Sparsity> sparsity;
  if (!opt.timeloop.empty()) {
    io::TimeloopSpec spec = read_timeloop(opt.timeloop, true);
    einsum = std::move(*spec.problem);
    arch = std::move(*spec.arch);
    mapping = *spec.mapping;
    sparsity = spec.sparsity;
  } else {
    einsum = load_layer(opt.problem, opt.layer);
    check_arch_name(opt.arch);
    arch = io::load_arch(opt.arch);
    mapping = io::load_mapping(opt.mapping, einsum, arch);
    FixedVector<model::Density, kMaxTensors> densities;
    if (!opt.density.empty()) densities = io::parse_densities(opt.density, einsum, "--density");
    sparsity = io::sparsity_for(einsum, arch, densities);
  }
  // Timeloop input gets Timeloop's counting where it differs (docs/model.md).
  model::Options options = opt.timeloop.empty() ? model::Options{} : model::kTimeloopOptions;
  if (sparsity) options.sparsity = &*sparsity;
  const model::Result result = model::evaluate(einsum, arch, mapping, options);
  const report::EvalReport report{einsum, arch, mapping, result};
  if (opt.json) {
    std::cout << report::report_json(report);
  } else {
    std::cout << report::mapping_text(einsum, arch, mapping) << "\n" << report::report_text(report);
  }
  return result.valid ? 0 : kExitInvalidMapping;
}

int run_map(const MapOptions& opt) {
  using namespace outpace;
  if (!opt.timeloop_mapping.empty()) check_output_path("--timeloop-mapping", opt.timeloop_mapping);
  if (!opt.mapping_out.empty()) check_output_path("--mapping-out", opt.mapping_out);
  const MapInput in = read_map_input(opt);
  if (!opt.timeloop_mapping.empty()) io::check_timeloop_names(in.einsum, "--timeloop-mapping");
  mapper::MapperOptions mo = search_options(opt.objective, opt.strategy, opt.time_limit);
  mo.threads = opt.threads;
  mo.seed = opt.seed;
  mo.max_evaluations = opt.max_evaluations;
  mo.max_steps = opt.max_steps;
  mo.imperfect = opt.imperfect;
  mo.stop = &g_interrupted;
  const StatusLine status;
  const std::string objective = mapper::objective_name(mo.objective);
  mo.progress = [&](const mapper::SearchProgress& p) { status.draw(search_line(p, objective)); };
  mo.progress_every_s = status.every_s();
  // Timeloop input gets Timeloop's counting, under which equivalent loop orders may differ.
  if (!opt.timeloop.empty()) mo.model = model::kTimeloopOptions;
  std::signal(SIGINT, on_interrupt);
  const mapper::MapSpace space(in.einsum, in.arch, in.constraints, model::exact_counting(mo.model));
  const mapper::MapperResult res = mapper::map_layer(space, mo);
  std::signal(SIGINT, SIG_DFL);
  status.finish();
  if (!res.found) {
    std::cerr << no_mapping_text(space, res, mo);
    return kExitInvalidMapping;
  }
  const report::EvalReport report{in.einsum, in.arch, res.mapping, res.result};
  if (opt.json) {
    std::cout << report::map_json(report, res, mo.objective);
  } else {
    std::cout << report::mapping_text(in.einsum, in.arch, res.mapping) << "\n"
              << report::report_text(report) << "\n"
              << report::search_text(res, mo.objective);
  }
  std::cout.flush();  // the report is whole even when the file below cannot be written
  if (!opt.timeloop_mapping.empty())
    write_output_file(opt.timeloop_mapping,
                      io::write_timeloop_mapping(in.einsum, in.arch, res.mapping));
  if (!opt.mapping_out.empty())
    write_output_file(opt.mapping_out, "# The best mapping of " + in.einsum.name + " on " +
                                           in.arch.name + " found by outpace map.\n" +
                                           io::write_mapping(in.einsum, in.arch, res.mapping));
  return 0;
}

/// The size report with the note of a count Ctrl-C stopped in place of the limit's.
std::string space_size_report(const outpace::mapper::SpaceSize& size) {
  std::string text = outpace::report::space_size_text(size);
  if (!size.interrupted) return text;
  const std::string limit = "(counting stopped at its limit: ",
                    ctrl_c = "(counting stopped by Ctrl-C: ";
  if (const std::size_t at = text.find(limit); at != std::string::npos)
    text.replace(at, limit.size(), ctrl_c);
  return text;
}

int run_mapspace(const MapOptions& opt) {
  using namespace outpace;
  const MapInput in = read_map_input(opt);
  const mapper::MapSpace space(in.einsum, in.arch, in.constraints);
  StatusLine status;
  const auto commas = [](std::uint64_t n) {
    return report::with_commas(static_cast<std::int64_t>(n));
  };
  // Ctrl-C stops the count or the drawing; what was done so far is printed, marked partial.
  std::signal(SIGINT, on_interrupt);
  const mapper::SpaceSize size = space.size(opt.max_tilings, [&](const mapper::CountProgress& p) {
    status.show("counting the map space: " + commas(p.tilings) + " tilings kept of " +
                commas(p.formed) + " formed (at most " + commas(opt.max_tilings) + "), " +
                commas(p.examined) + " partial tilings examined, " +
                report::format_number("%.1f s", status.seconds()));
    return !g_interrupted.load();
  });
  status.finish();
  std::cout << "layer " << in.einsum.name << " on " << in.arch.name << "\n"
            << space_size_report(size) << std::flush;
  if (opt.histogram > 0 && !g_interrupted.load()) {
    const std::uint64_t max_draws = std::min(kDrawsPerValid * opt.histogram, kMaxHistogramDraws);
    const mapper::QualitySample sample = mapper::sample_quality(
        space, opt.histogram, max_draws, opt.seed, {},
        [&](std::uint64_t draws, std::uint64_t valid) {
          status.show("drawing mappings: " + commas(valid) + " of " + commas(opt.histogram) +
                      " valid in " + commas(draws) + " of at most " + commas(max_draws) +
                      " draws, " + report::format_number("%.1f s", status.seconds()));
          return !g_interrupted.load();
        });
    status.finish();
    std::cout << report::quality_text(sample);
    if (sample.stopped)
      std::cout << "  (drawing stopped by Ctrl-C: a partial sample)\n";
    else if (sample.energy_pj.size() < opt.histogram && sample.draws == max_draws)
      std::cout << "  (drawing stopped at its limit of " << commas(max_draws)
                << " draws: fewer valid mappings than asked)\n";
  } else if (opt.histogram > 0) {
    std::cout << "(no mappings drawn: stopped by Ctrl-C)\n";
  }
  std::signal(SIGINT, SIG_DFL);
  return 0;
}

/// `outpace run` and the main job: maps every layer of a network, prints the per-layer table.
int run_run(const RunOptions& opt) {
  using namespace outpace;
  if (!opt.json.empty()) check_output_path("--json", opt.json);
  if (!opt.csv.empty()) check_output_path("--csv", opt.csv);
  check_network_name(opt.net);
  const network::Network net = io::load_network(opt.net, "--net");
  check_arch_name(opt.arch);
  const arch::Arch arch = io::load_arch(opt.arch);
  if (io::has_sparse_features(arch)) warn_dense_search("the architecture's sparse features");
  const auto flow = dataflow(opt.dataflow);
  netmap::NetworkMapOptions no;
  no.mapper = search_options(opt.objective, opt.strategy, opt.time_limit);
  no.mapper.threads = 1;  // one search thread per layer, one layer per thread (docs/cli.md)
  no.mapper.max_steps = opt.max_steps;
  no.mapper.seed = opt.seed;
  no.mapper.stop = &g_interrupted;
  no.parallel_layers = opt.threads;
  const auto extra = constraints_file(opt.constraints);
  const auto build = [&](const workload::Einsum& e) {
    return netmap::layer_constraints(e, arch, flow, constraint_sources(opt.constraints), extra);
  };
  const std::unique_ptr<store::ResultsStore> cache = open_cache(opt);
  const ProgressDisplay display;
  std::signal(SIGINT, on_interrupt);
  const netmap::NetworkResult result = netmap::map_network(net, arch, build, no, cache.get(), display);
  std::signal(SIGINT, SIG_DFL);
  display.finish();
  print_warnings(result.warnings);
  // Why each search that ran found no valid mapping (identical layers share one search).
  for (std::size_t i = 0; i < result.layers.size(); ++i) {
    const netmap::LayerOutcome& o = result.layers[i];
    if (!o.mapped || o.result.found || o.shape != static_cast<int>(i)) continue;
    const mapper::Constraints constraints = build(o.layer.einsum);
    const mapper::MapSpace space(o.layer.einsum, arch, constraints);
    std::cerr << "layer " << o.layer.name << ": "
              << why_no_mapping(space, o.result.stats.proven_optimal, no.mapper.seed,
                                no.mapper.model);
  }
  const report::RunReport report{net, arch, no.mapper.objective, result};
  std::cout << report::run_text(report) << std::flush;
  // The report is printed first: a file that cannot be written costs nothing else.
  bool written = true;
  for (const auto& [path, text] : {std::pair{opt.json, std::function(report::run_json)},
                                   std::pair{opt.csv, std::function(report::run_csv)}}) {
    if (path.empty()) continue;
    try {
      write_output_file(path, text(report));
    } catch (const EnvironmentError& e) {
      std::cerr << "error: " << e.what() << "\n";
      written = false;
    }
  }
  if (!written) return kExitEnvironment;
  return result.totals.failed == 0 ? 0 : kExitInvalidMapping;
}

std::string arch_help() {
  std::string names;
  for (const std::string& n : outpace::arch::preset_names()) names += (names.empty() ? "" : ", ") + n;
  return "architecture: a preset (" + names + ") or a YAML file";
}

int run_net(const std::string& name) {
  check_network_name(name);
  std::cout << outpace::report::network_text(outpace::io::load_network(name));
  return 0;
}

}  // namespace outpace::cli
