// Builders and the Einsum's rules.
#include <gtest/gtest.h>

#include "workload/builders.hpp"

namespace outpace::workload {
namespace {

TEST(Builders, ConvShapesAndSizes) {
  ConvShape s;
  s.k = 96, s.c = 3, s.p = s.q = 55, s.r = s.s = 11, s.stride_h = s.stride_w = 4;
  const Einsum e = conv2d("alexnet.conv1", s);
  EXPECT_TRUE(check(e).empty());
  EXPECT_EQ(e.macs(), 105415200);  // 96 x 3 x 55 x 55 x 11 x 11
  EXPECT_EQ(e.tensor_size(e.tensor_index("Inputs")), 3 * 227 * 227);  // (55-1)*4 + 11 = 227
  EXPECT_EQ(e.tensor_size(e.tensor_index("Weights")), 96 * 3 * 11 * 11);
  EXPECT_EQ(e.tensor_size(e.output_index()), 96 * 55 * 55);
}

TEST(Builders, DilationWidensTheWindow) {
  ConvShape s;
  s.p = s.q = 4, s.r = s.s = 3, s.dilation_h = 2;
  const Einsum e = conv2d("d", s);
  // rows: (4-1)*1 + (3-1)*2 + 1 = 8; cols: 3 + 3 = 6.
  EXPECT_EQ(e.tensor_size(e.tensor_index("Inputs")), 8 * 6);
}

TEST(Builders, GroupedDepthwiseGemmBmm) {
  ConvShape s;
  s.groups = 4, s.k = 2, s.c = 3, s.p = s.q = 5, s.r = s.s = 3;
  EXPECT_EQ(grouped_conv2d("g", s).macs(), 4 * 2 * 3 * 25 * 9);
  s.c = 32;
  EXPECT_EQ(depthwise_conv2d("dw", s).macs(), 32 * 25 * 9);
  EXPECT_EQ(gemm("mm", 2, 3, 4).macs(), 24);
  EXPECT_EQ(batched_matmul("bmm", 5, 2, 3, 4).macs(), 120);
  for (const Einsum& e : {grouped_conv2d("g", s), depthwise_conv2d("dw", s), gemm("mm", 2, 3, 4),
                          batched_matmul("bmm", 5, 2, 3, 4)})
    EXPECT_TRUE(check(e).empty()) << e.name;
}

TEST(Check, NamesTheObjectAndTheRule) {
  Einsum e = gemm("mm", 2, 3, 4);
  e.bounds[1] = 0;
  e.tensors[0].dims[0].terms.push_back({e.dim_index("N"), 2});  // Inputs[m + 2n][k]
  e.tensors[1].is_output = true;  // Weights[k][n] is plain: only the output count is wrong
  e.tensors[2].dims[0].terms[0].coef = 3;
  EXPECT_EQ(check_messages(e), (std::vector<std::string>{
                          "dimension 'N': bound 0 must be a positive integer",
                          "tensor 'Outputs': index 1 ('3*M') of the output must be a single "
                          "dimension with coefficient 1",
                          "einsum 'mm': needs exactly one output tensor, has 2"}));
}

TEST(Check, ViolationsSayWhichObjectAndValue) {
  Einsum e = gemm("mm", 2, 3, 4);  // dims M, N, K; tensors Inputs, Weights, Outputs
  e.bounds[1] = 0;
  e.tensors[1].dims[0].terms[0].coef = 70000;  // past kMaxCoefficient = 65536
  const std::vector<Violation> v = check(e);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], (Violation{Rule::kBadBound, 1, -1, 0}));
  EXPECT_EQ(v[0].subject(), Subject::kDimension);
  EXPECT_EQ(v[1], (Violation{Rule::kBadCoefficient, 1, e.tensors[1].dims[0].terms[0].dim, 70000,
                             kMaxCoefficient}));
  EXPECT_EQ(v[1].subject(), Subject::kTensor);
  EXPECT_EQ(describe(v[1], e), "tensor 'Weights': coefficient 70000 of 'K' must be an integer in "
                               "[1, 65536]");
}

// 2^25 x 2^25 x 1 = 2^50 MACs is the most allowed; 2^26 x 2^25 is 2^51. Outputs (M x N) then
// holds 2^51 elements too; Inputs (M x K) and Weights (K x N) stay small.
TEST(Check, SizeRulesCountMacsAndEveryTensor) {
  const std::int64_t m = std::int64_t{1} << 25;
  EXPECT_TRUE(check(gemm("at_limit", m, m, 1)).empty());
  const Einsum e = gemm("past", 2 * m, m, 1);
  EXPECT_EQ(check_messages(e),
            (std::vector<std::string>{"einsum 'past': the bounds multiply to 2.252e+15 MACs, at "
                                      "most 1125899906842624 (2^50) are supported",
                                      "tensor 'Outputs': would hold 2.252e+15 elements, at most "
                                      "1125899906842624 (2^50) are supported"}));
}

}  // namespace
}  // namespace outpace::workload
