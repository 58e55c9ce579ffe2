#pragma once
// Shared pieces of the Timeloop readers (timeloop_*.cpp): the object reader with Timeloop's key
// policy (unknown keys are warnings), instance ranges like `PE[0..167]`, and the readers
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
#include "io/yaml/object_reader.hpp"
#include "io/yaml/yaml.hpp"
#include "mapping/mapping.hpp"
#include "model/sparsity.hpp"
#include "workload/einsum.hpp"

namespace outpace::io::timeloop {

/// A YAML mapping read the way Timeloop reads it: keys in `used` are read, keys in `ignored`
/// are Timeloop's but not modelled by Outpace, any other key is unknown; both of the latter are
/// warnings. When `kind` is given and the node has a string `name`, the object is called
/// "<kind> '<name>'" in messages, otherwise `what`.
/// A `factors:` value cut at a comma (inside { }, `factors: K=16,2 C=3` reads as factors 'K=16'
/// and a key '2 C=3' without a value) is an error naming the whole text; such keys are not
/// also warned about as unknown.
ObjectReader timeloop_object(const YamlNode& node, std::string what, std::vector<std::string> used,
                             std::vector<std::string> ignored, DiagnosticSink& sink,
                             const char* kind = nullptr);

/// Where the residual part of a factor ends, when `text` from `i` (just after a factor's number)
/// holds one: spaces, a comma, spaces and digits, as in Timeloop's `K=16,2` (16 iterations, the
/// last pass 2); npos otherwise (a comma then a dimension only separates two factors).
std::size_t residual_end(const std::string& text, std::size_t i);

/// A component or subtree name with an optional instance range: `PE[0..167]` is 168 `PE`s.
struct RangedName {
  std::string base;        ///< the name without the range
  std::int64_t count = 1;  ///< instances the range spells (1 without a range)
};

/// Splits `PE[0..167]`; reports a malformed or backwards range (`PE[3..1]`), or one that gives
/// more than 2^31 instances (kMaxSpecCount, docs/formats.md), at `where`.
std::optional<RangedName> parse_ranged_name(const std::string& text, const SourceLocation& where,
                                            const std::string& what, DiagnosticSink& errors);

/// The instances the ranges down to a component make: their product and how it is made.
struct Instances {
  std::int64_t count = 1;  ///< the product, at most 2^31
  std::string ranges;      ///< the ranges past one instance: "System[0..3] x PE[0..167]"
  std::string factors;     ///< their counts: "4 x 168"
};

/// `above` times the range of `name` (written `text` at `where`); nothing, with an error naming
/// the ranges, their product and the limit, when the product passes 2^31.
std::optional<Instances> times(const Instances& above, const std::string& text,
                               const RangedName& name, const SourceLocation& where,
                               const std::string& what, DiagnosticSink& errors);

/// The component a dotted ERT path names: its last element without a range suffix
/// (`system.eyeriss.PE[0..167].mac` -> `mac`).
std::string component_of_path(const std::string& path);

/// What the architecture reader knows besides arch::Arch, for the ERT and the messages.
struct ArchInfo {
  arch::Arch arch;
  std::vector<SourceLocation> level_places;   ///< like arch.levels: where each was written
  std::vector<bool> user_energy;              ///< like arch.levels: vector-access-energy given
  /// Like arch.levels: what timeloop-model charges per vector access for an action its ERT does
  /// not give (vector-access-energy, or its built-in estimate).
  std::vector<double> timeloop_energy;
  SourceLocation compute_place;
};

/// The problem's densities (`commonDensity`, else `densities` by data space, in its `instance`
/// or in the problem itself), onto s (one density per tensor, dense when not given).
void read_densities(const YamlNode& problem, const workload::Einsum& e, model::Sparsity& s,
                    DiagnosticSink& sink);

/// The `sparse_optimizations` section onto s: the data spaces each level gives a representation
/// format, its gating and skipping, the compute unit's own.
void read_sparse_section(const YamlNode& node, const workload::Einsum& e, const arch::Arch& a,
                         model::Sparsity& s, DiagnosticSink& sink);

/// Timeloop's `problem:` (shape + instance) as an Einsum.
std::optional<workload::Einsum> read_problem_section(const YamlNode& node, DiagnosticSink& sink);
/// `architecture:` / `arch:`, in the tree form (version 0.2-0.4) or the older
/// `{storage, arithmetic}` form. Energies from Outpace's built-in table.
std::optional<ArchInfo> read_arch_section(const YamlNode& node, DiagnosticSink& sink);
/// Replaces the energies of the components the `ERT:` tables name (see docs/timeloop.md).
void apply_ert(const YamlNode& node, ArchInfo& info, DiagnosticSink& sink);
/// Timeloop's `mapping:` list of directives, for this problem on this architecture.
std::optional<mapping::Mapping> read_mapping_section(const YamlNode& node,
                                                     const workload::Einsum& einsum,
                                                     const arch::Arch& arch, DiagnosticSink& sink);

}  // namespace outpace::io::timeloop
