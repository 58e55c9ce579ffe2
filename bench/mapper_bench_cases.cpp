#include "mapper_bench_cases.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

#include "arch/presets.hpp"
#include "io/timeloop/timeloop_constraints.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "mapper/constraints.hpp"
#include "netmap/layer_constraints.hpp"
#include "network/zoo.hpp"
#include "workload/builders.hpp"

namespace outpace::bench {

void Tally::add(const mapper::SearchStats& s) {
  ++cases;
  if (s.proven_optimal) ++proven, proven_seconds.push_back(s.seconds);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void print_summary(const Tally& t) {
  const auto& v = t.proven_seconds;
  std::printf("exhaustive: proven optimal on %d of %d cases; ", t.proven, t.cases);
  std::printf("median time of the proven %.3f s, max %.3f s\n", median(v),
              v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
}

bool selected(const char* only, const std::vector<std::string>& names) {
  return !only || std::any_of(names.begin(), names.end(), [&](const std::string& n) {
    return n.find(only) != std::string::npos;
  });
}

namespace {

namespace fs = std::filesystem;

/// One layer to search, its space and how to search it.
struct Case {
  std::string arch;   ///< the column naming the architecture
  std::string layer;  ///< the column naming the layer
  workload::Einsum einsum;
  arch::Arch hardware;
  mapper::Constraints constraints;
};

/// The search of `space` with `options`, `strategy` and the bench's threads and time limit.
mapper::MapperResult search(const mapper::MapSpace& space, mapper::MapperOptions options,
                            const char* strategy, const BenchOptions& bench) {
  options.strategy = strategy;
  options.threads = bench.threads;
  options.time_limit_s = bench.limit;
  return mapper::map_layer(space, options);
}

/// `--repeat` runs of the search; the median one by wall time, after a line with every run's
/// time (when there is more than one).
mapper::MapperResult median_run(const mapper::MapSpace& space, const mapper::MapperOptions& options,
                                const BenchOptions& bench, std::string& runs_line) {
  std::vector<mapper::MapperResult> runs;
  for (int i = 0; i < bench.repeat; ++i)
    runs.push_back(search(space, options, "exhaustive", bench));
  std::sort(runs.begin(), runs.end(),
            [](const auto& a, const auto& b) { return a.stats.seconds < b.stats.seconds; });
  const mapper::MapperResult best = runs[runs.size() / 2];
  if (runs.size() > 1) {
    runs_line = "  exhaustive runs:";
    char text[64];
    for (const auto& r : runs) {
      std::snprintf(text, sizeof text, " %.3f s%s", r.stats.seconds,
                    r.cost.primary == best.cost.primary ? "" : " (other cost)");
      runs_line += text;
    }
    runs_line += "\n";
  }
  return best;
}

/// One row: the cost, its ratio to `best`, the times, evaluations per second, whether proven,
/// and `extra` (energy per MAC, or whether the mapping has residual tiles).
void print_row(const Case& k, const char* label, const mapper::MapperResult& r, double best,
               const std::string& extra) {
  const mapper::SearchStats& s = r.stats;
  if (!r.found) {
    std::printf("%-8s %-30s %-10s %12s %8s %9s %9.3f %12.0f %7s\n", k.arch.c_str(), k.layer.c_str(),
                label, "none", "-", "-", s.seconds, s.evaluations_per_second(), "no");
    return;
  }
  std::printf("%-8s %-30s %-10s %12.4e %8.3f %9.3f %9.3f %12.0f %7s %s\n", k.arch.c_str(),
              k.layer.c_str(), label, r.cost.primary, best > 0 ? r.cost.primary / best : 0.0,
              s.seconds_to_best, s.seconds, s.evaluations_per_second(),
              s.proven_optimal ? "yes" : "no", extra.c_str());
}

void print_header(const char* cost, const char* extra) {
  std::printf("%-8s %-30s %-10s %12s %8s %9s %9s %12s %7s %s\n", "arch", "layer", "strategy", cost,
              "ratio", "to best s", "total s", "evals/s", "proven", extra);
}

// ---- Timeloop's counting ----

/// The YAML files of a case folder and its subfolders (e.g. arch/components), sorted.
std::vector<std::string> yaml_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
      out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The case a folder of Timeloop files gives, read as `outpace map --timeloop` reads them (the
/// constraints its files give, checked; warnings dropped); nothing, with the reason on stderr,
/// when they cannot be read.
std::optional<Case> timeloop_case(const fs::path& dir) {
  try {
    io::TimeloopSpec spec = io::load_timeloop(yaml_files(dir));
    if (!spec.problem || !spec.arch) {
      std::fprintf(stderr, "%s: no problem or no architecture among its YAML files\n", dir.c_str());
      return std::nullopt;
    }
    DiagnosticSink sink;
    mapper::Constraints c = io::read_timeloop_constraints(spec, sink);
    sink.throw_if_any();
    netmap::ConstraintSources where;
    where.from_file = !io::constraints_files(spec).empty();
    netmap::finish_constraints(mapper::Dataflow::kFree, where, *spec.problem, *spec.arch, c);
    return Case{"timeloop", dir.filename().string(), std::move(*spec.problem),
                std::move(*spec.arch), std::move(c)};
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", dir.c_str(), e.what());
    return std::nullopt;
  }
}

/// Folders under bench/timeloop (sorted), then the ones given on the command line.
std::vector<fs::path> timeloop_dirs(const BenchOptions& bench) {
  std::vector<fs::path> out;
  if (fs::is_directory(OUTPACE_BENCH_TIMELOOP_DIR))
    for (const auto& entry : fs::directory_iterator(OUTPACE_BENCH_TIMELOOP_DIR))
      if (entry.is_directory()) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  for (const std::string& dir : bench.timeloop_cases) out.emplace_back(dir);
  return out;
}

/// Energy per MAC of a result, as the extra column.
std::string per_mac(const mapper::MapperResult& r) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", r.found ? r.result.energy_per_mac_pj() : 0.0);
  return text;
}

/// The exhaustive search `--repeat` times, then annealing, genetic and random once, each row's
/// ratio to the exhaustive (median) result.
void run_timeloop_case(const Case& k, const BenchOptions& bench, Tally& tally) {
  const mapper::MapSpace space(k.einsum, k.hardware, k.constraints,
                               model::exact_counting(model::kTimeloopOptions));
  mapper::MapperOptions options;
  options.objective = *mapper::parse_objective("energy");
  options.model = model::kTimeloopOptions;
  std::string runs_line;
  const mapper::MapperResult best = median_run(space, options, bench, runs_line);
  tally.add(best.stats);
  print_row(k, "exhaustive", best, best.cost.primary, per_mac(best));
  for (const char* strategy : {"annealing", "genetic", "random"}) {
    const mapper::MapperResult r = search(space, options, strategy, bench);
    print_row(k, strategy, r, best.cost.primary, per_mac(r));
  }
  std::printf("%s", runs_line.c_str());
  std::fflush(stdout);
}

// ---- Residual tiles ----

/// DLRM's top_fc1 (K = 479, a prime) and BERT-base's query projection at sequence 384 (M = 384,
/// N = K = 768), both on the Eyeriss-like preset under its own constraints. On its 14 columns
/// the bounds' divisors leave PEs idle (neither 479 nor 384 nor 768 has a factor 7), which
/// residual tiles can fill.
std::vector<Case> residual_cases() {
  std::vector<Case> out;
  const arch::Arch eyeriss = *arch::preset("eyeriss");
  const auto add = [&](std::string layer, workload::Einsum e) {
    mapper::Constraints c = mapper::arch_constraints(e, eyeriss);
    out.push_back({"eyeriss", std::move(layer), std::move(e), eyeriss, std::move(c)});
  };
  add("dlrm.top_fc1", network::zoo_layer("dlrm.top_fc1")->einsum);
  add("bert_base.q_proj seq 384", workload::gemm("q_proj", 384, 768, 768));
  return out;
}

/// Whether the mapping has residual tiles, and the padded bounds searched first.
std::string residual_note(const mapper::MapperResult& r) {
  std::string out = r.found && r.stats.residual ? "yes" : "no";
  if (!r.stats.padded.empty()) out += " (padded " + r.stats.padded + ")";
  return out;
}

/// The residual map space's search `--repeat` times, then the exhaustive search of the dividing
/// factors once; both rows' ratio to the residual (median) result.
void run_residual_case(const Case& k, const BenchOptions& bench, Tally& tally) {
  const mapper::MapSpace space(k.einsum, k.hardware, k.constraints);
  mapper::MapperOptions options;
  options.imperfect = true;
  std::string runs_line;
  const mapper::MapperResult best = median_run(space, options, bench, runs_line);
  tally.add(best.stats);
  print_row(k, "residual", best, best.cost.primary, residual_note(best));
  options.imperfect = false;
  const mapper::MapperResult divisors = search(space, options, "exhaustive", bench);
  print_row(k, "divisors", divisors, best.cost.primary, residual_note(divisors));
  std::printf("%s", runs_line.c_str());
  std::fflush(stdout);
}

}  // namespace

void run_residual_section(const BenchOptions& bench) {
  std::printf(
      "\nResidual tiles (MapperOptions::imperfect) against the dividing factors only, objective: "
      "edp\n");
  print_header("EDP (pJ*cyc)", "residual tiles");
  Tally tally;
  for (const Case& k : residual_cases())
    if (selected(bench.only, {"residual", k.arch, k.layer})) run_residual_case(k, bench, tally);
  print_summary(tally);
}

bool run_timeloop_section(const BenchOptions& bench) {
  std::printf(
      "\nTimeloop's counting (model::kTimeloopOptions), objective: energy, each folder's "
      "constraints\n");
  print_header("energy (pJ)", "pJ/MAC");
  Tally tally;
  bool ok = true;
  for (const fs::path& dir : timeloop_dirs(bench)) {
    if (!selected(bench.only, {"timeloop", dir.filename().string()})) continue;
    const std::optional<Case> k = timeloop_case(dir);
    if (!k) {
      ok = false;
      continue;
    }
    run_timeloop_case(*k, bench, tally);
  }
  print_summary(tally);
  return ok;
}

}  // namespace outpace::bench
