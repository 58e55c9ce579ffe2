// Timeloop's mapping: a list of directives, each `{target, type, ...}` with type temporal
// (factors, permutation innermost first), spatial (the same plus split: the first `split`
// dimensions of the permutation go along X, the rest along Y) or bypass / datatype (keep,
// bypass), read into a mapping::Mapping the way src/mapping/parser.cpp of Timeloop v3.0.3 does.
#include <cctype>
#include <algorithm>
#include <map>

#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io::timeloop {

namespace {

using workload::Einsum;

/// The loops one temporal or spatial directive gives a level.
struct Loops {
  int line = 0;                      ///< where the directive is, 0 if there is none
  std::vector<std::int64_t> factor;  ///< per dimension; 1 when not given
  std::vector<int> order;            ///< every dimension, innermost first
  std::int64_t split = 0;            ///< spatial: how many of `order` go along X
};

/// Parses "C=3 M=1", "C3 M1", "C=3,M=1" (Timeloop's regex allows all three); 0 means the whole
/// bound. Timeloop's residual factors ("C=3,2") are refused.
void parse_factors(const std::string& full, const YamlNode& where, const std::string& label,
                   const Einsum& e, Loops& loops, DiagnosticSink& errors) {
  const std::string text = full.substr(0, full.find('#'));
  std::vector<bool> seen(e.dim_names.size(), false);
  std::size_t i = 0;
  auto skip = [&](bool commas) {
    while (i < text.size() &&
           (std::isspace(static_cast<unsigned char>(text[i])) || (commas && text[i] == ',')))
      ++i;
  };
  while (skip(true), i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string dim = text.substr(start, i - start);
    skip(false);
    while (i < text.size() && text[i] == '=') ++i;
    skip(false);
    const std::size_t vstart = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    const std::string value = text.substr(vstart, i - vstart);
    const std::string shown = text.substr(start, std::max(i, start + 1) - start);
    const std::size_t residual = value.empty() ? std::string::npos : residual_end(text, i);
    if (dim.empty() || value.empty() || value.size() > 10 || residual != std::string::npos) {
      errors.error(where.where,
                   label + ": " +
                       (residual != std::string::npos
                            ? "residual factor '" + text.substr(start, residual - start) +
                                  "' is not supported"
                            : "factor '" + shown + "' is malformed") +
                       "; write DIM=N with N a positive integer, e.g. C=3, factors separated by "
                       "spaces or commas");
      return;
    }
    const int d = e.dim_index(dim);
    if (d < 0) {
      errors.error(where.where, label + ": unknown dimension '" + dim + "' in '" + shown +
                                    "'; dimensions are " + join_names(e.dim_names));
      continue;
    }
    if (seen[d]) errors.error(where.where, label + ": dimension '" + dim + "' is given twice");
    seen[d] = true;
    const std::int64_t n = std::stoll(value);
    loops.factor[d] = n == 0 ? e.bounds[d] : n;  // Timeloop reads 0 as the whole dimension
  }
}

/// Parses a permutation, one letter per dimension, innermost first; pads the dimensions it
/// leaves out in their order, as Timeloop does.
void parse_permutation(const std::string& text, const YamlNode& where, const std::string& label,
                       const Einsum& e, Loops& loops, DiagnosticSink& errors) {
  std::vector<bool> seen(e.dim_names.size(), false);
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    const int d = e.dim_index(std::string(1, c));
    if (d < 0) {
      errors.error(where.where, label + ": unknown dimension '" + std::string(1, c) + "' in '" +
                                    text + "'; dimensions are " + join_names(e.dim_names));
      return;
    }
    if (seen[d]) {
      errors.error(where.where, label + ": dimension '" + std::string(1, c) + "' appears twice in '" +
                                    text + "'");
      return;
    }
    seen[d] = true;
    loops.order.push_back(d);
  }
  for (int d = 0; d < e.num_dims(); ++d)
    if (!seen[d]) loops.order.push_back(d);
}

/// The factors and permutation (and split) of a temporal or spatial directive.
Loops read_loops(const ObjectReader& d, bool spatial, const Einsum& e) {
  Loops loops;
  loops.line = d.node().where.line;
  loops.factor.assign(e.dim_names.size(), 1);
  DiagnosticSink& errors = d.sink();
  if (const YamlNode* f = d.get("factors"))
    if (const auto items = read_string_list(*f, d.label("factors"), errors))
      for (const auto& [text, node] : *items)
        parse_factors(text, *node, d.label("factors"), e, loops, errors);
  std::string perm;
  if (const YamlNode* p = d.get("permutation"))
    perm = read_string(*p, d.label("permutation"), errors).value_or("");
  parse_permutation(perm, d.get("permutation") ? *d.get("permutation") : d.node(),
                    d.label("permutation"), e, loops, errors);
  loops.split = e.num_dims();
  if (spatial) loops.split = d.integer("split", 0, 64).value_or(loops.split);
  return loops;
}

}  // namespace

namespace {

/// What the directives say about one storage level.
struct LevelState {
  Loops temporal, spatial;
  std::uint32_t keep = 0;
};

std::uint32_t all_tensors(const Einsum& e) { return (1u << e.num_tensors()) - 1; }

/// The level a directive targets: a level name, or Timeloop's storage level number (0 innermost).
int read_target(const ObjectReader& d, const arch::Arch& a) {
  const YamlNode* t = d.require("target");
  if (!t) return -1;
  const auto name = read_string(*t, d.label("target"), d.sink());
  if (!name) return -1;
  if (const int l = a.level_index(*name); l >= 0) return l;
  DiagnosticSink scratch;
  if (const auto n = read_int(*t, "", 0, a.num_levels() - 1, scratch)) return static_cast<int>(*n);
  std::vector<std::string> names;
  for (int l = a.num_levels(); l-- > 0;) names.push_back(a.levels[l].name);
  d.sink().error(t->where, d.label("target") + ": unknown level '" + *name +
                               "'; the architecture's levels are " + join_names(names));
  return -1;
}

/// `keep:` and `bypass:` of a bypass (datatype) directive, applied to the level's keep mask.
void read_bypass(const ObjectReader& d, const Einsum& e, std::uint32_t& keep) {
  std::vector<std::string> tensors;
  for (const workload::Tensor& t : e.tensors) tensors.push_back(t.name);
  std::uint32_t kept = 0;
  for (const char* key : {"keep", "bypass"}) {
    const YamlNode* node = d.get(key);
    if (!node) continue;
    const bool is_keep = std::string(key) == "keep";
    const auto names = read_string_list(*node, d.label(key), d.sink());
    if (!names) continue;
    for (const auto& [name, where] : *names) {
      const int t = e.tensor_index(name);
      if (t < 0) {
        d.sink().error(where->where, d.label(key) + ": unknown data space '" + name +
                                         "'; data spaces are " + join_names(tensors));
      } else if (is_keep) {
        kept |= 1u << t;
        keep |= 1u << t;
      } else if (kept & (1u << t)) {
        d.sink().error(where->where,
                       d.what() + ": data space '" + name + "' is in both keep and bypass");
      } else {
        keep &= ~(1u << t);
      }
    }
  }
}

void read_directive(const YamlNode& node, std::size_t index, const Einsum& e, const arch::Arch& a,
                    std::vector<LevelState>& levels, DiagnosticSink& sink) {
  const std::string what = "mapping entry #" + std::to_string(index + 1);
  const YamlNode* type_node = node.kind == YamlKind::kMapping ? node.find("type") : nullptr;
  const std::string type = type_node && type_node->kind == YamlKind::kScalar ? type_node->text : "";
  const bool spatial = type == "spatial", loops = type == "temporal" || spatial;
  const bool bypass = type == "bypass" || type == "datatype";
  ObjectReader d = timeloop_object(
      node, what,
      loops ? std::vector<std::string>{"target", "type", "factors", "permutation", "split"}
            : std::vector<std::string>{"target", "type", "keep", "bypass"},
      spatial ? std::vector<std::string>{"no_link_transfer", "no_multicast_no_reduction"}
              : std::vector<std::string>{"no_temporal_reuse"},
      sink);
  if (!d.ok() || !d.require("type")) return;
  if (!loops && !bypass) {
    sink.error(type_node->where, what + ": type '" + type +
                                     "' is not supported; types are "
                                     "temporal, spatial, bypass and datatype");
    return;
  }
  if (type == "temporal" && d.get("split"))
    sink.warning(d.get("split")->where, what +
                                            ": 'split' has no meaning for a temporal "
                                            "entry; ignored");
  const int l = read_target(d, a);
  if (l < 0) return;
  LevelState& s = levels[l];
  if (bypass) return read_bypass(d, e, s.keep);
  Loops& slot = spatial ? s.spatial : s.temporal;
  if (slot.line > 0) {
    sink.error(node.where, what + ": level '" + a.levels[l].name + "' has a second " + type +
                               " entry (first at line " + std::to_string(slot.line) + ")");
    return;
  }
  slot = read_loops(d, spatial, e);
}

/// The level's loops in Outpace's form: factor-1 loops left out, temporal innermost first,
/// spatial along X for the first `split` dimensions of the permutation, Y for the rest.
mapping::LevelMapping to_level(const LevelState& s) {
  mapping::LevelMapping lm;
  lm.keep = s.keep;
  if (s.temporal.line > 0)
    for (int d : s.temporal.order)
      if (s.temporal.factor[d] > 1) lm.temporal.push_back({d, s.temporal.factor[d]});
  if (s.spatial.line > 0)
    for (std::size_t i = 0; i < s.spatial.order.size(); ++i) {
      const int d = s.spatial.order[i];
      const auto axis = static_cast<std::int64_t>(i) < s.spatial.split ? mapping::Axis::X
                                                                        : mapping::Axis::Y;
      if (s.spatial.factor[d] > 1) lm.spatial.push_back({d, s.spatial.factor[d], axis});
    }
  return lm;
}

/// Timeloop refuses a mapping whose factors of a dimension do not multiply to its bound.
void check_products(const std::vector<LevelState>& levels, const Einsum& e, const YamlNode& node,
                    DiagnosticSink& errors) {
  for (int d = 0; d < e.num_dims(); ++d) {
    double product = 1;
    for (const LevelState& s : levels)
      for (const Loops* loops : {&s.temporal, &s.spatial})
        if (loops->line > 0) product *= static_cast<double>(loops->factor[d]);
    if (product != static_cast<double>(e.bounds[d]))
      errors.error(node.where, "mapping: the factors of dimension '" + e.dim_names[d] +
                                   "' multiply to " +
                                   (product > 1e18 ? std::string("more than 10^18")
                                                   : std::to_string(static_cast<long long>(product))) +
                                   ", but its bound in the problem is " +
                                   std::to_string(e.bounds[d]));
  }
}

}  // namespace

std::optional<mapping::Mapping> read_mapping_section(const YamlNode& node, const Einsum& e,
                                                     const arch::Arch& a, DiagnosticSink& sink) {
  const std::size_t before = sink.error_count();
  if (node.kind != YamlKind::kSequence) {
    sink.error(node.where,
               "mapping must be a list of {target, type, ...} entries, got " + node.describe());
    return std::nullopt;
  }
  std::vector<LevelState> levels(a.levels.size());
  for (LevelState& s : levels) s.keep = all_tensors(e);
  for (std::size_t i = 0; i < node.items.size(); ++i)
    read_directive(node.items[i], i, e, a, levels, sink);
  if (sink.error_count() != before) return std::nullopt;
  check_products(levels, e, node, sink);
  if (sink.error_count() != before) return std::nullopt;
  mapping::Mapping m;
  for (const LevelState& s : levels) m.levels.push_back(to_level(s));
  return m;
}

}  // namespace outpace::io::timeloop
