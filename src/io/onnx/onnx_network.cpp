// A plain ONNX graph as a Network: every node becomes a layer, a skipped op or (a Constant)
// data; the edges follow the tensors through the skipped ops.
#include <algorithm>
#include <set>
#include <tuple>

#include "common/config_error.hpp"
#include "io/onnx/detail/onnx_graph.hpp"

namespace outpace::io::onnx_detail {

namespace {

/// The layers whose outputs reach a tensor through skipped ops, by index, sorted.
using Sources = std::vector<int>;

/// The network being built, with the layers that feed each tensor.
struct Builder {
  const Graph& graph;
  network::Network net;
  std::map<std::string, Sources> sources;
  std::set<std::tuple<int, int, std::string>> edges;  ///< (to, from, tensor): by consumer
  std::set<std::string> names;
  DiagnosticSink sink;
  std::vector<const Node*> unknown;  ///< layers whose shapes inference left open

  const Sources& of(const std::string& tensor) const {
    static const Sources none;
    auto it = sources.find(tensor);
    return it == sources.end() || graph.constants.count(tensor) ? none : it->second;
  }
  void edge(int from, int to, const std::string& tensor) {
    if (from != to) edges.insert({to, from, tensor});
  }
  /// The node's name, or "<op_type>_<index>" when it has none; made unique by a suffix.
  std::string unique_name(const Node& n) {
    const std::string base = n.name.empty() ? n.op_type + "_" + std::to_string(n.index) : n.name;
    std::string name = base;
    for (int i = 2; !names.insert(name).second; ++i) name = base + "_" + std::to_string(i);
    return name;
  }
  void error(const std::string& message) { sink.error(SourceLocation{graph.file, 0, 0}, message); }

  bool shapes_known(const Node& n) const {
    auto complete = [&](const std::string& t) {
      auto it = graph.shapes.find(t);
      return it != graph.shapes.end() && it->second.complete();
    };
    return n.inputs.size() >= 2 && !n.outputs.empty() && complete(n.inputs[0]) &&
           complete(n.inputs[1]) && complete(n.outputs[0]);
  }

  void add_layer(const Node& n) {
    if (!shapes_known(n)) {
      unknown.push_back(&n);
      return;
    }
    std::string why;
    std::optional<NodeLayer> built = node_layer(graph, n, unique_name(n), why);
    if (!built) return error(n.what() + ": " + why);
    const int index = static_cast<int>(net.layers.size());
    for (std::size_t i = 0; i < n.inputs.size(); ++i)
      if (!built->feeds[i].empty())
        for (int from : of(n.inputs[i])) edge(from, index, built->feeds[i]);
    sources[n.outputs[0]] = {index};
    built->layer.einsum.name = net.name + "." + built->layer.name;
    net.layers.push_back(std::move(built->layer));
  }

  /// A skipped op passes on the layers that feed its inputs. An Add (or Sum) of two branches is
  /// a residual: the branch holding the latest layer keeps it as the source, and the layers of
  /// the other branches get an edge into that layer's Outputs (as the zoo writes residuals).
  void skip(const Node& n) {
    net.skipped.push_back({n.name.empty() ? n.op_type + "_" + std::to_string(n.index) : n.name,
                           n.domain.empty() ? n.op_type : n.domain + "." + n.op_type});
    std::vector<const Sources*> branches;
    for (const std::string& in : n.inputs)
      if (!in.empty() && !of(in).empty()) branches.push_back(&of(in));
    Sources out;
    if ((n.op_type == "Add" || n.op_type == "Sum") && n.domain.empty() && branches.size() >= 2) {
      int owner = -1;
      for (const Sources* b : branches) owner = std::max(owner, b->back());
      for (const Sources* b : branches)
        if (std::binary_search(b->begin(), b->end(), owner))
          out.insert(out.end(), b->begin(), b->end());
      std::sort(out.begin(), out.end());
      for (const Sources* b : branches)
        for (int from : *b)
          if (!std::binary_search(out.begin(), out.end(), from)) edge(from, owner, "Outputs");
    } else {
      for (const Sources* b : branches) out.insert(out.end(), b->begin(), b->end());
      std::sort(out.begin(), out.end());
    }
    out.erase(std::unique(out.begin(), out.end()), out.end());
    for (const std::string& o : n.outputs) sources[o] = out;
  }

  /// One message for the layers whose shapes stayed open, naming the first op whose output
  /// shape inference could not compute.
  void report_unknown() {
    if (unknown.empty()) return;
    auto known = [&](const std::string& t) {
      auto it = graph.shapes.find(t);
      return t.empty() || (it != graph.shapes.end() && it->second.complete());
    };
    std::string first;
    for (const Node& n : graph.nodes) {
      if (classify(n) == NodeClass::Data) continue;
      if (std::all_of(n.inputs.begin(), n.inputs.end(), known) &&
          !std::all_of(n.outputs.begin(), n.outputs.end(), known)) {
        first = "; the first op whose output shape inference could not compute is " + n.what();
        if (auto note = graph.notes.find(n.index); note != graph.notes.end())
          first += ", about which ONNX says: " + note->second;
        if (auto rule = graph.rules.find(n.index); rule != graph.rules.end())
          first += ", whose " + rule->second;
        break;
      }
    }
    const std::size_t more = unknown.size() - 1;
    error(unknown[0]->what() +
          (more ? " and " + std::to_string(more) + " more layer" + (more > 1 ? "s" : "") : "") +
          ": the shapes of the inputs and output are not all known after shape inference" + first);
  }
};

}  // namespace

network::Network build_network(const Graph& graph) {
  Builder b{graph, {}, {}, {}, {}, {}, {}};
  b.net.name = graph.name;
  for (const Node& n : graph.nodes) {
    switch (classify(n)) {
      case NodeClass::Data:
        break;
      case NodeClass::Layer:
        b.add_layer(n);
        break;
      case NodeClass::Unsupported:
        b.error(n.what() + ": " + unsupported_reason(n));
        break;
      case NodeClass::Skipped:
        b.skip(n);
        break;
    }
  }
  b.report_unknown();
  b.sink.throw_if_any();
  for (const auto& [to, from, tensor] : b.edges)
    b.net.edges.push_back({b.net.layers[from].name, b.net.layers[to].name, tensor, false});
  for (const std::string& message : network::check(b.net)) b.error(message);
  b.sink.throw_if_any();
  return std::move(b.net);
}

}  // namespace outpace::io::onnx_detail
