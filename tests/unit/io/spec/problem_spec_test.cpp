// Problem specs: each example and each builder form gives the same Einsum as the builder
// called by hand; the general form with affine indices matches conv2d.
#include <gtest/gtest.h>

#include "io/spec/problem_spec.hpp"
#include "workload/builders.hpp"

namespace outpace::io {
namespace {

const std::string kExamples = std::string(OUTPACE_SOURCE_DIR) + "/examples/problems/";

workload::ConvShape conv(std::int64_t k, std::int64_t c, std::int64_t pq, std::int64_t rs,
                         std::int64_t stride) {
  workload::ConvShape s;
  s.k = k, s.c = c, s.p = s.q = pq, s.r = s.s = rs, s.stride_h = s.stride_w = stride;
  return s;
}

TEST(ProblemSpec, AlexNetConv1ExampleIsConv2d) {
  const workload::Einsum e = load_problem(kExamples + "alexnet_conv1.yaml");
  EXPECT_EQ(e, workload::conv2d("alexnet.conv1", conv(96, 3, 55, 11, 4)));
  EXPECT_EQ(e.macs(), 105415200);
}

TEST(ProblemSpec, ResNet50ExampleIsConv2d) {
  const workload::Einsum e = load_problem(kExamples + "resnet50_conv3_1.yaml");
  EXPECT_EQ(e, workload::conv2d("resnet50.conv3_1", conv(128, 128, 28, 3, 1)));
}

TEST(ProblemSpec, GemmExample) {
  EXPECT_EQ(load_problem(kExamples + "gemm.yaml"), workload::gemm("gemm64", 64, 64, 64));
}

TEST(ProblemSpec, EinsumFormWithAffineIndicesEqualsConv2d) {
  // Same dimension order and tensors as workload::conv2d, with "2*P + R" for the input rows.
  const workload::Einsum e = load_problem(kExamples + "conv_einsum.yaml");
  EXPECT_EQ(e, workload::conv2d("conv3x3_s2", conv(64, 64, 14, 3, 2)));
}

TEST(ProblemSpec, AffineTermsInEitherOrder) {
  const workload::Einsum e = parse_problem(
      "problem:\n  dimensions: {P: 4, R: 3}\n  tensors:\n"
      "    - {name: I, index: ['P*2 + R*3']}\n    - {name: W, index: [R]}\n"
      "    - {name: O, index: [P], output: true}\n",
      "dir/affine.yaml");
  EXPECT_EQ(e.name, "affine");  // defaults to the file's stem
  ASSERT_EQ(e.tensors[0].dims.size(), 1u);
  const workload::TensorDim& td = e.tensors[0].dims[0];
  ASSERT_EQ(td.terms.size(), 2u);
  EXPECT_EQ(td.terms[0], (workload::Term{0, 2}));
  EXPECT_EQ(td.terms[1], (workload::Term{1, 3}));
  EXPECT_TRUE(e.tensors[2].is_output);
  EXPECT_FALSE(e.tensors[0].is_output);
}

TEST(ProblemSpec, StrideAndDilationPerAxis) {
  workload::ConvShape s = conv(8, 4, 7, 3, 1);
  s.stride_h = 2, s.stride_w = 3, s.dilation_h = 1, s.dilation_w = 2, s.n = 2;
  const workload::Einsum e = parse_problem(
      "problem: {name: c, conv2d: {N: 2, K: 8, C: 4, P: 7, Q: 7, R: 3, S: 3, stride_h: 2,\n"
      "          stride_w: 3, dilation_w: 2}}\n",
      "c.yaml");
  EXPECT_EQ(e, workload::conv2d("c", s));
}

TEST(ProblemSpec, OtherBuilders) {
  workload::ConvShape s = conv(4, 8, 14, 3, 2);
  s.groups = 2;
  EXPECT_EQ(parse_problem("problem: {name: g, grouped_conv2d: {G: 2, K: 4, C: 8, P: 14, Q: 14, "
                          "R: 3, S: 3, stride: 2}}",
                          "g.yaml"),
            workload::grouped_conv2d("g", s));
  EXPECT_EQ(parse_problem("problem: {name: d, depthwise_conv2d: {C: 8, P: 14, Q: 14, R: 3, S: 3, "
                          "stride: 2}}",
                          "d.yaml"),
            workload::depthwise_conv2d("d", conv(1, 8, 14, 3, 2)));
  EXPECT_EQ(parse_problem("problem: {name: b, batched_matmul: {B: 12, M: 128, N: 64, K: 128}}",
                          "b.yaml"),
            workload::batched_matmul("b", 12, 128, 64, 128));
}

TEST(ProblemSpec, UnsetBuilderDimensionsAreOne) {
  EXPECT_EQ(parse_problem("problem: {name: fc, conv2d: {K: 1000, C: 2048}}", "fc.yaml"),
            workload::conv2d("fc", conv(1000, 2048, 1, 1, 1)));
}

TEST(ProblemSpec, SectionsForOtherParsersAreAllowed) {
  const workload::Einsum e = parse_problem(
      "problem: {name: mm, gemm: {M: 2, N: 3, K: 4}}\narchitecture: {}\nmapping: []\n", "all.yaml");
  EXPECT_EQ(e, workload::gemm("mm", 2, 3, 4));
}

}  // namespace
}  // namespace outpace::io
