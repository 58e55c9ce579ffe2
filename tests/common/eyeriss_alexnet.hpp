#pragma once
// AlexNet conv1 on the Eyeriss-like preset with the row-stationary reference mapping of
// Timeloop's public "eyeriss_like" exercise (2022 mapper result). Shared by the tests that
// check it from different sides (the model by hand, the mapping reader, the command).

#include <initializer_list>

#include "mapping/mapping.hpp"
#include "workload/builders.hpp"

namespace outpace::testing_cases {

/// A keep mask from tensor indices.
inline std::uint32_t keep(std::initializer_list<int> tensors) {
  std::uint32_t mask = 0;
  for (int t : tensors) mask |= 1u << t;
  return mask;
}

/// C=3 K=96 R=S=11 P=Q=55, stride 4 (105,415,200 MACs).
inline workload::Einsum alexnet_conv1() {
  workload::ConvShape s;
  s.k = 96, s.c = 3, s.p = s.q = 55, s.r = s.s = 11, s.stride_h = s.stride_w = 4;
  return workload::conv2d("alexnet.conv1", s);
}

/// psum_spad: K=8, keeps Outputs; weights_spad: R=11, keeps Weights; ifmap_spad keeps Inputs;
/// shared_glb: P=55, spatial K=12 on X and S=11 on Y, keeps Inputs and Outputs; DRAM: C=3
/// (innermost) then Q=55, keeps all.
inline mapping::Mapping eyeriss_alexnet_mapping(const workload::Einsum& e) {
  using mapping::Axis;
  const int R = e.dim_index("R"), S = e.dim_index("S"), P = e.dim_index("P"),
            Q = e.dim_index("Q"), C = e.dim_index("C"), K = e.dim_index("K");
  const int W = e.tensor_index("Weights"), I = e.tensor_index("Inputs"),
            O = e.tensor_index("Outputs");
  mapping::LevelMapping psum, weights, ifmap, glb, dram;
  psum.temporal = {{K, 8}};
  psum.keep = keep({O});
  weights.temporal = {{R, 11}};
  weights.keep = keep({W});
  ifmap.keep = keep({I});
  glb.temporal = {{P, 55}};
  glb.spatial = {{K, 12, Axis::X}, {S, 11, Axis::Y}};
  glb.keep = keep({I, O});
  dram.temporal = {{C, 3}, {Q, 55}};
  dram.keep = keep({W, I, O});
  mapping::Mapping m;
  m.levels = {psum, weights, ifmap, glb, dram};
  return m;
}

}  // namespace outpace::testing_cases
