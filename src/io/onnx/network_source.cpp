#include "io/onnx/network_source.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <vector>

#include "common/config_error.hpp"
#include "io/onnx/onnx_import.hpp"
#include "network/zoo.hpp"

namespace outpace::io {

namespace {

[[noreturn]] void fail(const std::string& option, const std::string& message) {
  throw ConfigError({{SourceLocation{option, 0, 0}, message}});
}

/// "1x3x640x640" as sizes; nothing when it is not numbers of 1 to 12 digits joined by 'x'. A 0
/// is kept: read_onnx refuses each size outside [1, 2^31], naming its input and dimension.
std::optional<std::vector<std::int64_t>> dims(const std::string& text) {
  std::vector<std::int64_t> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t end = std::min(text.find('x', at), text.size());
    const std::string part = text.substr(at, end - at);
    if (part.empty() || part.size() > 12 ||
        part.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    out.push_back(std::stoll(part));
    at = end + 1;
  }
  return out;
}

/// The sizes after "model.onnx:": entries "input=d0xd1x...", "dim_param=value" or "d0xd1x...".
std::vector<OnnxSize> sizes(const std::string& text, const std::string& option) {
  std::vector<OnnxSize> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t end = std::min(text.find(':', at), text.size());
    const std::string entry = text.substr(at, end - at);
    const std::size_t eq = entry.find('=');
    const std::string name = eq == std::string::npos ? "" : entry.substr(0, eq);
    const auto value = dims(eq == std::string::npos ? entry : entry.substr(eq + 1));
    if (!value || (eq != std::string::npos && name.empty()))
      fail(option,
           "'" + entry +
               "' is not a size; after 'model.onnx:' give <input>=<d0>x<d1>x..., "
               "<symbolic dimension>=<value> or, for a model with one input, <d0>x<d1>x..., "
               "separated by ':'");
    out.push_back({name, *value});
    at = end + 1;
  }
  return out;
}

}  // namespace

network::Network load_network(const std::string& name, const std::string& option) {
  if (auto net = network::zoo_network(name)) return *std::move(net);
  const std::size_t suffix = name.find(".onnx:");
  if (suffix != std::string::npos)
    return read_onnx(name.substr(0, suffix + 5), sizes(name.substr(suffix + 6), option));
  std::error_code ec;
  if (name.ends_with(".onnx") || std::filesystem::is_regular_file(name, ec)) return read_onnx(name);
  std::string names;
  for (const std::string& n : network::zoo_names()) names += (names.empty() ? "" : ", ") + n;
  fail(option, "unknown network '" + name + "'; the built-in ones are " + names +
                   ", and an ONNX model is given by its file (model.onnx)");
}

}  // namespace outpace::io
