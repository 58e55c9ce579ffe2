// Small Einsums and architectures whose whole map space can be enumerated by brute force.
#pragma once

#include "arch/presets.hpp"
#include "mapper/mapspace.hpp"
#include "workload/builders.hpp"
#include "workload/einsum.hpp"

namespace outpace::mapper::testing {

/// Outputs[k][p] += Weights[k][r] * Inputs[p + r]: a 1-D convolution with a sliding window.
inline workload::Einsum conv1d(std::int64_t r, std::int64_t p, std::int64_t k) {
  workload::Einsum e;
  e.name = "conv1d";
  e.dim_names = {"R", "P", "K"};
  e.bounds = {r, p, k};
  workload::Tensor w{"Weights", {}, false}, i{"Inputs", {}, false}, o{"Outputs", {}, true};
  w.dims.push_back({{{2, 1}}});
  w.dims.push_back({{{0, 1}}});
  i.dims.push_back({{{1, 1}, {0, 1}}});
  o.dims.push_back({{{2, 1}}});
  o.dims.push_back({{{1, 1}}});
  e.tensors = {w, i, o};
  return e;
}

/// Three levels: a register file per PE (`rf_words`), 2 x 2 PEs under one buffer, DRAM.
inline arch::Arch small_arch(std::int64_t rf_words, std::int64_t buffer_words) {
  using arch::MemoryKind;
  arch::Arch a;
  a.name = "small";
  a.technology = "45nm";
  a.levels = {arch::make_level("RF", MemoryKind::kRegisterFile, rf_words, 16, 1, 4, 2),
              arch::make_level("Buffer", MemoryKind::kSram, buffer_words, 16, 2, 1, 1),
              arch::make_level("DRAM", MemoryKind::kDram, std::nullopt, 16, 4, 1, 1)};
  a.levels[1].read_bandwidth = 2;
  a.compute = arch::make_compute(4, 2, 16);
  return a;
}

/// Four levels, each with a fanout below it but DRAM's: a register file per MAC (`rf_words`), a
/// buffer per pair of MACs, a buffer over two pairs, DRAM.
inline arch::Arch four_levels(std::int64_t rf_words, std::int64_t mid_words, std::int64_t top_words) {
  using arch::MemoryKind;
  arch::Arch a;
  a.name = "four";
  a.technology = "45nm";
  a.levels = {arch::make_level("RF", MemoryKind::kRegisterFile, rf_words, 16, 1, 4, 2),
              arch::make_level("Mid", MemoryKind::kSram, mid_words, 16, 1, 2, 2),
              arch::make_level("Buffer", MemoryKind::kSram, top_words, 16, 2, 1, 1),
              arch::make_level("DRAM", MemoryKind::kDram, std::nullopt, 16, 4, 1, 1)};
  a.compute = arch::make_compute(4, 2, 16);
  return a;
}

/// The partial tiling of `t` with only the temporal factors of levels up to `decided` known: the
/// others are 1, and rem[d] is what they held of each dimension.
inline Tiling undecided(const MapSpace& space, Tiling t, int decided, std::int64_t* rem) {
  for (int d = 0; d < space.dims(); ++d) {
    rem[d] = 1;
    for (int l = decided + 1; l < space.levels(); ++l)
      rem[d] *= t.temporal[l][d], t.temporal[l][d] = 1;
  }
  return t;
}

}  // namespace outpace::mapper::testing
