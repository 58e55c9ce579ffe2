// Cases a reader can check by hand. The Eyeriss case is Timeloop v3.0.3's run of the public
// exercise "eyeriss_like" on AlexNet conv1 with its 2022 reference mapping; the expected counts
// are Timeloop's own per-instance figures (timeloop-model.stats.txt), re-derived by hand in the
// comments.
#include <gtest/gtest.h>

#include "arch/presets.hpp"
#include "model/evaluate.hpp"
#include "workload/builders.hpp"

namespace outpace::model {
namespace {

using mapping::Axis;
using mapping::LevelMapping;
using mapping::Mapping;

std::uint32_t keep(std::initializer_list<int> tensors) {
  std::uint32_t mask = 0;
  for (int t : tensors) mask |= 1u << t;
  return mask;
}

struct Expected {
  int level;
  const char* tensor;
  std::int64_t instances, reads, fills, updates;  // per instance
};

void expect_counts(const workload::Einsum& e, const arch::Arch& a, const Result& r,
                   const Expected& x) {
  const int t = e.tensor_index(x.tensor);
  const TensorStats& ts = r.levels[x.level].tensors[t];
  const std::string where = a.levels[x.level].name + "/" + x.tensor;
  EXPECT_EQ(r.levels[x.level].used_instances, x.instances) << where;
  EXPECT_EQ(ts.reads, x.reads * x.instances) << where << " reads";
  EXPECT_EQ(ts.fills, x.fills * x.instances) << where << " fills";
  EXPECT_EQ(ts.updates, x.updates * x.instances) << where << " updates";
}

TEST(HandCases, EyerissAlexNetConv1MatchesTimeloop) {
  workload::ConvShape s;
  s.k = 96, s.c = 3, s.p = s.q = 55, s.r = s.s = 11, s.stride_h = s.stride_w = 4;
  const workload::Einsum e = workload::conv2d("alexnet.conv1", s);
  const arch::Arch a = *arch::preset("eyeriss");
  const int R = e.dim_index("R"), S = e.dim_index("S"), P = e.dim_index("P"),
            Q = e.dim_index("Q"), C = e.dim_index("C"), K = e.dim_index("K");
  const int W = e.tensor_index("Weights"), I = e.tensor_index("Inputs"),
            O = e.tensor_index("Outputs");
  Mapping m;
  LevelMapping psum, weights, ifmap, glb, dram;
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
  m.levels = {psum, weights, ifmap, glb, dram};

  const Result r = evaluate(e, a, m);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.macs, 105415200);
  EXPECT_EQ(r.compute_cycles, 798600);  // 105,415,200 MACs over 132 busy PEs
  // psum: one update per MAC; reads elide the first of each of the 8x55x55 outputs a PE holds.
  expect_counts(e, a, r, {0, "Outputs", 132, 774400, 48400, 798600});
  expect_counts(e, a, r, {1, "Weights", 132, 798600, 14520, 0});
  // ifmap: 165 (Q x C) sweeps of P, each 11 + 54 x 4 inputs (window 11, stride 4).
  expect_counts(e, a, r, {2, "Inputs", 132, 798600, 37455, 0});
  expect_counts(e, a, r, {3, "Inputs", 1, 412005, 412005, 0});
  // glb outputs: updates reduced over the 11 S rows; reads = updates - 290,400 outputs.
  expect_counts(e, a, r, {3, "Outputs", 1, 580800, 0, 871200});
  // Weights bypass the glb: DRAM sends them again for every Q.
  expect_counts(e, a, r, {4, "Weights", 1, 1916640, 0, 0});
  expect_counts(e, a, r, {4, "Inputs", 1, 412005, 0, 0});
  expect_counts(e, a, r, {4, "Outputs", 1, 0, 0, 290400});
}

}  // namespace
}  // namespace outpace::model
