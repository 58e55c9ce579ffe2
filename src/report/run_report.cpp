#include "report/run_report.hpp"

#include <algorithm>
#include <vector>

#include "common/version.hpp"
#include "report/format.hpp"
#include "report/json_writer.hpp"
#include "report/map_report.hpp"
#include "report/network_report.hpp"

namespace outpace::report {

namespace {

bool has_mapping(const netmap::LayerOutcome& o) { return o.failure.empty(); }

/// The layer's share of the network's energy, repeats counted.
double energy_share(const netmap::LayerOutcome& o, const netmap::NetworkTotals& t) {
  if (!has_mapping(o) || t.energy_pj <= 0) return 0;
  return o.result.result.energy_pj * static_cast<double>(o.layer.repeat) / t.energy_pj;
}

/// Where a layer's result came from: "search", "cache", or "=<layer>" for a layer identical to
/// an earlier one.
std::string source(const netmap::LayerOutcome& o, const netmap::NetworkResult& r,
                   std::size_t index) {
  if (static_cast<std::size_t>(o.shape) != index)
    return "=" + r.layers[static_cast<std::size_t>(o.shape)].layer.name;
  return o.from_cache ? "cache" : "search";
}

std::string proven_mark(const netmap::LayerOutcome& o) {
  if (!o.mapped) return "-";
  return o.result.stats.proven_optimal ? "yes" : "no";
}

using Row = std::vector<std::string>;

Row layer_row(const netmap::LayerOutcome& o, const netmap::NetworkResult& r, std::size_t index) {
  Row row = {o.layer.name, std::string(network::op_name(o.layer.op)), shape_text(o.layer.einsum),
             std::to_string(o.layer.repeat), with_commas(o.layer.macs())};
  if (has_mapping(o)) {
    const model::Result& m = o.result.result;
    row.insert(row.end(), {format_number("%.2f", m.energy_pj / 1e6),
                           format_number("%.3f", m.energy_per_mac_pj()), with_commas(m.cycles),
                           format_number("%.3f", m.utilization),
                           percent(energy_share(o, r.totals), 1.0), proven_mark(o),
                           source(o, r, index)});
  } else {
    row.insert(row.end(), {"-", "-", "-", "-", "-", proven_mark(o), o.failure});
  }
  return row;
}

}  // namespace

std::string run_text(const RunReport& rep) {
  const netmap::NetworkResult& r = rep.result;
  const netmap::NetworkTotals& t = r.totals;
  std::vector<Row> rows = {{"layer", "op", "shape", "repeat", "MACs", "energy uJ", "pJ/MAC",
                            "cycles", "util", "share", "optimal", "from"}};
  for (std::size_t i = 0; i < r.layers.size(); ++i) rows.push_back(layer_row(r.layers[i], r, i));
  rows.push_back({"total", "", "", std::to_string(t.occurrences), with_commas(t.macs),
                  format_number("%.2f", t.energy_pj / 1e6),
                  format_number("%.3f", t.energy_per_mac_pj()), with_commas(t.cycles),
                  format_number("%.3f", t.utilization), t.energy_pj > 0 ? "100.0%" : "", "", ""});
  std::string out = "network " + rep.network.name + " on " + rep.arch.name + ", objective " +
                    mapper::objective_name(rep.objective) + ": " + std::to_string(t.layers) +
                    " layers (" + std::to_string(t.occurrences) + " with repeats)\n";
  out += "(per occurrence; the total and the share of the energy count repeats)\n";
  out += text_table(rows, 3, true);
  out += "energy " + format_number("%.2f", t.energy_pj / 1e6) + " uJ (" +
         format_number("%.3f", t.energy_per_mac_pj()) + " pJ/MAC), " + with_commas(t.cycles) +
         " cycles, utilization " + format_number("%.3f", t.utilization) + "\n";
  const int unproven = t.searched + t.from_cache - t.proven;
  out += std::to_string(t.shapes) +
         " distinct searches (identical layers mapped once): " + std::to_string(t.searched) +
         " searched, " + std::to_string(t.from_cache) + " from the results cache; " +
         std::to_string(t.proven) + " of " + std::to_string(t.shapes) + " proven optimal" +
         (unproven > 0 ? " (" + std::to_string(unproven) +
                             " stopped before a proof: a budget, or a strategy that proves nothing)"
                       : "") +
         "\n";
  if (t.failed > 0)
    out += std::to_string(t.failed) + " layer" + (t.failed == 1 ? "" : "s") + " without a mapping" +
           (r.interrupted ? " (interrupted: the totals leave them out)"
                          : " (the totals leave them out)") +
           "\n";
  return out;
}

namespace {

void write_totals(JsonWriter& j, const netmap::NetworkTotals& t) {
  j.begin_object("totals")
      .value("layers", t.layers)
      .value("occurrences", t.occurrences)
      .value("macs", t.macs)
      .value("energy_pj", t.energy_pj)
      .value("energy_per_mac_pj", t.energy_per_mac_pj())
      .value("cycles", t.cycles)
      .value("utilization", t.utilization)
      .value("searches", t.shapes)
      .value("searched", t.searched)
      .value("from_cache", t.from_cache)
      .value("proven_optimal", t.proven)
      .value("failed", t.failed)
      .end_object();
}

void write_layer(JsonWriter& j, const RunReport& rep, std::size_t i) {
  const netmap::NetworkResult& r = rep.result;
  const netmap::LayerOutcome& o = r.layers[i];
  j.begin_object()
      .value("name", o.layer.name)
      .value("op", network::op_name(o.layer.op))
      .value("shape", shape_text(o.layer.einsum))
      .value("repeat", o.layer.repeat)
      .value("macs", o.layer.macs())
      .value("status", !o.mapped        ? "interrupted"
                       : has_mapping(o) ? "mapped"
                                        : "no_valid_mapping")
      .value("same_as", r.layers[static_cast<std::size_t>(o.shape)].layer.name)
      .value("from_cache", o.from_cache)
      .value("energy_share", energy_share(o, r.totals));
  if (has_mapping(o)) {
    const EvalReport eval{o.layer.einsum, rep.arch, o.result.mapping, o.result.result};
    j.begin_object("report");
    write_map_members(j, eval, o.result, rep.objective, "outpace.map/1");
    j.end_object();
  }
  j.end_object();
}

/// `s` as one CSV field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string run_json(const RunReport& rep) {
  JsonWriter j;
  j.begin_object()
      .value("schema", "outpace.run/1")
      .value("version", kVersion)
      .value("network", rep.network.name)
      .value("arch", rep.arch.name)
      .value("objective", mapper::objective_name(rep.objective))
      .value("interrupted", rep.result.interrupted);
  write_totals(j, rep.result.totals);
  j.begin_array("layers");
  for (std::size_t i = 0; i < rep.result.layers.size(); ++i) write_layer(j, rep, i);
  j.end_array().end_object();
  return j.str() + "\n";
}

std::string run_csv(const RunReport& rep) {
  const netmap::NetworkResult& r = rep.result;
  std::string out =
      "layer,op,shape,repeat,macs,energy_pj,energy_per_mac_pj,cycles,utilization,energy_share,"
      "proven_optimal,source,failure\n";
  for (std::size_t i = 0; i < r.layers.size(); ++i) {
    const netmap::LayerOutcome& o = r.layers[i];
    const bool ok = has_mapping(o);
    const model::Result& m = o.result.result;
    const Row row = {o.layer.name,
                     std::string(network::op_name(o.layer.op)),
                     shape_text(o.layer.einsum),
                     std::to_string(o.layer.repeat),
                     std::to_string(o.layer.macs()),
                     ok ? format_number("%.17g", m.energy_pj) : "",
                     ok ? format_number("%.17g", m.energy_per_mac_pj()) : "",
                     ok ? std::to_string(m.cycles) : "",
                     ok ? format_number("%.17g", m.utilization) : "",
                     ok ? format_number("%.17g", energy_share(o, r.totals)) : "",
                     o.mapped ? (o.result.stats.proven_optimal ? "true" : "false") : "",
                     ok ? source(o, r, i) : "",
                     o.failure};
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) line += (c ? "," : "") + csv_field(row[c]);
    out += line + "\n";
  }
  return out;
}

}  // namespace outpace::report
