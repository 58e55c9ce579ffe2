#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "arch/arch.hpp"
#include "common/config_error.hpp"
#include "io/yaml/yaml.hpp"

namespace outpace::io {

/// Reads the value of an `architecture:` section (levels listed outermost first, see
/// docs/formats.md), reporting every problem to `sink`. Nothing if it is unusable.
std::optional<arch::Arch> read_arch(const YamlNode& node, DiagnosticSink& sink);
/// Parses an architecture spec (`architecture:` root); `file` names it in messages. Throws
/// ConfigError listing every problem found.
arch::Arch parse_arch(std::string_view text, const std::string& file);
/// The built-in architecture with this name (toy, eyeriss, simba, tpu) if there is one, else
/// the architecture spec file at this path. Throws ConfigError.
arch::Arch load_arch(const std::string& name_or_path);

}  // namespace outpace::io
