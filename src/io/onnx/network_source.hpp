#pragma once

#include <string>

#include "network/network.hpp"

namespace outpace::io {

/// The network a user names on the command line: a built-in one by name (docs/zoo.md), or an
/// ONNX model: a path ending in `.onnx` or naming an existing file, optionally followed by the
/// sizes the model leaves open, `model.onnx:x=1x3x640x640` (a graph input's shape) or
/// `model.onnx:batch=1:seq=128` (symbolic dimensions), see docs/onnx.md.
/// Throws ConfigError naming `option` (e.g. "--net") and the value when nothing matches, or
/// naming the file when the model cannot be read.
network::Network load_network(const std::string& name, const std::string& option = "--net");

}  // namespace outpace::io
