#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "arch/arch.hpp"
#include "common/config_error.hpp"
#include "io/yaml/yaml.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::io {

/// Reads the value of a `mapping:` section (one entry per level, see docs/formats.md) for this
/// Einsum on this architecture, reporting every problem to `sink`. Factor products, fanout and
/// capacity are not checked here: mapping::validate and model::evaluate report them.
std::optional<mapping::Mapping> read_mapping(const YamlNode& node, const workload::Einsum& einsum,
                                             const arch::Arch& arch, DiagnosticSink& sink);
/// Parses a mapping spec (`mapping:` root); `file` names it in messages. Throws ConfigError
/// listing every problem found.
mapping::Mapping parse_mapping(std::string_view text, const std::string& file,
                               const workload::Einsum& einsum, const arch::Arch& arch);
/// Reads and parses a mapping spec file. Throws ConfigError.
mapping::Mapping load_mapping(const std::string& path, const workload::Einsum& einsum,
                              const arch::Arch& arch);

/// The mapping as a mapping spec (`mapping:` root, every level listed innermost first with its
/// temporal loops innermost first, its spatial loops along X then Y, and the tensors it keeps),
/// which parse_mapping reads back to the same mapping up to the order of X and Y loops.
std::string write_mapping(const workload::Einsum& einsum, const arch::Arch& arch,
                          const mapping::Mapping& mapping);

}  // namespace outpace::io
