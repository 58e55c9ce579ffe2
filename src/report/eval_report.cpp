#include "report/eval_report.hpp"

#include <cstdio>
#include <string_view>

#include "common/version.hpp"
#include "report/format.hpp"
#include "report/json_writer.hpp"

namespace outpace::report {

namespace {


std::string pad(std::string s, std::size_t width, bool right = false) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

std::string kept_names(const workload::Einsum& e, const mapping::LevelMapping& lm) {
  std::string s;
  for (int t = 0; t < e.num_tensors(); ++t)
    if (lm.keeps(t)) s += (s.empty() ? "" : ", ") + e.tensors[t].name;
  return s.empty() ? "nothing (bypassed)" : s;
}

}  // namespace

std::string mapping_text(const workload::Einsum& e, const arch::Arch& a,
                         const mapping::Mapping& m) {
  std::string out;
  int depth = 0;
  for (int l = static_cast<int>(m.levels.size()) - 1; l >= 0; --l) {
    const mapping::LevelMapping& lm = m.levels[l];
    out += a.levels[l].name + ": keeps " + kept_names(e, lm) + "\n";
    for (int i = static_cast<int>(lm.temporal.size()) - 1; i >= 0; --i) {
      const auto& loop = lm.temporal[i];
      out += std::string(2 * ++depth, ' ') + "for " + e.dim_names[loop.dim] + " in [0:" +
             std::to_string(loop.factor) + ")\n";
    }
    for (const auto& loop : lm.spatial)
      out += std::string(2 * (depth + 1), ' ') + "spatial_" +
             (loop.axis == mapping::Axis::X ? "x " : "y ") + e.dim_names[loop.dim] + " in [0:" +
             std::to_string(loop.factor) + ")\n";
    if (!lm.spatial.empty()) ++depth;
  }
  return out;
}

/// The unit (and its size in pJ) that prints `total_pj` with one to three integer digits.
std::pair<const char*, double> energy_unit(double total_pj) {
  if (total_pj >= 1e9) return {"mJ", 1e9};
  if (total_pj >= 1e6) return {"uJ", 1e6};
  if (total_pj >= 1e3) return {"nJ", 1e3};
  return {"pJ", 1.0};
}

std::string report_text(const EvalReport& rep) {
  const workload::Einsum& e = rep.einsum;
  const arch::Arch& a = rep.arch;
  const model::Result& r = rep.result;
  // One unit for every energy of the report, the total's included: the one that prints the
  // total with up to six integer digits, so that the smaller rows keep three decimals that count.
  const auto [unit, scale] = energy_unit(r.energy_pj / 1e3);
  std::string out = "layer " + e.name + " on " + a.name + "\n";
  out += "  MACs          " + with_commas(r.macs) + "\n";
  if (!r.valid) {
    out += "  mapping is INVALID:\n";
    for (const auto& v : r.violations.items) out += "    - " + mapping::describe(v, e, a) + "\n";
    if (r.violations.overflowed) out += "    - (more violations not listed)\n";
    if (r.levels.empty()) return out;
  }
  out += "  energy        " + format_number("%.3f", r.energy_pj / scale) + " " + unit + " (" +
         format_number("%.4f", r.energy_per_mac_pj()) + " pJ/MAC)\n";
  out += "  cycles        " + with_commas(r.cycles) + " (compute " + with_commas(r.compute_cycles) + ")\n";
  out += "  utilization   " + format_number("%.4f", r.utilization) + " (" + with_commas(r.used_macs) + " of " +
         with_commas(a.compute.instances) + " MACs busy)\n";
  out += "  area          " + format_number("%.4g", r.area_um2 / 1e6) + " mm^2\n\n";
  out += pad("level", 16) + pad("inst", 6, true) + "  " + pad("tensor", 10) + pad("tile", 9, true) +
         pad("reads", 15, true) + pad("fills", 15, true) + pad("updates", 15, true) +
         pad(std::string("energy ") + unit, 14, true) + pad("share", 8, true) + "\n";
  auto share = [&](double pj) { return percent(pj, r.energy_pj); };
  for (int l = static_cast<int>(r.levels.size()) - 1; l >= 0; --l) {
    const model::LevelStats& level = r.levels[l];
    for (int t = 0; t < e.num_tensors(); ++t) {
      const model::TensorStats& ts = level.tensors[t];
      if (!ts.kept) continue;
      out += pad(a.levels[l].name, 16) + pad(with_commas(level.used_instances), 6, true) + "  " +
             pad(e.tensors[t].name, 10) + pad(with_commas(ts.tile_words), 9, true) +
             pad(with_commas(ts.reads), 15, true) + pad(with_commas(ts.fills), 15, true) +
             pad(with_commas(ts.updates), 15, true) + pad(format_number("%.3f", ts.energy_pj / scale), 14, true) +
             pad(share(ts.energy_pj), 8, true) + "\n";
    }
    if (level.leak_pj > 0)
      out += pad(a.levels[l].name, 16) + pad("", 6) + "  " + pad("(leak)", 64) +
             pad(format_number("%.3f", level.leak_pj / scale), 14, true) + pad(share(level.leak_pj), 8, true) + "\n";
  }
  out += pad(a.compute.name, 16) + pad(with_commas(r.used_macs), 6, true) + "  " + pad("(MACs)", 64) +
         pad(format_number("%.3f", r.mac_energy_pj / scale), 14, true) + pad(share(r.mac_energy_pj), 8, true) + "\n";
  return out;
}

namespace {

void write_levels(JsonWriter& j, const EvalReport& rep) {
  const auto& [e, a, m, r] = rep;
  j.begin_array("levels");
  for (int l = static_cast<int>(r.levels.size()) - 1; l >= 0; --l) {
    const model::LevelStats& level = r.levels[l];
    j.begin_object()
        .value("name", a.levels[l].name)
        .value("instances", a.levels[l].instances)
        .value("used_instances", level.used_instances)
        .value("cycles", level.cycles)
        .value("leak_pj", level.leak_pj)
        .value("energy_pj", level.energy_pj)
        .begin_array("tensors");
    for (int t = 0; t < e.num_tensors(); ++t) {
      const model::TensorStats& ts = level.tensors[t];
      if (!ts.kept) continue;
      j.begin_object()
          .value("name", e.tensors[t].name)
          .value("tile_words", ts.tile_words)
          .value("reads", ts.reads)
          .value("fills", ts.fills)
          .value("updates", ts.updates)
          .value("energy_pj", ts.energy_pj)
          .end_object();
    }
    j.end_array().end_object();
  }
  j.end_array();
}

}  // namespace

void write_eval_members(JsonWriter& j, const EvalReport& rep, const char* schema) {
  const auto& [e, a, m, r] = rep;
  j.value("schema", schema)
      .value("version", kVersion)
      .value("layer", e.name)
      .value("arch", a.name)
      .value("valid", r.valid)
      .begin_array("violations");
  for (const auto& v : r.violations.items) j.value("", mapping::describe(v, e, a));
  j.end_array()
      .value("macs", r.macs)
      .value("energy_pj", r.energy_pj)
      .value("energy_per_mac_pj", r.energy_per_mac_pj())
      .value("mac_energy_pj", r.mac_energy_pj)
      .value("cycles", r.cycles)
      .value("compute_cycles", r.compute_cycles)
      .value("utilization", r.utilization)
      .value("used_macs", r.used_macs)
      .value("area_um2", r.area_um2);
  write_levels(j, rep);
}

std::string report_json(const EvalReport& rep) {
  JsonWriter j;
  j.begin_object();
  write_eval_members(j, rep, "outpace.eval/1");
  j.end_object();
  return j.str();
}

}  // namespace outpace::report
