#pragma once
// What the evaluation benchmarks share: a ResNet-50 3x3 convolution mapped onto the Eyeriss-like
// preset, and the median rate of model::evaluate over several timed runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "arch/presets.hpp"
#include "model/evaluate.hpp"
#include "workload/builders.hpp"

namespace outpace::bench {

/// A row-stationary-like mapping of a ResNet-50 3x3 convolution (C = K = 128, P = Q = 28) onto
/// the Eyeriss-like preset.
inline mapping::Mapping resnet_mapping(const workload::Einsum& e) {
  const int R = e.dim_index("R"), S = e.dim_index("S"), P = e.dim_index("P"), Q = e.dim_index("Q"),
            C = e.dim_index("C"), K = e.dim_index("K");
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

/// Median evaluations per second over 7 runs of 0.3 s with `options`; prints them.
inline double measure(const workload::Einsum& e, const arch::Arch& a, const mapping::Mapping& m,
                      const model::Options& options = {}) {
  std::vector<double> rates;
  double sink = 0;
  for (int run = 0; run < 7; ++run) {
    const auto start = std::chrono::steady_clock::now();
    long long n = 0;
    double elapsed = 0;
    while (elapsed < 0.3) {
      for (int i = 0; i < 100; ++i) sink += model::evaluate(e, a, m, options).energy_pj;
      n += 100;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    rates.push_back(static_cast<double>(n) / elapsed);
  }
  std::sort(rates.begin(), rates.end());
  const double median = rates[rates.size() / 2];
  std::printf("evaluations/s: %.0f (median of %zu runs, one thread; min %.0f, max %.0f)%s\n",
              median, rates.size(), rates.front(), rates.back(), sink == 0 ? " (no energy?)" : "");
  return median;
}

/// The convolution conv3_x of ResNet-50 (C = K = 128, P = Q = 28, R = S = 3).
inline workload::Einsum resnet_conv() {
  workload::ConvShape s;
  s.c = s.k = 128, s.p = s.q = 28, s.r = s.s = 3;
  return workload::conv2d("resnet50.conv3_x", s);
}

}  // namespace outpace::bench
