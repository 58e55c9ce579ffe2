#include "network/layers.hpp"

#include <utility>

namespace outpace::network {

namespace {

/// A layer over `einsum` whose tensor named `weights` (if any) holds trained parameters.
Layer make(const std::string& name, OpKind op, workload::Einsum einsum,
           const std::string& weights) {
  Layer l;
  l.name = name;
  l.op = op;
  l.tensors.resize(einsum.tensors.size());
  for (std::size_t t = 0; t < einsum.tensors.size(); ++t)
    l.tensors[t].is_weight = !weights.empty() && einsum.tensors[t].name == weights;
  l.einsum = std::move(einsum);
  return l;
}

}  // namespace

Layer conv_layer(const std::string& name, const workload::ConvShape& s) {
  if (s.groups > 1)
    return make(name, OpKind::GroupedConv, workload::grouped_conv2d(name, s), "Weights");
  return make(name, OpKind::Conv, workload::conv2d(name, s), "Weights");
}

Layer depthwise_layer(const std::string& name, const workload::ConvShape& s) {
  return make(name, OpKind::DepthwiseConv, workload::depthwise_conv2d(name, s), "Weights");
}

Layer fc_layer(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k) {
  return make(name, OpKind::FullyConnected, workload::gemm(name, m, n, k), "Weights");
}

Layer matmul_layer(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k) {
  return make(name, OpKind::Matmul, workload::gemm(name, m, n, k), "");
}

Layer batched_matmul_layer(const std::string& name, std::int64_t b, std::int64_t m, std::int64_t n,
                           std::int64_t k) {
  return make(name, OpKind::BatchedMatmul, workload::batched_matmul(name, b, m, n, k), "");
}

Layer spmm_layer(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k,
                 double density) {
  Layer l = make(name, OpKind::SparseMatmul, workload::gemm(name, m, n, k), "");
  l.tensors[l.einsum.tensor_index("Inputs")].density = density;
  return l;
}

workload::Einsum embedding_bag(const std::string& name, const EmbeddingBagShape& s) {
  workload::Einsum e;
  e.name = name;
  e.dim_names = {"B", "T", "L", "D"};
  e.bounds = {s.batch, s.tables, s.lookups, s.dim};
  const auto dim = [](int d) {
    workload::TensorDim td;
    td.terms.push_back({d, 1});
    return td;
  };
  workload::Tensor rows;
  rows.name = "Rows";
  rows.dims = {dim(0), dim(1), dim(2), dim(3)};
  workload::Tensor out;
  out.name = "Outputs";
  out.dims = {dim(0), dim(1), dim(3)};
  out.is_output = true;
  e.tensors = {rows, out};
  return e;
}

Layer embedding_bag_layer(const std::string& name, const EmbeddingBagShape& s) {
  Layer l = make(name, OpKind::EmbeddingBag, embedding_bag(name, s), "Rows");
  l.tensors[0].stored = s.rows * s.dim;
  return l;
}

}  // namespace outpace::network
