// BERT-base encoder at sequence length 512 (Devlin et al. 2019: L=12, H=768, A=12, FFN 4H),
// batch 1. One encoder block's layers, each repeated 12 times. Shapes in docs/zoo.md.

#include <string>
#include <vector>

#include "network/zoo_build.hpp"

namespace outpace::network::zoo_detail {

namespace {

/// Marks the layer as one of `blocks` encoder blocks, occurrences named block1_<name>, ...
Layer repeated(Layer l, int blocks) {
  l.repeat = blocks;
  for (int i = 1; i <= blocks; ++i)
    l.instances.push_back("block" + std::to_string(i) + "_" + l.name);
  return l;
}

}  // namespace

Network bert_base() {
  constexpr std::int64_t kSeq = 512, kHidden = 768, kHeads = 12, kHeadDim = 64, kFfn = 3072;
  constexpr int kBlocks = 12;
  Builder b("bert_base");
  // Linear projections: Outputs[token][feature] += Inputs[token][k] * Weights[k][feature].
  for (const char* name : {"q_proj", "k_proj", "v_proj"})
    b.add(repeated(fc_layer(name, kSeq, kHidden, kHidden), kBlocks));
  // Scores per head: Q[h][query][d] x K^T[h][d][key]; context: softmax(scores) x V[h][key][d].
  b.add(repeated(batched_matmul_layer("scores", kHeads, kSeq, kSeq, kHeadDim), kBlocks));
  b.add(repeated(batched_matmul_layer("context", kHeads, kSeq, kHeadDim, kSeq), kBlocks));
  b.add(repeated(fc_layer("out_proj", kSeq, kHidden, kHidden), kBlocks));
  b.add(repeated(fc_layer("ffn1", kSeq, kFfn, kHidden), kBlocks));
  b.add(repeated(fc_layer("ffn2", kSeq, kHidden, kFfn), kBlocks));

  // Block i+1 reads block i's output: ffn2 plus its residual, after LayerNorm.
  for (const char* proj : {"q_proj", "k_proj", "v_proj"}) b.edge("ffn2", proj, "Inputs", true);
  b.edge("q_proj", "scores", "Inputs");
  b.edge("k_proj", "scores", "Weights");
  b.edge("scores", "context", "Inputs");  // through scaling and softmax
  b.edge("v_proj", "context", "Weights");
  b.edge("context", "out_proj", "Inputs");
  b.edge("ffn2", "out_proj", "Outputs", true);  // residual: the block's input
  b.edge("out_proj", "ffn1", "Inputs");         // through add and LayerNorm
  b.edge("ffn1", "ffn2", "Inputs");             // through GELU
  b.edge("out_proj", "ffn2", "Outputs");        // residual
  return b.take();
}

}  // namespace outpace::network::zoo_detail
