// Cases a reader can check by hand. Both come from Timeloop v3.0.3 runs of public exercises
// (Accelergy-Project/timeloop-accelergy-exercises): the 2020 tutorial's 1-D convolution on a
// single-PE three-level design, and the 2022 "eyeriss_like" design on AlexNet conv1 with its
// reference mapping. The expected counts are Timeloop's own per-instance figures
// (timeloop-model.stats.txt), re-derived by hand in the comments.
#include <gtest/gtest.h>

#include "arch/presets.hpp"
#include "common/eyeriss_alexnet.hpp"
#include "common/mapping_builder.hpp"
#include "model/evaluate.hpp"
#include "workload/builders.hpp"

namespace outpace::model {
namespace {

using mapping::Mapping;

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

/// Outputs[k][p] += Weights[k][r] * Inputs[r + p], K=32 R=3 P=16 (1,536 MACs).
workload::Einsum conv1d() {
  workload::Einsum e;
  e.name = "conv1d+oc";
  e.dim_names = {"K", "R", "P"};
  e.bounds = {32, 3, 16};
  workload::Tensor w{"Weights", {}, false}, i{"Inputs", {}, false}, o{"Outputs", {}, true};
  w.dims = {workload::TensorDim{{{0, 1}}}, workload::TensorDim{{{1, 1}}}};
  i.dims = {workload::TensorDim{{{1, 1}, {2, 1}}}};
  o.dims = {workload::TensorDim{{{0, 1}}}, workload::TensorDim{{{2, 1}}}};
  e.tensors = {w, i, o};
  return e;
}

/// RegisterFile: for K in 2 { for R in 3 } (R innermost), keeps `rf_keep`; GlobalBuffer: for K
/// in 16 { for P in 16 }, keeps `glb_keep`; MainMemory: no loops, keeps every tensor.
Mapping conv1d_mapping(std::initializer_list<std::string_view> rf_keep,
                       std::initializer_list<std::string_view> glb_keep) {
  return test::MappingBuilder(conv1d(), *arch::preset("toy"))
      .level("RegisterFile").temporal("R", 3).temporal("K", 2).keep(rf_keep)
      .level("GlobalBuffer").temporal("P", 16).temporal("K", 16).keep(glb_keep)
      .level("MainMemory").keep_all()
      .build();
}

TEST(HandCases, ToyConv1dMatchesTimeloop) {
  const workload::Einsum e = conv1d();
  const arch::Arch a = *arch::preset("toy");
  const Result r = evaluate(
      e, a, conv1d_mapping({"Weights", "Inputs", "Outputs"}, {"Weights", "Inputs", "Outputs"}));
  ASSERT_TRUE(r.valid);
  // RF weights: tile K2 x R3 = 6, refilled for each of the 16 K steps of the buffer = 96.
  expect_counts(e, a, r, {0, "Weights", 1, 1536, 96, 0});
  // RF inputs: a 3-wide window; 15 P steps bring 1 new word each, and each of the 16 K steps
  // starts over with 3: 16 x (3 + 15) = 288.
  expect_counts(e, a, r, {0, "Inputs", 1, 1536, 288, 0});
  // RF outputs: each of the 512 outputs enters once (no fill), 1,536 updates, 1,024 reads.
  expect_counts(e, a, r, {0, "Outputs", 1, 1024, 0, 1536});
  expect_counts(e, a, r, {1, "Weights", 1, 96, 96, 0});
  expect_counts(e, a, r, {1, "Inputs", 1, 288, 18, 0});
  expect_counts(e, a, r, {1, "Outputs", 1, 0, 0, 512});
  expect_counts(e, a, r, {2, "Weights", 1, 96, 0, 0});
  expect_counts(e, a, r, {2, "Inputs", 1, 18, 0, 0});
  expect_counts(e, a, r, {2, "Outputs", 1, 0, 0, 512});
  EXPECT_EQ(r.cycles, 1536);
  EXPECT_DOUBLE_EQ(r.utilization, 1.0);
}

TEST(HandCases, ToyConv1dWithBypassMatchesTimeloop) {
  const workload::Einsum e = conv1d();
  const arch::Arch a = *arch::preset("toy");
  // The register file keeps only outputs; the buffer keeps weights and inputs and feeds the MAC
  // directly, one read of each per MAC.
  const Result r = evaluate(e, a, conv1d_mapping({"Outputs"}, {"Weights", "Inputs"}));
  ASSERT_TRUE(r.valid);
  expect_counts(e, a, r, {0, "Outputs", 1, 1024, 0, 1536});
  expect_counts(e, a, r, {1, "Weights", 1, 1536, 96, 0});
  expect_counts(e, a, r, {1, "Inputs", 1, 1536, 18, 0});
  expect_counts(e, a, r, {2, "Weights", 1, 96, 0, 0});
  expect_counts(e, a, r, {2, "Inputs", 1, 18, 0, 0});
  expect_counts(e, a, r, {2, "Outputs", 1, 0, 0, 512});
}

TEST(HandCases, EyerissAlexNetConv1MatchesTimeloop) {
  const workload::Einsum e = testing_cases::alexnet_conv1();
  const arch::Arch a = *arch::preset("eyeriss");
  const Mapping m = testing_cases::eyeriss_alexnet_mapping(e);
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
