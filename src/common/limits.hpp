#pragma once

#include <cstddef>

namespace outpace {

/// Most loop dimensions an Einsum may have.
inline constexpr std::size_t kMaxDims = 8;
/// Most tensors an Einsum may have (operands plus the output).
inline constexpr std::size_t kMaxTensors = 4;
/// Most dimensions a tensor may have.
inline constexpr std::size_t kMaxTensorDims = 6;
/// Most loop dimensions summed in one tensor index (e.g. p*stride + r*dilation).
inline constexpr std::size_t kMaxTerms = 4;
/// Most storage levels an architecture may have.
inline constexpr std::size_t kMaxLevels = 8;

}  // namespace outpace
