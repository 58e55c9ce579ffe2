#include "io/timeloop/detail/timeloop_common.hpp"

#include <algorithm>
#include <cctype>

#include "io/yaml/object_reader.hpp"

namespace outpace::io::timeloop {

namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

/// A key without a value that holds a digit: no key of Timeloop's does, so it is the rest of a
/// value cut at a comma, like '2 C=3' of `{factors: K=16,2 C=3}`.
bool is_cut_piece(const YamlEntry& e) {
  return e.value.is_null() && std::any_of(e.key.begin(), e.key.end(), is_digit);
}

/// Reports each `factors:` of `node` followed by cut pieces; returns the pieces' keys.
std::vector<std::string> cut_factor_keys(const YamlNode& node, const std::string& what,
                                         DiagnosticSink& sink) {
  std::vector<std::string> keys;
  const std::vector<YamlEntry>& en = node.entries;
  for (std::size_t i = 0; node.kind == YamlKind::kMapping && i < en.size(); ++i) {
    if (en[i].key != "factors" || en[i].value.kind != YamlKind::kScalar) continue;
    const std::string& value = en[i].value.text;
    std::string whole = value, pieces;
    std::size_t j = i + 1;
    for (; j < en.size() && is_cut_piece(en[j]); ++j) {
      whole += "," + en[j].key;
      pieces += (pieces.empty() ? "'" : ", '") + en[j].key + "'";
      keys.push_back(en[j].key);
    }
    if (j == i + 1) continue;
    std::string message = what + ": factors: '" + whole +
                          "' is cut at its comma (inside { } a comma ends a value, leaving '" +
                          value + "' and " + (j == i + 2 ? "a key " : "keys ") + pieces + ")";
    const std::string& first = en[i + 1].key;
    const std::size_t digits =
        std::find_if_not(first.begin(), first.end(), is_digit) - first.begin();
    if (digits > 0)
      message += ", and residual factors such as '" + value.substr(value.find_last_of(" \t") + 1) +
                 "," + first.substr(0, digits) +
                 "' are not supported; write DIM=N terms separated by spaces, e.g. C=3 M=4";
    else
      message += "; separate the factors by spaces, or quote the text";
    sink.error(en[i].value.where, message);
    i = j - 1;
  }
  return keys;
}

}  // namespace

ObjectReader timeloop_object(const YamlNode& node, std::string what, std::vector<std::string> used,
                             std::vector<std::string> ignored, DiagnosticSink& sink,
                             const char* kind) {
  for (std::string& key : cut_factor_keys(node, what, sink)) used.push_back(std::move(key));
  return ObjectReader(node, std::move(what),
                      KeyPolicy{std::move(used), std::move(ignored), Severity::kWarning}, sink,
                      kind);
}

std::size_t residual_end(const std::string& text, std::size_t i) {
  while (i < text.size() && is_space(text[i])) ++i;
  if (i == text.size() || text[i] != ',') return std::string::npos;
  ++i;
  while (i < text.size() && is_space(text[i])) ++i;
  if (i == text.size() || !is_digit(text[i])) return std::string::npos;
  while (i < text.size() && is_digit(text[i])) ++i;
  return i;
}

namespace {

/// The number a run of digits spells; -1 if it is not one, -2 if it is past 2^63 - 1.
std::int64_t parse_index(const std::string& s) {
  if (s.empty()) return -1;
  std::int64_t v = 0;
  bool past = false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    past = past || __builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v);
  }
  return past ? -2 : v;
}

/// "at most 2147483648 (2^31)", the limit on instances.
std::string instance_limit() { return std::to_string(kMaxSpecCount) + " (2^31)"; }

}  // namespace

std::optional<RangedName> parse_ranged_name(const std::string& text, const SourceLocation& where,
                                            const std::string& what, DiagnosticSink& errors) {
  const std::size_t open = text.find('[');
  if (open == std::string::npos) return RangedName{text, 1};
  const std::size_t dots = text.find("..", open);
  const std::size_t close = text.find(']', open);
  const std::string first_text =
      dots == std::string::npos ? "" : text.substr(open + 1, dots - open - 1);
  const std::string last_text =
      dots == std::string::npos || close == std::string::npos || close < dots
          ? ""
          : text.substr(dots + 2, close - dots - 2);
  const std::int64_t first = parse_index(first_text), last = parse_index(last_text);
  if (open == 0 || first == -1 || last == -1 || close + 1 != text.size()) {
    errors.error(where, what + ": name '" + text +
                            "' has a malformed instance range; write NAME[first..last], e.g. "
                            "PE[0..167]");
    return std::nullopt;
  }
  if (first == -2 || last == -2) {
    errors.error(where, what + ": instance range '" + text + "': the index " +
                            (first == -2 ? first_text : last_text) +
                            " is past 2^63 - 1; a range gives at most " + instance_limit() +
                            " instances");
    return std::nullopt;
  }
  if (last < first) {
    errors.error(where, what + ": bad instance range '" + text + "': the last index (" +
                            std::to_string(last) + ") is below the first (" +
                            std::to_string(first) + ")");
    return std::nullopt;
  }
  // last - first + 1 <= 2^63 fits unsigned.
  const std::uint64_t count =
      static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first) + 1;
  if (count > static_cast<std::uint64_t>(kMaxSpecCount)) {
    errors.error(where, what + ": instance range '" + text + "' gives " + std::to_string(count) +
                            " instances; at most " + instance_limit() + " are supported");
    return std::nullopt;
  }
  return RangedName{text.substr(0, open), static_cast<std::int64_t>(count)};
}

std::optional<Instances> times(const Instances& above, const std::string& text,
                               const RangedName& name, const SourceLocation& where,
                               const std::string& what, DiagnosticSink& errors) {
  if (name.count == 1) return above;
  Instances out = above;
  const bool past = __builtin_mul_overflow(above.count, name.count, &out.count);
  out.ranges += (out.ranges.empty() ? "" : " x ") + text;
  out.factors += (out.factors.empty() ? "" : " x ") + std::to_string(name.count);
  if (past || out.count > kMaxSpecCount) {
    errors.error(where, what + ": instance range '" + text + "' makes " + out.factors + " = " +
                            (past ? "more than 2^63 - 1" : std::to_string(out.count)) +
                            " instances (" + out.ranges + "); at most " + instance_limit() +
                            " are supported");
    return std::nullopt;
  }
  return out;
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
