// Single-thread throughput of model::evaluate on a ResNet-50 3x3 convolution (conv3_x: C=K=128,
// P=Q=28, R=S=3) mapped row-stationary-like onto the Eyeriss-like preset.
// Prints `evaluations/s: N` (median of 7 runs) and its ratio to the bar of 1,000,000 per core;
// then the same for the layer with K = 120 on the same factors (residual tiles, docs/model.md).
// `eval_bench --count N` instead runs exactly N evaluations of each case and prints only their
// energy, for instruction counts that do not depend on time (valgrind --tool=callgrind).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "eval_case.hpp"

using namespace outpace;

namespace {

using bench::measure;
using bench::resnet_mapping;

bool describe(const workload::Einsum& e, const arch::Arch& a, const mapping::Mapping& m) {
  const model::Result check = model::evaluate(e, a, m);
  if (!check.valid) {
    std::fprintf(stderr, "benchmark mapping is invalid\n");
    return false;
  }
  std::printf("case: %s on %s, K = %lld, %.4f pJ/MAC, %lld cycles\n", e.name.c_str(),
              a.name.c_str(), static_cast<long long>(e.bounds[e.dim_index("K")]),
              check.energy_per_mac_pj(), static_cast<long long>(check.cycles));
  return true;
}

/// Exactly `count` evaluations; prints their summed energy so that none is optimized away.
void run_count(const workload::Einsum& e, const arch::Arch& a, const mapping::Mapping& m,
               long long count) {
  double sum = 0;
  for (long long i = 0; i < count; ++i) sum += model::evaluate(e, a, m).energy_pj;
  std::printf("%lld evaluations, energy sum %.6g pJ\n", count, sum);
}

}  // namespace

int main(int argc, char** argv) {
  const long long count = argc == 3 && !std::strcmp(argv[1], "--count") ? std::atoll(argv[2]) : 0;
  workload::Einsum e = bench::resnet_conv();
  const arch::Arch a = *arch::preset("eyeriss");
  const mapping::Mapping m = resnet_mapping(e);
  if (count > 0) {
    run_count(e, a, m, count);
    e.bounds[e.dim_index("K")] = 120;
    run_count(e, a, m, count / 100);  // fewer: a residual evaluation costs several perfect ones
    return 0;
  }
  std::printf("cores: %u\n", std::thread::hardware_concurrency());
  if (!describe(e, a, m)) return 1;
  const double perfect = measure(e, a, m);
  std::printf("ratio to the bar of 1,000,000/s: %.2f\n", perfect / 1e6);
  e.bounds[e.dim_index("K")] = 120;  // 16 x 4 x 2 = 128 > 120: the last K tiles are residual
  if (!describe(e, a, m)) return 1;
  const double residual = measure(e, a, m);
  std::printf("residual tiles: %.1fx slower than perfect factors\n", perfect / residual);
  return 0;
}
