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

  /// True when the tensor is omitted ("") or its shape is complete.
  bool known(const std::string& t) const {
    auto it = graph.shapes.find(t);
    return t.empty() || (it != graph.shapes.end() && it->second.complete());
  }

  /// Why the node's shapes are open: its own index when its inputs are known and an output is
  /// not (shape inference could not compute it), else the earliest such op among the causes of
  /// its inputs (`cause`, by tensor), or -1 when none is found.
  int cause_of(const Node& n, const std::map<std::string, int>& cause) const {
    auto is_known = [&](const std::string& t) { return known(t); };
    if (std::all_of(n.inputs.begin(), n.inputs.end(), is_known) &&
        !std::all_of(n.outputs.begin(), n.outputs.end(), is_known))
      return n.index;
    int first = -1;
    for (const std::string& in : n.inputs)
      if (auto it = cause.find(in); it != cause.end())
        first = first < 0 ? it->second : std::min(first, it->second);
    return first;
  }

  /// The cause (see cause_of) of every open tensor made by a node, in graph order.
  std::map<std::string, int> causes() const {
    std::map<std::string, int> cause;
    for (const Node& n : graph.nodes) {
      if (classify(n) == NodeClass::Data) continue;
      const int c = cause_of(n, cause);
      if (c >= 0)
        for (const std::string& o : n.outputs)
          if (!known(o)) cause[o] = c;
    }
    return cause;
  }

  /// The message for the open `layers` (in graph order) of one cause, the node at `root` (-1
  /// when none is known): its attribute rule when it broke one, else the layers and the op.
  std::string unknown_message(int root, const std::vector<const Node*>& layers) const {
    const Node* op = root < 0 ? nullptr : &graph.nodes[static_cast<std::size_t>(root)];
    if (auto rule = graph.rules.find(root); op && rule != graph.rules.end()) {
      const std::size_t others = layers.size() - (layers[0]->index == root ? 1 : 0);
      return op->what() + ": " + rule->second +
             (others ? "; the shapes of " + std::to_string(others) + " layer" +
                           (others > 1 ? "s that depend" : " that depends") + " on it stay unknown"
                     : "");
    }
    const std::size_t more = layers.size() - 1;
    std::string message =
        layers[0]->what() +
        (more ? " and " + std::to_string(more) + " more layer" + (more > 1 ? "s" : "") : "") +
        ": the shapes of the inputs and output are not all known after shape inference";
    if (!op) return message;
    message += "; the first op whose output shape inference could not compute is " + op->what();
    if (auto note = graph.notes.find(root); note != graph.notes.end())
      message += ", about which ONNX says: " + note->second;
    return message;
  }

  /// One message per cause of the layers whose shapes stayed open, in the causes' order; the
  /// layers without a known cause last.
  void report_unknown() {
    if (unknown.empty()) return;
    const std::map<std::string, int> cause = causes();
    std::map<int, std::vector<const Node*>> by_cause;
    for (const Node* n : unknown) by_cause[cause_of(*n, cause)].push_back(n);
    for (const auto& [root, layers] : by_cause)
      if (root >= 0) error(unknown_message(root, layers));
    if (by_cause.count(-1)) error(unknown_message(-1, by_cause.at(-1)));
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
