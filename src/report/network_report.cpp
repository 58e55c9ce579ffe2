#include "report/format.hpp"
#include "report/network_report.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace outpace::report {

namespace {

std::string left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

/// One table row as its cells: name, op, shape, repeat, MACs, weights, share.
using Row = std::vector<std::string>;

/// "Relu x 49, MaxPool x 1", types in order of first appearance.
std::string skipped_summary(const network::Network& n) {
  std::vector<std::pair<std::string, int>> counts;
  for (const network::SkippedOp& op : n.skipped) {
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const auto& c) { return c.first == op.op_type; });
    if (it == counts.end())
      counts.emplace_back(op.op_type, 1);
    else
      ++it->second;
  }
  std::string out;
  for (const auto& [type, count] : counts)
    out += (out.empty() ? "" : ", ") + type + " x " + std::to_string(count);
  return out;
}

/// "gc1_aggregate.Inputs 0.181%, ..." for every tensor whose recorded density is below 1.
std::string sparse_summary(const network::Network& n) {
  std::string out;
  for (const network::Layer& l : n.layers)
    for (std::size_t t = 0; t < l.tensors.size() && t < l.einsum.tensors.size(); ++t) {
      const double d = l.tensors[t].density;
      if (d >= 1.0) continue;
      out += (out.empty() ? "" : ", ") + l.name + "." + l.einsum.tensors[t].name + " " +
             format_number("%.3g%%", 100.0 * d);
    }
  return out;
}

}  // namespace

std::string shape_text(const workload::Einsum& e) {
  std::string out;
  for (int d = 0; d < e.num_dims() && d < static_cast<int>(e.bounds.size()); ++d)
    out += (d ? " " : "") + e.dim_names[d] + "=" + std::to_string(e.bounds[d]);
  return out;
}

std::string network_text(const network::Network& n) {
  const double total = static_cast<double>(n.total_macs());
  std::vector<Row> rows = {{"layer", "op", "shape", "repeat", "MACs", "weights", "share"}};
  for (const network::Layer& l : n.layers)
    rows.push_back({l.name, std::string(network::op_name(l.op)), shape_text(l.einsum),
                    std::to_string(l.repeat), with_commas(l.macs()), with_commas(l.weights()),
                    percent(static_cast<double>(l.macs() * l.repeat), total)});
  rows.push_back({"total", "", "", std::to_string(n.layer_count()), with_commas(n.total_macs()),
                  with_commas(n.total_weights()), n.layers.empty() ? "" : "100.0%"});
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const Row& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());

  std::string out = "network " + n.name + ": " + std::to_string(n.layers.size()) + " layers, " +
                    std::to_string(n.layer_count()) + " with repeats, " +
                    with_commas(n.total_macs()) + " MACs, " + with_commas(n.total_weights()) +
                    " weights\n(MACs and weights per occurrence; the total and the share count "
                    "repeats)\n";
  for (const Row& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      const bool numeric = c >= 3;
      line += (c ? "  " : "") + (numeric ? right(r[c], width[c]) : left(r[c], width[c]));
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  const std::string sparse = sparse_summary(n);
  if (!sparse.empty()) out += "density (recorded, not modelled): " + sparse + "\n";
  if (!n.skipped.empty())
    out += "skipped: " + std::to_string(n.skipped.size()) + " ops without MACs (" +
           skipped_summary(n) + ")\n";
  return out;
}

}  // namespace outpace::report
