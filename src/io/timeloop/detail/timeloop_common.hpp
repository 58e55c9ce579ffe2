#pragma once
// Shared pieces of the Timeloop readers (timeloop_*.cpp): the two sinks, a lenient object
// reader whose unknown keys are warnings, instance ranges like `PE[0..167]`, and the readers
// of each root section. Not part of the public API: include io/timeloop_spec.hpp instead.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arch/arch.hpp"
#include "arch/energy_table.hpp"
#include "common/config_error.hpp"
#include "io/yaml/yaml.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::io::timeloop {

/// Errors (the input cannot be used) and warnings (something is ignored), kept apart.
struct Sinks {
  DiagnosticSink errors;
  DiagnosticSink warnings;
};

/// A YAML mapping read the way Timeloop reads it: keys in `used` are read, keys in `ignored`
/// are known to Timeloop but not modelled by Outpace, any other key is unknown; both of the
/// latter get one warning each. Typed getters report located errors naming the object.
class Object {
 public:
  /// When `kind` is given and the node has a string `name`, the object is called
  /// "<kind> '<name>'" in messages, otherwise `what`.
  Object(const YamlNode& node, std::string what, const std::vector<std::string>& used,
         const std::vector<std::string>& ignored, Sinks& sinks, const char* kind = nullptr);

  /// True when the node is a mapping.
  bool ok() const { return ok_; }
  /// The object's name in messages, e.g. "level 'GLB'".
  const std::string& what() const { return what_; }
  const YamlNode& node() const { return node_; }
  Sinks& sinks() const { return sinks_; }
  /// The value of `key`, or null.
  const YamlNode* get(std::string_view key) const { return node_.find(key); }
  /// The value of `key`; reports "<what>: missing key '<key>'" when absent.
  const YamlNode* require(std::string_view key) const;
  /// "<what>: <key>", the label of a value in messages.
  std::string label(std::string_view key) const { return what_ + ": " + std::string(key); }
  /// An integer in [lo, hi], if present and good.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                                      bool required = false) const;
  /// A string, if present and good.
  std::optional<std::string> string(std::string_view key, bool required = false) const;

 private:
  const YamlNode& node_;
  std::string what_;
  Sinks& sinks_;
  bool ok_ = false;
};

/// A component or subtree name with an optional instance range: `PE[0..167]` is 168 `PE`s.
struct RangedName {
  std::string base;        ///< the name without the range
  std::int64_t count = 1;  ///< instances the range spells (1 without a range)
};

/// Splits `PE[0..167]`; reports a malformed or backwards range (`PE[3..1]`) at `where`.
std::optional<RangedName> parse_ranged_name(const std::string& text, const SourceLocation& where,
                                            const std::string& what, DiagnosticSink& errors);

/// The component a dotted ERT path names: its last element without a range suffix
/// (`system.eyeriss.PE[0..167].mac` -> `mac`).
std::string component_of_path(const std::string& path);

/// What the architecture reader knows besides arch::Arch, for the ERT and the messages.
struct ArchInfo {
  arch::Arch arch;
  std::vector<SourceLocation> level_places;   ///< like arch.levels: where each was written
  std::vector<bool> user_energy;              ///< like arch.levels: vector-access-energy given
  SourceLocation compute_place;
};

/// Timeloop's `problem:` (shape + instance) as an Einsum.
std::optional<workload::Einsum> read_problem_section(const YamlNode& node, Sinks& sinks);
/// `architecture:` / `arch:`, in the tree form (version 0.2-0.4) or the older
/// `{storage, arithmetic}` form. Energies from Outpace's built-in table.
std::optional<ArchInfo> read_arch_section(const YamlNode& node, Sinks& sinks);
/// Replaces the energies of the components the `ERT:` tables name (see docs/timeloop.md).
void apply_ert(const YamlNode& node, ArchInfo& info, Sinks& sinks);
/// Timeloop's `mapping:` list of directives, for this problem on this architecture.
std::optional<mapping::Mapping> read_mapping_section(const YamlNode& node,
                                                     const workload::Einsum& einsum,
                                                     const arch::Arch& arch, Sinks& sinks);

}  // namespace outpace::io::timeloop
