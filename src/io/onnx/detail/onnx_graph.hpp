#pragma once
// Internal to the ONNX reader: the plain graph that onnx_import.cpp makes of a model (after
// shape inference), so that the ops are turned into layers without the ONNX headers. Not part
// of the public API: include io/onnx_import.hpp instead.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "io/onnx/onnx_import.hpp"
#include "network/network.hpp"

namespace outpace::io::onnx_detail {

/// A tensor's shape as shape inference left it; a dimension it could not compute is -1.
struct Shape {
  std::vector<std::int64_t> dims;
  /// True when every dimension is known.
  bool complete() const {
    for (std::int64_t d : dims)
      if (d < 0) return false;
    return true;
  }
};

/// One node of the graph, with the attributes the reader uses.
struct Node {
  int index = 0;                     ///< position in the graph's node list
  std::string name;                  ///< as in the model; may be empty
  std::string op_type;               ///< e.g. "Conv"
  std::string domain;                ///< "" for the default domain (ai.onnx)
  std::vector<std::string> inputs;   ///< tensor names; "" for an omitted optional input
  std::vector<std::string> outputs;  ///< tensor names
  std::map<std::string, std::vector<std::int64_t>> ints;  ///< INT and INTS attributes
  std::map<std::string, std::string> strings;             ///< STRING attributes
  std::vector<std::string> body_ops;  ///< op types found in subgraph attributes (If, Loop, Scan)

  /// The INTS attribute `key`, or `fallback` when absent.
  std::vector<std::int64_t> ints_or(const std::string& key,
                                    std::vector<std::int64_t> fallback) const {
    auto it = ints.find(key);
    return it == ints.end() ? fallback : it->second;
  }
  /// The INT attribute `key`, or `fallback` when absent (or not a single value).
  std::int64_t int_or(const std::string& key, std::int64_t fallback) const {
    auto it = ints.find(key);
    return it == ints.end() || it->second.size() != 1 ? fallback : it->second[0];
  }
  /// "node 'conv1' (Conv)", or "node #3 (Conv)" when the node has no name.
  std::string what() const {
    return (name.empty() ? "node #" + std::to_string(index) : "node '" + name + "'") + " (" +
           op_type + ")";
  }
};

/// A model as the layer builder sees it.
struct Graph {
  std::string file;                     ///< names the model in messages
  std::string name;                     ///< the network's name
  std::vector<Node> nodes;              ///< in the model's (topological) order
  std::map<std::string, Shape> shapes;  ///< every tensor whose shape inference knows anything
  std::set<std::string> constants;      ///< tensors computed from initializers and Constants only
  std::map<int, std::string> notes;     ///< ONNX's message for each node whose inference failed
  std::map<int, std::string> rules;     ///< the rule each node with bad attributes breaks
};

/// One dimension of a graph input as the model declares it.
struct DeclaredDim {
  bool fixed = false;      ///< a size is written (dim_value)
  std::int64_t value = 0;  ///< that size (may be bad: zero or negative)
  std::string param;       ///< the symbolic name (dim_param) of an open dimension, or ""
};
/// A graph input (not an initializer) as the model declares it.
struct DeclaredInput {
  std::string name;
  bool has_shape = false;  ///< a tensor type with a shape
  std::vector<DeclaredDim> dims;
};
/// The graph inputs' sizes once the open ones are filled in.
struct FixedInputs {
  std::vector<std::vector<std::int64_t>> dims;  ///< per input, every size known
  bool changed = false;                         ///< an open dimension was filled in
};
/// Fills in the open sizes: a graph input's whole shape or a symbolic dimension's value from
/// `sizes`, else 1 for a symbolic first dimension (the batch) of an input with two or more
/// dimensions. Throws ConfigError naming `file` for every rule broken and every size left open.
FixedInputs fix_inputs(const std::vector<DeclaredInput>& inputs, const std::vector<OnnxSize>& sizes,
                       const std::string& file);

/// Why ONNX's inference function may not run on the node, its outputs then staying unknown:
/// nothing when it may; an empty text when it would read past the end of its input shapes (a
/// Conv or pool whose W does not match X's rank) or the node is refused as Unsupported (its
/// shapes are never needed); otherwise the attribute rule the node breaks, to be read after
/// "node 'c' (Conv): " ("attribute 'strides' has the value 0; each must be at least 1").
/// `inputs[i]` is input i's shape, or nullptr.
std::optional<std::string> inference_problem(const Node& node,
                                             const std::vector<const Shape*>& inputs);

/// What the reader does with a node.
enum class NodeClass {
  Data,         ///< a Constant: trained parameters or other data, not an op
  Layer,        ///< Conv, ConvTranspose, Gemm, MatMul: a layer with MACs
  Unsupported,  ///< carries MACs the reader cannot express: an error
  Skipped,      ///< an op without MACs, listed in Network::skipped
};
/// The class of a node, by domain and op type (and the op types of its subgraphs).
NodeClass classify(const Node& node);
/// Why a node of class Unsupported is refused: "LSTM carries MACs and is not read; ...".
std::string unsupported_reason(const Node& node);

/// What a node with MACs becomes: its layer, and for each of the node's inputs the Einsum
/// tensor it feeds ("" when none).
struct NodeLayer {
  network::Layer layer;
  std::vector<std::string> feeds;
};
/// The layer named `name` of a node of class Layer whose first two inputs and first output have
/// complete shapes in the graph; nothing, with `error` set to the rule broken, when the node
/// cannot be read (e.g. its group does not divide its channels).
std::optional<NodeLayer> node_layer(const Graph& graph, const Node& node, const std::string& name,
                                    std::string& error);

/// The layers, edges and skipped ops of the graph. Throws ConfigError naming the file, the node
/// and the rule for every node that cannot be read.
network::Network build_network(const Graph& graph);

}  // namespace outpace::io::onnx_detail
