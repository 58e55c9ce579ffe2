#include "io/network_source.hpp"

#include "common/config_error.hpp"
#include "network/zoo.hpp"

namespace outpace::io {

network::Network load_network(const std::string& name, const std::string& option) {
  if (auto net = network::zoo_network(name)) return *std::move(net);
  std::string names;
  for (const std::string& n : network::zoo_names()) names += (names.empty() ? "" : ", ") + n;
  throw ConfigError({{SourceLocation{option, 0, 0}, "unknown network '" + name + "'; the built-in ones are " + names}});
}

}  // namespace outpace::io
