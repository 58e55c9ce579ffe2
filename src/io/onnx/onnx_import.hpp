#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "network/network.hpp"

namespace outpace::io {

/// Largest ONNX file read: 1 GiB (larger models keep their weights as external data, which is
/// not needed: only shapes are read).
inline constexpr std::int64_t kMaxOnnxBytes = std::int64_t{1} << 30;

/// A size the user gives for what a model leaves open: either a graph input's whole shape
/// (`name` is the input, `dims` its dimensions) or a symbolic dimension's value (`name` is the
/// dim_param, `dims` one value). An empty name means the model's only graph input.
struct OnnxSize {
  std::string name;
  std::vector<std::int64_t> dims;
  friend bool operator==(const OnnxSize&, const OnnxSize&) = default;
};

/// The network of an ONNX model given as bytes; `file` names it in messages and gives the
/// network its name (the file name without folder and extension). Every tensor's shape comes
/// from ONNX shape inference; a symbolic first dimension of a graph input is read as 1 (the
/// batch), any other unknown dimension must be given in `sizes`. Conv, ConvTranspose (when each
/// input pixel writes its own output block), Gemm and MatMul become layers; ops without MACs
/// are listed in Network::skipped; see docs/onnx.md. Throws ConfigError naming the file, the
/// node and the rule for anything that cannot be read.
network::Network parse_onnx(std::string_view bytes, const std::string& file,
                            const std::vector<OnnxSize>& sizes = {});
/// Reads the ONNX file at `path` (at most kMaxOnnxBytes) with parse_onnx. Throws ConfigError.
network::Network read_onnx(const std::string& path, const std::vector<OnnxSize>& sizes = {});

}  // namespace outpace::io
