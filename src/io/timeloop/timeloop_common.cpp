#include <cctype>

#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io::timeloop {

Object::Object(const YamlNode& node, std::string what, const std::vector<std::string>& used,
               const std::vector<std::string>& ignored, Sinks& sinks, const char* kind)
    : node_(node), what_(std::move(what)), sinks_(sinks) {
  const YamlNode* name = node.find("name");
  if (kind && name && name->kind == YamlKind::kScalar && !name->is_null())
    what_ = std::string(kind) + " '" + name->text + "'";
  if (node.kind != YamlKind::kMapping) {
    sinks.errors.error(node.where,
                       what_ + " must be a mapping of keys to values, got " + node.describe());
    return;
  }
  ok_ = true;
  for (const YamlEntry& e : node.entries) {
    bool is_used = false, is_ignored = false;
    for (const std::string& k : used) is_used = is_used || e.key == k;
    for (const std::string& k : ignored) is_ignored = is_ignored || e.key == k;
    if (is_used) continue;
    sinks.warnings.error(e.where, what_ + ": " +
                                      (is_ignored ? "key '" + e.key + "' is not modelled by Outpace"
                                                  : "unknown key '" + e.key + "'") +
                                      "; ignored");
  }
}

const YamlNode* Object::require(std::string_view key) const {
  const YamlNode* v = get(key);
  if (!v && ok_) sinks_.errors.error(node_.where, what_ + ": missing key '" + std::string(key) + "'");
  return v;
}

std::optional<std::int64_t> Object::integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                                            bool required) const {
  const YamlNode* v = required ? require(key) : get(key);
  return v ? read_int(*v, label(key), lo, hi, sinks_.errors) : std::nullopt;
}

std::optional<std::string> Object::string(std::string_view key, bool required) const {
  const YamlNode* v = required ? require(key) : get(key);
  return v ? read_string(*v, label(key), sinks_.errors) : std::nullopt;
}

namespace {

/// The number a run of digits spells, or -1.
std::int64_t parse_index(const std::string& s) {
  if (s.empty() || s.size() > 10) return -1;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
  return std::stoll(s);
}

}  // namespace

std::optional<RangedName> parse_ranged_name(const std::string& text, const SourceLocation& where,
                                            const std::string& what, DiagnosticSink& errors) {
  const std::size_t open = text.find('[');
  if (open == std::string::npos) return RangedName{text, 1};
  const std::size_t dots = text.find("..", open);
  const std::size_t close = text.find(']', open);
  const std::int64_t first =
      dots == std::string::npos ? -1 : parse_index(text.substr(open + 1, dots - open - 1));
  const std::int64_t last = dots == std::string::npos || close == std::string::npos || close < dots
                                ? -1
                                : parse_index(text.substr(dots + 2, close - dots - 2));
  if (open == 0 || first < 0 || last < 0 || close + 1 != text.size()) {
    errors.error(where, what + ": name '" + text +
                            "' has a malformed instance range; write NAME[first..last], e.g. "
                            "PE[0..167]");
    return std::nullopt;
  }
  if (last < first) {
    errors.error(where, what + ": bad instance range '" + text + "': the last index (" +
                            std::to_string(last) + ") is below the first (" +
                            std::to_string(first) + ")");
    return std::nullopt;
  }
  return RangedName{text.substr(0, open), last - first + 1};
}

std::string component_of_path(const std::string& path) {
  // Split on '.' outside brackets, so the ".." of a range does not split.
  std::string last, cur;
  int depth = 0;
  for (char c : path) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == '.' && depth == 0) {
      last = cur;
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (!cur.empty()) last = cur;
  const std::size_t open = last.find('[');
  return open == std::string::npos ? last : last.substr(0, open);
}

}  // namespace outpace::io::timeloop
