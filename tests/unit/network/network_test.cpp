// The network model: layer builders, totals with repeats, and check()'s rules.
#include "network/network.hpp"

#include <gtest/gtest.h>

#include "network/layers.hpp"

namespace outpace::network {
namespace {

workload::ConvShape conv(std::int64_t k, std::int64_t c, std::int64_t pq, std::int64_t rs) {
  workload::ConvShape s;
  s.k = k, s.c = c, s.p = s.q = pq, s.r = s.s = rs;
  return s;
}

TEST(Layers, ConvPicksGroupedWhenGroupsAboveOne) {
  const Layer plain = conv_layer("c", conv(8, 4, 5, 3));
  EXPECT_EQ(plain.op, OpKind::Conv);
  EXPECT_EQ(plain.einsum, workload::conv2d("c", conv(8, 4, 5, 3)));
  EXPECT_EQ(plain.weights(), 8 * 4 * 3 * 3);
  workload::ConvShape g = conv(8, 4, 5, 3);
  g.groups = 2;
  const Layer grouped = conv_layer("g", g);
  EXPECT_EQ(grouped.op, OpKind::GroupedConv);
  EXPECT_EQ(grouped.weights(), 2 * 8 * 4 * 3 * 3);  // k and c are per group
  EXPECT_EQ(grouped.macs(), 2 * 8 * 4 * 25 * 9);
}

TEST(Layers, OnlyTrainedTensorsCountAsWeights) {
  EXPECT_EQ(fc_layer("fc", 2, 3, 4).weights(), 4 * 3);
  EXPECT_EQ(depthwise_layer("dw", conv(1, 32, 5, 3)).weights(), 32 * 9);
  EXPECT_EQ(matmul_layer("mm", 2, 3, 4).weights(), 0);
  EXPECT_EQ(batched_matmul_layer("bmm", 5, 2, 3, 4).weights(), 0);
  const Layer sp = spmm_layer("a", 10, 3, 10, 0.25);
  EXPECT_EQ(sp.op, OpKind::SparseMatmul);
  EXPECT_EQ(sp.weights(), 0);
  EXPECT_DOUBLE_EQ(sp.info("Inputs")->density, 0.25);
  EXPECT_DOUBLE_EQ(sp.info("Weights")->density, 1.0);
  EXPECT_EQ(sp.info("Nope"), nullptr);
}

TEST(Layers, EmbeddingBagIsOneAddPerGatheredElementWithNoReuse) {
  // 2 samples, 3 tables, 4 rows per bag, 8 elements per row; tables of 1000 rows in all.
  const Layer l =
      embedding_bag_layer("emb", {.batch = 2, .tables = 3, .lookups = 4, .dim = 8, .rows = 1000});
  EXPECT_TRUE(workload::check(l.einsum).empty());
  EXPECT_EQ(l.op, OpKind::EmbeddingBag);
  EXPECT_EQ(l.macs(), 2 * 3 * 4 * 8);  // one add per gathered element
  const int rows = l.einsum.tensor_index("Rows");
  // Rows is indexed by every dimension: as many elements as points, so none is read twice.
  EXPECT_EQ(l.einsum.tensor_size(rows), l.macs());
  EXPECT_EQ(l.einsum.tensor_size(l.einsum.output_index()), 2 * 3 * 8);
  EXPECT_EQ(l.weights(), 1000 * 8);  // the stored tables, not the gathered rows
}

TEST(Layers, OpNames) {
  EXPECT_EQ(op_name(OpKind::Conv), "conv");
  EXPECT_EQ(op_name(OpKind::FullyConnected), "fc");
  EXPECT_EQ(op_name(OpKind::EmbeddingBag), "embedding_bag");
  EXPECT_EQ(op_name(OpKind::SparseMatmul), "spmm");
}

/// a (fc 1x4x8) -> b (fc 1x2x4, repeated 3 times).
Network tiny() {
  Network n;
  n.name = "tiny";
  n.layers = {fc_layer("a", 1, 4, 8), fc_layer("b", 1, 2, 4)};
  n.layers[1].repeat = 3;
  n.layers[1].instances = {"b1", "b2", "b3"};
  n.edges = {{"a", "b", "Inputs"}};
  return n;
}

TEST(Network, TotalsCountRepeats) {
  const Network n = tiny();
  EXPECT_TRUE(check(n).empty());
  EXPECT_EQ(n.layer_count(), 4);
  EXPECT_EQ(n.total_macs(), 32 + 3 * 8);
  EXPECT_EQ(n.total_weights(), 32 + 3 * 8);
  EXPECT_EQ(n.layer_index("b"), 1);
  EXPECT_EQ(n.layer_index("b2"), -1);  // occurrences are not layers
}

TEST(Check, LayerRules) {
  Network n = tiny();
  n.layers[0].repeat = 0;
  n.layers[1].instances.pop_back();
  n.layers[1].tensors[0].density = 1.5;
  n.layers[1].tensors[2].is_weight = true;
  n.layers[1].einsum.bounds[0] = 0;
  EXPECT_EQ(check(n), (std::vector<std::string>{
                          "layer 'a': repeat 0 must be at least 1",
                          "layer 'b': 2 occurrence names for repeat 3; give none or one per "
                          "occurrence",
                          "layer 'b': dimension 'M': bound 0 must be a positive integer",
                          "layer 'b': tensor 'Inputs': density 1.5 must be in (0, 1]",
                          "layer 'b': tensor 'Outputs': the output cannot hold weights"}));
}

TEST(Check, NamesAndTensorRecords) {
  Network n = tiny();
  n.name = "";
  n.layers[1].instances[1] = "a";
  n.layers[0].tensors.pop_back();
  n.layers.push_back(fc_layer("b", 1, 1, 1));
  const std::vector<std::string> errors = check(n);
  EXPECT_EQ(errors,
            (std::vector<std::string>{
                "network '': name is empty",
                "layer 'a': 2 tensor records for 3 tensors; give one per tensor",
                "layer 'b': occurrence name 'a' used twice", "layer 'b': name used twice"}));
  Network empty;
  empty.name = "empty";
  EXPECT_EQ(check(empty), (std::vector<std::string>{"network 'empty': has no layers"}));
}

TEST(Check, EdgeRules) {
  Network n = tiny();
  n.layers.push_back(fc_layer("c", 1, 2, 2));  // repeat 1
  n.edges = {{"a", "x", "Inputs"},             // unknown layer
             {"a", "b", "Bogus"},              // unknown tensor
             {"a", "b", "Weights"},            // weights are not fed by edges
             {"b", "a", "Inputs"},             // goes back without being carried
             {"a", "c", "Inputs", true},       // carried between unrepeated layers
             {"b", "b", "Outputs", true},      // fine: occurrence i adds into occurrence i+1
             {"b", "c", "Inputs"},             // fine: the last occurrence feeds c
             {"b", "c", "Inputs"}};            // twice
  EXPECT_EQ(
      check(n),
      (std::vector<std::string>{
          "edge 'a' -> 'x': no layer named 'x'", "edge 'a' -> 'b': layer 'b' has no tensor 'Bogus'",
          "edge 'a' -> 'b': tensor 'Weights' holds weights; an edge feeds activations",
          "edge 'b' -> 'a': 'a' does not come after 'b'; layers are listed in execution "
          "order (only a carried edge goes back)",
          "carried edge 'a' -> 'c': needs both layers repeated the same number of times "
          "(1 and 1)",
          "edge 'b' -> 'c' (Inputs): listed twice"}));
}

TEST(Check, RepeatCountsMustPair) {
  Network n = tiny();
  n.layers.push_back(fc_layer("c", 1, 2, 2));
  n.layers[2].repeat = 2;
  n.edges.push_back({"b", "c", "Inputs"});
  EXPECT_EQ(check(n), (std::vector<std::string>{
                          "edge 'b' -> 'c': repeat counts 3 and 2 differ; occurrences cannot be "
                          "paired"}));
}

}  // namespace
}  // namespace outpace::network
