#pragma once

#include <cstdint>
#include <string>

#include "network/network.hpp"
#include "workload/builders.hpp"

namespace outpace::network {

/// A convolution layer: conv2d when shape.groups is 1, grouped_conv2d otherwise; Weights trained.
Layer conv_layer(const std::string& name, const workload::ConvShape& shape);
/// A depthwise convolution layer over shape.c channels; Weights trained.
Layer depthwise_layer(const std::string& name, const workload::ConvShape& shape);
/// A fully connected layer, Outputs[m][n] += Inputs[m][k] * Weights[k][n], with trained Weights.
Layer fc_layer(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k);
/// A product of two activation matrices (the gemm Einsum; nothing trained).
Layer matmul_layer(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k);
/// A batch of products of activation matrices (the batched_matmul Einsum; nothing trained).
Layer batched_matmul_layer(const std::string& name, std::int64_t b, std::int64_t m, std::int64_t n,
                           std::int64_t k);
/// A sparse matrix times a dense one (the gemm Einsum): Inputs[m][k] is sparse with the given
/// density, Weights[k][n] is a dense activation; nothing trained.
Layer spmm_layer(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k,
                 double density);

/// Shape of a set of embedding-bag lookups: per sample and table, `lookups` rows of `dim`
/// elements are gathered and summed into one vector.
struct EmbeddingBagShape {
  std::int64_t batch = 1;    ///< samples
  std::int64_t tables = 1;   ///< embedding tables (one bag per table and sample)
  std::int64_t lookups = 1;  ///< rows gathered per bag (the pooling factor)
  std::int64_t dim = 1;      ///< elements per row (the embedding dimension)
  std::int64_t rows = 0;     ///< rows of all tables together (what is stored, not what is read)
};

/// The Einsum of embedding-bag gathers, Outputs[b][t][d] += Rows[b][t][l][d] over dimensions
/// B T L D: each point is one add of one gathered element, and Rows is indexed by every
/// dimension, so no gathered element is ever reused.
workload::Einsum embedding_bag(const std::string& name, const EmbeddingBagShape& shape);
/// An embedding-bag layer: Rows hold trained parameters, stored as rows x dim elements.
Layer embedding_bag_layer(const std::string& name, const EmbeddingBagShape& shape);

}  // namespace outpace::network
