// Single zoo layers: lookup by "<network>.<layer>", shapes checked against the papers' tables,
// and the edges that carry residual connections.
#include <gtest/gtest.h>

#include <algorithm>

#include "network/layers.hpp"
#include "network/zoo.hpp"

namespace outpace::network {
namespace {

/// The bound of dimension `dim` of the layer's Einsum.
std::int64_t bound(const Layer& l, const char* dim) {
  const int d = l.einsum.dim_index(dim);
  EXPECT_GE(d, 0) << l.name << " has no dimension " << dim;
  return d >= 0 ? l.einsum.bounds[d] : -1;
}

Layer layer(const char* name) {
  std::optional<Layer> l = zoo_layer(name);
  EXPECT_TRUE(l.has_value()) << name;
  return l.value_or(Layer{});
}

TEST(ZooLayer, UnknownNamesGiveNothing) {
  for (const char* name : {"resnet50.conv99", "nonet.conv1", "resnet50", "resnet50.", ".conv1", "",
                           "bert_base.block13_q_proj", "RESNET50.conv1"})
    EXPECT_FALSE(zoo_layer(name).has_value()) << name;
}

TEST(ZooLayer, ResNet50Shapes) {
  // conv1: 7x7, 3 -> 64, stride 2 on 224x224 with padding 3 -> 112x112.
  const Layer c1 = layer("resnet50.conv1");
  workload::ConvShape s;
  s.k = 64, s.c = 3, s.p = s.q = 112, s.r = s.s = 7, s.stride_h = s.stride_w = 2;
  EXPECT_EQ(c1.einsum, workload::conv2d("resnet50.conv1", s));
  // conv3_1b: the stage's stride-2 3x3 conv, 128 -> 128, 56x56 -> 28x28 (v1.5).
  const Layer b = layer("resnet50.conv3_1b");
  EXPECT_EQ(bound(b, "P"), 28);
  EXPECT_EQ(b.einsum.tensor_size(b.einsum.tensor_index("Inputs")), 128 * 57 * 57);  // 27*2+3
  // conv5_1_proj: 1x1 stride 2, 1024 -> 2048, 14x14 -> 7x7.
  const Layer p = layer("resnet50.conv5_1_proj");
  EXPECT_EQ(bound(p, "K"), 2048);
  EXPECT_EQ(bound(p, "C"), 1024);
  EXPECT_EQ(bound(p, "P"), 7);
  EXPECT_EQ(p.macs(), 7 * 7 * 2048 * 1024);
  // A block stands for its 3x3 conv, under that conv's name; names that are no block stay unknown.
  const Layer block = layer("resnet50.conv3_1");
  EXPECT_EQ(block.name, "conv3_1b");
  EXPECT_EQ(block.einsum, b.einsum);
  for (const char* name : {"resnet50.conv3_9", "resnet50.conv3", "resnet50.conv3_1_pro", "vgg16.conv3"})
    EXPECT_FALSE(zoo_layer(name).has_value()) << name;
  // Shape of the example problem examples/problems/resnet50_conv3_1.yaml.
  EXPECT_EQ(layer("resnet50.conv3_2b").macs(), 28 * 28 * 128 * 128 * 9);
  EXPECT_EQ(layer("resnet50.fc").weights(), 2048 * 1000);
}

TEST(ZooLayer, ResNet50ShortcutsAreEdgesIntoOutputs) {
  const Network n = *zoo_network("resnet50");
  int residual = 0;
  for (const Edge& e : n.edges) residual += e.tensor == "Outputs" ? 1 : 0;
  EXPECT_EQ(residual, 16);  // one per bottleneck block
  const auto has = [&](const Edge& e) {
    return std::find(n.edges.begin(), n.edges.end(), e) != n.edges.end();
  };
  EXPECT_TRUE(has({"conv2_1_proj", "conv2_1c", "Outputs"}));  // projection shortcut
  EXPECT_TRUE(has({"conv2_1c", "conv2_2c", "Outputs"}));      // identity shortcut
  EXPECT_TRUE(has({"conv2_3c", "conv3_1_proj", "Inputs"}));
  EXPECT_TRUE(has({"conv5_3c", "fc", "Inputs"}));
}

TEST(ZooLayer, AlexNetGroupsAndVgg) {
  const Layer c2 = layer("alexnet.conv2");
  EXPECT_EQ(c2.op, OpKind::GroupedConv);
  EXPECT_EQ(bound(c2, "G"), 2);
  EXPECT_EQ(bound(c2, "C"), 48);
  EXPECT_EQ(bound(c2, "K"), 128);
  EXPECT_EQ(layer("alexnet.conv3").op, OpKind::Conv);  // conv3 reads both towers
  EXPECT_EQ(bound(layer("vgg16.conv5_3"), "P"), 14);
  EXPECT_EQ(layer("vgg16.fc6").weights(), 25088 * 4096);
}

TEST(ZooLayer, MobileNetV2Blocks) {
  // Table 2: the last bottleneck, 160 -> 960 (t = 6) -> 320 at 7x7.
  const Layer dw = layer("mobilenet_v2.block17_dw");
  EXPECT_EQ(dw.op, OpKind::DepthwiseConv);
  EXPECT_EQ(bound(dw, "C"), 960);
  EXPECT_EQ(bound(dw, "P"), 7);
  const Layer pr = layer("mobilenet_v2.block17_project");
  EXPECT_EQ(bound(pr, "K"), 320);
  EXPECT_FALSE(zoo_layer("mobilenet_v2.block1_expand").has_value());  // t = 1: no expansion
  // Residuals only where stride is 1 and channels match, i.e. every block of a row but its
  // first: rows with n = 2, 3, 4, 3, 3 blocks give 1 + 2 + 3 + 2 + 2 = 10 (rows with n = 1 none).
  const Network n = *zoo_network("mobilenet_v2");
  int residual = 0;
  for (const Edge& e : n.edges) residual += e.tensor == "Outputs" ? 1 : 0;
  EXPECT_EQ(residual, 10);
}

TEST(ZooLayer, BertOccurrences) {
  const Layer q = layer("bert_base.q_proj");
  EXPECT_EQ(q.repeat, 12);
  EXPECT_EQ(q.instances.front(), "block1_q_proj");
  const Layer q3 = layer("bert_base.block3_q_proj");
  EXPECT_EQ(q3.name, "block3_q_proj");
  EXPECT_EQ(q3.einsum.name, "bert_base.block3_q_proj");
  EXPECT_EQ(q3.repeat, 1);
  EXPECT_TRUE(q3.instances.empty());
  EXPECT_EQ(q3.macs(), 512 * 768 * 768);
  const Layer sc = layer("bert_base.scores");  // 12 heads: [512 x 64] x [64 x 512]
  EXPECT_EQ(sc.einsum, workload::batched_matmul("bert_base.scores", 12, 512, 512, 64));
  EXPECT_EQ(sc.weights(), 0);  // K^T is an activation
  EXPECT_EQ(layer("bert_base.context").einsum,
            workload::batched_matmul("bert_base.context", 12, 512, 64, 512));
}

TEST(ZooLayer, DlrmGathers) {
  const Layer e = layer("dlrm.embeddings");
  EXPECT_EQ(e.einsum,
            embedding_bag("dlrm.embeddings", {.batch = 1, .tables = 26, .lookups = 1, .dim = 128}));
  EXPECT_EQ(e.weights(), 187767399LL * 128);  // sum of the 26 tables' rows
  EXPECT_EQ(layer("dlrm.top_fc1").weights(), 479 * 1024);
}

}  // namespace
}  // namespace outpace::network
