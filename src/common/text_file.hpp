#pragma once

#include <string>

namespace outpace {

/// The whole content of a file; a missing or unreadable file is a ConfigError naming the path.
std::string read_text_file(const std::string& path);

}  // namespace outpace
