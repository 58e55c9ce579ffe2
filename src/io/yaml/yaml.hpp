#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config_error.hpp"
#include "common/source_location.hpp"

namespace outpace::io {

/// Deepest nesting of lists and mappings a YAML document may have.
inline constexpr int kMaxYamlDepth = 64;
/// Most nodes a YAML document may have once its aliases are expanded.
inline constexpr std::size_t kMaxYamlNodes = 100000;

/// What a YAML node holds.
enum class YamlKind { kScalar, kSequence, kMapping };

struct YamlEntry;  // below: a mapping key and its value

/// One node of a parsed YAML document, with the place it starts in the file.
struct YamlNode {
  YamlKind kind = YamlKind::kScalar;
  SourceLocation where;
  std::string text;               ///< the value of a scalar
  bool plain = true;              ///< a scalar written without quotes
  std::vector<YamlNode> items;    ///< the items of a sequence
  std::vector<YamlEntry> entries; ///< the entries of a mapping, in file order

  /// True for a plain scalar that YAML reads as null: empty, "~" or "null".
  bool is_null() const;
  /// The value of mapping key `key`, or null when absent (or not a mapping).
  const YamlNode* find(std::string_view key) const;
  /// "a mapping", "a list" or "'text'", for messages.
  std::string describe() const;
};

/// One key of a mapping with the place the key is written, and its value.
struct YamlEntry {
  std::string key;       ///< the key's text
  SourceLocation where;  ///< where the key is written
  YamlNode value;        ///< the value under the key
};

/// Parses one YAML document. Problems (syntax, nesting deeper than kMaxYamlDepth, bad aliases,
/// duplicate keys, several documents) go to `sink`; returns no node if the text is unusable.
std::optional<YamlNode> parse_yaml(std::string_view text, const std::string& file,
                                   DiagnosticSink& sink);

}  // namespace outpace::io
