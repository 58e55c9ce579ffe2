#include "io/spec/mapping_spec.hpp"

#include <cctype>
#include <map>

#include "common/internal_error.hpp"
#include "common/limits.hpp"
#include "common/text_file.hpp"
#include "io/spec/detail/loop_spec.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io {

using mapping::Axis;
using mapping::LevelMapping;
using workload::Einsum;

namespace {

bool is_separator(char c) { return c == ',' || std::isspace(static_cast<unsigned char>(c)); }

/// Splits "C=3 Q=55" (or "C=3, Q=55") into factors, reporting each bad one.
void parse_factors(const std::string& text, const YamlNode& where, const std::string& label,
                   const Einsum& e, std::vector<Factor>& out, DiagnosticSink& sink) {
  std::size_t i = 0;
  while (true) {
    while (i < text.size() && is_separator(text[i])) ++i;
    if (i == text.size()) return;
    const std::size_t start = i;
    while (i < text.size() && !is_separator(text[i]) && text[i] != '=') ++i;
    const std::string dim = text.substr(start, i - start);
    while (i < text.size() && text[i] == ' ') ++i;
    const bool has_eq = i < text.size() && text[i] == '=';
    if (has_eq) ++i;
    while (has_eq && i < text.size() && text[i] == ' ') ++i;
    const std::size_t vstart = i;
    while (has_eq && i < text.size() && !is_separator(text[i])) ++i;
    const std::string value = text.substr(vstart, i - vstart);
    const std::string shown = text.substr(start, i - start);
    std::int64_t n = 0;
    bool digits = !value.empty();
    for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits) n = value.size() > 12 ? kMaxSpecCount + 1 : std::stoll(value);
    if (!has_eq || dim.empty() || !digits) {
      sink.error(where.where, label + ": factor '" + shown +
                                  "' is malformed; write DIM=N with N a positive integer, e.g. C=3");
      continue;
    }
    const int d = e.dim_index(dim);
    if (d < 0) {
      sink.error(where.where, label + ": unknown dimension '" + dim + "' in '" + shown +
                                  "'; dimensions are " + join_names(e.dim_names));
      continue;
    }
    if (n < 1 || n > kMaxSpecCount) {
      sink.error(where.where, label + ": factor '" + shown + "' must be between 1 and " +
                                  std::to_string(kMaxSpecCount));
      continue;
    }
    out.push_back({d, n});
  }
}

}  // namespace

std::vector<Factor> read_factors(const ObjectReader& r, const char* key, const Einsum& e) {
  std::vector<Factor> out;
  const YamlNode* node = r.get(key);
  if (!node) return out;
  if (const auto items = read_list(*node, r.label(key), r.sink()))
    for (const YamlNode* item : *items)
      if (const auto text = read_string(*item, r.label(key) + " item", r.sink()))
        parse_factors(*text, *item, r.label(key), e, out, r.sink());
  return out;
}

std::uint32_t read_tensor_set(const ObjectReader& r, const char* key, const Einsum& e) {
  std::uint32_t mask = 0;
  const auto names = read_string_list(*r.get(key), r.label(key), r.sink());
  if (!names) return mask;
  std::vector<std::string> valid;
  for (const workload::Tensor& t : e.tensors) valid.push_back(t.name);
  for (const auto& [name, node] : *names) {
    const int t = e.tensor_index(name);
    if (t < 0 || t >= 32)
      r.sink().error(node->where, r.label(key) + ": unknown tensor '" + name + "'; tensors are " +
                                      join_names(valid));
    else
      mask |= 1u << t;
  }
  return mask;
}

std::uint32_t all_tensors(const Einsum& e) {
  const int n = std::min(e.num_tensors(), 32);
  return n == 32 ? ~0u : (1u << n) - 1;
}

namespace {

/// Fills the loops and kept tensors of one level from its entry.
void read_level_body(const ObjectReader& r, const Einsum& e, LevelMapping& lm) {
  const std::vector<Factor> temporal = read_factors(r, "temporal", e);
  if (temporal.size() > kMaxDims)
    r.sink().error(r.get("temporal")->where, r.label("temporal") + ": " +
                                                 std::to_string(temporal.size()) + " loops, at most " +
                                                 std::to_string(kMaxDims) + " are supported");
  for (std::size_t i = 0; i < temporal.size() && i < kMaxDims; ++i)
    lm.temporal.push_back({temporal[i].dim, temporal[i].factor});
  for (const auto& [key, axis] : {std::pair{"spatial_x", Axis::X}, std::pair{"spatial_y", Axis::Y}}) {
    const std::vector<Factor> spatial = read_factors(r, key, e);
    if (spatial.size() > kMaxDims)
      r.sink().error(r.get(key)->where, r.label(key) + ": " + std::to_string(spatial.size()) +
                                            " loops, at most " + std::to_string(kMaxDims) +
                                            " are supported");
    for (std::size_t i = 0; i < spatial.size() && i < kMaxDims; ++i)
      lm.spatial.push_back({spatial[i].dim, spatial[i].factor, axis});
  }
  lm.keep = all_tensors(e);
  if (r.get("keep") && r.get("bypass")) {
    r.sink().error(r.get("bypass")->where,
                   r.what() + ": give 'keep' or 'bypass', not both");
  } else if (r.get("keep")) {
    lm.keep = read_tensor_set(r, "keep", e);
  } else if (r.get("bypass")) {
    lm.keep = all_tensors(e) & ~read_tensor_set(r, "bypass", e);
  }
}

/// Reads one entry; records where each level was mapped to catch a level mapped twice.
void read_entry(const YamlNode& node, std::size_t index, const Einsum& e, const arch::Arch& a,
                mapping::Mapping& m, std::map<int, int>& seen_line, DiagnosticSink& sink) {
  ObjectReader r(node, "mapping entry #" + std::to_string(index + 1),
                 {"level", "temporal", "spatial_x", "spatial_y", "keep", "bypass"}, sink, "level",
                 "level");
  if (!r.ok()) return;
  const std::optional<std::string> name = r.string("level", true);
  int l = -1;
  if (name) {
    l = a.level_index(*name);
    std::vector<std::string> valid;
    for (const arch::StorageLevel& level : a.levels) valid.push_back(level.name);
    if (l < 0)
      sink.error(r.get("level")->where, "mapping entry #" + std::to_string(index + 1) +
                                            ": unknown level '" + *name +
                                            "'; the architecture's levels are " + join_names(valid));
  }
  if (l >= 0 && seen_line.count(l)) {
    sink.error(r.get("level")->where, r.what() + " is mapped twice (first at line " +
                                          std::to_string(seen_line[l]) + ")");
    l = -1;
  } else if (l >= 0) {
    seen_line[l] = node.where.line;
  }
  LevelMapping lm;
  read_level_body(r, e, lm);
  if (l >= 0) m.levels[l] = lm;
}

}  // namespace

std::optional<mapping::Mapping> read_mapping(const YamlNode& node, const Einsum& e,
                                             const arch::Arch& a, DiagnosticSink& sink) {
  OUTPACE_ASSERT(a.num_levels() <= static_cast<int>(kMaxLevels))
      << "architecture with " << a.num_levels() << " levels, at most " << kMaxLevels;
  const std::size_t errors_before = sink.error_count();
  if (node.kind != YamlKind::kSequence) {
    sink.error(node.where, "mapping must be a list of {level, temporal, spatial_x, spatial_y, "
                           "keep or bypass} entries, got " + node.describe());
    return std::nullopt;
  }
  for (const YamlNode& item : node.items)
    if (item.find("target") && item.find("type") && !item.find("level")) {
      sink.error(item.where,
                 "this is a Timeloop mapping (entries of target, type and factors); "
                 "Outpace's own mapping lists {level, temporal, spatial_x, spatial_y, "
                 "keep or bypass} entries (docs/formats.md); read a Timeloop mapping "
                 "with its architecture and problem: outpace eval --timeloop ...");
      return std::nullopt;
    }
  mapping::Mapping m;
  LevelMapping unmapped;
  unmapped.keep = all_tensors(e);
  for (int l = 0; l < a.num_levels(); ++l) m.levels.push_back(unmapped);
  std::map<int, int> seen_line;
  for (std::size_t i = 0; i < node.items.size(); ++i)
    read_entry(node.items[i], i, e, a, m, seen_line, sink);
  if (sink.error_count() != errors_before) return std::nullopt;
  return m;
}

mapping::Mapping parse_mapping(std::string_view text, const std::string& file, const Einsum& e,
                               const arch::Arch& a) {
  DiagnosticSink sink;
  const std::optional<YamlNode> root = parse_yaml(text, file, sink);
  std::optional<mapping::Mapping> m;
  if (const YamlNode* node = spec_section(root, file, "mapping", sink)) m = read_mapping(*node, e, a, sink);
  throw_sorted(sink);
  OUTPACE_ASSERT(m.has_value()) << "a mapping spec failed without a diagnostic";
  return std::move(*m);
}

mapping::Mapping load_mapping(const std::string& path, const Einsum& e, const arch::Arch& a) {
  return parse_mapping(read_text_file(path), path, e, a);
}

}  // namespace outpace::io
