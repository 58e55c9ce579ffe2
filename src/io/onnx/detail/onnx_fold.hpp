#pragma once
// Internal to the ONNX reader: the shape arithmetic that exporters write as ops (Shape, Slice,
// Cast, Concat, Gather, ...), computed while the model is read so that shape inference can see
// through the Reshapes it feeds. Not part of the public API.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "io/onnx/detail/onnx_graph.hpp"

namespace outpace::io::onnx_detail {

/// ONNX's element type codes for the two integer types folded.
inline constexpr int kInt32 = 6;
inline constexpr int kInt64 = 7;
/// Most elements of a tensor the folding computes (shapes are short).
inline constexpr std::size_t kMaxFoldElements = 1024;

/// A small integer tensor whose values are known while the model is read.
struct IntTensor {
  std::vector<std::int64_t> dims;    ///< empty for a scalar
  std::vector<std::int64_t> values;  ///< row-major
  int data_type = kInt64;            ///< kInt32 or kInt64
};

/// The value of the node's first output when the node computes small integers from known values
/// (`values[i]` is input i's, or nullptr) and known shapes (`shapes[i]`, or nullptr); nothing
/// when it does not, or when the result is not a small integer tensor.
std::optional<IntTensor> fold(const Node& node, const std::vector<const IntTensor*>& values,
                              const std::vector<const Shape*>& shapes);

}  // namespace outpace::io::onnx_detail
