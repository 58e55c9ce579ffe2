#include "report/eval_report.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>
#include <vector>

#include "common/version.hpp"
#include "report/format.hpp"
#include "report/json_writer.hpp"

namespace outpace::report {

namespace {


std::string pad(std::string s, std::size_t width, bool right = false) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

/// The level table's columns: level, inst, tensor, tile, reads, fills, updates, energy, share.
constexpr std::size_t kColumns = 9;
/// Each column's usual width; a column with a cell as wide grows to that cell plus two spaces.
constexpr std::array<std::size_t, kColumns> kMinWidth = {16, 6, 10, 9, 15, 15, 15, 14, 8};
/// Right-aligned (numbers) or left-aligned (names).
constexpr std::array<bool, kColumns> kRight = {false, true, false, true, true,
                                               true,  true, true,  true};
/// The columns a spanning row's label (`(leak)`, `(MACs)`) covers: tensor to updates.
constexpr std::size_t kSpanFirst = 2, kSpanLast = 6;

/// One row of the level table; a spanning row has its label in the tensor column and nothing
/// in the count columns.
struct LevelRow {
  std::array<std::string, kColumns> cells;
  bool span = false;
};

/// The level table, every column as wide as its widest cell, so that wide figures never run
/// into each other: "inst" is followed by two spaces, the other columns are padded to width.
std::string level_table(const std::vector<LevelRow>& rows) {
  std::array<std::size_t, kColumns> width = kMinWidth;
  for (std::size_t c = 0; c < kColumns; ++c) {
    std::size_t widest = 0;
    for (const LevelRow& row : rows)
      if (!row.span || c < kSpanFirst || c > kSpanLast)
        widest = std::max(widest, row.cells[c].size());
    if (widest >= kMinWidth[c]) width[c] = widest + 2;
  }
  std::size_t span_width = 0;
  for (std::size_t c = kSpanFirst; c <= kSpanLast; ++c) span_width += width[c];
  std::string out;
  for (const LevelRow& row : rows) {
    for (std::size_t c = 0; c < kColumns; ++c) {
      if (row.span && c > kSpanFirst && c <= kSpanLast) continue;
      const std::size_t w = row.span && c == kSpanFirst ? span_width : width[c];
      out += pad(row.cells[c], w, kRight[c] && !(row.span && c == kSpanFirst));
      if (c == 1) out += "  ";
    }
    out += "\n";
  }
  return out;
}

/// True when a kOverflow violation is about `what`.
bool overflowed(const mapping::Violation& v, mapping::Quantity what) {
  return v.kind == mapping::ViolationKind::kOverflow && v.value == static_cast<std::int64_t>(what);
}

/// True when the compute cycles (the steps) passed 2^63 - 1.
bool steps_past_limit(const model::Result& r) {
  return std::any_of(
      r.violations.items.begin(), r.violations.items.end(),
      [](const mapping::Violation& v) { return overflowed(v, mapping::Quantity::kSteps); });
}

/// "past 2^63 - 1 at level 'DRAM'" (or "at levels 'RF' and 'DRAM'") when the cycles of some
/// level passed 2^63 - 1 and were not counted; empty otherwise.
std::string cycles_past_limit(const EvalReport& rep) {
  std::vector<int> levels;
  for (const mapping::Violation& v : rep.result.violations.items)
    if (overflowed(v, mapping::Quantity::kCycles) && v.level >= 0 &&
        v.level < rep.arch.num_levels() &&
        std::find(levels.begin(), levels.end(), v.level) == levels.end())
      levels.push_back(v.level);
  if (levels.empty()) return "";
  std::string names;
  for (std::size_t i = 0; i < levels.size(); ++i)
    names += std::string(i == 0                   ? ""
                         : i + 1 == levels.size() ? " and "
                                                  : ", ") +
             "'" + rep.arch.levels[levels[i]].name + "'";
  return std::string("past 2^63 - 1 at level") + (levels.size() == 1 ? " " : "s ") + names;
}

/// The violations as sentences, each once (two ports of a level can break the same rule).
std::vector<std::string> violation_sentences(const EvalReport& rep) {
  std::vector<std::string> out;
  for (const mapping::Violation& v : rep.result.violations.items) {
    std::string sentence = mapping::describe(v, rep.einsum, rep.arch);
    if (std::find(out.begin(), out.end(), sentence) == out.end())
      out.push_back(std::move(sentence));
  }
  return out;
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

namespace {

/// Whether the evaluation removed, gated, skipped or (de)compressed anything (Options::sparsity).
bool sparse(const model::Result& r) {
  if (r.actual_macs != r.macs || r.gated_macs || r.skipped_macs) return true;
  for (const model::LevelStats& level : r.levels)
    for (const model::TensorStats& t : level.tensors)
      if (t.gated_reads || t.skipped_reads || t.gated_updates || t.skipped_updates ||
          t.decompressions || t.compressions)
        return true;
  return false;
}

/// The gated and skipped accesses and the (de)compressions of each level and tensor that has
/// any, outermost level first.
std::string sparse_table(const EvalReport& rep) {
  const auto& [e, a, m, r] = rep;
  std::vector<std::vector<std::string>> rows = {{"level", "tensor", "gated reads", "skipped reads",
                                                 "gated updates", "skipped updates", "decompressed",
                                                 "compressed"}};
  for (int l = static_cast<int>(r.levels.size()) - 1; l >= 0; --l)
    for (int t = 0; t < e.num_tensors(); ++t) {
      const model::TensorStats& ts = r.levels[l].tensors[t];
      if (!(ts.gated_reads || ts.skipped_reads || ts.gated_updates || ts.skipped_updates ||
            ts.decompressions || ts.compressions))
        continue;
      rows.push_back({a.levels[l].name, e.tensors[t].name, with_commas(ts.gated_reads),
                      with_commas(ts.skipped_reads), with_commas(ts.gated_updates),
                      with_commas(ts.skipped_updates), with_commas(ts.decompressions),
                      with_commas(ts.compressions)});
    }
  return rows.size() > 1 ? text_table(rows, 2) : "";
}

}  // namespace

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
    for (const std::string& v : violation_sentences(rep)) out += "    - " + v + "\n";
    if (r.violations.overflowed) out += "    - (more violations not listed)\n";
    if (r.levels.empty()) return out;
  }
  out += "  energy        " + format_number("%.3f", r.energy_pj / scale) + " " + unit + " (" +
         format_number("%.4f", r.energy_per_mac_pj()) + " pJ/MAC)\n";
  // Cycles past 2^63 - 1 are not counted (docs/model.md, "Overflow"): say so, and where.
  const std::string past = cycles_past_limit(rep);
  const std::string compute = steps_past_limit(r) ? "past 2^63 - 1" : with_commas(r.compute_cycles);
  out += "  cycles        " + (past.empty() ? with_commas(r.cycles) : past) + " (compute " +
         compute + ")\n";
  out += "  utilization   " + (past.empty() ? format_number("%.4f", r.utilization) : "unknown") +
         " (" + with_commas(r.used_macs) + " of " + with_commas(a.compute.instances) +
         " MACs busy)\n";
  out += "  area          " + format_number("%.4g", r.area_um2 / 1e6) + " mm^2\n";
  if (sparse(r))
    out += "  sparse MACs   " + with_commas(r.actual_macs) + " run, " + with_commas(r.gated_macs) +
           " gated, " + with_commas(r.skipped_macs) + " skipped (" +
           percent(static_cast<double>(r.actual_macs), static_cast<double>(r.macs)) +
           " of the dense ones run)\n";
  out += "\n";
  auto share = [&](double pj) { return percent(pj, r.energy_pj); };
  auto energy = [&](double pj) { return format_number("%.3f", pj / scale); };
  std::vector<LevelRow> rows;
  rows.push_back({{"level", "inst", "tensor", "tile", "reads", "fills", "updates",
                   std::string("energy ") + unit, "share"},
                  false});
  for (int l = static_cast<int>(r.levels.size()) - 1; l >= 0; --l) {
    const model::LevelStats& level = r.levels[l];
    for (int t = 0; t < e.num_tensors(); ++t) {
      const model::TensorStats& ts = level.tensors[t];
      if (!ts.kept) continue;
      rows.push_back({{a.levels[l].name, with_commas(level.used_instances), e.tensors[t].name,
                       with_commas(ts.tile_words), with_commas(ts.reads), with_commas(ts.fills),
                       with_commas(ts.updates), energy(ts.energy_pj), share(ts.energy_pj)},
                      false});
    }
    if (level.leak_pj > 0)
      rows.push_back({{a.levels[l].name, "", "(leak)", "", "", "", "", energy(level.leak_pj),
                       share(level.leak_pj)},
                      true});
  }
  rows.push_back({{a.compute.name, with_commas(r.used_macs), "(MACs)", "", "", "", "",
                   energy(r.mac_energy_pj), share(r.mac_energy_pj)},
                  true});
  out += level_table(rows);
  if (const std::string accesses = sparse(r) ? sparse_table(rep) : ""; !accesses.empty())
    out += "\n" + accesses;
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
          .value("gated_reads", ts.gated_reads)
          .value("skipped_reads", ts.skipped_reads)
          .value("gated_updates", ts.gated_updates)
          .value("skipped_updates", ts.skipped_updates)
          .value("decompressions", ts.decompressions)
          .value("compressions", ts.compressions)
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
  for (const std::string& v : violation_sentences(rep)) j.value("", v);
  j.end_array()
      .value("macs", r.macs)
      .value("actual_macs", r.actual_macs)
      .value("gated_macs", r.gated_macs)
      .value("skipped_macs", r.skipped_macs)
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
