#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "common/config_error.hpp"
#include "io/yaml/yaml.hpp"
#include "workload/einsum.hpp"

namespace outpace::io {

/// Reads the value of a `problem:` section (builder or Einsum form, see docs/formats.md),
/// reporting every problem to `sink`; `file` gives the default name. Nothing if it is unusable.
std::optional<workload::Einsum> read_problem(const YamlNode& node, const std::string& file,
                                             DiagnosticSink& sink);
/// Parses a problem spec (`problem:` root); `file` names it in messages. Throws ConfigError
/// listing every problem found.
workload::Einsum parse_problem(std::string_view text, const std::string& file);
/// Reads and parses a problem spec file. Throws ConfigError.
workload::Einsum load_problem(const std::string& path);

}  // namespace outpace::io
