// Timeloop's mapspace constraints read into mapper::Constraints, with the meaning
// timeloop-mapper v3.0.3 gives them: which sections it reads (src/applications/mapper/mapper.cpp),
// how it parses an entry (src/mapping/constraints.cpp) and what the mapspace makes of it
// (src/mapspaces/uber.cpp, subspaces.cpp). docs/timeloop.md, "Mapspace constraints", has the list.
#include "io/timeloop_constraints.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "io/timeloop_common.hpp"
#include "io/yaml_reader.hpp"

namespace outpace::io {

namespace {

using timeloop::Object;
using timeloop::Sinks;
using workload::Einsum;
using Place = std::optional<SourceLocation>;

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

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

/// Keys an entry of each kind may have: read, and known to Timeloop but not modelled.
struct Keys {
  std::vector<std::string> used, ignored;
};

Keys keys_of(Kind k) {
  std::vector<std::string> used = {"type", "target", "name", "attributes"};
  std::vector<std::string> more, ignored;
  if (k == Kind::kTemporal || k == Kind::kSpatial) {
    more = {"factors", "permutation", "split", "default_max_factor"};
    ignored = {"no_reuse", "remainders", "default_min_factor"};
  }
  if (k == Kind::kTemporal) ignored.insert(ignored.end(), {"no_temporal_reuse", "rmw_first_update"});
  if (k == Kind::kSpatial)
    ignored.insert(ignored.end(), {"no_link_transfer", "no_multicast_no_reduction"});
  if (k == Kind::kBypass) more = {"keep", "bypass"}, ignored = {"no_coalesce"};
  if (k == Kind::kUtilization) more = {"min"};
  used.insert(used.end(), more.begin(), more.end());
  return {used, ignored};
}

/// A permutation as written: the dimensions before '_' innermost first, those after it last.
struct Permutation {
  std::vector<int> prefix, suffix;
  bool operator==(const Permutation&) const = default;
};

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
  Sinks& sinks;
  mapper::Constraints c;
  std::vector<LevelPlaces> places;
  std::vector<SpatialPlan> spatial;
  std::vector<Permutation> temporal;
  std::vector<Place> fixed_at;  ///< per dimension: the last exact factor given
  Place utilization;
  std::string utilization_text;  ///< the minimum utilization as first written
};

/// One constraint entry: its keys (or those of its `attributes:`), its name and its level.
struct Entry {
  const YamlNode& node;
  const YamlNode* attributes;
  std::string what;
  int level;
  SourceLocation target_where;
  const YamlNode* get(std::string_view key) const {
    if (attributes)
      if (const YamlNode* v = attributes->find(key)) return v;
    return node.find(key);
  }
  std::string label(std::string_view key) const { return what + ": " + std::string(key); }
};

/// One term of a `factors` string: DIM=N (exact), DIM<=N (at most) or DIM>=N (at least).
struct FactorTerm {
  int dim = -1;
  char op = '=';
  std::int64_t value = 0;
};

/// Parses "C=3 M<=4 P>=2" (also "C3", commas between terms, a '#' comment), as Timeloop's
/// regular expressions do; reports a malformed term or an unknown dimension.
std::vector<FactorTerm> parse_terms(const std::string& full, const YamlNode& node,
                                    const std::string& label, const Einsum& e,
                                    DiagnosticSink& errors) {
  const std::string text = full.substr(0, full.find('#'));
  std::vector<FactorTerm> out;
  std::size_t i = 0;
  auto skip = [&](bool commas) {
    while (i < text.size() && (is_space(text[i]) || (commas && text[i] == ','))) ++i;
  };
  while (skip(true), i < text.size()) {
    const std::size_t start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    const std::string dim = text.substr(start, i - start);
    skip(false);
    FactorTerm t;
    if (text.compare(i, 2, "<=") == 0 || text.compare(i, 2, ">=") == 0) {
      t.op = text[i];
      i += 2;
    }
    while (t.op == '=' && i < text.size() && text[i] == '=') ++i;
    skip(false);
    const std::size_t digits = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (dim.empty() || i == digits || i - digits > 9) {
      const std::size_t end = text.find_first_of(" \t,", std::max(i, start + 1));
      errors.error(node.where, label + ": factor '" + text.substr(start, end - start) +
                                   "' is malformed; write DIM=N, DIM<=N or DIM>=N with N an "
                                   "integer, e.g. C=3");
      return out;
    }
    t.dim = e.dim_index(dim);
    t.value = std::stoll(text.substr(digits, i - digits));
    if (t.dim < 0)
      errors.error(node.where, label + ": unknown dimension '" + dim + "' in '" +
                                   text.substr(start, i - start) + "'; dimensions are " +
                                   join_names(e.dim_names));
    else
      out.push_back(t);
  }
  return out;
}

/// Sets `slot` unless an earlier entry gave it another value, which is reported.
void set_once(std::int64_t& slot, std::int64_t value, Place& place, const SourceLocation& here,
              const std::string& message, DiagnosticSink& errors) {
  if (place && slot != value) {
    errors.error(here, message + " conflicts with " + std::to_string(slot) + " given at " +
                           place->str());
    return;
  }
  slot = value;
  if (!place) place = here;
}

/// Applies one factor term of a temporal or spatial entry.
void apply_term(State& s, const Entry& en, bool spatial, const FactorTerm& t, const YamlNode& node) {
  const std::string& dim = s.e.dim_names[t.dim];
  const std::int64_t bound = s.e.bounds[t.dim];
  const std::string label = en.label("factors"), level = s.a.levels[en.level].name;
  const std::string term = dim + (t.op == '=' ? "=" : std::string(1, t.op) + "=") +
                           std::to_string(t.value);
  mapper::LevelConstraints& lc = s.c.levels[en.level];
  LevelPlaces& pl = s.places[en.level];
  if (t.op == '>') {
    s.sinks.warnings.error(node.where, label + ": minimum factor '" + term +
                                           "' is not modelled by Outpace; ignored");
  } else if (t.op == '<' && t.value < 1) {
    s.sinks.errors.error(node.where, label + ": maximum factor '" + term + "' must be at least 1");
  } else if (t.op == '<' && spatial) {
    s.sinks.warnings.error(node.where, label + ": maximum spatial factor '" + term +
                                           "' is not modelled by Outpace (the fanout bounds "
                                           "spatial factors); ignored");
  } else if (t.op == '<') {
    set_once(lc.temporal_max[t.dim], t.value, pl.temporal_max[t.dim], node.where,
             label + ": maximum temporal factor " + term + " at level '" + level + "'",
             s.sinks.errors);
  } else {
    const std::int64_t v = t.value == 0 ? bound : t.value;  // Timeloop: 0 is the whole bound
    if (v > bound) {
      s.sinks.warnings.error(node.where, label + ": factor " + term + " is larger than the bound " +
                                             std::to_string(bound) + " of dimension '" + dim +
                                             "'; ignored, as Timeloop does");
    } else if (bound % v != 0) {
      s.sinks.errors.error(node.where, label + ": factor " + term + " does not divide the bound " +
                                           std::to_string(bound) + " of dimension '" + dim + "'");
    } else {
      set_once(spatial ? lc.spatial_fixed[t.dim] : lc.temporal_fixed[t.dim], v,
               spatial ? pl.spatial[t.dim] : pl.temporal[t.dim], node.where,
               label + ": " + (spatial ? "spatial" : "temporal") + " factor " + dim + "=" +
                   std::to_string(v) + " at level '" + level + "'",
               s.sinks.errors);
      s.fixed_at[t.dim] = node.where;
    }
  }
}

/// `factors:` (a string or a list of strings) and `default_max_factor:` of an entry.
void read_factors(State& s, const Entry& en, bool spatial) {
  DiagnosticSink& errors = s.sinks.errors;
  std::uint32_t has_max = 0;
  if (const YamlNode* f = en.get("factors"))
    if (const auto items = read_string_list(*f, en.label("factors"), errors))
      for (const auto& [text, node] : *items)
        for (const FactorTerm& t : parse_terms(text, *node, en.label("factors"), s.e, errors)) {
          apply_term(s, en, spatial, t, *node);
          if (t.op == '<') has_max |= 1u << t.dim;
        }
  const YamlNode* dm = en.get("default_max_factor");
  if (!dm) return;
  if (spatial) {
    s.sinks.warnings.error(dm->where, en.label("default_max_factor") +
                                          ": spatial maximum factors are not modelled by "
                                          "Outpace; ignored");
    return;
  }
  const auto v = read_int(*dm, en.label("default_max_factor"), 1, kMaxSpecCount, errors);
  for (int d = 0; v && d < s.e.num_dims(); ++d)
    if (!((has_max >> d) & 1u))
      apply_term(s, en, false, FactorTerm{d, '<', *v}, *dm);
}

/// A permutation: a string of one-letter dimensions (spaces and commas skipped) or a list of
/// dimension names, innermost first; '_' starts the outermost part. Reports unknown or repeated
/// dimensions.
std::optional<Permutation> parse_permutation(const YamlNode& node, const std::string& label,
                                             const Einsum& e, DiagnosticSink& errors) {
  std::vector<std::string> names;
  std::string shown;
  if (node.kind == YamlKind::kSequence) {
    const auto items = read_string_list(node, label, errors);
    if (!items) return std::nullopt;
    for (const auto& item : *items) names.push_back(item.first), shown += item.first;
  } else {
    const auto text = read_string(node, label, errors);
    if (!text) return std::nullopt;
    shown = text->substr(0, text->find('#'));
    for (char c : shown)
      if (!is_space(c) && c != ',') names.emplace_back(1, c);
  }
  Permutation p;
  std::vector<bool> seen(e.dim_names.size(), false);
  bool outer = false;
  for (const std::string& name : names) {
    if (name == "_") {
      outer = true;
      continue;
    }
    const int d = e.dim_index(name);
    if (d < 0 || seen[d]) {
      errors.error(node.where, label + ": " + (d < 0 ? "unknown dimension '" : "dimension '") +
                                   name + (d < 0 ? "' in '" : "' appears twice in '") + shown +
                                   (d < 0 ? "'; dimensions are " + join_names(e.dim_names) : "'"));
      return std::nullopt;
    }
    seen[d] = true;
    (outer ? p.suffix : p.prefix).push_back(d);
  }
  return p;
}

/// The temporal loops that must be innermost: the inner part of the permutation; the whole
/// order when the outer part leaves at most one dimension unplaced. `partial` tells that an
/// outer part had to be dropped.
mapper::Order innermost_of(const Permutation& p, int dims, bool& partial) {
  std::vector<int> order = p.prefix;
  const int placed = static_cast<int>(p.prefix.size() + p.suffix.size());
  partial = !p.suffix.empty() && placed + 1 < dims;
  if (!p.suffix.empty() && !partial) {
    for (int d = 0; d < dims; ++d)
      if (std::count(order.begin(), order.end(), d) + std::count(p.suffix.begin(), p.suffix.end(), d) == 0)
        order.push_back(d);
    order.insert(order.end(), p.suffix.begin(), p.suffix.end());
  }
  mapper::Order out;
  for (int d : order) out.push_back(static_cast<std::int8_t>(d));
  return out;
}

/// `permutation:` and `split:` of a temporal or spatial entry.
void read_order(State& s, const Entry& en, bool spatial) {
  DiagnosticSink& errors = s.sinks.errors;
  const std::string level = s.a.levels[en.level].name;
  LevelPlaces& pl = s.places[en.level];
  if (const YamlNode* node = en.get("permutation"))
    if (const auto p = parse_permutation(*node, en.label("permutation"), s.e, errors)) {
      Permutation& old = spatial ? s.spatial[en.level].perm : s.temporal[en.level];
      Place& place = pl.permutation[spatial ? 1 : 0];
      if (place && old != *p) {
        errors.error(node->where, en.label("permutation") + ": level '" + level +
                                      "' already has another " + (spatial ? "spatial" : "temporal") +
                                      " permutation, given at " + place->str());
      } else {
        old = *p;
        if (!place) place = node->where;
        bool partial = false;
        if (!spatial) s.c.levels[en.level].innermost = innermost_of(*p, s.e.num_dims(), partial);
        if (partial)
          s.sinks.warnings.error(node->where, en.label("permutation") + ": the outermost loops "
                                              "(after '_') are not modelled by Outpace; only the "
                                              "innermost ones are kept");
      }
    }
  const YamlNode* split = en.get("split");
  if (split && !spatial)
    s.sinks.warnings.error(split->where, en.what + ": 'split' has no meaning for a temporal "
                                         "constraint; ignored");
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
  DiagnosticSink& errors = s.sinks.errors;
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
        errors.error(where->where, en.what + ": data space '" + name + "' is in both keep and bypass");
      } else if (!keep && outermost) {
        errors.error(where->where, en.label(key) + ": level '" + level + "' is the outermost level; "
                                   "it must keep every data space, '" + name + "' included");
      } else if ((keep ? lc.bypass : lc.keep) & bit) {
        errors.error(where->where, en.label(key) + ": data space '" + name + "' is " +
                                       (keep ? "bypassed" : "kept") + " at level '" + level +
                                       "' by the constraint at " + s.places[en.level].tensor[t]->str());
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
    s.sinks.errors.error(en.node.where, en.what + ": missing key 'min'");
    return;
  }
  const auto v = read_double(*m, en.label("min"), 0, 1, s.sinks.errors);
  if (!v) return;
  if (en.level != 0) {
    s.sinks.errors.error(en.target_where,
                         en.what + ": a utilization constraint must target the innermost level '" +
                             s.a.levels[0].name + "' (it counts the whole MAC array), not '" +
                             s.a.levels[en.level].name + "'");
    return;
  }
  if (s.utilization && s.c.min_utilization != *v) {
    s.sinks.errors.error(m->where, en.label("min") + ": minimum utilization " + m->text +
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
    s.sinks.errors.error(node.where, what + ": missing key 'target'");
    return -1;
  }
  at = t->where;
  const auto name = read_string(*t, what + ": target", s.sinks.errors);
  if (!name) return -1;
  if (const int l = s.a.level_index(*name); l >= 0) return l;
  DiagnosticSink scratch;
  if (const auto n = read_int(*t, "", 0, s.a.num_levels() - 1, scratch)) return static_cast<int>(*n);
  std::vector<std::string> names;
  for (int l = s.a.num_levels(); l-- > 0;) names.push_back(s.a.levels[l].name);
  s.sinks.errors.error(t->where, what + ": target: unknown level '" + *name +
                                     "'; the architecture's levels are " + join_names(names));
  return -1;
}

/// One constraint; `target_node` holds its target (itself, or the entry of a nested list).
void read_constraint(State& s, const YamlNode& target_node, const YamlNode& node,
                     const std::string& what) {
  if (node.kind != YamlKind::kMapping) {
    s.sinks.errors.error(node.where, what + " must be a mapping of keys to values, got " +
                                         node.describe());
    return;
  }
  const YamlNode* type_node = node.find("type");
  if (!type_node) {
    s.sinks.errors.error(node.where, what + ": missing key 'type'");
    return;
  }
  const std::string type = type_node->kind == YamlKind::kScalar ? type_node->text : "";
  const Kind kind = kind_of(type);
  if (kind == Kind::kUnknown) {
    s.sinks.errors.error(type_node->where, what + ": type '" + type + "' is not supported; types "
                         "are temporal, spatial, bypass (or datatype, dataspace), utilization "
                         "and max_overbooked_proportion");
    return;
  }
  if (kind == Kind::kOverbooked) {
    s.sinks.warnings.error(type_node->where, what + ": type 'max_overbooked_proportion' is not "
                                             "modelled by Outpace (buffers are never overbooked); "
                                             "ignored");
    return;
  }
  const Keys keys = keys_of(kind);
  const Object o(node, what, keys.used, keys.ignored, s.sinks);
  const YamlNode* attrs = node.find("attributes");
  if (attrs) const Object a(*attrs, what + ": attributes", keys.used, keys.ignored, s.sinks);
  SourceLocation at;
  const int level = read_target(s, target_node, what, at);
  if (level < 0) return;
  const Entry en{node, attrs && attrs->kind == YamlKind::kMapping ? attrs : nullptr, what, level, at};
  const bool spatial = kind == Kind::kSpatial;
  if (spatial && s.a.fanout_x(level) * s.a.fanout_y(level) == 1) {
    s.sinks.errors.error(at, what + ": level '" + s.a.levels[level].name + "' has no spatial "
                             "fanout (each instance has one child), so it takes no spatial "
                             "constraint");
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
  const Object outer(item, what, {"target", "name", "constraints"}, {}, s.sinks);
  const auto list = read_list(*inner, outer.label("constraints"), s.sinks.errors);
  for (std::size_t j = 0; list && j < list->size(); ++j)
    read_constraint(s, item, *(*list)[j], what + " constraint #" + std::to_string(j + 1));
}

/// The constraint list of a section, found as Timeloop's Constraints::Parse finds it: the section
/// itself when it is a list, else its `constraints` (a list, or the name of a list
/// `constraints_<name>` beside it), else its `targets`. Null when there is none.
const YamlNode* constraint_list(const std::string& section, const YamlNode& v, Sinks& sinks) {
  if (v.kind == YamlKind::kSequence || v.is_null()) return v.is_null() ? nullptr : &v;
  if (v.kind != YamlKind::kMapping) {
    sinks.errors.error(v.where, section + " must be a list of constraints or a mapping with "
                                          "'targets', got " + v.describe());
    return nullptr;
  }
  const YamlNode* c = v.find("constraints");
  std::string named;
  if (c && c->kind == YamlKind::kScalar && !c->is_null()) named = "constraints_" + c->text;
  const YamlNode* list = !named.empty() ? v.find(named) : c ? c : v.find("targets");
  if (!named.empty() && !list)
    sinks.errors.error(c->where, section + ": constraints: no list '" + named + "' beside it");
  for (const YamlEntry& e : v.entries) {
    if (e.key == "version" || e.key == "constraints" || e.key == named ||
        (e.key == "template" && e.value.text == "uber") || (e.key == "targets" && !c))
      continue;
    const bool ignored = e.key == "targets" || e.key.rfind("constraints_", 0) == 0;
    sinks.warnings.error(e.where, section + ": " + (ignored ? "'" + e.key + "' is not the list "
                                                              "Timeloop reads ('constraints' is)"
                                                            : e.key == "template"
                                                                  ? "key 'template' is not "
                                                                    "modelled by Outpace"
                                                                  : "unknown key '" + e.key + "'") +
                                      "; ignored");
  }
  if (list && list->kind != YamlKind::kSequence && !list->is_null()) {
    sinks.errors.error(list->where, section + ": the constraints must be a list, got " +
                                        list->describe());
    return nullptr;
  }
  return list && !list->is_null() ? list : nullptr;
}

/// A section Timeloop reads constraints from.
struct Source {
  std::string name;
  const YamlNode* node;
  SourceLocation where;
  int group, rank;  ///< Timeloop reads only the lowest rank of each group (0 architecture, 1 mapspace)
};

/// The constraint sections among `sections`, each with its group and rank; `-1` group for the
/// v0.4 `constraints:` section, which is always read.
std::vector<Source> find_sources(const std::vector<YamlEntry>& sections, Sinks& sinks) {
  static const std::map<std::string, std::pair<int, int>> kRanks = {
      {"arch_constraints", {0, 1}}, {"architecture_constraints", {0, 2}},
      {"mapspace", {1, 0}},         {"mapspace_constraints", {1, 1}},
      {"constraints", {-1, 0}}};
  std::vector<Source> out;
  std::map<std::string, SourceLocation> first;
  for (const YamlEntry& e : sections) {
    const bool arch = e.key == "architecture" || e.key == "arch";
    const auto rank = kRanks.find(e.key);
    if (!arch && rank == kRanks.end()) continue;
    const auto [it, fresh] = first.emplace(arch ? "architecture" : e.key, e.where);
    if (!fresh) {
      sinks.errors.error(e.where, "section '" + e.key + "' is given twice (first at " +
                                      it->second.str() + ")");
      continue;
    }
    if (!arch) {
      out.push_back({e.key, &e.value, e.where, rank->second.first, rank->second.second});
      continue;
    }
    for (const YamlEntry& c : e.value.entries)
      if (c.key == "constraints") out.push_back({e.key + ": constraints", &c.value, c.where, 0, 0});
  }
  return out;
}

/// Keeps, of each group, the section Timeloop reads; warns about the others.
std::vector<Source> pick_sources(std::vector<Source> all, Sinks& sinks) {
  std::vector<Source> out;
  for (const Source& src : all) {
    const Source* best = &src;
    for (const Source& o : all)
      if (o.group >= 0 && o.group == src.group && o.rank < best->rank) best = &o;
    if (best == &src) {
      out.push_back(src);
      continue;
    }
    sinks.warnings.error(src.where, "section '" + src.name + "' is ignored: Timeloop reads only '" +
                                        best->name + "' (at " + best->where.str() +
                                        ") when both are given");
  }
  return out;
}

/// Allowed axes of each spatial level from its permutation and split (Timeloop puts the first
/// `split` loops of the level's permutation along X, the rest along Y), and no axis for a
/// dimension whose spatial factor is fixed at 1.
void finish_spatial(State& s) {
  const int n = s.e.num_dims();
  for (int l = 0; l < s.a.num_levels(); ++l) {
    const SpatialPlan& plan = s.spatial[l];
    mapper::LevelConstraints& lc = s.c.levels[l];
    if (plan.split) {
      const std::int64_t split = *plan.split;
      const bool permuted = !plan.perm.prefix.empty() || !plan.perm.suffix.empty();
      const bool two_d = s.a.fanout_x(l) > 1 && s.a.fanout_y(l) > 1;
      std::vector<std::int64_t> pos(n, -1);  // -1: anywhere between the two parts
      const auto inner = static_cast<std::int64_t>(plan.perm.prefix.size());
      const std::int64_t outer = n - static_cast<std::int64_t>(plan.perm.suffix.size());
      for (int d = 0; d < n && !permuted && !two_d; ++d) pos[d] = d;  // Timeloop's canonical order
      for (std::size_t i = 0; i < plan.perm.prefix.size(); ++i) pos[plan.perm.prefix[i]] = i;
      for (std::size_t i = 0; i < plan.perm.suffix.size(); ++i)
        pos[plan.perm.suffix[i]] = outer + static_cast<std::int64_t>(i);
      lc.spatial_x = lc.spatial_y = 0;
      for (int d = 0; d < n; ++d) {
        const bool x = pos[d] >= 0 ? pos[d] < split : split > inner;
        const bool y = pos[d] >= 0 ? pos[d] >= split : split < outer;
        lc.spatial_x |= x ? 1u << d : 0;
        lc.spatial_y |= y ? 1u << d : 0;
      }
    }
    for (int d = 0; d < n; ++d)
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
      if (f == 0) ++free;
      else if (product <= bound) product *= f;
    };
    for (int l = 0; l < s.a.num_levels(); ++l) {
      take(s.c.levels[l].temporal_fixed[d]);
      if (s.a.fanout_x(l) * s.a.fanout_y(l) > 1) take(s.c.levels[l].spatial_fixed[d]);
    }
    const std::string head = "constraints: the exact factors of dimension '" + s.e.dim_names[d] +
                             "' over all levels multiply to ";
    const std::string shown = product > bound ? "more than its bound " : std::to_string(product);
    if (product > bound || bound % product != 0)
      s.sinks.errors.error(*s.fixed_at[d], head + shown + (product > bound ? "" : ", which does not "
                                           "divide its bound ") + std::to_string(bound));
    else if (free == 0 && product != bound)
      s.sinks.errors.error(*s.fixed_at[d], head + shown + ", but every level fixes it and its "
                                           "bound is " + std::to_string(bound));
  }
}

/// Copies `from` into `to`, in the order of the files first named in `sections`, then by line
/// and column.
void flush(const DiagnosticSink& from, DiagnosticSink& to, const std::vector<YamlEntry>& sections) {
  std::vector<std::string> files;
  for (const YamlEntry& e : sections)
    if (std::find(files.begin(), files.end(), e.where.file) == files.end()) files.push_back(e.where.file);
  std::vector<Diagnostic> all = from.diagnostics();
  auto rank = [&](const Diagnostic& d) {
    return std::make_tuple(std::find(files.begin(), files.end(), d.where.file) - files.begin(),
                           d.where.line, d.where.column);
  };
  std::stable_sort(all.begin(), all.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  for (const Diagnostic& d : all) to.error(d.where, d.message);
}

}  // namespace

mapper::Constraints read_timeloop_constraints(const std::vector<YamlEntry>& sections,
                                              const Einsum& einsum, const arch::Arch& arch,
                                              DiagnosticSink& errors, DiagnosticSink& warnings) {
  Sinks sinks;
  State s{einsum, arch, sinks, mapper::unconstrained(einsum, arch), {}, {}, {}, {}, {}, {}};
  const auto dims = static_cast<std::size_t>(einsum.num_dims());
  const auto tensors = static_cast<std::size_t>(einsum.num_tensors());
  LevelPlaces places;
  places.temporal.assign(dims, {}), places.temporal_max.assign(dims, {});
  places.spatial.assign(dims, {}), places.tensor.assign(tensors, {});
  s.places.assign(arch.levels.size(), places);
  s.spatial.assign(arch.levels.size(), {});
  s.temporal.assign(arch.levels.size(), {});
  s.fixed_at.assign(dims, {});
  for (const Source& src : pick_sources(find_sources(sections, sinks), sinks)) {
    const YamlNode* list = constraint_list(src.name, *src.node, sinks);
    for (std::size_t i = 0; list && i < list->items.size(); ++i)
      read_item(s, list->items[i], src.name + " entry #" + std::to_string(i + 1));
  }
  finish_spatial(s);
  if (sinks.errors.ok()) check_products(s);
  if (sinks.errors.ok())
    for (const std::string& message : mapper::check(s.c, einsum, arch))
      sinks.errors.error(sections.empty() ? SourceLocation{} : sections.front().where,
                         "constraints: " + message);
  flush(sinks.errors, errors, sections);
  flush(sinks.warnings, warnings, sections);
  return s.c;
}

mapper::Constraints read_timeloop_constraints(const TimeloopSpec& spec, DiagnosticSink& errors,
                                              DiagnosticSink& warnings) {
  if (spec.problem && spec.arch)
    return read_timeloop_constraints(spec.unread_sections, *spec.problem, *spec.arch, errors,
                                     warnings);
  for (const YamlEntry& e : spec.unread_sections)
    if (e.key == "mapspace" || e.key == "mapspace_constraints" || e.key == "constraints" ||
        e.key == "arch_constraints" || e.key == "architecture_constraints") {
      errors.error(e.where, "section '" + e.key + "': reading constraints needs the problem and "
                            "the architecture; no file gives '" +
                                (spec.problem ? "architecture" : "problem") + ":'");
      break;
    }
  return {};
}

}  // namespace outpace::io
