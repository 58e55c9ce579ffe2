// Timeloop's sparse specs read into a model::Sparsity (docs/timeloop.md, "Sparse modelling"): the
// problem's densities (`densities`, `commonDensity`) and the `sparse_optimizations` section
// (representation formats, gating and skipping, the compute unit's own).
#include <algorithm>
#include <cstdlib>
#include <string>

#include "io/timeloop/detail/timeloop_common.hpp"

namespace outpace::io::timeloop {

namespace {

/// A density: a number (fixed-structured) or {distribution, density}.
std::optional<model::Density> read_density(const YamlNode& node, const std::string& what,
                                           DiagnosticSink& sink) {
  if (node.kind == YamlKind::kScalar) {
    char* end = nullptr;
    const double d = std::strtod(node.text.c_str(), &end);
    if (node.text.empty() || *end != '\0' || !(d >= 0 && d <= 1)) {
      sink.error(node.where,
                 what + ": '" + node.text + "' is not a density (a number from 0 to 1)");
      return std::nullopt;
    }
    return model::Density{model::DensityKind::kFixedStructured, d};
  }
  ObjectReader r = timeloop_object(node, what, {"distribution", "density"},
                                   {"workload_tensor_size", "band_width"}, sink);
  if (!r.ok()) return std::nullopt;
  const std::optional<std::string> kind = r.string("distribution", true);
  const std::optional<double> d = r.number("density", 0, 1, true);
  if (!kind || !d) return std::nullopt;
  if (*kind == "fixed" || *kind == "fixed-structured" || *kind == "fixed_structured")
    return model::Density{model::DensityKind::kFixedStructured, *d};
  if (*kind == "hypergeometric") return model::Density{model::DensityKind::kUniform, *d};
  sink.error(r.get("distribution")->where,
             r.label("distribution") + ": '" + *kind +
                 "' is not modelled; the distributions are fixed-structured and hypergeometric");
  return std::nullopt;
}

/// The tensor a data-space name gives, or -1 with an error.
int tensor_named(const workload::Einsum& e, const YamlNode& name, const std::string& what,
                 DiagnosticSink& sink) {
  const int t = name.kind == YamlKind::kScalar ? e.tensor_index(name.text) : -1;
  if (t < 0) {
    std::string names;
    for (const workload::Tensor& tensor : e.tensors)
      names += (names.empty() ? "" : ", ") + tensor.name;
    sink.error(name.where,
               what + ": " + name.describe() + " is no data space of the problem (" + names + ")");
  }
  return t;
}

/// The list under `key` of an object, or nothing (an error when it is not a list).
const std::vector<YamlNode>* list_of(const ObjectReader& r, const char* key) {
  const YamlNode* node = r.get(key);
  if (!node) return nullptr;
  if (node->kind != YamlKind::kSequence) {
    r.sink().error(node->where, r.label(key) + " must be a list, got " + node->describe());
    return nullptr;
  }
  return &node->items;
}

/// One gating or skipping choice of a level: target and condition-on.
void read_action(const YamlNode& node, const std::string& what, model::SafKind kind, int level,
                 const workload::Einsum& e, model::Sparsity& s, DiagnosticSink& sink) {
  ObjectReader r =
      timeloop_object(node, what, {"type", "target", "condition-on", "options"}, {}, sink);
  if (!r.ok()) return;
  const YamlNode* target = r.require("target");
  const YamlNode* condition = r.require("condition-on");
  if (!target || !condition) return;
  model::StorageSaf saf{level, tensor_named(e, *target, r.label("target"), sink), 0, kind};
  if (condition->kind != YamlKind::kSequence || condition->items.empty()) {
    sink.error(condition->where, r.label("condition-on") + " must be a list of data spaces, got " +
                                     condition->describe());
    return;
  }
  for (const YamlNode& c : condition->items) {
    const int t = tensor_named(e, c, r.label("condition-on"), sink);
    if (t >= 0) saf.condition |= 1u << t;
  }
  if (saf.target < 0 || !sink.ok()) return;
  for (const model::StorageSaf& other : s.safs)
    if (other.level == level && other.target == saf.target) {
      sink.warning(target->where, r.label("target") + ": a second feature on '" + target->text +
                                      "' at this level; only the first is modelled (Timeloop "
                                      "takes the one that finds more accesses ineffectual)");
      return;
    }
  s.safs.push_back(saf);  // one per level and target: within kMaxSafs
}

/// A storage level's `action-optimization` list.
void read_actions(const ObjectReader& target, int level, const workload::Einsum& e,
                  model::Sparsity& s, DiagnosticSink& sink) {
  const std::vector<YamlNode>* groups = list_of(target, "action-optimization");
  if (!groups) return;
  for (const YamlNode& group : *groups) {
    const std::string what = target.what() + ": action-optimization";
    ObjectReader g =
        timeloop_object(group, what, {"type", "target", "condition-on", "options"}, {}, sink);
    if (!g.ok()) continue;
    const std::optional<std::string> type = g.string("type", true);
    if (!type) continue;
    if (*type != "gating" && *type != "skipping") {
      sink.error(g.get("type")->where, g.label("type") + ": '" + *type +
                                           "' is not modelled; the types are gating and skipping");
      continue;
    }
    const model::SafKind kind =
        *type == "gating" ? model::SafKind::kGating : model::SafKind::kSkipping;
    const std::vector<YamlNode>* options = list_of(g, "options");
    if (!options) {
      read_action(group, what, kind, level, e, s, sink);
      continue;
    }
    if (options->empty()) continue;
    if (options->size() > 1)
      sink.warning(g.get("options")->where,
                   g.label("options") +
                       ": only the first choice is modelled (Timeloop takes the "
                       "one that saves the most energy)");
    read_action(options->front(), what + ": options", kind, level, e, s, sink);
  }
}

/// A storage level's `representation-format`: every data space given a format moves only its
/// nonzeros there. Metadata is not modelled.
void read_formats(const ObjectReader& target, int level, const workload::Einsum& e,
                  model::Sparsity& s, DiagnosticSink& sink) {
  const YamlNode* format = target.get("representation-format");
  if (!format) return;
  ObjectReader f =
      timeloop_object(*format, target.label("representation-format"), {"data-spaces"}, {}, sink);
  if (!f.ok()) return;
  const std::vector<YamlNode>* spaces = list_of(f, "data-spaces");
  if (!spaces) return;
  for (const YamlNode& space : *spaces) {
    ObjectReader d =
        timeloop_object(space, f.label("data-spaces"), {"name", "ranks"},
                        {"rank-application-order", "compression-rate"}, sink, "data space");
    if (!d.ok() || !d.require("name") || !d.require("ranks")) continue;
    const int t = tensor_named(e, *d.get("name"), d.label("name"), sink);
    if (t >= 0) s.compressed[level] |= 1u << t;
  }
  sink.warning(format->where, f.what() +
                                  ": the formats' metadata (its reads, fills and energy) is not "
                                  "modelled; only the nonzeros moving is");
}

}  // namespace

void read_densities(const YamlNode& problem, const workload::Einsum& e, model::Sparsity& s,
                    DiagnosticSink& sink) {
  const YamlNode* instance = problem.find("instance");
  const YamlNode& node = instance ? *instance : problem;
  s.densities.resize(static_cast<std::size_t>(e.num_tensors()));
  if (const YamlNode* common = node.find("commonDensity")) {
    if (const auto d = read_density(*common, "problem instance: commonDensity", sink))
      for (int t = 0; t < e.num_tensors(); ++t) s.densities[t] = *d;
    return;
  }
  const YamlNode* densities = node.find("densities");
  if (!densities) return;
  if (densities->kind != YamlKind::kMapping) {
    sink.error(densities->where,
               "problem instance: densities must be a mapping of data spaces, got " +
                   densities->describe());
    return;
  }
  for (const YamlEntry& entry : densities->entries) {
    const int t = e.tensor_index(entry.key);
    if (t < 0) {
      YamlNode name;
      name.where = entry.where, name.text = entry.key;
      tensor_named(e, name, "problem instance: densities", sink);
      continue;
    }
    if (const auto d = read_density(entry.value, "problem instance: densities: " + entry.key, sink))
      s.densities[t] = *d;
  }
}

void read_sparse_section(const YamlNode& node, const workload::Einsum& e, const arch::Arch& a,
                         model::Sparsity& s, DiagnosticSink& sink) {
  ObjectReader root = timeloop_object(node, "sparse_optimizations", {"targets"}, {}, sink);
  if (!root.ok()) return;
  const std::vector<YamlNode>* targets = list_of(root, "targets");
  if (!targets) return;
  for (const YamlNode& item : *targets) {
    ObjectReader target = timeloop_object(
        item, "sparse_optimizations: targets",
        {"name", "representation-format", "action-optimization", "compute-optimization"}, {}, sink,
        "target");
    if (!target.ok()) continue;
    const std::optional<std::string> name = target.string("name", true);
    if (!name) continue;
    const int level = a.level_index(*name);
    if (level < 0 && *name != a.compute.name) {
      sink.error(target.get("name")->where, target.label("name") + ": '" + *name +
                                                "' is no storage level or compute unit of the "
                                                "architecture");
      continue;
    }
    if (level < 0) {
      const std::vector<YamlNode>* ops = list_of(target, "compute-optimization");
      for (const YamlNode& op : ops ? *ops : std::vector<YamlNode>{}) {
        ObjectReader c =
            timeloop_object(op, target.label("compute-optimization"), {"type"}, {}, sink);
        const std::optional<std::string> type = c.ok() ? c.string("type", true) : std::nullopt;
        if (type == "gating" || type == "gate-on-zero-operand")
          s.compute_gating = true;
        else if (type == "skipping" || type == "skip_on_not_aligned_operands")
          s.compute_skipping = true;
        else if (type)
          sink.error(c.get("type")->where,
                     c.label("type") + ": '" + *type +
                         "' is not modelled; the types are gating and skipping");
      }
      continue;
    }
    read_formats(target, level, e, s, sink);
    read_actions(target, level, e, s, sink);
  }
}

}  // namespace outpace::io::timeloop
