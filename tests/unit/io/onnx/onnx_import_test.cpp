// ONNX import on small models built in memory (unit/io/onnx/onnx_builder.hpp): each op's layer,
// shape and MACs derived by hand in the comments, the weights in initializers and in Constant
// nodes, the skipped ops and the edges. onnx_errors_test.cpp holds the models that cannot be read.
#include "io/onnx/onnx_import.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "common/config_error.hpp"
#include "io/onnx/network_source.hpp"
#include "report/network_report.hpp"
#include "unit/io/onnx/onnx_builder.hpp"

namespace outpace::io {
namespace {

using onnx_test::OnnxModel;
using Ints = std::vector<std::int64_t>;
using report::network_text;
using report::shape_text;

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

const network::Layer& layer(const network::Network& n, const std::string& name) {
  const int i = n.layer_index(name);
  EXPECT_GE(i, 0) << "no layer " << name << " in\n" << network_text(n);
  return n.layers.at(i < 0 ? 0 : i);
}

TEST(OnnxImport, ConvGroupsStridesDilationsPads) {
  OnnxModel m;
  m.input("x", {1, 8, 20, 20})
      .initializer("w1", {16, 4, 3, 3})
      .initializer("b1", {16})
      .node("Conv", {"x", "w1", "b1"}, {"y1"}, "grouped",
            {{"group", 2},
             {"strides", Ints{2, 2}},
             {"dilations", Ints{2, 2}},
             {"pads", Ints{2, 2, 2, 2}}})
      .initializer("w2", {4, 16, 1, 1})
      .node("Conv", {"y1", "w2"}, {"y2"}, "pointwise")
      .initializer("w3", {4, 4, 3, 3})
      .node("Conv", {"y2", "w3"}, {"y3"}, "same",
            {{"auto_pad", "SAME_UPPER"}, {"strides", Ints{2, 2}}})
      .output("y3");
  const network::Network n = read(m);
  ASSERT_EQ(n.layers.size(), 3u);
  EXPECT_EQ(n.name, "test");
  // grouped: kernel 3 dilated by 2 spans 5; P = floor((20 + 2 + 2 - 5) / 2) + 1 = 10. Two groups
  // of C = 8/2 = 4 in, K = 16/2 = 8 out: 2 * 8 * 4 * 3 * 3 * 10 * 10 = 57,600 MACs; weights
  // 16 * 4 * 3 * 3 = 576 (the bias is not counted).
  const network::Layer& g = layer(n, "grouped");
  EXPECT_EQ(g.op, network::OpKind::GroupedConv);
  EXPECT_EQ(shape_text(g.einsum), "R=3 S=3 P=10 Q=10 C=4 K=8 G=2 N=1");
  EXPECT_EQ(g.macs(), 57600);
  EXPECT_EQ(g.weights(), 576);
  EXPECT_EQ(g.einsum.name, "test.grouped");
  // The input rows are indexed p*2 + r*2 (stride, dilation).
  const workload::TensorDim& rows = g.einsum.tensors[g.einsum.tensor_index("Inputs")].dims[3];
  ASSERT_EQ(rows.terms.size(), 2u);
  EXPECT_EQ(rows.terms[0].coef, 2);
  EXPECT_EQ(rows.terms[1].coef, 2);
  // pointwise: 16 -> 4 channels over 10 x 10: 4 * 16 * 100 = 6,400 MACs.
  EXPECT_EQ(shape_text(layer(n, "pointwise").einsum), "R=1 S=1 P=10 Q=10 C=16 K=4 N=1");
  EXPECT_EQ(layer(n, "pointwise").macs(), 6400);
  // same: SAME_UPPER with stride 2 gives ceil(10 / 2) = 5; 4 * 4 * 3 * 3 * 5 * 5 = 3,600 MACs.
  EXPECT_EQ(shape_text(layer(n, "same").einsum), "R=3 S=3 P=5 Q=5 C=4 K=4 N=1");
  EXPECT_EQ(layer(n, "same").macs(), 3600);
  EXPECT_EQ(n.total_macs(), 57600 + 6400 + 3600);
  const std::vector<network::Edge> edges = {{"grouped", "pointwise", "Inputs", false},
                                            {"pointwise", "same", "Inputs", false}};
  EXPECT_EQ(n.edges, edges);
  EXPECT_TRUE(n.skipped.empty());
}

TEST(OnnxImport, DepthwiseWithWeightsInConstantNodes) {
  OnnxModel m;
  m.input("x", {1, 32, 16, 16})
      .constant("w_dw", {32, 1, 3, 3})
      .node("Conv", {"x", "w_dw"}, {"y"}, "dw", {{"group", 32}, {"pads", Ints{1, 1, 1, 1}}})
      .constant("w_mult", {64, 1, 3, 3})
      .node("Conv", {"y", "w_mult"}, {"z"}, "dw_x2", {{"group", 32}, {"pads", Ints{1, 1, 1, 1}}})
      .output("z");
  const network::Network n = read(m);
  ASSERT_EQ(n.layers.size(), 2u);
  // dw: one 3x3 filter per channel, pad 1 keeps 16 x 16: 32 * 9 * 256 = 73,728 MACs, 288 weights.
  const network::Layer& dw = layer(n, "dw");
  EXPECT_EQ(dw.op, network::OpKind::DepthwiseConv);
  EXPECT_EQ(shape_text(dw.einsum), "R=3 S=3 P=16 Q=16 C=32 N=1");
  EXPECT_EQ(dw.macs(), 73728);
  EXPECT_EQ(dw.weights(), 288);
  EXPECT_TRUE(dw.info("Weights")->is_weight);
  // dw_x2: two filters per channel (channel multiplier 2) is a grouped conv with C = 1, K = 2:
  // 2 x 73,728 = 147,456 MACs.
  EXPECT_EQ(layer(n, "dw_x2").op, network::OpKind::GroupedConv);
  EXPECT_EQ(shape_text(layer(n, "dw_x2").einsum), "R=3 S=3 P=16 Q=16 C=1 K=2 G=32 N=1");
  EXPECT_EQ(layer(n, "dw_x2").macs(), 147456);
  EXPECT_TRUE(n.skipped.empty());  // Constant nodes are data, not skipped ops
}

TEST(OnnxImport, GemmTransposesAndOperands) {
  OnnxModel m;
  m.input("a", {4, 64})
      .input("b", {10, 3})
      .input("c", {64, 5})
      .initializer("w", {10, 64})
      .initializer("bias", {10})
      .node("Gemm", {"a", "w", "bias"}, {"y"}, "fc", {{"transB", 1}})
      .node("Gemm", {"y", "b"}, {"z"}, "act")
      .initializer("wa", {10, 64})
      .node("Gemm", {"wa", "c"}, {"u"}, "fc_left")
      .output("z")
      .output("u");
  const network::Network n = read(m);
  ASSERT_EQ(n.layers.size(), 3u);
  // fc: A 4 x 64 times B^T (10 x 64 transposed): M = 4, N = 10, K = 64, 2,560 MACs, 640 weights.
  EXPECT_EQ(layer(n, "fc").op, network::OpKind::FullyConnected);
  EXPECT_EQ(shape_text(layer(n, "fc").einsum), "M=4 N=10 K=64");
  EXPECT_EQ(layer(n, "fc").weights(), 640);
  // act: both operands are activations, 4 x 10 times 10 x 3: 4 * 3 * 10 = 120 MACs.
  EXPECT_EQ(layer(n, "act").op, network::OpKind::Matmul);
  EXPECT_EQ(layer(n, "act").macs(), 120);
  EXPECT_EQ(layer(n, "act").weights(), 0);
  // fc_left: the weight is A (10 x 64) and the activation B (64 x 5); computed transposed, the
  // activation is Inputs: M = 5, N = 10, K = 64, 3,200 MACs.
  EXPECT_EQ(layer(n, "fc_left").op, network::OpKind::FullyConnected);
  EXPECT_EQ(shape_text(layer(n, "fc_left").einsum), "M=5 N=10 K=64");
  EXPECT_EQ(layer(n, "fc_left").weights(), 640);
  const std::vector<network::Edge> edges = {{"fc", "act", "Inputs", false}};
  EXPECT_EQ(n.edges, edges);
}

TEST(OnnxImport, MatMulBatchedBroadcastAndWeights) {
  OnnxModel m;
  m.input("q", {2, 4, 6, 8})
      .input("kt", {2, 4, 8, 6})
      .input("v", {4, 6, 8})
      .input("a2", {6, 8})
      .input("b3", {3, 8, 5})
      .input("vec", {8})
      .node("MatMul", {"q", "kt"}, {"s"}, "scores")
      .node("MatMul", {"s", "v"}, {"ctx"}, "context")
      .constant("w", {8, 16})
      .node("Transpose", {"w"}, {"wt"}, "t", {{"perm", Ints{1, 0}}})
      .node("Transpose", {"wt"}, {"wtt"}, "tt", {{"perm", Ints{1, 0}}})
      .node("MatMul", {"ctx", "wtt"}, {"proj"}, "proj")
      .node("MatMul", {"a2", "b3"}, {"shared"}, "shared_a")
      .initializer("w2", {8, 4})
      .node("MatMul", {"vec", "w2"}, {"row"}, "vector")
      .output("proj")
      .output("shared")
      .output("row");
  const network::Network n = read(m);
  ASSERT_EQ(n.layers.size(), 5u);
  // scores: batch 2 x 4 = 8 products of 6 x 8 by 8 x 6: 8 * 6 * 6 * 8 = 2,304 MACs.
  EXPECT_EQ(layer(n, "scores").op, network::OpKind::BatchedMatmul);
  EXPECT_EQ(shape_text(layer(n, "scores").einsum), "B=8 M=6 N=6 K=8");
  // context: v's batch (4) broadcasts against (2, 4): 8 products of 6 x 6 by 6 x 8, 2,304 MACs.
  EXPECT_EQ(shape_text(layer(n, "context").einsum), "B=8 M=6 N=8 K=6");
  // proj: the weight reaches the MatMul through two Transposes of a Constant; shared by the
  // whole batch, it is one FC over 2 * 4 * 6 = 48 rows: 48 * 16 * 8 = 6,144 MACs, 128 weights.
  EXPECT_EQ(layer(n, "proj").op, network::OpKind::FullyConnected);
  EXPECT_EQ(shape_text(layer(n, "proj").einsum), "M=48 N=16 K=8");
  EXPECT_EQ(layer(n, "proj").weights(), 128);
  // shared_a: a 6 x 8 activation times 3 matrices 8 x 5: computed transposed as one product of
  // 3 * 5 = 15 rows: M = 15, N = 6, K = 8, 720 MACs.
  EXPECT_EQ(layer(n, "shared_a").op, network::OpKind::Matmul);
  EXPECT_EQ(shape_text(layer(n, "shared_a").einsum), "M=15 N=6 K=8");
  // vector: a 1-D A is one row: M = 1, N = 4, K = 8, 32 MACs.
  EXPECT_EQ(shape_text(layer(n, "vector").einsum), "M=1 N=4 K=8");
  EXPECT_EQ(n.total_macs(), 2304 + 2304 + 6144 + 720 + 32);
  const std::vector<network::SkippedOp> skipped = {{"t", "Transpose"}, {"tt", "Transpose"}};
  EXPECT_EQ(n.skipped, skipped);
  const std::vector<network::Edge> edges = {{"scores", "context", "Inputs", false},
                                            {"context", "proj", "Inputs", false}};
  EXPECT_EQ(n.edges, edges);
}

TEST(OnnxImport, SkippedOpsResidualsAndNames) {
  OnnxModel m;
  m.input("x", {1, 4, 8, 8})
      .initializer("wa", {4, 4, 3, 3})
      .node("Conv", {"x", "wa"}, {"a"}, "conv_a", {{"pads", Ints{1, 1, 1, 1}}})
      .node("Relu", {"a"}, {"ra"}, "relu_a")
      .initializer("wb", {4, 4, 3, 3})
      .node("Conv", {"ra", "wb"}, {"b"}, "", {{"pads", Ints{1, 1, 1, 1}}})
      .node("Add", {"b", "ra"}, {"sum"}, "residual")
      .node("MaxPool", {"sum"}, {"pooled"}, "",
            {{"kernel_shape", Ints{2, 2}}, {"strides", Ints{2, 2}}})
      .int_initializer("shape", {1, -1})
      .node("Reshape", {"pooled", "shape"}, {"flat"}, "flatten")
      .initializer("wf", {64, 10})
      .node("MatMul", {"flat", "wf"}, {"logits"}, "conv_a")  // a name taken: made unique
      .output("logits");
  const network::Network n = read(m);
  // Layers: conv_a, Conv_2 (no name: op type and node index), conv_a_2 (a second conv_a).
  ASSERT_EQ(n.layers.size(), 3u);
  EXPECT_EQ(n.layers[1].name, "Conv_2");
  EXPECT_EQ(n.layers[2].name, "conv_a_2");
  // conv_a_2: the 4 x 4 x 4 pooled map flattened to 64: M = 1, N = 10, K = 64, 640 MACs.
  EXPECT_EQ(shape_text(n.layers[2].einsum), "M=1 N=10 K=64");
  const std::vector<network::SkippedOp> skipped = {
      {"relu_a", "Relu"}, {"residual", "Add"}, {"MaxPool_4", "MaxPool"}, {"flatten", "Reshape"}};
  EXPECT_EQ(n.skipped, skipped);
  // Every node is a layer, a skipped op or data: 3 + 4 = 7 nodes.
  // The Add sums Conv_2's output with conv_a's (through the Relu): a residual into Conv_2's
  // Outputs, as the zoo writes it; the MatMul then reads Conv_2 alone.
  const std::vector<network::Edge> edges = {{"conv_a", "Conv_2", "Inputs", false},
                                            {"conv_a", "Conv_2", "Outputs", false},
                                            {"Conv_2", "conv_a_2", "Inputs", false}};
  EXPECT_EQ(n.edges, edges);
  EXPECT_NE(network_text(n).find("skipped: 4 ops without MACs (Relu x 1, Add x 1, MaxPool x 1, "
                                 "Reshape x 1)\n"),
            std::string::npos)
      << network_text(n);
}

TEST(OnnxImport, ShapeArithmeticIsFoldedForInference) {
  // The batch is symbolic (read as 1) and the flattening shape is computed from it the way
  // exporters write it: Shape -> Gather -> Cast -> Unsqueeze -> Concat with -1 -> Reshape.
  OnnxModel m;
  m.input("x", {"batch", 4, 6, 6})
      .node("Shape", {"x"}, {"s"}, "shape")
      .int_initializer("zero", {0})
      .node("Gather", {"s", "zero"}, {"n"}, "gather")
      .node("Cast", {"n"}, {"n32"}, "to32", {{"to", 6}})
      .node("Cast", {"n32"}, {"n64"}, "to64", {{"to", 7}})
      .int_initializer("minus_one", {-1})
      .node("Concat", {"n64", "minus_one"}, {"target"}, "concat", {{"axis", 0}})
      .node("Reshape", {"x", "target"}, {"flat"}, "flatten")
      .initializer("w", {10, 144})
      .node("Gemm", {"flat", "w"}, {"y"}, "fc", {{"transB", 1}})
      .output("y");
  const network::Network n = read(m);
  // 4 * 6 * 6 = 144 features: M = 1, N = 10, K = 144, 1,440 MACs.
  ASSERT_EQ(n.layers.size(), 1u);
  EXPECT_EQ(shape_text(n.layers[0].einsum), "M=1 N=10 K=144");
  EXPECT_EQ(n.skipped.size(), 6u);
}

TEST(OnnxImport, ConvTransposeWithStrideEqualToKernel) {
  OnnxModel m;
  m.input("x", {1, 8, 5, 5})
      .initializer("w", {8, 4, 2, 2})
      .node("ConvTranspose", {"x", "w"}, {"y"}, "up", {{"strides", Ints{2, 2}}})
      .initializer("w3", {4, 4, 3, 3})
      .node("ConvTranspose", {"y", "w3"}, {"z"}, "up3")
      .output("z");
  // up: each of the 5 x 5 input pixels writes its own 2 x 2 block of 4 channels: a 1x1 conv from
  // 8 to 4 * 2 * 2 = 16 channels over 5 x 5: 8 * 16 * 25 = 3,200 MACs (= N C H W M kH kW).
  // up3 (kernel 3, stride 1) overlaps its blocks: refused.
  EXPECT_EQ(error_of(m.bytes()),
            "test.onnx: node 'up3' (ConvTranspose): only a transposed convolution with group 1, no "
            "dilation, strides equal to its kernel and no padding is read (each input pixel then "
            "writes its own output block); this one has kernel 3x3, strides 1x1, dilations 1x1, "
            "group 1 and output 1x4x12x12 from input 1x4x10x10");
  OnnxModel simple;
  simple.input("x", {1, 8, 5, 5})
      .initializer("w", {8, 4, 2, 2})
      .node("ConvTranspose", {"x", "w"}, {"y"}, "up", {{"strides", Ints{2, 2}}})
      .output("y");
  const network::Network n = read(simple);
  ASSERT_EQ(n.layers.size(), 1u);
  EXPECT_EQ(shape_text(n.layers[0].einsum), "R=1 S=1 P=5 Q=5 C=8 K=16 N=1");
  EXPECT_EQ(n.layers[0].macs(), 3200);
  EXPECT_EQ(n.layers[0].weights(), 128);  // 8 * 4 * 2 * 2
}

TEST(OnnxImport, ReadOnnxNamesTheFile) {
  const std::string empty = ::testing::TempDir() + "empty.onnx";
  std::ofstream(empty, std::ios::binary).flush();
  try {
    read_onnx(empty);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), empty + ": not an ONNX model: it has no graph");
  }
  try {
    read_onnx("no/such/model.onnx");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "no/such/model.onnx: cannot read the file: No such file or directory");
  }
}

TEST(OnnxImport, LoadNetworkTakesAFileAndItsSizes) {
  OnnxModel m;
  m.input("x", {"N", 3, "H", "W"})
      .initializer("w", {8, 3, 3, 3})
      .node("Conv", {"x", "w"}, {"y"}, "c");
  const std::string path = ::testing::TempDir() + "load_network_test.onnx";
  std::ofstream(path, std::ios::binary) << m.bytes();
  // 10 x 12 input, 3x3 kernel: 8 x 10 output, 8 * 3 * 9 * 80 = 17,280 MACs (as in OpenSizes).
  EXPECT_EQ(load_network(path + ":x=1x3x10x12").total_macs(), 17280);
  EXPECT_EQ(load_network(path + ":H=10:W=12").total_macs(), 17280);
  EXPECT_EQ(load_network(path + ":1x3x10x12").name, "load_network_test");
  try {
    load_network(path + ":x=1x3xtenx12");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--net: 'x=1x3xtenx12' is not a size; after 'model.onnx:' give "
              "<input>=<d0>x<d1>x..., <symbolic dimension>=<value> or, for a model with one "
              "input, <d0>x<d1>x..., separated by ':'");
  }
  try {
    load_network(path);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              path +
                  ": graph input 'x' has unknown dimensions (?x3x?x?, a symbolic batch read "
                  "as 1); give its shape as x=1x3x?x? with each ? replaced by a size");
  }
}

}  // namespace
}  // namespace outpace::io
