#pragma once

#include <cstdint>
#include <string>

#include "workload/einsum.hpp"

namespace outpace::workload {

/// Shape of a 2-D convolution in Timeloop's terms: P and Q are output sizes, so padding is
/// already folded into them.
struct ConvShape {
  std::int64_t n = 1, k = 1, c = 1, p = 1, q = 1, r = 1, s = 1;
  std::int64_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  std::int64_t groups = 1;  ///< k and c are per group when groups > 1
};

/// Conv2d: Outputs[n][k][p][q] += Weights[k][c][r][s] * Inputs[n][c][p*sh+r*dh][q*sw+s*dw].
Einsum conv2d(const std::string& name, const ConvShape& shape);
/// Grouped conv: a G dimension indexes all three tensors; k and c are per group.
Einsum grouped_conv2d(const std::string& name, const ConvShape& shape);
/// Depthwise conv over `shape.c` channels (k is ignored): one filter per channel.
Einsum depthwise_conv2d(const std::string& name, const ConvShape& shape);
/// GEMM: Outputs[m][n] += Inputs[m][k] * Weights[k][n].
Einsum gemm(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k);
/// Batched matmul: Outputs[b][m][n] += Inputs[b][m][k] * Weights[b][k][n].
Einsum batched_matmul(const std::string& name, std::int64_t b, std::int64_t m, std::int64_t n,
                      std::int64_t k);

}  // namespace outpace::workload
