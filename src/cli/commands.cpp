// The commands of `outpace` (src/cli/commands.hpp).
#include "cli/commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "arch/presets.hpp"
#include "cli/checks.hpp"
#include "cli/options.hpp"
#include "common/config_error.hpp"
#include "common/environment_error.hpp"
#include "common/internal_error.hpp"
#include "common/suggest.hpp"
#include "io/onnx/network_source.hpp"
#include "io/spec/arch_spec.hpp"
#include "io/spec/constraints_spec.hpp"
#include "io/spec/mapping_spec.hpp"
#include "io/spec/problem_spec.hpp"
#include "io/timeloop/timeloop_constraints.hpp"
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

extern "C" void on_interrupt(int) { g_interrupted.store(true); }

/// "; did you mean 'x'?" for the closest of `names`, or nothing.
std::string hint(const std::string& word, const std::vector<std::string>& names) {
  const std::string text = outpace::did_you_mean(word, names);
  return text.empty() ? "" : "; " + text;
}

/// Prints warnings, each once, as "path: warning: message".
void print_warnings(const std::vector<outpace::Diagnostic>& warnings) {
  for (const outpace::Diagnostic& w : warnings)
    std::cerr << w.where.str() << ": warning: " << w.message << "\n";
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
  const double scale = unit.empty() || unit == "s" ? 1 : unit == "ms" ? 1e-3 : unit == "m" ? 60 : unit == "h" ? 3600 : -1;
  if (used == 0 || scale < 0 || !(value > 0))
    throw outpace::ConfigError({{outpace::SourceLocation{"--time-limit", 0, 0},
                                 "'" + text + "' is not a duration (e.g. 30s, 2m, 500ms)"}});
  if (!(value * scale <= kMaxTimeLimitS))
    throw outpace::ConfigError(
        {{outpace::SourceLocation{"--time-limit", 0, 0},
          "'" + text + "' is longer than the limit of 168h (a week); 0 means no limit"}});
  return value * scale;
}

/// Reads a constraints file onto a layer's constraints; nothing to do without a file.
std::function<void(const outpace::workload::Einsum&, const outpace::arch::Arch&, outpace::mapper::Constraints&)>
constraints_file(const std::string& path) {
  if (path.empty()) return {};
  return [path](const auto& einsum, const auto& arch, auto& c) { outpace::io::load_constraints(path, einsum, arch, c); };
}

/// Where the constraints of a layer come from: the file, when one is given.
outpace::netmap::ConstraintSources constraint_sources(const std::string& path) {
  outpace::netmap::ConstraintSources where;
  if (!path.empty()) where.file = {path, 0, 0}, where.from_file = true;
  return where;
}

/// The layer, architecture and constraints a map or mapspace command works on.
struct MapInput {
  outpace::workload::Einsum einsum;
  outpace::arch::Arch arch;
  outpace::mapper::Constraints constraints;
};

/// The dataflow preset `--dataflow` names.
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

/// The layer `--problem` or `--layer` names (a problem file, or a layer of the built-in zoo).
outpace::workload::Einsum load_layer(const std::string& problem, const std::string& layer) {
  using namespace outpace;
  if (layer.empty()) return io::load_problem(problem);
  if (auto found = network::zoo_layer(layer)) return std::move(found->einsum);
  throw ConfigError({{SourceLocation{"--layer", 0, 0}, unknown_layer_message(layer)}});
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
  } else {
    check_arch_name(opt.arch);
    in.arch = io::load_arch(opt.arch);
    in.einsum = load_layer(opt.problem, opt.layer);
  }
  const auto flow = dataflow(opt.dataflow);
  if (opt.timeloop.empty())
    in.constraints = netmap::layer_constraints(in.einsum, in.arch, flow, where,
                                               constraints_file(opt.constraints));
  else
    netmap::finish_constraints(flow, where, in.einsum, in.arch, in.constraints);
  return in;
}

/// The objective, strategy and time limit of a search, from their option values.
outpace::mapper::MapperOptions search_options(const std::string& objective_text, const std::string& strategy,
                                              const std::string& time_limit) {
  using namespace outpace;
  mapper::MapperOptions mo;
  const auto objective = mapper::parse_objective(objective_text);
  if (!objective)
    throw ConfigError({{SourceLocation{"--objective", 0, 0},
                        "unknown objective '" + objective_text + "' (" + mapper::objective_forms() +
                            ")"}});
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

/// The results store's default file: $XDG_CACHE_HOME/outpace/results.sqlite, else
/// ~/.cache/outpace/results.sqlite; empty when neither variable is set.
std::string default_cache_path() {
  namespace fs = std::filesystem;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path dir = xdg && *xdg ? fs::path(xdg) : home && *home ? fs::path(home) / ".cache" : fs::path();
  return dir.empty() ? "" : (dir / "outpace" / "results.sqlite").string();
}

/// Shows the searches on stderr: a bar redrawn in place on a terminal (with the searches under
/// way), one line per finished search otherwise.
struct ProgressDisplay {
  bool terminal = isatty(STDERR_FILENO) != 0;
  mutable std::vector<std::string> running;  ///< layers being searched (calls come one at a time)

  void operator()(const outpace::netmap::Progress& p) const {
    if (p.started) running.push_back(p.layer);
    else std::erase(running, p.layer);
    const std::string count = std::to_string(p.done) + "/" + std::to_string(p.total);
    if (!terminal) {
      if (!p.started) std::cerr << "[" << count << "] " << p.layer << ": " << outcome(p) << "\n";
      return;
    }
    std::string now = running.empty() ? "  " + p.layer + " (" + outcome(p) + ")" : "  searching";
    for (const std::string& layer : running) now += (&layer == &running.front() ? " " : ", ") + layer;
    if (now.size() > 60) now = now.substr(0, 57) + "...";  // one line on a narrow terminal
    constexpr int kWidth = 30;
    const int filled = p.total ? kWidth * p.done / p.total : kWidth;
    std::cerr << "\r\033[K[" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] " << count << now << std::flush;
  }
  static std::string outcome(const outpace::netmap::Progress& p) {
    if (p.from_cache) return "from the cache";
    if (!p.found) return "no valid mapping";
    const std::string why = p.proven                        ? "proven optimal"
                            : p.stopped_by == "steps"       ? "step budget"
                            : p.stopped_by == "time"        ? "time limit"
                            : p.stopped_by == "evaluations" ? "evaluation budget"
                                                            : "not proven";
    return outpace::report::format_number("%.1f s", p.seconds) + ", " + why;
  }
  /// Clears the bar before the report.
  void finish() const {
    if (terminal) std::cerr << "\r\033[K" << std::flush;
  }
};

/// A status line on stderr while a command works: redrawn in place on a terminal, at most every
/// half second; a plain line at most every ten seconds otherwise.
class StatusLine {
 public:
  /// How often a line may be shown.
  double every_s() const { return terminal_ ? 0.5 : 10; }
  /// Draws `text` now.
  void draw(const std::string& text) const {
    if (terminal_)
      std::cerr << "\r\033[K" << text << std::flush;
    else
      std::cerr << text << "\n";
  }
  /// Draws `text` unless the last line (or the start) was less than every_s() ago.
  void show(const std::string& text) {
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_).count() < every_s()) return;
    last_ = now;
    draw(text);
  }
  /// Seconds since the line was made.
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  /// Clears the line before the report.
  void finish() const {
    if (terminal_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool terminal_ = isatty(STDERR_FILENO) != 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

/// The line of a search in progress: phase, time, evaluations, best cost and the lower bound.
std::string search_line(const outpace::mapper::SearchProgress& p, const std::string& objective) {
  using outpace::report::format_number;
  return "searching (" + p.phase + "): " + format_number("%.1f s", p.seconds) + ", " +
         outpace::report::with_commas(static_cast<std::int64_t>(p.evaluations)) +
         " evaluations, best " + objective + " " +
         (std::isinf(p.best) ? std::string("none yet") : format_number("%.4g", p.best)) +
         ", lower bound " + format_number("%.4g", p.lower_bound);
}

/// Opens the results store the options name, creating its folder; null with --no-cache, and
/// null with a warning when the environment will not let it be opened (a read-only folder, a
/// full disk): a store never costs a result. A file that is not a store is still refused.
std::unique_ptr<outpace::store::ResultsStore> open_cache(const RunOptions& opt) {
  using namespace outpace;
  if (opt.no_cache) return nullptr;
  const std::string path = opt.cache.empty() ? default_cache_path() : opt.cache;
  if (path.empty()) {
    std::cerr << "warning: neither XDG_CACHE_HOME nor HOME is set: results are not cached (use --cache FILE)\n";
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

/// Mappings drawn at random to say why a search found no valid mapping.
constexpr std::uint64_t kWhyDraws = 1000;
/// Kinds of broken rule listed at most.
constexpr std::size_t kWhyRules = 5;

/// Why a search found no valid mapping, for standard error: whether none exists (the search
/// covered the constrained space), the rules mappings drawn at random from the space break
/// first, most frequent first, and the search's statistics, which then say no valid mapping
/// exists instead of "proven optimal: yes".
std::string no_mapping_text(const outpace::mapper::MapSpace& space,
                            const outpace::mapper::MapperResult& res,
                            const outpace::mapper::MapperOptions& mo) {
  using namespace outpace;
  const auto commas = [](std::uint64_t n) {
    return report::with_commas(static_cast<std::int64_t>(n));
  };
  const bool covered = res.stats.proven_optimal;
  std::string out = covered ? "no valid mapping found: none exists in the constrained space\n"
                            : "no valid mapping found\n";
  const mapper::InvalidTally tally = mapper::tally_invalid(space, kWhyDraws, mo.seed, mo.model);
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
  if (!opt.timeloop.empty()) {
    io::TimeloopSpec spec = read_timeloop(opt.timeloop, true);
    einsum = std::move(*spec.problem);
    arch = std::move(*spec.arch);
    mapping = *spec.mapping;
  } else {
    einsum = load_layer(opt.problem, opt.layer);
    check_arch_name(opt.arch);
    arch = io::load_arch(opt.arch);
    mapping = io::load_mapping(opt.mapping, einsum, arch);
  }
  // Timeloop input gets Timeloop's counting where it differs (docs/model.md).
  const model::Options options = opt.timeloop.empty() ? model::Options{} : model::kTimeloopOptions;
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
