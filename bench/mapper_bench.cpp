// The mapper benchmark: a fixed suite of layers on the Eyeriss-, Simba- and TPU-like presets;
// for each, every strategy's best EDP, time to reach it, evaluations per second, whether it is
// proven optimal, and its ratio to the exhaustive search's result. Then the Timeloop-format cases
// (bench/timeloop and any --timeloop-case folder) under Timeloop's counting, and layers searched
// with residual tiles (mapper_bench_cases.hpp). Run in Release:
//   build/bench/mapper_bench [--limit SECONDS] [--threads N] [--only SUBSTRING] [--repeat N]
//                            [--timeloop-case DIR]...
// The exhaustive search runs --repeat times per case (default 3); its times are the median run's.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "arch/presets.hpp"
#include "mapper/constraints.hpp"
#include "mapper/mapper.hpp"
#include "mapper_bench_cases.hpp"
#include "network/zoo.hpp"

namespace {

using namespace outpace;

struct Case {
  const char* arch;
  const char* layer;
};

/// Unique ResNet-50 convolutions, MobileNetV2 depthwise and pointwise, BERT-base GEMMs at
/// sequence 512, a DLRM MLP; docs/zoo.md gives their shapes.
constexpr Case kCases[] = {
    {"eyeriss", "resnet50.conv1"},          {"eyeriss", "resnet50.conv2_1b"},
    {"eyeriss", "resnet50.conv3_2b"},       {"eyeriss", "resnet50.conv4_2b"},
    {"eyeriss", "resnet50.conv5_2b"},       {"eyeriss", "resnet50.conv2_1a"},
    {"eyeriss", "mobilenet_v2.block2_dw"},  {"eyeriss", "mobilenet_v2.block2_project"},
    {"simba", "resnet50.conv3_2b"},         {"simba", "bert_base.q_proj"},
    {"simba", "bert_base.ffn1"},            {"tpu", "bert_base.scores"},
    {"tpu", "dlrm.top_fc1"},                {"tpu", "resnet50.conv4_2c"},
};

struct Run {
  mapper::MapperResult result;
  double edp() const { return result.found ? result.cost.primary : 0; }
};

Run run(const workload::Einsum& e, const arch::Arch& a, const mapper::Constraints& c,
        const char* strategy, int threads, double limit) {
  const mapper::MapSpace space(e, a, c);
  mapper::MapperOptions opt;
  opt.strategy = strategy;
  opt.threads = threads;
  opt.time_limit_s = limit;
  return {mapper::map_layer(space, opt)};
}

/// The preset suite: every case of kCases with every strategy.
int run_suite(const bench::BenchOptions& opt) {
  const double limit = opt.limit;
  const int threads = opt.threads, repeat = opt.repeat;
  const char* only = opt.only;
  std::printf("cores: %u, threads: %d, exhaustive time limit: %.0f s, objective: edp, exhaustive runs per case: %d (median shown)\n",
              std::thread::hardware_concurrency(), threads, limit, repeat);
  std::printf("%-8s %-30s %-10s %12s %8s %9s %9s %12s %7s\n", "arch", "layer", "strategy", "EDP (pJ*cyc)",
              "ratio", "to best s", "total s", "evals/s", "proven");
  bench::Tally tally;
  for (const Case& k : kCases) {
    if (only && !std::strstr(k.layer, only) && !std::strstr(k.arch, only)) continue;
    const auto layer = network::zoo_layer(k.layer);
    const auto arch = arch::preset(k.arch);
    if (!layer || !arch) {
      std::printf("missing case %s on %s\n", k.layer, k.arch);
      return 1;
    }
    const mapper::Constraints c = mapper::arch_constraints(layer->einsum, *arch);
    std::vector<Run> runs;
    for (int i = 0; i < repeat; ++i) runs.push_back(run(layer->einsum, *arch, c, "exhaustive", threads, limit));
    std::sort(runs.begin(), runs.end(),
              [](const Run& a, const Run& b) { return a.result.stats.seconds < b.result.stats.seconds; });
    const Run best = runs[runs.size() / 2];
    tally.add(best.result.stats);
    for (const char* strategy : {"exhaustive", "annealing", "genetic", "random"}) {
      const Run r = std::strcmp(strategy, "exhaustive") ? run(layer->einsum, *arch, c, strategy, threads, limit) : best;
      const mapper::SearchStats& s = r.result.stats;
      if (!r.result.found) {
        std::printf("%-8s %-30s %-10s %12s %8s %9s %9.3f %12.0f %7s\n", k.arch, k.layer, strategy, "none", "-", "-",
                    s.seconds, s.evaluations_per_second(), "no");
        continue;
      }
      std::printf("%-8s %-30s %-10s %12.4e %8.3f %9.3f %9.3f %12.0f %7s\n", k.arch, k.layer, strategy, r.edp(),
                  best.edp() > 0 ? r.edp() / best.edp() : 0.0, s.seconds_to_best, s.seconds,
                  s.evaluations_per_second(), s.proven_optimal ? "yes" : "no");
    }
    if (repeat > 1) {
      std::printf("  exhaustive runs:");
      for (const Run& r : runs) std::printf(" %.3f s%s", r.result.stats.seconds, r.edp() == best.edp() ? "" : " (other EDP)");
      std::printf("\n");
    }
    std::fflush(stdout);
  }
  bench::print_summary(tally);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bench::BenchOptions opt;
  opt.threads = static_cast<int>(std::thread::hardware_concurrency());
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--repeat")) opt.repeat = std::max(1, std::atoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--limit")) opt.limit = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) opt.threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--only")) opt.only = argv[i + 1];
    if (!std::strcmp(argv[i], "--timeloop-case")) opt.timeloop_cases.push_back(argv[i + 1]);
  }
  if (run_suite(opt) != 0) return 1;
  const bool read = bench::run_timeloop_section(opt);
  bench::run_residual_section(opt);
  return read ? 0 : 1;
}
