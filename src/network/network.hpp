#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "workload/einsum.hpp"

namespace outpace::network {

/// What operation a layer performs; it names the layer in reports and tells passes what the
/// tensors mean. The cost model sees only the Einsum.
enum class OpKind {
  Conv,            ///< 2-D convolution (conv2d builder)
  GroupedConv,     ///< grouped 2-D convolution (grouped_conv2d builder)
  DepthwiseConv,   ///< depthwise 2-D convolution (depthwise_conv2d builder)
  FullyConnected,  ///< activations times a weight matrix: FC, linear projections, MLP layers
  Matmul,          ///< a product of two activation matrices
  BatchedMatmul,   ///< a batch of products of activation matrices (attention scores, context)
  EmbeddingBag,    ///< gathers of embedding-table rows summed per bag: memory-bound, one add each
  SparseMatmul,    ///< a sparse matrix (e.g. a graph's adjacency) times a dense one
};

/// Short lowercase name of an op kind: "conv", "grouped_conv", "depthwise_conv", "fc", "matmul",
/// "batched_matmul", "embedding_bag", "spmm".
std::string_view op_name(OpKind op);

/// What a layer knows about one tensor of its Einsum beyond the shape.
struct TensorInfo {
  bool is_weight = false;  ///< holds trained parameters (counted as weights), not activations
  double density = 1.0;    ///< fraction of nonzero elements, in (0, 1]; recorded, not yet modelled
  /// Elements kept in memory when more than the Einsum touches (a whole embedding table behind
  /// its gathered rows); 0 means the tensor's size.
  std::int64_t stored = 0;
  friend bool operator==(const TensorInfo&, const TensorInfo&) = default;
};

/// One layer of a network: an Einsum with a name, an op kind and how often it occurs.
struct Layer {
  std::string name;                    ///< unique within the network
  OpKind op = OpKind::Conv;            ///< what the layer does
  workload::Einsum einsum;             ///< the work of one occurrence
  std::int64_t repeat = 1;             ///< how many times the layer occurs (e.g. 12 encoder blocks)
  std::vector<std::string> instances;  ///< name of each occurrence when repeat > 1, or empty
  std::vector<TensorInfo> tensors;     ///< one per Einsum tensor, in the Einsum's order

  /// MACs of one occurrence (for gathers: one add per gathered element).
  std::int64_t macs() const { return einsum.macs(); }
  /// Trained parameters of one occurrence: the elements of its weight tensors (biases excluded).
  std::int64_t weights() const;
  /// The record of the Einsum tensor with this name, or nullptr.
  const TensorInfo* info(const std::string& tensor) const;
  friend bool operator==(const Layer&, const Layer&) = default;
};

/// One data dependence: `to` reads the output of `from`, possibly through ops without MACs
/// (activations, pooling, normalization, softmax, reshapes, concatenation). When `tensor` is
/// `to`'s output tensor, `from`'s output is added to it (a residual connection).
/// Between layers with equal repeat counts, occurrence i of `from` feeds occurrence i of `to`; a
/// layer that occurs once feeds the first occurrence of a repeated one, and the last occurrence
/// of a repeated layer feeds a layer that occurs once.
struct Edge {
  std::string from;      ///< producing layer
  std::string to;        ///< consuming layer
  std::string tensor;    ///< the tensor of `to` that receives the data
  bool carried = false;  ///< occurrence i of `from` feeds occurrence i+1 of `to` (repeated blocks)
  friend bool operator==(const Edge&, const Edge&) = default;
};

/// An operation without MACs that an importer left out of the layers (e.g. "Relu", "MaxPool").
struct SkippedOp {
  std::string name;     ///< the node's name in the source model
  std::string op_type;  ///< the source model's op type
  friend bool operator==(const SkippedOp&, const SkippedOp&) = default;
};

/// A network: its layers in execution order and the edges between them.
struct Network {
  std::string name;                ///< e.g. "resnet50"
  std::vector<Layer> layers;       ///< in execution order
  std::vector<Edge> edges;         ///< data dependences between layers
  std::vector<SkippedOp> skipped;  ///< ops without MACs that are not layers (filled by importers)

  /// Index of the layer with this name, or -1.
  int layer_index(const std::string& name) const;
  /// Number of layer occurrences, repeats included.
  std::int64_t layer_count() const;
  /// MACs of the whole network, repeats included.
  std::int64_t total_macs() const;
  /// Trained parameters of the whole network, repeats included (biases excluded).
  std::int64_t total_weights() const;
  friend bool operator==(const Network&, const Network&) = default;
};

/// Every rule the network breaks (its layers' Einsums included), as plain messages naming the
/// object and the rule; empty if valid.
std::vector<std::string> check(const Network& network);

}  // namespace outpace::network
