// DLRM (MLPerf Criteo Terabyte configuration) and a two-layer GCN on Cora, batch 1.
// Shapes, sources and how gathers and the sparse adjacency are expressed: docs/zoo.md.

#include <string>
#include <vector>

#include "network/zoo_build.hpp"

namespace outpace::network::zoo_detail {

Network dlrm() {
  // facebookresearch/dlrm bench/run_and_time.sh (the MLPerf training reference):
  // --arch-sparse-feature-size=128 --arch-mlp-bot=13-512-256-128
  // --arch-mlp-top=1024-1024-512-256-1 --max-ind-range=40000000, dot interaction without
  // self-interaction, so the top MLP takes 128 + 27*26/2 = 479 inputs.
  constexpr std::int64_t kDim = 128, kTables = 26;
  // Rows per table for Criteo Terabyte with --max-ind-range=40000000 (dlrm_s_pytorch.py's
  // MLPerf configuration, and the MLPerf checkpoint's table shapes).
  constexpr std::int64_t kRows[kTables] = {
      39884406, 39043,    17289,    7420,     20263,  3,     7120, 1543, 63,
      38532951, 2953546,  403346,   10,       2208,   11938, 155,  4,    976,
      14,       39979771, 25641295, 39664984, 585935, 12972, 108,  36};
  std::int64_t rows = 0;
  for (std::int64_t r : kRows) rows += r;

  Builder b("dlrm");
  const std::vector<std::int64_t> bottom = {13, 512, 256, 128};
  const std::vector<std::int64_t> top = {479, 1024, 1024, 512, 256, 1};
  for (std::size_t i = 1; i < bottom.size(); ++i) {
    b.add(fc_layer("bot_fc" + std::to_string(i), 1, bottom[i], bottom[i - 1]));
    if (i > 1) b.edge("bot_fc" + std::to_string(i - 1), "bot_fc" + std::to_string(i));
  }
  // Criteo has one value per categorical feature: one row gathered per table and sample.
  b.add(embedding_bag_layer(
      "embeddings", {.batch = 1, .tables = kTables, .lookups = 1, .dim = kDim, .rows = rows}));
  // Dot interaction: Z = X X^T with X the 27 x 128 stack of the bottom MLP's output and the 26
  // pooled embeddings (the reference computes all of Z, then keeps the strict lower triangle).
  b.add(batched_matmul_layer("interaction", 1, kTables + 1, kTables + 1, kDim));
  for (const char* tensor : {"Inputs", "Weights"}) {
    b.edge("bot_fc3", "interaction", tensor);
    b.edge("embeddings", "interaction", tensor);
  }
  for (std::size_t i = 1; i < top.size(); ++i) {
    b.add(fc_layer("top_fc" + std::to_string(i), 1, top[i], top[i - 1]));
    if (i > 1) b.edge("top_fc" + std::to_string(i - 1), "top_fc" + std::to_string(i));
  }
  b.edge("bot_fc3", "top_fc1");  // concatenated with the interaction's 351 pairs
  b.edge("interaction", "top_fc1");
  return b.take();
}

Network gcn_cora() {
  // Kipf and Welling 2017: H' = A_hat relu(...) with A_hat = D^-1/2 (A + I) D^-1/2; on Cora
  // 2708 nodes, 1433 features, 16 hidden units, 7 classes. Each GCN layer is two products,
  // X W first (combination), then A_hat (X W) (aggregation), the cheaper order.
  constexpr std::int64_t kNodes = 2708, kFeatures = 1433, kHidden = 16, kClasses = 7;
  // A + I has 10556 nonzeros (Cora's edges stored in both directions, as in PyTorch
  // Geometric's Planetoid Cora) plus one per node for the self-loops.
  constexpr double kDensity = (10556.0 + kNodes) / (static_cast<double>(kNodes) * kNodes);
  Builder b("gcn_cora");
  b.add(fc_layer("gc1_combine", kNodes, kHidden, kFeatures));
  b.add(spmm_layer("gc1_aggregate", kNodes, kHidden, kNodes, kDensity));
  b.add(fc_layer("gc2_combine", kNodes, kClasses, kHidden));
  b.add(spmm_layer("gc2_aggregate", kNodes, kClasses, kNodes, kDensity));
  b.edge("gc1_combine", "gc1_aggregate", "Weights");
  b.edge("gc1_aggregate", "gc2_combine", "Inputs");  // through ReLU (and dropout in training)
  b.edge("gc2_combine", "gc2_aggregate", "Weights");
  return b.take();
}

}  // namespace outpace::network::zoo_detail
