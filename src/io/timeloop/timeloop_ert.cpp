// Accelergy's energy reference table (ERT) applied the way timeloop-model v3.0.3 applies it
// (src/model/topology.cpp, ParseAccelergyERT; include/model/topology.hpp, the action-name
// priority lists): each table belongs to the component its path ends with; each action costs
// its most expensive argument variant; storage reads, fills and updates take the first action
// of their priority list that the table has, or else Timeloop's built-in estimate, and the MAC
// the first of its own list. docs/timeloop.md lists them.
#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/yaml/object_reader.hpp"

namespace outpace::io::timeloop {

namespace {

constexpr double kMaxEnergy = 1e15;

/// Per action name, the largest energy of its variants (pJ per vector access or per op).
using Actions = std::map<std::string, double>;

/// One action entry `{name, arguments, energy}` (v0.3 / v0.4 tables).
void read_action(const YamlNode& node, const std::string& table, Actions& actions,
                 DiagnosticSink& sink) {
  ObjectReader a = timeloop_object(node, "ERT table '" + table + "': action",
                                   {"name", "arguments", "energy"}, {}, sink, "ERT action");
  if (!a.ok()) return;
  const auto name = a.string("name", true);
  const YamlNode* e = a.require("energy");
  const auto energy = e ? read_double(*e, a.label("energy"), 0, kMaxEnergy, sink) : std::nullopt;
  if (!name || !energy) return;
  auto [it, fresh] = actions.emplace(*name, *energy);
  if (!fresh) it->second = std::max(it->second, *energy);
}

/// The variants of one action in a v0.2 table: a list of `{arguments, energy}` or one of them.
void read_v02_action(const YamlEntry& entry, const std::string& table, Actions& actions,
                     DiagnosticSink& sink) {
  const std::vector<const YamlNode*> variants =
      entry.value.kind == YamlKind::kSequence
          ? [&] {
              std::vector<const YamlNode*> v;
              for (const YamlNode& item : entry.value.items) v.push_back(&item);
              return v;
            }()
          : std::vector<const YamlNode*>{&entry.value};
  for (const YamlNode* v : variants) {
    ObjectReader a = timeloop_object(*v, "ERT table '" + table + "': action '" + entry.key + "'",
                                     {"arguments", "energy"}, {}, sink);
    if (!a.ok()) continue;
    const YamlNode* e = a.require("energy");
    if (const auto energy =
            e ? read_double(*e, a.label("energy"), 0, kMaxEnergy, sink) : std::nullopt) {
      auto [it, fresh] = actions.emplace(entry.key, *energy);
      if (!fresh) it->second = std::max(it->second, *energy);
    }
  }
}

/// The energy of the first action of `priority` the table has.
std::optional<double> pick(const Actions& actions, std::initializer_list<const char*> priority) {
  for (const char* name : priority)
    if (auto it = actions.find(name); it != actions.end()) return it->second;
  return std::nullopt;
}

/// The energies of the accesses a sparse feature gates or skips and of (de)compression, by
/// timeloop-model's first action present (include/model/topology.hpp); an action none of whose
/// names the table gives keeps what it had (0: Timeloop charges nothing for it).
void apply_sparse_actions(const Actions& actions, arch::ActionEnergy& e) {
  const auto set = [&](double& pj, std::initializer_list<const char*> names) {
    if (const auto v = pick(actions, names)) pj = *v;
  };
  set(e.gated_read_pj, {"gated_read", "idle", "read"});
  set(e.skipped_read_pj, {"skipped_read", "gated_read", "idle", "read"});
  set(e.gated_update_pj, {"gated_update", "gated_write", "idle", "write"});
  set(e.skipped_update_pj, {"skipped_update", "skipped_write", "gated_write", "idle", "write"});
  set(e.decompression_pj, {"decompression_count"});
  set(e.compression_pj, {"compression_count"});
}

/// An energy in a message: six significant digits.
std::string pj_text(double pj) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", pj);
  return text;
}

/// What the tables gave one level: whether some table had a read action and a fill action, and
/// the last table that named it.
struct Given {
  bool read = false, fill = false;
  std::string path;
  SourceLocation where;
};

/// Sets the energies the table gives to the level or compute unit it belongs to, noting them in
/// `covered` (the compute unit at -1); false if it belongs to none. An action no table gives
/// keeps what start_from_builtin set, as in Timeloop (a later table of the same component
/// replaces only what it gives).
bool apply_table(const std::string& path, const Actions& actions, const SourceLocation& where,
                 ArchInfo& info, std::map<int, Given>& covered, DiagnosticSink& sink) {
  const std::string component = component_of_path(path);
  arch::Arch& a = info.arch;
  const int l = a.level_index(component);
  if (l >= 0) {
    const auto read = pick(actions, {"random_read", "read"});
    const auto fill = pick(actions, {"random_fill", "write"});
    const auto update = pick(actions, {"random_update", "random_fill", "write"});
    Given& given = covered[l];
    given.read |= read.has_value(), given.fill |= fill.has_value();
    given.path = path, given.where = where;
    if (info.user_energy[l]) return true;  // vector-access-energy given: Timeloop keeps it
    arch::ActionEnergy& e = a.levels[l].energy;
    if (read) e.read_pj = *read;
    if (fill) e.write_pj = *fill;
    if (update) e.update_pj = *update;
    apply_sparse_actions(actions, e);
    return true;
  }
  if (component == a.compute.name) {
    covered.try_emplace(-1);
    if (const auto gated =
            pick(actions, {"mac_gated", "mult_gated", "compute_gated", "mac", "mult", "compute"}))
      a.compute.gated_mac_pj = *gated;
    if (const auto skipped =
            pick(actions, {"mac_skipped", "mult_skipped", "compute_skipped", "mac_gated",
                           "mult_gated", "compute_gated", "mac", "mult", "compute"}))
      a.compute.skipped_mac_pj = *skipped;
    if (const auto mac = pick(actions, {"mac_random", "mult_random", "mac", "mult", "compute"}))
      a.compute.mac_energy_pj = *mac;
    else
      sink.warning(where, "ERT table '" + path + "': no 'mac_random' action; compute '" +
                              component + "' keeps Outpace's built-in energy");
    return true;
  }
  return false;
}

/// What timeloop-model charges before it reads the ERT: every action of a level costs the level's
/// vector-access-energy or Timeloop's built-in estimate (buffer.cpp, ParseSpecs), and nothing
/// leaks (it charges no idle or leak energy). Each table then replaces the actions it gives.
void start_from_builtin(ArchInfo& info) {
  for (int l = 0; l < info.arch.num_levels(); ++l) {
    arch::ActionEnergy& e = info.arch.levels[l].energy;
    e.read_pj = e.write_pj = e.update_pj = info.timeloop_energy[l];
    e.leak_pj_per_cycle = 0;
  }
}

/// Warns when level l is charged Timeloop's built-in estimate for some action: no table names it,
/// or none of its tables gives a read or a fill (at the last of them).
void warn_builtin(const ArchInfo& info, int l, const std::map<int, Given>& covered,
                  const SourceLocation& ert, DiagnosticSink& sink) {
  const std::string level = "level '" + info.arch.levels[l].name + "'";
  const std::string charged = "Timeloop's built-in estimate, " + pj_text(info.timeloop_energy[l]) +
                              " pJ per vector access, as timeloop-model does";
  const auto it = covered.find(l);
  if (it == covered.end()) {
    sink.warning(ert, "ERT: no table for " + level + "; it is charged " + charged);
    return;
  }
  const Given& g = it->second;
  if (g.read && g.fill) return;
  const std::string missing = g.read   ? "'write' action"
                              : g.fill ? "'read' action"
                                       : "'read' or 'write' action";
  sink.warning(g.where, "ERT table '" + g.path + "': no " + missing + "; " + level +
                            " is charged " + charged);
}

/// Every (path, actions, place) of the `tables:` list (v0.3, v0.4) or mapping (v0.2).
std::vector<std::tuple<std::string, Actions, SourceLocation>> read_tables(const YamlNode& tables,
                                                                          DiagnosticSink& sink) {
  std::vector<std::tuple<std::string, Actions, SourceLocation>> out;
  if (tables.kind == YamlKind::kMapping) {
    for (const YamlEntry& t : tables.entries) {
      Actions actions;
      if (t.value.kind != YamlKind::kMapping) {
        sink.error(t.value.where, "ERT table '" + t.key +
                                      "' must be a mapping of action "
                                      "names to energies, got " +
                                      t.value.describe());
        continue;
      }
      for (const YamlEntry& action : t.value.entries) read_v02_action(action, t.key, actions, sink);
      out.emplace_back(t.key, actions, t.where);
    }
    return out;
  }
  const auto items = read_list(tables, "ERT: tables", sink);
  for (std::size_t i = 0; items && i < items->size(); ++i) {
    ObjectReader t = timeloop_object(*(*items)[i], "ERT table #" + std::to_string(i + 1),
                                     {"name", "actions"}, {}, sink, "ERT table");
    const auto name = t.ok() ? t.string("name", true) : std::nullopt;
    const YamlNode* list = t.ok() ? t.require("actions") : nullptr;
    if (!name || !list) continue;
    Actions actions;
    if (const auto acts = read_list(*list, t.label("actions"), sink))
      for (const YamlNode* a : *acts) read_action(*a, *name, actions, sink);
    out.emplace_back(*name, actions, t.node().where);
  }
  return out;
}

}  // namespace

void apply_ert(const YamlNode& node, ArchInfo& info, DiagnosticSink& sink) {
  ObjectReader ert = timeloop_object(node, "ERT", {"tables", "version"}, {}, sink);
  if (!ert.ok()) return;
  const YamlNode* tables = ert.require("tables");
  if (!tables) return;
  start_from_builtin(info);
  std::map<int, Given> covered;  // by level index, -1 for the compute unit
  for (const auto& [path, actions, where] : read_tables(*tables, sink)) {
    if (apply_table(path, actions, where, info, covered, sink)) continue;
    const std::string c = component_of_path(path);
    sink.warning(where,
                 "ERT table '" + path + "': " +
                     (c == "wire" || c == "Wire"
                          ? std::string("wire energy is not modelled; ignored")
                          : "no storage level or compute unit is named '" + c + "'; ignored"));
  }
  for (int l = 0; l < info.arch.num_levels(); ++l)
    if (!info.user_energy[l]) warn_builtin(info, l, covered, node.where, sink);
  if (!covered.count(-1))
    sink.warning(node.where, "ERT: no table for compute '" + info.arch.compute.name +
                                 "'; its energy comes from Outpace's built-in table");
}

}  // namespace outpace::io::timeloop
