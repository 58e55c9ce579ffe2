// Bad ONNX models (net and run --net): bytes that are no model, unsupported ops, Conv
// attributes that break their rules, graphs out of order, open sizes missing or wrong, and
// stored tensors whose values are not what their dims need.
// The models are written with the unit tests' builder (tests/unit/io/onnx/onnx_builder.hpp).
#include "reliability/cases.hpp"
#include "unit/io/onnx/onnx_builder.hpp"

namespace outpace::reliability {
namespace {

using onnx_test::OnnxAttr;
using onnx_test::OnnxModel;
using onnx_test::OnnxTensor;
using Ints = std::vector<std::int64_t>;

/// A model file m.onnx holding `bytes`, read by `outpace net --net m.onnx<sizes>`.
Case net(std::string name, const std::string& bytes, std::string line,
         const std::string& sizes = "") {
  return {std::move(name), {{"m.onnx", bytes}}, "net --net m.onnx" + sizes, 2, std::move(line)};
}

/// One Conv node 'c' over x (1x3x8x8) with W 4x3x3x3 and `attributes`.
std::string conv(const std::vector<OnnxAttr>& attributes, const Ints& w = {4, 3, 3, 3}) {
  OnnxModel m;
  m.input("x", {1, 3, 8, 8}).initializer("w", w).node("Conv", {"x", "w"}, {"y"}, "c", attributes);
  return m.output("y").bytes();
}

/// Conv 'c' over x (1x3x8x8) with a 9x9 kernel, which is past the input, then two 1x1 Convs.
std::string conv_chain() {
  OnnxModel m;
  m.input("x", {1, 3, 8, 8})
      .initializer("w", {4, 3, 9, 9})
      .initializer("w1", {4, 4, 1, 1})
      .node("Conv", {"x", "w"}, {"y"}, "c")
      .node("Conv", {"y", "w1"}, {"z"}, "d")
      .node("Conv", {"z", "w1"}, {"o"}, "e");
  return m.output("o").bytes();
}

/// A Conv 'c' over x, an input with the open dimensions of `dims`.
std::string open_conv(const std::vector<onnx_test::OnnxDim>& dims) {
  OnnxModel m;
  m.input("x", dims).initializer("w", {4, 3, 3, 3}).node("Conv", {"x", "w"}, {"y"}, "c");
  return m.output("y").bytes();
}

std::string lstm() {
  OnnxModel m;
  m.input("x", {5, 1, 8})
      .initializer("w", {1, 64, 8})
      .initializer("r", {1, 64, 16})
      .node("LSTM", {"x", "w", "r"}, {"y"}, "lstm1", {{"hidden_size", 16}});
  return m.output("y").bytes();
}

std::string fused_conv() {
  OnnxModel m;
  m.input("x", {1, 3, 8, 8})
      .initializer("w", {4, 3, 3, 3})
      .node("FusedConv", {"x", "w"}, {"y"}, "fc", {}, "com.microsoft");
  return m.output("y").bytes();
}

std::string out_of_order() {
  OnnxModel m;
  m.input("x", {1, 4}).node("Relu", {"later"}, {"y"}, "r").node("Relu", {"x"}, {"later"}, "s");
  return m.output("y").bytes();
}

std::string zero_dimension() {
  OnnxModel m;
  m.input("x", {1, 0, 4, 4}).initializer("w", {4, 3, 3, 3}).node("Conv", {"x", "w"}, {"y"}, "c");
  return m.output("y").bytes();
}

/// x (1x3x8x8) -> Reshape 'rs' by `shape` (an initializer, or a Constant 'k' holding it) ->
/// MatMul 'mm' by w (8x8).
std::string reshape_by(const OnnxTensor& shape, bool constant = false) {
  OnnxModel m;
  m.input("x", {1, 3, 8, 8});
  if (constant)
    m.constant("k", shape);
  else
    m.initializer(shape);
  m.node("Reshape", {"x", shape.name}, {"r"}, "rs")
      .initializer("w", {8, 8})
      .node("MatMul", {"r", "w"}, {"y"}, "mm");
  return m.output("y").bytes();
}

/// An INT64 tensor 'sh' of dims `dims` whose raw_data holds `bytes`.
OnnxTensor shape(const Ints& dims, std::string bytes, int data_type = 7) {
  OnnxTensor t;
  t.name = "sh", t.dims = dims, t.raw_data = std::move(bytes), t.data_type = data_type;
  return t;
}

}  // namespace

std::vector<Case> onnx_cases() {
  const std::string model = conv({});
  return {
      net("onnx_not_a_model", "not a model",
          "m.onnx: not an ONNX model: the bytes do not parse as an ONNX ModelProto (protobuf)"),
      net("onnx_truncated", model.substr(0, model.size() / 2),
          "m.onnx: not an ONNX model: the bytes do not parse as an ONNX ModelProto "
          "(protobuf)"),
      net("onnx_lstm", lstm(),
          "m.onnx: node 'lstm1' (LSTM): LSTM carries MACs and is not supported; Conv, "
          "ConvTranspose (strides equal to the kernel), Gemm and MatMul are read"),
      net("onnx_other_domain_conv", fused_conv(),
          "m.onnx: node 'fc' (FusedConv): com.microsoft.FusedConv carries MACs and is "
          "not supported; Conv, ConvTranspose (strides equal to the kernel), Gemm and "
          "MatMul are read"),
      net("onnx_out_of_order", out_of_order(),
          "m.onnx: node 'r' (Relu): input 'later' is not made by an earlier node, an "
          "initializer or a graph input (nodes must be in topological order)"),
      net("onnx_zero_dimension", zero_dimension(),
          "m.onnx: graph input 'x': dimension 1 is 0; dimensions must be positive"),
      net("onnx_conv_stride_zero", conv({{"strides", Ints{0, 1}}}),
          "m.onnx: node 'c' (Conv): attribute 'strides' has the value 0; each must be at least 1"),
      net("onnx_conv_unknown_auto_pad", conv({{"auto_pad", std::string("WHATEVER")}}),
          "m.onnx: node 'c' (Conv): attribute 'auto_pad' is 'WHATEVER'; it must be NOTSET, "
          "SAME_UPPER, SAME_LOWER or VALID"),
      net("onnx_conv_negative_pads", conv({{"pads", Ints{-1, 0, 0, 0}}}),
          "m.onnx: node 'c' (Conv): attribute 'pads' has the value -1; each must be at least 0"),
      net("onnx_conv_kernel_past_input", conv({}, {4, 3, 9, 9}),
          "m.onnx: node 'c' (Conv): the kernel spans 9 along spatial axis 1 (size 9, dilation "
          "1), more than the input's 8 with its pads (0 + 0)"),
      net("onnx_conv_kernel_past_input_chain", conv_chain(),
          "m.onnx: node 'c' (Conv): the kernel spans 9 along spatial axis 1 (size 9, dilation "
          "1), more than the input's 8 with its pads (0 + 0); the shapes of 2 layers that "
          "depend on it stay unknown"),
      net("onnx_conv_group_mismatch", conv({{"group", std::int64_t{2}}}),
          "m.onnx: node 'c' (Conv): attribute 'group' is 2: the input's 3 channels must "
          "be group x 3 (W's dimension 1)"),
      net("onnx_conv_strides_length", conv({{"strides", Ints{1, 1, 1}}}),
          "m.onnx: node 'c' (Conv): attribute 'strides' has 3 values; an input with 2 spatial "
          "axes needs 2"),
      net("onnx_open_sizes", open_conv({"N", 3, "H", "W"}),
          "m.onnx: graph input 'x' has unknown dimensions (?x3x?x?, a symbolic batch "
          "read as 1); give its shape as x=1x3x?x? with each ? replaced by a size"),
      net("onnx_size_unknown_name", open_conv({"N", 3, "H", "W"}),
          "m.onnx: 'y' names no graph input (x) and no symbolic dimension of one", ":y=1x3x8x8"),
      net("onnx_size_contradicts", open_conv({"N", 3, "H", "W"}),
          "m.onnx: graph input 'x': dimension 1 is 3 in the model, 4 given", ":x=1x4x8x8"),
      net("onnx_size_zero", open_conv({"N", 3, "H", "W"}),
          "m.onnx: graph input 'x': dimension 2 ('H') is given as 0; it must be in [1, "
          "2147483648]",
          ":H=0:W=8"),
      net("onnx_batch_zero", open_conv({"N", 3, "H", "W"}),
          "m.onnx: graph input 'x': dimension 0 ('N') is given as 0; it must be in [1, "
          "2147483648]",
          ":N=0:H=8:W=8"),
      net("onnx_size_too_big", open_conv({"N", 3, "H", "W"}),
          "m.onnx: graph input 'x': dimension 3 ('W') is given as 4294967296; it must be in [1, "
          "2147483648]",
          ":H=8:W=4294967296"),
      net("onnx_shape_zero", open_conv({"N", 3, "H", "W"}),
          "m.onnx: graph input 'x': dimension 2 is given as 0; it must be in [1, 2147483648]",
          ":x=1x3x0x8"),
      // ONNX's shape inference copied raw_data past its end (exit 139 before the check).
      net("onnx_short_raw_data", reshape_by(shape({5}, "\x18\x01")),
          "m.onnx: initializer 'sh' (INT64, dims 5): raw_data holds 2 bytes, its dims need 40"),
      net("onnx_constant_short_raw_data", reshape_by(shape({4}, "\x01\x02"), true),
          "m.onnx: node 'k' (Constant): attribute 'value' (INT64, dims 4): raw_data holds 2 "
          "bytes, its dims need 32"),
      net("onnx_unknown_data_type", reshape_by(shape({2}, std::string(16, '\1'), 99)),
          "m.onnx: initializer 'sh': data type 99 is not one of ONNX's (1 FLOAT to 26 INT2)"),
      {"onnx_run_lstm",
       {{"m.onnx", lstm()}},
       "run --net m.onnx --arch toy --no-cache",
       2,
       "m.onnx: node 'lstm1' (LSTM): LSTM carries MACs and is not supported; Conv, "
       "ConvTranspose (strides equal to the kernel), Gemm and MatMul are read"},
  };
}

}  // namespace outpace::reliability
