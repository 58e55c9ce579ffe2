#pragma once

#include <string>
#include <string_view>

#include "io/yaml/yaml.hpp"
#include "mapper/constraints.hpp"

namespace outpace::io {

/// Applies the value of a `constraints:` section (docs/formats.md, "Constraints") to `c`, which
/// holds the constraints so far (e.g. an architecture preset's), reporting every problem to
/// `sink`: fixed and largest factors replace earlier ones, kept and bypassed tensors and
/// allowed spatial dimensions add to them, a required innermost order replaces the earlier one.
void read_constraints(const YamlNode& node, const workload::Einsum& einsum, const arch::Arch& arch,
                      mapper::Constraints& c, DiagnosticSink& sink);

/// Parses a constraints spec (`constraints:` root) onto `c`; `file` names it in messages. Throws
/// ConfigError listing every problem found.
void parse_constraints(std::string_view text, const std::string& file, const workload::Einsum& einsum,
                       const arch::Arch& arch, mapper::Constraints& c);

/// Reads and parses a constraints spec file onto `c`. Throws ConfigError.
void load_constraints(const std::string& path, const workload::Einsum& einsum, const arch::Arch& arch,
                      mapper::Constraints& c);

}  // namespace outpace::io
