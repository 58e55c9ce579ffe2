#include <cctype>

#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io::timeloop {

ObjectReader timeloop_object(const YamlNode& node, std::string what, std::vector<std::string> used,
                             std::vector<std::string> ignored, DiagnosticSink& sink,
                             const char* kind) {
  return ObjectReader(node, std::move(what),
                      KeyPolicy{std::move(used), std::move(ignored), Severity::kWarning}, sink,
                      kind);
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
