#include "io/yaml/object_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace outpace::io {

namespace {

/// Sections a spec document may hold at its root.
constexpr const char* kSections[] = {"problem", "architecture", "mapping", "constraints"};

std::string format_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

/// Digits with an optional sign and single underscores between digits, as YAML 1.1 allows.
std::optional<std::int64_t> parse_int(const std::string& text) {
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_' && i > 0 && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
        std::isdigit(static_cast<unsigned char>(text[i + 1])))
      continue;
    digits += c;
  }
  std::size_t start = !digits.empty() && digits[0] == '+' ? 1 : 0;
  std::int64_t v = 0;
  const char* first = digits.data() + start;
  const char* last = digits.data() + digits.size();
  if (first == last || *first == '+') return std::nullopt;
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  return v;
}

/// True for a run of 19 or more digits (after an optional sign): an integer too big for int64.
bool too_many_digits(const std::string& text) {
  std::size_t i = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0, digits = 0;
  for (; i < text.size(); ++i) {
    if (text[i] == '_') continue;
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    ++digits;
  }
  return digits >= 19;
}

/// For a number out of a double's range: true when it is too close to 0 (1e-400), false when
/// too large (1e400); told by the sign of its exponent, or without one by a leading "0.".
bool is_tiny(const std::string& text) {
  const std::size_t e = text.find_first_of("eE");
  if (e != std::string::npos) return e + 1 < text.size() && text[e + 1] == '-';
  const std::size_t first = text.find_first_not_of("+-0");
  return first != std::string::npos && text[first] == '.';
}

/// A number too large or too close to 0 for a double (1e400, 1e-400): the bound of [lo, hi] it
/// breaks is the rule, or for a tiny one that [lo, hi] allows, the smallest magnitude held.
void report_out_of_range(const YamlNode& node, const std::string& label, double lo, double hi,
                         DiagnosticSink& sink) {
  const bool negative = node.text[0] == '-', tiny = is_tiny(node.text);
  const std::string at_least = " must be at least " + format_number(lo),
                    at_most = " must be at most " + format_number(hi);
  std::string rule;
  if (!tiny)
    rule = negative ? at_least : at_most;
  else if (negative ? lo >= 0 : lo > 0)  // below lo: under 0, or under a positive lo
    rule = at_least;
  else if (negative ? hi < 0 : hi <= 0)
    rule = at_most;
  else
    rule =
        " is too close to 0 to be held as a number (the smallest magnitude held is about "
        "2.2e-308)";
  sink.error(node.where, label + " " + node.text + rule);
}

}  // namespace

std::string join_names(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::optional<std::int64_t> read_int(const YamlNode& node, const std::string& label,
                                     std::int64_t lo, std::int64_t hi, DiagnosticSink& sink) {
  if (node.kind != YamlKind::kScalar || node.is_null()) {
    sink.error(node.where, label + " must be an integer, got " + node.describe());
    return std::nullopt;
  }
  const std::optional<std::int64_t> v = parse_int(node.text);
  if (!v) {
    // A long run of digits is an integer too big for any counter, not a typo.
    const bool big = too_many_digits(node.text);
    sink.error(node.where, label + (big ? " " + node.text + " is too large; at most " +
                                              std::to_string(hi) + " is allowed"
                                        : " must be an integer, got " + node.describe()));
    return std::nullopt;
  }
  if (*v < lo) {
    sink.error(node.where, label + " " + std::to_string(*v) + " must be at least " + std::to_string(lo));
    return std::nullopt;
  }
  if (*v > hi) {
    sink.error(node.where, label + " " + std::to_string(*v) + " must be at most " + std::to_string(hi));
    return std::nullopt;
  }
  return v;
}

std::optional<double> read_double(const YamlNode& node, const std::string& label, double lo,
                                  double hi, DiagnosticSink& sink) {
  double v = 0;
  bool parsed = false, out_of_range = false;
  if (node.kind == YamlKind::kScalar && !node.is_null()) {
    const std::string& t = node.text;
    const std::size_t start = !t.empty() && t[0] == '+' ? 1 : 0;
    auto [ptr, ec] = std::from_chars(t.data() + start, t.data() + t.size(), v);
    const bool whole =
        ptr == t.data() + t.size() && start < t.size() && !(start == 1 && t[1] == '-');
    parsed = whole && ec == std::errc() && std::isfinite(v);
    out_of_range = whole && ec == std::errc::result_out_of_range;
  }
  if (out_of_range) {
    report_out_of_range(node, label, lo, hi, sink);
    return std::nullopt;
  }
  if (!parsed) {
    sink.error(node.where, label + " must be a finite number, got " + node.describe());
    return std::nullopt;
  }
  if (v < lo) {
    sink.error(node.where, label + " " + node.text + " must be at least " + format_number(lo));
    return std::nullopt;
  }
  if (v > hi) {
    sink.error(node.where, label + " " + node.text + " must be at most " + format_number(hi));
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> read_string(const YamlNode& node, const std::string& label,
                                       DiagnosticSink& sink) {
  if (node.kind != YamlKind::kScalar || node.is_null()) {
    sink.error(node.where, label + " must be a string, got " + node.describe());
    return std::nullopt;
  }
  return node.text;
}

std::optional<bool> read_bool(const YamlNode& node, const std::string& label,
                              DiagnosticSink& sink) {
  if (node.kind == YamlKind::kScalar) {
    for (const char* t : {"true", "True", "TRUE", "yes", "Yes", "on", "On"})
      if (node.text == t) return true;
    for (const char* f : {"false", "False", "FALSE", "no", "No", "off", "Off"})
      if (node.text == f) return false;
  }
  sink.error(node.where, label + " must be true or false, got " + node.describe());
  return std::nullopt;
}

std::optional<std::vector<const YamlNode*>> read_list(const YamlNode& node,
                                                      const std::string& label,
                                                      DiagnosticSink& sink) {
  std::vector<const YamlNode*> items;
  if (node.kind == YamlKind::kSequence) {
    for (const YamlNode& item : node.items) items.push_back(&item);
    return items;
  }
  if (node.kind == YamlKind::kScalar && !node.is_null()) {
    items.push_back(&node);
    return items;
  }
  sink.error(node.where, label + " must be a list, got " + node.describe());
  return std::nullopt;
}

std::optional<std::vector<std::pair<std::string, const YamlNode*>>> read_string_list(
    const YamlNode& node, const std::string& label, DiagnosticSink& sink) {
  const auto items = read_list(node, label, sink);
  if (!items) return std::nullopt;
  std::vector<std::pair<std::string, const YamlNode*>> out;
  bool good = true;
  for (const YamlNode* item : *items) {
    if (auto s = read_string(*item, label + " item", sink))
      out.emplace_back(*s, item);
    else
      good = false;
  }
  if (!good) return std::nullopt;
  return out;
}

ObjectReader::ObjectReader(const YamlNode& node, std::string what, const KeyPolicy& keys,
                           DiagnosticSink& sink, const char* kind, const char* name_key)
    : node_(node), what_(std::move(what)), sink_(sink) {
  const YamlNode* name = node.find(name_key);
  if (kind && name && name->kind == YamlKind::kScalar && !name->is_null())
    what_ = std::string(kind) + " '" + name->text + "'";
  if (node.kind != YamlKind::kMapping) {
    sink.error(node.where, what_ + " must be a mapping of keys to values, got " + node.describe());
    return;
  }
  ok_ = true;
  const auto among = [](const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  for (const YamlEntry& e : node.entries) {
    if (among(keys.read, e.key)) continue;
    if (among(keys.ignored, e.key))
      sink.warning(e.where, what_ + ": key '" + e.key + "' is not modelled by Outpace; ignored");
    else if (keys.unknown == Severity::kWarning)
      sink.warning(e.where, what_ + ": unknown key '" + e.key + "'; ignored");
    else
      sink.error(e.where, what_ + ": unknown key '" + e.key + "'; allowed keys are " +
                              join_names(keys.read));
  }
}

ObjectReader::ObjectReader(const YamlNode& node, std::string what,
                           std::initializer_list<const char*> allowed, DiagnosticSink& sink,
                           const char* kind, const char* name_key)
    : ObjectReader(node, std::move(what), KeyPolicy{{allowed.begin(), allowed.end()}, {}}, sink,
                   kind, name_key) {}

const YamlNode* ObjectReader::get(std::string_view key) const { return node_.find(key); }

const YamlNode* ObjectReader::require(std::string_view key) const {
  const YamlNode* v = get(key);
  if (!v && ok_) sink_.error(node_.where, what_ + ": missing key '" + std::string(key) + "'");
  return v;
}

std::string ObjectReader::label(std::string_view key) const {
  return what_ + ": " + std::string(key);
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key, std::int64_t lo,
                                                  std::int64_t hi, bool required) const {
  const YamlNode* v = required ? require(key) : get(key);
  return v ? read_int(*v, label(key), lo, hi, sink_) : std::nullopt;
}

std::optional<double> ObjectReader::number(std::string_view key, double lo, double hi,
                                           bool required) const {
  const YamlNode* v = required ? require(key) : get(key);
  return v ? read_double(*v, label(key), lo, hi, sink_) : std::nullopt;
}

std::optional<std::string> ObjectReader::string(std::string_view key, bool required) const {
  const YamlNode* v = required ? require(key) : get(key);
  return v ? read_string(*v, label(key), sink_) : std::nullopt;
}

std::optional<bool> ObjectReader::boolean(std::string_view key, bool required) const {
  const YamlNode* v = required ? require(key) : get(key);
  return v ? read_bool(*v, label(key), sink_) : std::nullopt;
}

std::vector<std::string> ObjectReader::present(std::initializer_list<const char*> keys) const {
  std::vector<std::string> out;
  for (const char* k : keys)
    if (get(k)) out.emplace_back(k);
  return out;
}

void throw_sorted(const DiagnosticSink& sink) {
  if (sink.ok()) return;
  std::vector<Diagnostic> sorted = sink.diagnostics();
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
  });
  if (sorted.size() > kMaxReportedErrors) {
    const std::size_t more = sorted.size() - kMaxReportedErrors;
    sorted.resize(kMaxReportedErrors);
    sorted.push_back({sorted.back().where, "... and " + std::to_string(more) +
                                               " more problems in this file, not shown"});
    sorted.back().where.line = sorted.back().where.column = 0;
  }
  throw ConfigError(std::move(sorted));
}

const YamlNode* spec_section(const std::optional<YamlNode>& root, const std::string& file,
                             const char* section, DiagnosticSink& sink) {
  if (!root) {
    if (sink.ok()) sink.error({file, 1, 1}, std::string("the file is empty; expected '") + section + ":'");
    return nullptr;
  }
  if (root->kind != YamlKind::kMapping) {
    sink.error(root->where, std::string("expected a mapping with key '") + section + "', got " +
                                root->describe());
    return nullptr;
  }
  for (const YamlEntry& e : root->entries) {
    bool known = false;
    for (const char* s : kSections) known = known || e.key == s;
    if (!known)
      sink.error(e.where, "unknown section '" + e.key + "'; a spec file holds " +
                              join_names({std::begin(kSections), std::end(kSections)}));
  }
  const YamlNode* node = root->find(section);
  if (!node) sink.error(root->where, "missing section '" + std::string(section) + ":'");
  return node;
}

}  // namespace outpace::io
