#include "io/spec/constraints_spec.hpp"

#include <map>

#include "common/text_file.hpp"
#include "io/spec/detail/loop_spec.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io {

namespace {

using mapper::Order;

/// The dimensions named under `key` (a list of names) as a bit mask; unknown names reported.
std::uint32_t read_dim_set(const ObjectReader& r, const char* key, const workload::Einsum& e,
                           Order* order = nullptr) {
  std::uint32_t mask = 0;
  const auto names = read_string_list(*r.get(key), r.label(key), r.sink());
  if (!names) return mask;
  for (const auto& [name, node] : *names) {
    const int d = e.dim_index(name);
    if (d < 0) {
      r.sink().error(node->where, r.label(key) + ": unknown dimension '" + name + "'; dimensions are " +
                                      join_names(e.dim_names));
    } else if ((mask >> d) & 1u) {
      r.sink().error(node->where, r.label(key) + ": dimension '" + name + "' is given twice");
    } else {
      mask |= 1u << d;
      if (order) order->push_back(static_cast<std::int8_t>(d));
    }
  }
  return mask;
}

/// Sets each factor read under `key` into `slots` (one entry per dimension); a fixed factor must
/// divide its dimension's bound.
void read_fixed(const ObjectReader& r, const char* key, const workload::Einsum& e,
                std::vector<std::int64_t>& slots, bool must_divide) {
  if (!r.get(key)) return;
  std::vector<std::int64_t> given(slots.size(), 0);
  for (const Factor& f : read_factors(r, key, e)) {
    const std::int64_t bound = e.bounds[static_cast<std::size_t>(f.dim)];
    std::int64_t& first = given[static_cast<std::size_t>(f.dim)];
    if (first != 0) {
      r.sink().error(r.get(key)->where, r.label(key) + ": dimension " + e.dim_names[f.dim] +
                                            " is given twice (" + std::to_string(first) + " and " +
                                            std::to_string(f.factor) +
                                            "); give one factor per dimension");
      continue;
    }
    first = f.factor;
    if (must_divide && bound % f.factor != 0) {
      r.sink().error(r.get(key)->where, r.label(key) + ": factor " + e.dim_names[f.dim] + "=" +
                                            std::to_string(f.factor) + " does not divide the bound " +
                                            std::to_string(bound));
      continue;
    }
    slots[static_cast<std::size_t>(f.dim)] = f.factor;
  }
}

/// The names of the tensors in `mask`, joined.
std::string tensor_names(std::uint32_t mask, const workload::Einsum& e) {
  std::vector<std::string> names;
  for (int t = 0; t < e.num_tensors() && t < 32; ++t)
    if ((mask >> t) & 1u) names.push_back(e.tensors[static_cast<std::size_t>(t)].name);
  return join_names(names);
}

/// Reads keep and bypass onto `lc` (which holds the preset's rules); a tensor in both lists, one
/// the preset's level cannot hold or must hold, and a bypass at the outermost level are refused
/// where they are written.
void read_keep_bypass(const ObjectReader& r, const workload::Einsum& e, bool outermost,
                      mapper::LevelConstraints& lc) {
  const std::uint32_t keep = r.get("keep") ? read_tensor_set(r, "keep", e) : 0;
  const std::uint32_t bypass = r.get("bypass") ? read_tensor_set(r, "bypass", e) : 0;
  if (keep & bypass) {
    r.sink().error(r.get("bypass")->where,
                   r.label("bypass") + ": " + tensor_names(keep & bypass, e) +
                       " also in keep; a tensor is kept or bypassed, not both");
  } else if (outermost && bypass) {
    r.sink().error(r.get("bypass")->where,
                   r.label("bypass") + ": " + tensor_names(bypass, e) +
                       " at the outermost level, which must keep every tensor");
  } else if (keep & lc.bypass) {
    r.sink().error(r.get("keep")->where, r.label("keep") + ": " +
                                             tensor_names(keep & lc.bypass, e) +
                                             ", which this level of the architecture cannot hold");
  } else if (bypass & lc.keep) {
    r.sink().error(r.get("bypass")->where, r.label("bypass") + ": " +
                                               tensor_names(bypass & lc.keep, e) +
                                               ", which this level of the architecture must hold");
  }
  lc.keep |= keep;
  lc.bypass |= bypass;
}

/// Reads one level's entry; returns its level index, or -1 when it names no level.
int read_level(const YamlNode& node, std::size_t index, const workload::Einsum& e,
               const arch::Arch& a, mapper::Constraints& c, DiagnosticSink& sink) {
  ObjectReader r(node, "constraints level #" + std::to_string(index + 1),
                 {"level", "keep", "bypass", "temporal", "temporal_max", "spatial", "spatial_x",
                  "spatial_y", "innermost"},
                 sink, "level", "level");
  if (!r.ok()) return -1;
  const std::optional<std::string> name = r.string("level", true);
  if (!name) return -1;
  const int l = a.level_index(*name);
  if (l < 0) {
    std::vector<std::string> valid;
    for (const arch::StorageLevel& level : a.levels) valid.push_back(level.name);
    sink.error(r.get("level")->where, r.what() + ": unknown level; the architecture's levels are " +
                                          join_names(valid));
    return -1;
  }
  mapper::LevelConstraints& lc = c.levels[static_cast<std::size_t>(l)];
  read_keep_bypass(r, e, l == a.num_levels() - 1, lc);
  read_fixed(r, "temporal", e, lc.temporal_fixed, true);
  read_fixed(r, "temporal_max", e, lc.temporal_max, false);
  read_fixed(r, "spatial", e, lc.spatial_fixed, true);
  if (r.get("spatial_x")) lc.spatial_x &= read_dim_set(r, "spatial_x", e);
  if (r.get("spatial_y")) lc.spatial_y &= read_dim_set(r, "spatial_y", e);
  if (r.get("innermost")) {
    Order order;
    read_dim_set(r, "innermost", e, &order);
    lc.innermost = order;
  }
  return l;
}

}  // namespace

void read_constraints(const YamlNode& node, const workload::Einsum& e, const arch::Arch& a,
                      mapper::Constraints& c, DiagnosticSink& sink) {
  ObjectReader r(node, "constraints", {"min_utilization", "levels"}, sink);
  if (!r.ok()) return;
  if (const auto u = r.number("min_utilization", 0, 1)) c.min_utilization = *u;
  if (const YamlNode* levels = r.get("levels"))
    if (const auto items = read_list(*levels, r.label("levels"), sink)) {
      std::map<int, const YamlNode*> seen;  // level -> its first entry
      for (std::size_t i = 0; i < items->size(); ++i) {
        const YamlNode& item = *(*items)[i];
        const int l = read_level(item, i, e, a, c, sink);
        if (l >= 0 && !seen.emplace(l, &item).second)
          sink.error(item.where, "constraints level #" + std::to_string(i + 1) + ": level '" +
                                     a.levels[static_cast<std::size_t>(l)].name +
                                     "' has an entry already, on line " +
                                     std::to_string(seen[l]->where.line) +
                                     "; give one entry per level");
      }
    }
}

void parse_constraints(std::string_view text, const std::string& file, const workload::Einsum& e,
                       const arch::Arch& a, mapper::Constraints& c) {
  DiagnosticSink sink;
  const std::optional<YamlNode> root = parse_yaml(text, file, sink);
  if (const YamlNode* node = spec_section(root, file, "constraints", sink)) read_constraints(*node, e, a, c, sink);
  if (sink.ok())  // what only the whole set can break (e.g. the outermost level bypassing)
    for (const std::string& m : mapper::check(c, e, a)) sink.error(SourceLocation{file, 0, 0}, m);
  throw_sorted(sink);
}

void load_constraints(const std::string& path, const workload::Einsum& e, const arch::Arch& a,
                      mapper::Constraints& c) {
  parse_constraints(read_text_file(path), path, e, a, c);
}

}  // namespace outpace::io
