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

#include "arch/presets.hpp"
#include "model/evaluate.hpp"
#include "workload/builders.hpp"

using namespace outpace;

namespace {

mapping::Mapping resnet_mapping(const workload::Einsum& e) {
  const int R = e.dim_index("R"), S = e.dim_index("S"), P = e.dim_index("P"),
            Q = e.dim_index("Q"), C = e.dim_index("C"), K = e.dim_index("K");
  const std::uint32_t W = 1u << e.tensor_index("Weights"), I = 1u << e.tensor_index("Inputs"),
                      O = 1u << e.tensor_index("Outputs");
  mapping::LevelMapping psum, weights, ifmap, glb, dram;
  psum.temporal = {{K, 16}};
  psum.keep = O;
  weights.temporal = {{R, 3}, {C, 4}};
  weights.keep = W;
  ifmap.keep = I;
  glb.temporal = {{P, 28}, {Q, 2}};
  glb.spatial = {{Q, 14, mapping::Axis::X}, {S, 3, mapping::Axis::Y}, {K, 4, mapping::Axis::Y}};
  glb.keep = I | O;
  dram.temporal = {{C, 32}, {K, 2}};
  dram.keep = W | I | O;
  mapping::Mapping m;
  m.levels = {psum, weights, ifmap, glb, dram};
  return m;
}

/// Median evaluations per second over 7 runs of 0.3 s; prints them.
double measure(const workload::Einsum& e, const arch::Arch& a, const mapping::Mapping& m) {
  std::vector<double> rates;
  double sink = 0;
  for (int run = 0; run < 7; ++run) {
    const auto start = std::chrono::steady_clock::now();
    long long n = 0;
    double elapsed = 0;
    while (elapsed < 0.3) {
      for (int i = 0; i < 100; ++i) sink += model::evaluate(e, a, m).energy_pj;
      n += 100;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    rates.push_back(static_cast<double>(n) / elapsed);
  }
  std::sort(rates.begin(), rates.end());
  const double median = rates[rates.size() / 2];
  std::printf("evaluations/s: %.0f (median of %zu runs, one thread; min %.0f, max %.0f)%s\n", median,
              rates.size(), rates.front(), rates.back(), sink == 0 ? " (no energy?)" : "");
  return median;
}

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
  workload::ConvShape s;
  s.c = s.k = 128, s.p = s.q = 28, s.r = s.s = 3;
  workload::Einsum e = workload::conv2d("resnet50.conv3_x", s);
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
