// Timeloop's mapspace constraints read into mapper::Constraints, with the meaning
// timeloop-mapper v3.0.3 gives them: which sections it reads (src/applications/mapper/mapper.cpp),
// how it parses an entry (src/mapping/constraints.cpp) and what the mapspace makes of it
// (src/mapspaces/uber.cpp, subspaces.cpp). docs/timeloop.md, "Mapspace constraints", has the list.
#include "io/timeloop/timeloop_constraints.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>

#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/timeloop/detail/timeloop_constraints_parse.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io {

namespace {

using timeloop::FactorTerm;
using timeloop::Permutation;
using timeloop::Source;
using timeloop::timeloop_object;
using workload::Einsum;
using Place = std::optional<SourceLocation>;

/// What a constraint entry constrains, by its `type`.
enum class Kind { kTemporal, kSpatial, kBypass, kUtilization, kOverbooked, kUnknown };

Kind kind_of(const std::string& type) {
  if (type == "temporal") return Kind::kTemporal;
  if (type == "spatial") return Kind::kSpatial;
  if (type == "bypass" || type == "datatype" || type == "bypassing" || type == "dataspace")
    return Kind::kBypass;
  if (type == "utilization" || type == "parallelism") return Kind::kUtilization;
  if (type == "max_overbooked_proportion") return Kind::kOverbooked;
  return Kind::kUnknown;
}

/// Keys an entry of each kind may have: beside `type` (`split` and the `ignored` ones, known to
/// Timeloop but not modelled), and its settings, under `attributes:` when there is one.
struct Keys {
  std::vector<std::string> beside, settings, ignored;
};

Keys keys_of(Kind k) {
  Keys keys{{"type", "target", "name", "attributes"}, {}, {}};
  if (k == Kind::kTemporal || k == Kind::kSpatial) {
    keys.beside.push_back("split");
    keys.settings = {"factors", "permutation", "default_max_factor"};
    keys.ignored = {
        "no_reuse",         "remainders",       "default_min_factor",       "no_temporal_reuse",
        "rmw_first_update", "no_link_transfer", "no_multicast_no_reduction"};
  }
  if (k == Kind::kBypass) keys.settings = {"keep", "bypass"}, keys.ignored = {"no_coalesce"};
  if (k == Kind::kUtilization) keys.settings = {"min"};
  return keys;
}

/// A spatial level's permutation and split, turned into allowed axes once all entries are read.
struct SpatialPlan {
  Permutation perm;
  std::optional<std::int64_t> split;
};

/// Where each setting of one level was given, to report a later entry that contradicts it.
struct LevelPlaces {
  std::vector<Place> temporal, temporal_max, spatial;  ///< per dimension
  std::vector<Place> tensor;                           ///< keep or bypass, per tensor
  Place permutation[2], split;                         ///< [0] temporal, [1] spatial
};

/// Everything read so far.
struct State {
  const Einsum& e;
  const arch::Arch& a;
  DiagnosticSink& sink;
  mapper::Constraints c;
  std::vector<LevelPlaces> places;
  std::vector<SpatialPlan> spatial;
  std::vector<Permutation> temporal;
  std::vector<Place> fixed_at;  ///< per dimension: the last exact factor given
  Place utilization;
  std::string utilization_text;  ///< the minimum utilization as first written
};

/// One constraint entry: its settings (those of its `attributes:` when it has them, as Timeloop
/// reads them), its name and its level.
struct Entry {
  const YamlNode& node;
  const YamlNode* attributes;
  std::string what;
  int level;
  SourceLocation target_where;
  const YamlNode* get(std::string_view key) const {
    return attributes ? attributes->find(key) : node.find(key);
  }
  std::string label(std::string_view key) const { return what + ": " + std::string(key); }
};

/// Sets `slot` unless an earlier entry gave it another value, which is reported.
void set_once(std::int64_t& slot, std::int64_t value, Place& place, const SourceLocation& here,
              const std::string& message, DiagnosticSink& errors) {
  if (place && slot != value) {
    errors.error(here,
                 message + " conflicts with " + std::to_string(slot) + " given at " + place->str());
    return;
  }
  slot = value;
  if (!place) place = here;
}

/// Applies one factor term of a temporal or spatial entry.
void apply_term(State& s, const Entry& en, bool spatial, const FactorTerm& t,
                const YamlNode& node) {
  const std::string& dim = s.e.dim_names[t.dim];
  const std::int64_t bound = s.e.bounds[t.dim];
  const std::string label = en.label("factors"), level = s.a.levels[en.level].name;
  const std::string term =
      dim + (t.op == '=' ? "=" : std::string(1, t.op) + "=") + std::to_string(t.value);
  mapper::LevelConstraints& lc = s.c.levels[en.level];
  LevelPlaces& pl = s.places[en.level];
  if (t.op == '>') {
    s.sink.warning(node.where,
                   label + ": minimum factor '" + term + "' is not modelled by Outpace; ignored");
  } else if (t.op == '<' && t.value < 1) {
    s.sink.error(node.where, label + ": maximum factor '" + term + "' must be at least 1");
  } else if (t.op == '<' && spatial) {
    s.sink.warning(node.where, label + ": maximum spatial factor '" + term +
                                   "' is not modelled by Outpace (the fanout bounds "
                                   "spatial factors); ignored");
  } else if (t.op == '<') {
    set_once(lc.temporal_max[t.dim], t.value, pl.temporal_max[t.dim], node.where,
             label + ": maximum temporal factor " + term + " at level '" + level + "'", s.sink);
  } else {
    const std::int64_t v = t.value == 0 ? bound : t.value;  // Timeloop: 0 is the whole bound
    if (v > bound) {
      s.sink.warning(node.where, label + ": factor " + term + " is larger than the bound " +
                                     std::to_string(bound) + " of dimension '" + dim +
                                     "'; ignored, as Timeloop does");
    } else if (bound % v != 0) {
      s.sink.error(node.where, label + ": factor " + term + " does not divide the bound " +
                                   std::to_string(bound) + " of dimension '" + dim + "'");
    } else {
      set_once(spatial ? lc.spatial_fixed[t.dim] : lc.temporal_fixed[t.dim], v,
               spatial ? pl.spatial[t.dim] : pl.temporal[t.dim], node.where,
               label + ": " + (spatial ? "spatial" : "temporal") + " factor " + dim + "=" +
                   std::to_string(v) + " at level '" + level + "'",
               s.sink);
      s.fixed_at[t.dim] = node.where;
    }
  }
}

/// `factors:` (a string or a list of strings) and `default_max_factor:` of an entry.
void read_factors(State& s, const Entry& en, bool spatial) {
  DiagnosticSink& errors = s.sink;
  std::uint32_t has_max = 0;
  if (const YamlNode* f = en.get("factors"))
    if (const auto items = read_string_list(*f, en.label("factors"), errors))
      for (const auto& [text, node] : *items)
        for (const FactorTerm& t :
             timeloop::parse_terms(text, *node, en.label("factors"), s.e, errors)) {
          apply_term(s, en, spatial, t, *node);
          if (t.op == '<') has_max |= 1u << t.dim;
        }
  const YamlNode* dm = en.get("default_max_factor");
  if (!dm) return;
  if (spatial) {
    s.sink.warning(dm->where, en.label("default_max_factor") +
                                  ": spatial maximum factors are not modelled by "
                                  "Outpace; ignored");
    return;
  }
  const auto v = read_int(*dm, en.label("default_max_factor"), 1, kMaxSpecCount, errors);
  for (int d = 0; v && d < s.e.num_dims(); ++d)
    if (!((has_max >> d) & 1u)) apply_term(s, en, false, FactorTerm{d, '<', *v}, *dm);
}

/// `permutation:` and `split:` of a temporal or spatial entry.
void read_order(State& s, const Entry& en, bool spatial) {
  DiagnosticSink& errors = s.sink;
  const std::string level = s.a.levels[en.level].name;
  LevelPlaces& pl = s.places[en.level];
  if (const YamlNode* node = en.get("permutation"))
    if (const auto p = timeloop::parse_permutation(*node, en.label("permutation"), s.e, errors)) {
      Permutation& old = spatial ? s.spatial[en.level].perm : s.temporal[en.level];
      Place& place = pl.permutation[spatial ? 1 : 0];
      if (place && old != *p) {
        errors.error(node->where, en.label("permutation") + ": level '" + level +
                                      "' already has another " +
                                      (spatial ? "spatial" : "temporal") +
                                      " permutation, given at " + place->str());
      } else {
        old = *p;
        if (!place) place = node->where;
        bool partial = false;
        if (!spatial)
          s.c.levels[en.level].innermost = timeloop::innermost_of(*p, s.e.num_dims(), partial);
        if (partial)
          s.sink.warning(node->where, en.label("permutation") +
                                          ": the outermost loops (after '_') are not "
                                          "modelled by Outpace; only the innermost "
                                          "ones are kept");
      }
    }
  const YamlNode* split = en.node.find("split");  // beside `type`, never under `attributes`
  if (split && !spatial)
    s.sink.warning(split->where,
                   en.what + ": 'split' has no meaning for a temporal constraint; ignored");
  if (!split || !spatial) return;
  const auto v = read_int(*split, en.label("split"), 0, kMaxSpecCount, errors);
  std::optional<std::int64_t>& old = s.spatial[en.level].split;
  if (v && pl.split && *old != *v)
    errors.error(split->where, en.label("split") + ": level '" + level + "' already has split " +
                                   std::to_string(*old) + ", given at " + pl.split->str());
  else if (v && !pl.split)
    old = *v, pl.split = split->where;
}

/// `keep:` and `bypass:` of a bypass (datatype, dataspace) entry.
void read_bypass(State& s, const Entry& en) {
  std::vector<std::string> tensors;
  for (const workload::Tensor& t : s.e.tensors) tensors.push_back(t.name);
  mapper::LevelConstraints& lc = s.c.levels[en.level];
  const std::string level = s.a.levels[en.level].name;
  const bool outermost = en.level == s.a.num_levels() - 1;
  DiagnosticSink& errors = s.sink;
  std::uint32_t kept_here = 0;
  for (const bool keep : {true, false}) {
    const char* key = keep ? "keep" : "bypass";
    const YamlNode* node = en.get(key);
    const auto names = node ? read_string_list(*node, en.label(key), errors) : std::nullopt;
    if (!names) continue;
    for (const auto& [name, where] : *names) {
      const int t = s.e.tensor_index(name);
      const std::uint32_t bit = t < 0 ? 0 : 1u << t;
      if (t < 0) {
        errors.error(where->where, en.label(key) + ": unknown data space '" + name +
                                       "'; data spaces are " + join_names(tensors));
      } else if (!keep && (kept_here & bit)) {
        errors.error(where->where,
                     en.what + ": data space '" + name + "' is in both keep and bypass");
      } else if (!keep && outermost) {
        errors.error(where->where, en.label(key) + ": level '" + level +
                                       "' is the outermost level; it must keep every data "
                                       "space, '" +
                                       name + "' included");
      } else if ((keep ? lc.bypass : lc.keep) & bit) {
        errors.error(where->where, en.label(key) + ": data space '" + name + "' is " +
                                       (keep ? "bypassed" : "kept") + " at level '" + level +
                                       "' by the constraint at " +
                                       s.places[en.level].tensor[t]->str());
      } else {
        (keep ? lc.keep : lc.bypass) |= bit;
        kept_here |= keep ? bit : 0;
        if (!s.places[en.level].tensor[t]) s.places[en.level].tensor[t] = where->where;
      }
    }
  }
}

/// `min:` of a utilization (parallelism) entry: the fraction of the MAC array kept busy.
void read_utilization(State& s, const Entry& en) {
  const YamlNode* m = en.get("min");
  if (!m) {
    s.sink.error(en.node.where, en.what + ": missing key 'min'");
    return;
  }
  const auto v = read_double(*m, en.label("min"), 0, 1, s.sink);
  if (!v) return;
  if (en.level != 0) {
    s.sink.error(en.target_where,
                 en.what + ": a utilization constraint must target the innermost level '" +
                     s.a.levels[0].name + "' (it counts the whole MAC array), not '" +
                     s.a.levels[en.level].name + "'");
    return;
  }
  if (s.utilization && s.c.min_utilization != *v) {
    s.sink.error(m->where, en.label("min") + ": minimum utilization " + m->text +
                               " conflicts with " + s.utilization_text + " given at " +
                               s.utilization->str());
    return;
  }
  s.c.min_utilization = *v;
  if (!s.utilization) s.utilization = m->where, s.utilization_text = m->text;
}

/// The level an entry targets: `target` (or `name`), a level name or Timeloop's storage level
/// number (0 innermost); -1 after reporting when there is none.
int read_target(const State& s, const YamlNode& node, const std::string& what, SourceLocation& at) {
  const YamlNode* t = node.find("target");
  if (!t) t = node.find("name");
  if (!t) {
    s.sink.error(node.where, what + ": missing key 'target'");
    return -1;
  }
  at = t->where;
  const auto name = read_string(*t, what + ": target", s.sink);
  if (!name) return -1;
  if (const int l = s.a.level_index(*name); l >= 0) return l;
  DiagnosticSink scratch;
  if (const auto n = read_int(*t, "", 0, s.a.num_levels() - 1, scratch))
    return static_cast<int>(*n);
  std::vector<std::string> names;
  for (int l = s.a.num_levels(); l-- > 0;) names.push_back(s.a.levels[l].name);
  s.sink.error(t->where, what + ": target: unknown level '" + *name +
                             "'; the architecture's levels are " + join_names(names));
  return -1;
}

/// One constraint; `target_node` holds its target (itself, or the entry of a nested list).
void read_constraint(State& s, const YamlNode& target_node, const YamlNode& node,
                     const std::string& what) {
  if (node.kind != YamlKind::kMapping) {
    s.sink.error(node.where, what + " must be a mapping of keys to values, got " + node.describe());
    return;
  }
  const YamlNode* type_node = node.find("type");
  if (!type_node) {
    s.sink.error(node.where, what + ": missing key 'type'");
    return;
  }
  const std::string type = type_node->kind == YamlKind::kScalar ? type_node->text : "";
  const Kind kind = kind_of(type);
  if (kind == Kind::kUnknown) {
    const std::string types =
        "temporal, spatial, bypass (or datatype, dataspace), utilization "
        "and max_overbooked_proportion";
    s.sink.error(type_node->where,
                 what + ": type '" + type + "' is not supported; types are " + types);
    return;
  }
  if (kind == Kind::kOverbooked) {
    s.sink.warning(type_node->where, what +
                                         ": type 'max_overbooked_proportion' is not "
                                         "modelled by Outpace (buffers are never "
                                         "overbooked); ignored");
    return;
  }
  Keys keys = keys_of(kind);
  const YamlNode* attrs = node.find("attributes");
  if (attrs)
    const ObjectReader a =
        timeloop_object(*attrs, what + ": attributes", keys.settings, keys.ignored, s.sink);
  if (!attrs) keys.beside.insert(keys.beside.end(), keys.settings.begin(), keys.settings.end());
  const ObjectReader o = timeloop_object(node, what, keys.beside, keys.ignored, s.sink);
  SourceLocation at;
  const int level = read_target(s, target_node, what, at);
  if (level < 0) return;
  const Entry en{node, attrs && attrs->kind == YamlKind::kMapping ? attrs : nullptr, what, level,
                 at};
  const bool spatial = kind == Kind::kSpatial;
  if (spatial && s.a.fanout_x(level) * s.a.fanout_y(level) == 1) {
    const std::string name = s.a.levels[level].name;
    s.sink.error(at, what + ": level '" + name +
                         "' has no spatial fanout (each instance "
                         "has one child), so it takes no spatial constraint");
  } else if (kind == Kind::kTemporal || spatial) {
    read_factors(s, en, spatial);
    read_order(s, en, spatial);
  } else if (kind == Kind::kBypass) {
    read_bypass(s, en);
  } else {
    read_utilization(s, en);
  }
}

/// One item of a constraint list: a constraint, or `{target, constraints: [...]}`.
void read_item(State& s, const YamlNode& item, const std::string& what) {
  const YamlNode* inner = item.kind == YamlKind::kMapping ? item.find("constraints") : nullptr;
  if (!inner) return read_constraint(s, item, item, what);
  const ObjectReader outer =
      timeloop_object(item, what, {"target", "name", "constraints"}, {}, s.sink);
  const auto list = read_list(*inner, outer.label("constraints"), s.sink);
  for (std::size_t j = 0; list && j < list->size(); ++j)
    read_constraint(s, item, *(*list)[j], what + " constraint #" + std::to_string(j + 1));
}

/// Allowed axes of each spatial level from its permutation and split, and no axis for a
/// dimension whose spatial factor is fixed at 1.
void finish_spatial(State& s) {
  for (int l = 0; l < s.a.num_levels(); ++l) {
    mapper::LevelConstraints& lc = s.c.levels[l];
    if (const SpatialPlan& plan = s.spatial[l]; plan.split)
      timeloop::spatial_axes(plan.perm, *plan.split, s.e.num_dims(),
                             s.a.fanout_x(l) > 1 && s.a.fanout_y(l) > 1, lc.spatial_x,
                             lc.spatial_y);
    for (int d = 0; d < s.e.num_dims(); ++d)
      if (lc.spatial_fixed[d] == 1) lc.spatial_x &= ~(1u << d), lc.spatial_y &= ~(1u << d);
  }
}

/// Reports a dimension whose exact factors over all levels cannot multiply to its bound.
void check_products(const State& s) {
  for (int d = 0; d < s.e.num_dims(); ++d) {
    if (!s.fixed_at[d]) continue;
    const std::int64_t bound = s.e.bounds[d];
    std::int64_t product = 1;
    int free = 0;
    auto take = [&](std::int64_t f) {
      free += f == 0 ? 1 : 0;
      product *= f == 0 || product > bound ? 1 : f;
    };
    for (int l = 0; l < s.a.num_levels(); ++l) {
      take(s.c.levels[l].temporal_fixed[d]);
      if (s.a.fanout_x(l) * s.a.fanout_y(l) > 1) take(s.c.levels[l].spatial_fixed[d]);
    }
    const std::string head = "constraints: the exact factors of dimension '" + s.e.dim_names[d] +
                             "' over all levels multiply to ";
    const std::string b = std::to_string(bound);
    if (product > bound)
      s.sink.error(*s.fixed_at[d], head + "more than its bound " + b);
    else if (bound % product != 0)
      s.sink.error(*s.fixed_at[d],
                   head + std::to_string(product) + ", which does not divide its bound " + b);
    else if (free == 0 && product != bound)
      s.sink.error(*s.fixed_at[d], head + std::to_string(product) +
                                       ", but every level fixes it and its bound is " + b);
  }
}

/// Copies `from` into `to` in the order of the files of `sections`, then by line and column.
void flush(const DiagnosticSink& from, DiagnosticSink& to, const std::vector<YamlEntry>& sections) {
  std::vector<std::string> files;
  for (const YamlEntry& e : sections)
    if (std::find(files.begin(), files.end(), e.where.file) == files.end())
      files.push_back(e.where.file);
  auto rank = [&](const Diagnostic& d) {
    return std::tuple(std::find(files.begin(), files.end(), d.where.file) - files.begin(),
                      d.where.line, d.where.column);
  };
  std::vector<Diagnostic> all = from.diagnostics();
  std::stable_sort(all.begin(), all.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  for (const Diagnostic& d : all) to.add(d);
}

}  // namespace

mapper::Constraints read_timeloop_constraints(const std::vector<YamlEntry>& sections,
                                              const Einsum& einsum, const arch::Arch& arch,
                                              DiagnosticSink& out) {
  DiagnosticSink sink;
  State s{einsum, arch, sink, mapper::unconstrained(einsum, arch), {}, {}, {}, {}, {}, {}};
  const auto dims = static_cast<std::size_t>(einsum.num_dims());
  const auto tensors = static_cast<std::size_t>(einsum.num_tensors());
  LevelPlaces places;
  places.temporal.assign(dims, {}), places.temporal_max.assign(dims, {});
  places.spatial.assign(dims, {}), places.tensor.assign(tensors, {});
  s.places.assign(arch.levels.size(), places);
  s.spatial.assign(arch.levels.size(), {});
  s.temporal.assign(arch.levels.size(), {});
  s.fixed_at.assign(dims, {});
  for (const Source& src : timeloop::find_sources(sections, sink)) {
    const YamlNode* list = timeloop::constraint_list(src.name, *src.node, sink);
    for (std::size_t i = 0; list && i < list->items.size(); ++i)
      read_item(s, list->items[i], src.name + " entry #" + std::to_string(i + 1));
  }
  finish_spatial(s);
  if (sink.ok()) check_products(s);
  if (sink.ok())
    for (const std::string& message : mapper::check(s.c, einsum, arch))
      sink.error(sections.empty() ? SourceLocation{} : sections.front().where,
                 "constraints: " + message);
  flush(sink, out, sections);
  return s.c;
}

mapper::Constraints read_timeloop_constraints(const TimeloopSpec& spec, DiagnosticSink& sink) {
  if (spec.problem && spec.arch)
    return read_timeloop_constraints(spec.unread_sections, *spec.problem, *spec.arch, sink);
  for (const YamlEntry& e : spec.unread_sections)
    if (is_constraints_section(e.key)) {
      const std::string missing = spec.problem ? "architecture" : "problem";
      sink.error(e.where, "section '" + e.key +
                              "': reading constraints needs the problem and "
                              "the architecture; no file gives '" +
                              missing + ":'");
      break;
    }
  return {};
}

}  // namespace outpace::io
