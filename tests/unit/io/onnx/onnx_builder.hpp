#pragma once
// Builds small ONNX models in memory for the tests and the fuzz seeds: graph inputs, weights
// (initializers or Constant nodes), nodes with attributes. The one test file that includes the
// ONNX headers is onnx_builder.cpp.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace outpace::onnx_test {

/// One dimension of a graph input: a size, or a symbolic name (dim_param).
struct OnnxDim {
  OnnxDim(std::int64_t v) : value(v) {}  // NOLINT: sizes are written as plain numbers
  OnnxDim(int v) : value(v) {}           // NOLINT: (and a literal 0 is not a pointer)
  OnnxDim(const char* p) : param(p) {}   // NOLINT: and symbolic ones as strings
  std::int64_t value = 0;
  std::string param;
};

/// A node attribute: INT, INTS or STRING.
struct OnnxAttr {
  std::string name;
  std::variant<std::int64_t, std::vector<std::int64_t>, std::string> value;
};

/// A stored tensor written as a test wants it, whether or not its values agree with its dims:
/// the data type (TensorProto.DataType's number), the dims, and the values as raw_data bytes or
/// in typed fields.
struct OnnxTensor {
  std::string name;
  int data_type = 7;  ///< INT64
  std::vector<std::int64_t> dims;
  std::optional<std::string> raw_data;  ///< raw_data's bytes, when it is set
  std::vector<std::int64_t> int64_data;
  std::vector<std::int32_t> int32_data;
  std::vector<float> float_data;
  std::vector<std::string> string_data;
  bool external = false;  ///< data_location EXTERNAL, in "weights.bin"
};

/// int64 values as raw_data bytes (little-endian).
std::string int64_bytes(const std::vector<std::int64_t>& values);

class OnnxModel;

/// A model under construction; every call appends to the graph, in order.
class OnnxModel {
 public:
  /// An empty model importing `opset` of the default domain. With `store_data` false, float
  /// weights get their dimensions but no values (shape inference needs none; the files stay small).
  explicit OnnxModel(int opset = 13, bool store_data = true);
  ~OnnxModel();
  /// A float graph input.
  OnnxModel& input(const std::string& name, const std::vector<OnnxDim>& dims);
  /// A float graph input whose shape the model does not state.
  OnnxModel& shapeless_input(const std::string& name);
  /// A float initializer of zeros.
  OnnxModel& initializer(const std::string& name, const std::vector<std::int64_t>& dims);
  /// A Constant node holding a float tensor of zeros.
  OnnxModel& constant(const std::string& name, const std::vector<std::int64_t>& dims);
  /// An initializer exactly as `t` says.
  OnnxModel& initializer(const OnnxTensor& t);
  /// A sparse initializer: its values and indices tensors, and the dims of the dense tensor.
  OnnxModel& sparse_initializer(const OnnxTensor& values, const OnnxTensor& indices,
                                const std::vector<std::int64_t>& dims);
  /// A Constant node `name` whose TENSOR attribute `value` is `t`, with output t.name.
  OnnxModel& constant(const std::string& name, const OnnxTensor& t);
  /// Gives the last node a TENSOR attribute.
  OnnxModel& attribute(const std::string& name, const OnnxTensor& t);
  /// Gives the last node a GRAPH attribute: the graph of `body`.
  OnnxModel& attribute(const std::string& name, const OnnxModel& body);
  /// An int64 initializer with these values, 1-D (e.g. a Reshape's shape).
  OnnxModel& int_initializer(const std::string& name, const std::vector<std::int64_t>& values);
  /// A node; `name` may be empty.
  OnnxModel& node(const std::string& op_type, const std::vector<std::string>& inputs,
                  const std::vector<std::string>& outputs, const std::string& name = "",
                  const std::vector<OnnxAttr>& attributes = {}, const std::string& domain = "");
  /// Marks a tensor as a graph output (its shape left to inference).
  OnnxModel& output(const std::string& name);
  /// The serialized ModelProto.
  std::string bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A model counted the plain way, as a check on the reader: ONNX shape inference alone (no
/// folding of shape arithmetic), then MACs by one formula per op from the inferred shapes:
/// Conv prod(Y) * W[1] * kernel, ConvTranspose prod(X) * W[1] * kernel, MatMul and Gemm
/// prod(Y) * K.
struct OnnxCensus {
  int nodes = 0;      ///< nodes of the main graph
  int constants = 0;  ///< of which Constant nodes
  int mac_nodes = 0;  ///< of which Conv, ConvTranspose, MatMul and Gemm nodes
  /// MACs of each MAC node (by name) whose operand and output shapes inference knows.
  std::map<std::string, std::int64_t> macs;
};
/// The serialized model without the values of its float tensors of more than 16 elements
/// (initializers and Constant nodes; their dimensions stay), so that a real model becomes a
/// fuzz seed of a few tens of kilobytes. Throws std::runtime_error when `bytes` do not parse.
std::string without_weights(const std::string& bytes);

/// The census of a model whose first graph input gets the shape `input`.
OnnxCensus census(const std::string& bytes, const std::vector<std::int64_t>& input);

}  // namespace outpace::onnx_test
