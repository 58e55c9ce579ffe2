#pragma once

#include <string>

#include "network/network.hpp"

namespace outpace::io {

/// The network a user names on the command line: a built-in one by name (docs/zoo.md).
/// Throws ConfigError naming `option` (e.g. "--net") and the value when nothing matches.
network::Network load_network(const std::string& name, const std::string& option = "--net");

}  // namespace outpace::io
