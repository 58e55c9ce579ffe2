// ONNX import of models that cannot be read as they are, built in memory
// (unit/io/onnx/onnx_builder.hpp): the exact message for each, and the open sizes a user fills in.
#include <gtest/gtest.h>

#include "common/config_error.hpp"
#include "io/onnx/onnx_import.hpp"
#include "unit/io/onnx/onnx_builder.hpp"

namespace outpace::io {
namespace {

using onnx_test::int64_bytes;
using onnx_test::OnnxModel;
using onnx_test::OnnxTensor;
using Ints = std::vector<std::int64_t>;

network::Network read(const OnnxModel& m, const std::vector<OnnxSize>& sizes = {}) {
  return parse_onnx(m.bytes(), "test.onnx", sizes);
}

/// The message of the ConfigError parse_onnx throws, or "no error".
std::string error_of(const std::string& bytes, const std::vector<OnnxSize>& sizes = {}) {
  try {
    parse_onnx(bytes, "test.onnx", sizes);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(OnnxImport, UnsupportedMacOpIsAnError) {
  // An LSTM at opset 13 with X of rank 3, and at opset 6 with a rank-1 X: ONNX 1.12's LSTM-1
  // inference reads X's second dimension without checking the rank (found by the fuzzer), so
  // refused nodes are not inferred.
  using Case = std::pair<int, std::vector<onnx_test::OnnxDim>>;  // opset, X's shape
  for (const auto& [opset, x] : {Case{13, {5, 1, 8}}, Case{6, {1}}}) {
    OnnxModel m(opset);
    m.input("x", x)
        .initializer("w", {1, 64, 8})
        .initializer("r", {1, 64, 16})
        .node("LSTM", {"x", "w", "r"}, {"y"}, "lstm1", {{"hidden_size", 16}})
        .output("y");
    EXPECT_EQ(error_of(m.bytes()),
              "test.onnx: node 'lstm1' (LSTM): LSTM carries MACs and is not supported; Conv, "
              "ConvTranspose (strides equal to the kernel), Gemm and MatMul are read")
        << "opset " << opset;
  }
  OnnxModel custom;
  custom.input("x", {1, 4})
      .node("FusedMatMul", {"x", "x"}, {"y"}, "", {}, "com.microsoft")
      .output("y");
  EXPECT_EQ(
      error_of(custom.bytes()),
      "test.onnx: node #0 (FusedMatMul): com.microsoft.FusedMatMul carries MACs and is not "
      "supported; Conv, ConvTranspose (strides equal to the kernel), Gemm and MatMul are read");
}

TEST(OnnxImport, MalformedBytes) {
  EXPECT_EQ(
      error_of("not a model"),
      "test.onnx: not an ONNX model: the bytes do not parse as an ONNX ModelProto (protobuf)");
  EXPECT_EQ(error_of(""), "test.onnx: not an ONNX model: it has no graph");
  OnnxModel m;
  m.input("x", {1, 4}).initializer("w", {4, 2}).node("MatMul", {"x", "w"}, {"y"}, "fc").output("y");
  const std::string bytes = m.bytes();
  EXPECT_EQ(
      error_of(bytes.substr(0, bytes.size() - 3)),
      "test.onnx: not an ONNX model: the bytes do not parse as an ONNX ModelProto (protobuf)");
  EXPECT_EQ(parse_onnx(bytes, "dir/fc_model.onnx").name, "fc_model");
}

TEST(OnnxImport, BadGraphs) {
  OnnxModel order;
  order.input("x", {1, 4}).node("Relu", {"later"}, {"y"}, "r").node("Relu", {"x"}, {"later"}, "s");
  EXPECT_EQ(error_of(order.bytes()),
            "test.onnx: node 'r' (Relu): input 'later' is not made by an earlier node, an "
            "initializer or a graph input (nodes must be in topological order)");
  OnnxModel zero;
  zero.input("x", {1, 0, 4}).node("Relu", {"x"}, {"y"});
  EXPECT_EQ(error_of(zero.bytes()),
            "test.onnx: graph input 'x': dimension 1 is 0; dimensions must be positive");
  OnnxModel group;
  group.input("x", {1, 6, 4, 4})
      .initializer("w", {4, 4, 1, 1})
      .node("Conv", {"x", "w"}, {"y"}, "c", {{"group", 2}})
      .output("y");
  EXPECT_EQ(error_of(group.bytes()),
            "test.onnx: node 'c' (Conv): attribute 'group' is 2: the input's 6 channels must be "
            "group x 4 (W's dimension 1)");
}

TEST(OnnxImport, LayerTooBigIsAnError) {
  // Two activations of 2^20 x 2^20: M = N = K = 2^20, 2^60 MACs, each tensor 2^40 elements.
  OnnxModel m;
  m.input("a", {1 << 20, 1 << 20})
      .input("b", {1 << 20, 1 << 20})
      .node("MatMul", {"a", "b"}, {"y"}, "huge")
      .output("y");
  EXPECT_EQ(error_of(m.bytes()),
            "test.onnx: node 'huge' (MatMul): the bounds multiply to 1.153e+18 MACs, at most "
            "1125899906842624 (2^50) are supported");
}

// A Conv on a 1x4x5x5 input with a 3x3 kernel, its attributes broken one at a time: the message
// names the node, the attribute and its rule (ONNX's inference is not run on them: it would
// divide by a zero stride or size a negative output).
TEST(OnnxImport, BadConvAttributesNameTheAttributeAndTheRule) {
  const auto conv = [](const std::vector<onnx_test::OnnxAttr>& attributes,
                       const std::vector<std::int64_t>& w = {4, 4, 3, 3}) {
    OnnxModel m;
    m.input("x", {1, 4, 5, 5}).initializer("w", w).node("Conv", {"x", "w"}, {"y"}, "c", attributes)
        .output("y");
    return error_of(m.bytes());
  };
  const std::string head = "test.onnx: node 'c' (Conv): ";
  EXPECT_EQ(conv({{"strides", Ints{1, 0}}}),
            head + "attribute 'strides' has the value 0; each must be at least 1");
  EXPECT_EQ(conv({{"pads", Ints{0, -1, 0, 0}}}),
            head + "attribute 'pads' has the value -1; each must be at least 0");
  EXPECT_EQ(conv({{"dilations", Ints{1}}}),
            head + "attribute 'dilations' has 1 values; an input with 2 spatial axes needs 2");
  // A 7x7 kernel spans 7 > 5; dilation 3 makes the 3x3 one span 7 too.
  EXPECT_EQ(conv({}, {4, 4, 7, 7}),
            head +
                "the kernel spans 7 along spatial axis 1 (size 7, dilation 1), more than the "
                "input's 5 with its pads (0 + 0)");
  EXPECT_EQ(conv({{"dilations", Ints{1, 3}}}),
            head +
                "the kernel spans 7 along spatial axis 2 (size 3, dilation 3), more than the "
                "input's 5 with its pads (0 + 0)");
  EXPECT_EQ(conv({{"dilations", Ints{1, 3}}, {"pads", Ints{0, 1, 0, 1}}}), "no error");  // 7 <= 5 + 2
}

// A node that breaks an attribute rule leaves the shapes after it open: the message leads with
// that node and its rule, and counts the layers that depend on it.
TEST(OnnxImport, BadAttributesCountTheLayersThatDependOnThem) {
  // x (1x4x5x5) -> Conv 'c' with a 7x7 kernel -> Relu -> Conv 'd' (1x1) -> Conv 'e' (1x1).
  OnnxModel chain;
  chain.input("x", {1, 4, 5, 5})
      .initializer("w", {4, 4, 7, 7})
      .initializer("w1", {4, 4, 1, 1})
      .node("Conv", {"x", "w"}, {"y"}, "c")
      .node("Relu", {"y"}, {"r"}, "relu")
      .node("Conv", {"r", "w1"}, {"z"}, "d")
      .node("Conv", {"z", "w1"}, {"o"}, "e")
      .output("o");
  EXPECT_EQ(error_of(chain.bytes()),
            "test.onnx: node 'c' (Conv): the kernel spans 7 along spatial axis 1 (size 7, "
            "dilation 1), more than the input's 5 with its pads (0 + 0); the shapes of 2 layers "
            "that depend on it stay unknown");
  // A pool that is no layer: the one layer after it.
  OnnxModel pool;
  pool.input("x", {1, 4, 5, 5})
      .initializer("w1", {4, 4, 1, 1})
      .node("MaxPool", {"x"}, {"p"}, "pool", {{"kernel_shape", Ints{3, 9}}})
      .node("Conv", {"p", "w1"}, {"y"}, "d")
      .output("y");
  EXPECT_EQ(error_of(pool.bytes()),
            "test.onnx: node 'pool' (MaxPool): the kernel spans 9 along spatial axis 2 (size 9, "
            "dilation 1), more than the input's 5 with its pads (0 + 0); the shapes of 1 layer "
            "that depends on it stay unknown");
  // Two causes, one message each: Conv 'c' (stride 0) and a Reshape to a shape computed from a
  // graph input. MatMul 'both' reads both and counts with the earlier one, 'c'.
  OnnxModel two;
  two.input("x", {1, 4, 5, 5})
      .input("v", {1, 12})
      .input("target", {2})
      .initializer("w", {4, 4, 3, 3})
      .initializer("m", {6, 5})
      .node("Conv", {"x", "w"}, {"y"}, "c", {{"strides", Ints{0, 1}}})
      .node("Reshape", {"v", "target"}, {"r"}, "reshape")
      .node("MatMul", {"r", "m"}, {"z"}, "fc")
      .node("MatMul", {"y", "r"}, {"b"}, "both")
      .output("z")
      .output("b");
  EXPECT_EQ(error_of(two.bytes()),
            "test.onnx: node 'c' (Conv): attribute 'strides' has the value 0; each must be at "
            "least 1; the shapes of 1 layer that depends on it stay unknown\n"
            "test.onnx: node 'fc' (MatMul): the shapes of the inputs and output are not all known "
            "after shape inference; the first op whose output shape inference could not compute "
            "is node 'reshape' (Reshape)");
}

TEST(OnnxImport, ShapesInferenceCannotCompute) {
  // W with fewer dimensions than X: ONNX's Conv inference is not called (it would read past
  // W's shape), so the output stays unknown.
  OnnxModel rank;
  rank.input("x", {1, 4, 4, 4})
      .initializer("w", {4, 4, 1})
      .node("Conv", {"x", "w"}, {"y"}, "c")
      .output("y");
  EXPECT_EQ(error_of(rank.bytes()),
            "test.onnx: node 'c' (Conv): the shapes of the inputs and output are not all known "
            "after shape inference; the first op whose output shape inference could not compute "
            "is node 'c' (Conv)");
  // An attribute of the wrong type: the node breaks its schema; ONNX's words follow ours.
  OnnxModel typed;
  typed.input("x", {1, 4, 4, 4})
      .initializer("w", {4, 4, 1, 1})
      .node("Conv", {"x", "w"}, {"y"}, "c", {{"group", Ints{1}}})
      .output("y");
  const std::string schema = error_of(typed.bytes());
  EXPECT_EQ(schema.rfind("test.onnx: node 'c' (Conv): the shapes of the inputs and output are not "
                         "all known after shape inference; the first op whose output shape "
                         "inference could not compute is node 'c' (Conv), about which ONNX says: ",
                         0),
            0u)
      << schema;
  // An op ONNX does not know: skipped, and its output's shape is unknown.
  OnnxModel unknown;
  unknown.input("x", {1, 4})
      .node("FooBar", {"x"}, {"y"}, "f")
      .initializer("w", {4, 2})
      .node("MatMul", {"y", "w"}, {"z"}, "fc")
      .output("z");
  EXPECT_EQ(error_of(unknown.bytes()),
            "test.onnx: node 'fc' (MatMul): the shapes of the inputs and output are not all known "
            "after shape inference; the first op whose output shape inference could not compute "
            "is node 'f' (FooBar), about which ONNX says: no op FooBar in opset 13");
  // A Reshape to a shape computed from a graph input's values: no inference can know it.
  OnnxModel open;
  open.input("x", {1, 12})
      .input("target", {2})
      .node("Reshape", {"x", "target"}, {"r"}, "reshape")
      .initializer("w", {6, 5})
      .node("MatMul", {"r", "w"}, {"y"}, "fc")
      .node("MatMul", {"y", "w"}, {"z"}, "fc2")
      .output("z");
  EXPECT_EQ(error_of(open.bytes()),
            "test.onnx: node 'fc' (MatMul) and 1 more layer: the shapes of the inputs and output "
            "are not all known after shape inference; the first op whose output shape inference "
            "could not compute is node 'reshape' (Reshape)");
}

// ONNX's shape inference reads the values of the small stored tensors a node takes (a Reshape's
// shape, a Resize's scales, ...) trusting their size: raw_data shorter than its dims say made
// it copy past the end (a crash in ParseData). Every stored tensor's values must be as many as
// its dims need, in raw_data or its type's field; the message names the tensor and both sizes.

/// An INT64 tensor `name` with these dims whose raw_data holds `bytes`.
OnnxTensor raw(const std::string& name, const Ints& dims, std::string bytes, int type = 7) {
  OnnxTensor t;
  t.name = name, t.dims = dims, t.raw_data = std::move(bytes), t.data_type = type;
  return t;
}

/// x (1x3x8x8) -> Reshape 'rs' by the stored tensor `shape` -> MatMul 'mm' by w (8x8).
std::string reshape_by(const OnnxTensor& shape) {
  OnnxModel m;
  m.input("x", {1, 3, 8, 8})
      .initializer(shape)
      .node("Reshape", {"x", shape.name}, {"r"}, "rs")
      .initializer("w", {8, 8})
      .node("MatMul", {"r", "w"}, {"y"}, "mm")
      .output("y");
  return m.bytes();
}

TEST(OnnxStoredValues, ReshapeShapeShortRawData) {
  EXPECT_EQ(error_of(reshape_by(raw("sh", {5}, std::string("\x18\x00", 2)))),
            "test.onnx: initializer 'sh' (INT64, dims 5): raw_data holds 2 bytes, its dims need "
            "40");
  EXPECT_EQ(error_of(reshape_by(raw("sh", {1000}, "\x01"))),
            "test.onnx: initializer 'sh' (INT64, dims 1000): raw_data holds 1 byte, its dims "
            "need 8000");
  // More than the dims say, and a typed field short: refused the same way.
  EXPECT_EQ(error_of(reshape_by(raw("sh", {2}, int64_bytes({24, 8, 1, 1, 1})))),
            "test.onnx: initializer 'sh' (INT64, dims 2): raw_data holds 40 bytes, its dims need "
            "16");
  OnnxTensor typed;
  typed.name = "sh", typed.dims = {4}, typed.int64_data = {24};
  EXPECT_EQ(error_of(reshape_by(typed)),
            "test.onnx: initializer 'sh' (INT64, dims 4): int64_data holds 1 value, its dims "
            "need 4");
  // As many bytes as the dims need: 1x3x8x8 as 24x8, then 24 x 8 x 8 MACs.
  EXPECT_EQ(parse_onnx(reshape_by(raw("sh", {2}, int64_bytes({24, 8}))), "t.onnx").total_macs(),
            24 * 8 * 8);
}

TEST(OnnxStoredValues, ConstantValueShortRawData) {
  OnnxModel m;
  m.input("x", {1, 3, 8, 8})
      .constant("k", raw("sh", {4}, "\x01\x02"))
      .node("Reshape", {"x", "sh"}, {"r"}, "rs")
      .initializer("w", {8, 8})
      .node("MatMul", {"r", "w"}, {"y"}, "mm")
      .output("y");
  EXPECT_EQ(error_of(m.bytes()),
            "test.onnx: node 'k' (Constant): attribute 'value' (INT64, dims 4): raw_data holds 2 "
            "bytes, its dims need 32");
}

TEST(OnnxStoredValues, ResizeScalesShortRawData) {
  OnnxModel m;
  m.input("x", {1, 3, 8, 8})
      .initializer(raw("sc", {4}, std::string(2, '\0'), 1))
      .node("Resize", {"x", "", "sc"}, {"r"}, "rz")
      .initializer("w", {8, 3, 1, 1})
      .node("Conv", {"r", "w"}, {"y"}, "c")
      .output("y");
  EXPECT_EQ(error_of(m.bytes()),
            "test.onnx: initializer 'sc' (FLOAT, dims 4): raw_data holds 2 bytes, its dims need "
            "16");
}

/// x (`x`) -> `op` 'op' over x and the stored tensors -> MatMul 'mm' by w (8x8) of its first
/// output (of `outputs`).
std::string op_with(const std::string& op, const std::vector<onnx_test::OnnxDim>& x,
                    const std::vector<OnnxTensor>& stored,
                    const std::vector<std::string>& outputs = {"r"}) {
  OnnxModel m(13);
  m.input("x", x);
  std::vector<std::string> inputs = {"x"};
  for (const OnnxTensor& t : stored) m.initializer(t), inputs.push_back(t.name);
  m.node(op, inputs, outputs, "op")
      .initializer("w", {8, 8})
      .node("MatMul", {"r", "w"}, {"y"}, "mm");
  return m.output("y").bytes();
}

TEST(OnnxStoredValues, TopKShortRawData) {
  EXPECT_EQ(error_of(op_with("TopK", {1, 8}, {raw("k", {1}, "\x01")}, {"r", "i"})),
            "test.onnx: initializer 'k' (INT64, dims 1): raw_data holds 1 byte, its dims need 8");
}

TEST(OnnxStoredValues, ExpandShortRawData) {
  EXPECT_EQ(error_of(op_with("Expand", {1, 8}, {raw("sh", {3}, "\x02")})),
            "test.onnx: initializer 'sh' (INT64, dims 3): raw_data holds 1 byte, its dims need 24");
}

TEST(OnnxStoredValues, PadShortRawData) {
  EXPECT_EQ(error_of(op_with("Pad", {1, 3, 8, 8}, {raw("p", {8}, "\x01")})),
            "test.onnx: initializer 'p' (INT64, dims 8): raw_data holds 1 byte, its dims need 64");
}

TEST(OnnxStoredValues, SliceInt32ShortRawData) {
  const std::string one = std::string("\x01\x00\x00\x00", 4);
  EXPECT_EQ(
      error_of(op_with("Slice", {1, 8},
                       {raw("starts", {1}, std::string(3, '\0'), 6), raw("ends", {1}, one, 6)})),
      "test.onnx: initializer 'starts' (INT32, dims 1): raw_data holds 3 bytes, its dims "
      "need 4");
}

// A scalar stored without values (the weights left out, as a model without its weights has
// them) is no value for inference: Range would read its first value from an empty list.
TEST(OnnxStoredValues, RangeOfScalarsWithoutValues) {
  OnnxModel m(13);
  m.input("x", {1, 8});
  for (const char* name : {"start", "limit", "delta"}) {
    OnnxTensor scalar;
    scalar.name = name;
    m.initializer(scalar);
  }
  m.node("Range", {"start", "limit", "delta"}, {"n"}, "range")
      .node("Reshape", {"x", "n"}, {"r"}, "rs")
      .initializer("w", {8, 8})
      .node("MatMul", {"r", "w"}, {"y"}, "mm")
      .output("y");
  EXPECT_EQ(error_of(m.bytes()),
            "test.onnx: node 'mm' (MatMul): the shapes of the inputs and output are not all known "
            "after shape inference; the first op whose output shape inference could not compute "
            "is node 'range' (Range)");
}

// The other rules of a stored tensor, wherever it is (an initializer, a sparse one, a TENSOR
// attribute of any node, a subgraph's): dims not negative, one of ONNX's data types, a size that
// fits in 63 bits, and values in raw_data or the type's own field, not both. Every tensor that
// breaks one is reported.
TEST(OnnxStoredValues, DataTypesDimsAndFields) {
  const std::string head = "test.onnx: initializer 'sh'";
  EXPECT_EQ(error_of(reshape_by(raw("sh", {2}, int64_bytes({24, 8}), 99))),
            head + ": data type 99 is not one of ONNX's (1 FLOAT to 26 INT2)");
  EXPECT_EQ(error_of(reshape_by(raw("sh", {2}, int64_bytes({24, 8}), 0))),
            head + ": data type 0 (UNDEFINED) is not one of ONNX's (1 FLOAT to 26 INT2)");
  EXPECT_EQ(error_of(reshape_by(raw("sh", {1LL << 32, 1LL << 32}, ""))),
            head +
                " (INT64, dims 4294967296x4294967296): its dims multiply to more than "
                "9223372036854775807 elements");
  EXPECT_EQ(error_of(reshape_by(raw("sh", {1LL << 61}, "", 15))),
            head +
                " (COMPLEX128, dims 2305843009213693952): its 2305843009213693952 elements need "
                "more than 9223372036854775807 bytes");
  OnnxTensor floats;  // an INT64 tensor whose values are in float_data
  floats.name = "sh", floats.dims = {2}, floats.float_data = {24, 8};
  EXPECT_EQ(
      error_of(reshape_by(floats)),
      head +
          " (INT64, dims 2): float_data holds 2 values; tensors of type INT64 keep their values "
          "in int64_data or raw_data");
  OnnxTensor both = raw("sh", {2}, int64_bytes({24, 8}));
  both.int64_data = {24, 8};
  EXPECT_EQ(error_of(reshape_by(both)),
            head +
                " (INT64, dims 2): its values are both in raw_data and in int64_data; a tensor "
                "keeps them in one");
  EXPECT_EQ(error_of(reshape_by(raw("sh", {2}, "ab", 8))),
            head +
                " (STRING, dims 2): raw_data holds 2 bytes; tensors of type STRING keep their "
                "values in string_data");
  OnnxTensor strings;
  strings.name = "sh", strings.data_type = 8, strings.dims = {2}, strings.string_data = {"a"};
  EXPECT_EQ(error_of(reshape_by(strings)),
            head + " (STRING, dims 2): string_data holds 1 value, its dims need 2");
  // Packed and complex types: 3 INT4 values take 2 bytes; a COMPLEX64 scalar takes 2 floats.
  EXPECT_EQ(error_of(reshape_by(raw("sh", {3}, "a", 22))),
            head + " (INT4, dims 3): raw_data holds 1 byte, its dims need 2");
  OnnxTensor complex;
  complex.name = "sh", complex.data_type = 14, complex.float_data = {1};
  EXPECT_EQ(error_of(reshape_by(complex)),
            head + " (COMPLEX64, a scalar): float_data holds 1 value, a scalar needs 2");
}

TEST(OnnxStoredValues, EveryPlaceATensorIsStored) {
  // A Constant's value with a negative dim; a ConstantOfShape's value attribute; a sparse
  // initializer's values; a tensor of an If's branch: all reported at once, in the model's order.
  OnnxModel branch;
  branch.initializer(raw("c", {2}, "\x01")).output("c");
  OnnxTensor values = raw("sv", {3}, std::string(8, '\0'), 1), indices = raw("si", {3}, "");
  indices.raw_data = int64_bytes({0, 1, 2});
  OnnxModel m;
  m.input("x", {1, 4})
      .sparse_initializer(values, indices, {8})
      .constant("k", raw("sh", {-2}, ""))
      .initializer(raw("dims", {2}, int64_bytes({1, 4})))
      .node("ConstantOfShape", {"dims"}, {"z"}, "cs")
      .attribute("value", raw("", {1}, "\x01\x02", 1))
      .node("If", {"cond"}, {"y"}, "if")
      .attribute("then_branch", branch)
      .attribute("else_branch", branch);
  EXPECT_EQ(error_of(m.bytes()),
            "test.onnx: sparse initializer 'sv', values (FLOAT, dims 3): raw_data holds 8 bytes, "
            "its dims need 12\n"
            "test.onnx: node 'k' (Constant): attribute 'value': dimension -2 is negative\n"
            "test.onnx: node 'cs' (ConstantOfShape): attribute 'value' (FLOAT, dims 1): raw_data "
            "holds 2 bytes, its dims need 4\n"
            "test.onnx: node 'if' (If): attribute 'then_branch': initializer 'c' (INT64, dims 2): "
            "raw_data holds 1 byte, its dims need 16\n"
            "test.onnx: node 'if' (If): attribute 'else_branch': initializer 'c' (INT64, dims 2): "
            "raw_data holds 1 byte, its dims need 16\n"
            "test.onnx: node 'if' (If): input 'cond' is not made by an earlier node, an "
            "initializer or a graph input (nodes must be in topological order)");
}

// Values the model does not hold are not read: a tensor in an external file (the reader opens
// no other file) or stored without values (weights left out) has a type and dims but no values,
// so a Reshape to it cannot be sized; a weight without values is all a layer needs.
TEST(OnnxStoredValues, ValuesNotHeldAreNotRead) {
  const std::string unsized =
      "test.onnx: node 'mm' (MatMul): the shapes of the inputs and output are not all known "
      "after shape inference; the first op whose output shape inference could not compute is "
      "node 'rs' (Reshape)";
  OnnxTensor external;
  external.name = "sh", external.dims = {2}, external.external = true;
  EXPECT_EQ(error_of(reshape_by(external)), unsized);
  OnnxTensor none;
  none.name = "sh", none.dims = {2};
  EXPECT_EQ(error_of(reshape_by(none)), unsized);
  OnnxModel weightless(13, false);
  weightless.input("x", {1, 3, 8, 8})
      .initializer("w", {4, 3, 3, 3})
      .node("Conv", {"x", "w"}, {"y"}, "c")
      .output("y");
  EXPECT_EQ(read(weightless).total_macs(), 4 * 3 * 9 * 36);  // a 6x6 output
  // An empty tensor holds all its values: a Resize's empty roi and scales, sizes given.
  OnnxTensor empty;
  empty.name = "roi", empty.data_type = 1, empty.dims = {0};
  OnnxModel resize;
  resize.input("x", {1, 3, 8, 8})
      .initializer(empty)
      .initializer(raw("sizes", {4}, int64_bytes({1, 3, 16, 16})))
      .node("Resize", {"x", "roi", "roi", "sizes"}, {"r"}, "rz")
      .initializer("w", {8, 3, 1, 1})
      .node("Conv", {"r", "w"}, {"y"}, "c")
      .output("y");
  EXPECT_EQ(read(resize).total_macs(), 8 * 3 * 16 * 16);
}

TEST(OnnxImport, OpenSizes) {
  OnnxModel m;
  m.input("x", {"N", 3, "H", "W"})
      .initializer("w", {8, 3, 3, 3})
      .node("Conv", {"x", "w"}, {"y"}, "c")
      .output("y");
  EXPECT_EQ(error_of(m.bytes()),
            "test.onnx: graph input 'x' has unknown dimensions (?x3x?x?, a symbolic batch read as "
            "1); give its shape as x=1x3x?x? with each ? replaced by a size");
  // 10 x 12 input, 3x3 kernel, no padding: 8 x 10 output, 8 * 3 * 9 * 80 = 17,280 MACs.
  EXPECT_EQ(read(m, {{"x", {1, 3, 10, 12}}}).total_macs(), 17280);
  EXPECT_EQ(read(m, {{"", {1, 3, 10, 12}}}).total_macs(), 17280);
  EXPECT_EQ(read(m, {{"H", {10}}, {"W", {12}}}).total_macs(), 17280);
  EXPECT_EQ(read(m, {{"N", {2}}, {"H", {10}}, {"W", {12}}}).total_macs(), 2 * 17280);
  EXPECT_EQ(error_of(m.bytes(), {{"x", {1, 4, 10, 12}}}),
            "test.onnx: graph input 'x': dimension 1 is 3 in the model, 4 given");
  EXPECT_EQ(error_of(m.bytes(), {{"x", {1, 3, 10}}}),
            "test.onnx: graph input 'x' has 4 dimensions (?x3x?x?), 3 given");
  OnnxModel shapeless;
  shapeless.shapeless_input("x")
      .initializer("w", {8, 3, 3, 3})
      .node("Conv", {"x", "w"}, {"y"}, "c");
  EXPECT_EQ(read(shapeless, {{"x", {1, 3, 10, 12}}}).total_macs(), 17280);
  EXPECT_EQ(error_of(shapeless.bytes()),
            "test.onnx: graph input 'x' has no shape; give it as x=<d0>x<d1>x...");
  EXPECT_EQ(error_of(m.bytes(), {{"x", {1, 3, 10, 12}}, {"y", {2}}}),
            "test.onnx: 'y' names no graph input (x) and no symbolic dimension of one");
}

// Each size the user gives, for a whole input or for a symbolic dimension, is in [1, 2^31]; one
// given as 0 is not read as "not given" (a batch of 1, an open dimension). Each dimension it
// fills is named, with its symbol.
TEST(OnnxImport, GivenSizesOutOfRange) {
  OnnxModel m;
  m.input("x", {"N", 3, "H", "W"})
      .initializer("w", {8, 3, 3, 3})
      .node("Conv", {"x", "w"}, {"y"}, "c")
      .output("y");
  const std::string range = "; it must be in [1, 2147483648]";
  EXPECT_EQ(error_of(m.bytes(), {{"H", {0}}, {"W", {8}}}),
            "test.onnx: graph input 'x': dimension 2 ('H') is given as 0" + range);
  EXPECT_EQ(error_of(m.bytes(), {{"N", {0}}, {"H", {8}}, {"W", {8}}}),
            "test.onnx: graph input 'x': dimension 0 ('N') is given as 0" + range);
  EXPECT_EQ(error_of(m.bytes(), {{"H", {8}}, {"W", {2147483649}}}),
            "test.onnx: graph input 'x': dimension 3 ('W') is given as 2147483649" + range);
  EXPECT_EQ(error_of(m.bytes(), {{"H", {-1}}, {"W", {0}}}),
            "test.onnx: graph input 'x': dimension 2 ('H') is given as -1" + range +
                "\ntest.onnx: graph input 'x': dimension 3 ('W') is given as 0" + range);
  EXPECT_EQ(error_of(m.bytes(), {{"x", {1, 3, 0, 8}}}),
            "test.onnx: graph input 'x': dimension 2 is given as 0" + range);
  // One symbol for two dimensions: both are named.
  OnnxModel square;
  square.input("x", {"N", 3, "S", "S"})
      .initializer("w", {8, 3, 3, 3})
      .node("Conv", {"x", "w"}, {"y"}, "c")
      .output("y");
  EXPECT_EQ(error_of(square.bytes(), {{"S", {0}}}),
            "test.onnx: graph input 'x': dimension 2 ('S') is given as 0" + range +
                "\ntest.onnx: graph input 'x': dimension 3 ('S') is given as 0" + range);
  // S = 8: a 6 x 6 output, 8 * 3 * 9 * 36 = 7,776 MACs.
  EXPECT_EQ(read(square, {{"N", {1}}, {"S", {8}}}).total_macs(), 8 * 3 * 9 * 36);
}

}  // namespace
}  // namespace outpace::io
