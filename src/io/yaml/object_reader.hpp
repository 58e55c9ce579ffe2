#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config_error.hpp"
#include "io/yaml/yaml.hpp"

namespace outpace::io {

/// Largest count (bound, capacity, instances, factor) a spec may give: 2^31.
inline constexpr std::int64_t kMaxSpecCount = std::int64_t{1} << 31;

/// "a, b, c": names joined for a message that lists the valid choices.
std::string join_names(const std::vector<std::string>& names);

/// The integer a scalar spells (decimal, optional sign), within [lo, hi]; otherwise reports
/// "<label> must be an integer, got ..." or "<label> <value> must be at least/at most ...".
std::optional<std::int64_t> read_int(const YamlNode& node, const std::string& label,
                                     std::int64_t lo, std::int64_t hi, DiagnosticSink& sink);
/// The finite number a scalar spells, within [lo, hi]; otherwise reports a located error.
std::optional<double> read_double(const YamlNode& node, const std::string& label, double lo,
                                  double hi, DiagnosticSink& sink);
/// The text of a non-null scalar; otherwise reports "<label> must be a string, got ...".
std::optional<std::string> read_string(const YamlNode& node, const std::string& label,
                                       DiagnosticSink& sink);
/// true/false (also yes/no, on/off); otherwise reports a located error.
std::optional<bool> read_bool(const YamlNode& node, const std::string& label,
                              DiagnosticSink& sink);
/// The items of a list; a lone non-null scalar counts as a list of one. Reports anything else.
std::optional<std::vector<const YamlNode*>> read_list(const YamlNode& node,
                                                      const std::string& label,
                                                      DiagnosticSink& sink);
/// A list of strings (a lone string counts as a list of one).
std::optional<std::vector<std::pair<std::string, const YamlNode*>>> read_string_list(
    const YamlNode& node, const std::string& label, DiagnosticSink& sink);

/// The keys an object may have, and what becomes of the others.
struct KeyPolicy {
  std::vector<std::string> read;     ///< keys the reader uses
  std::vector<std::string> ignored;  ///< keys the format has that Outpace does not model: a
                                     ///< warning each ("key 'x' is not modelled by Outpace")
  /// Any other key: an error listing the allowed keys (Outpace's own formats), or a warning
  /// that it is ignored (another tool's format, whose keys Outpace may not all know).
  Severity unknown = Severity::kError;
};

/// Reads one YAML mapping as an object with a known set of keys: reports a node that is not a
/// mapping, and every key it does not read as the KeyPolicy says. The typed getters report
/// located errors naming the object and the key, and return nothing when the key is absent or
/// its value is bad.
class ObjectReader {
 public:
  /// Checks that `node` is a mapping and its keys against `keys`. When `kind` is given and the
  /// mapping has a string under `name_key`, the object is called "<kind> '<name>'" in messages,
  /// otherwise `what`.
  ObjectReader(const YamlNode& node, std::string what, const KeyPolicy& keys, DiagnosticSink& sink,
               const char* kind = nullptr, const char* name_key = "name");
  /// An object whose keys must all be in `allowed` ("<what>: unknown key 'x'; allowed keys are
  /// ..." otherwise).
  ObjectReader(const YamlNode& node, std::string what, std::initializer_list<const char*> allowed,
               DiagnosticSink& sink, const char* kind = nullptr, const char* name_key = "name");

  /// True when the node is a mapping.
  bool ok() const { return ok_; }
  /// The object's description used in messages, e.g. "level 'GLB'".
  const std::string& what() const { return what_; }
  /// The node being read.
  const YamlNode& node() const { return node_; }
  /// The sink errors go to.
  DiagnosticSink& sink() const { return sink_; }

  /// The value of `key`, or null when absent.
  const YamlNode* get(std::string_view key) const;
  /// The value of `key`; reports "<what>: missing key '<key>'" when absent.
  const YamlNode* require(std::string_view key) const;
  /// "<what>: <key>", the label of a value in messages.
  std::string label(std::string_view key) const;

  /// An integer in [lo, hi]; reports when required and absent.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                                      bool required = false) const;
  /// A finite number in [lo, hi]; reports when required and absent.
  std::optional<double> number(std::string_view key, double lo, double hi,
                               bool required = false) const;
  /// A string; reports when required and absent.
  std::optional<std::string> string(std::string_view key, bool required = false) const;
  /// A boolean; reports when required and absent.
  std::optional<bool> boolean(std::string_view key, bool required = false) const;
  /// The keys of the object that are present among `keys`.
  std::vector<std::string> present(std::initializer_list<const char*> keys) const;

 private:
  const YamlNode& node_;
  std::string what_;
  DiagnosticSink& sink_;
  bool ok_ = false;
};

/// Most problems of one file that a ConfigError lists; the rest are counted in a last line.
inline constexpr std::size_t kMaxReportedErrors = 100;

/// Throws ConfigError with everything in `sink`, sorted by line and column, if it holds
/// anything (at most kMaxReportedErrors of them, then a line counting the others).
void throw_sorted(const DiagnosticSink& sink);

/// The value of section `section` (e.g. "problem") of a spec document: the root must be a
/// mapping holding that key; its other keys must be among `sections` (one file may hold a
/// problem, an architecture and a mapping). Reports problems and returns null when missing.
const YamlNode* spec_section(const std::optional<YamlNode>& root, const std::string& file,
                             const char* section, DiagnosticSink& sink);

}  // namespace outpace::io
