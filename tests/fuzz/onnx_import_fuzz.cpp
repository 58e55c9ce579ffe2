// libFuzzer target: any input is read as an ONNX model by io::parse_onnx, as it is and with a
// shape for a single open graph input. A ConfigError is the expected answer to bad input; any
// other exception, a crash, a leak or undefined behaviour is a bug, and so is an accepted
// network that breaks network::check.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/config_error.hpp"
#include "io/onnx/onnx_import.hpp"

namespace {

using namespace outpace;

/// Touches every count of the accepted network, so UBSan sees any overflow.
void use(const network::Network& n) {
  if (!network::check(n).empty()) __builtin_trap();
  std::int64_t sum = 0;
  for (const network::Layer& l : n.layers) {
    sum ^= l.macs() ^ l.weights();
    for (int t = 0; t < l.einsum.num_tensors(); ++t) sum ^= l.einsum.tensor_size(t);
  }
  volatile std::int64_t sink = sum;
  (void)sink;
}

void read(std::string_view bytes, const std::vector<io::OnnxSize>& sizes) {
  try {
    use(io::parse_onnx(bytes, "fuzz.onnx", sizes));
  } catch (const ConfigError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  read(bytes, {});
  read(bytes, {{"", {1, 3, 16, 16}}});
  return 0;
}
