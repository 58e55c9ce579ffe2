#include "workload/builders.hpp"

#include <initializer_list>
#include <utility>

namespace outpace::workload {

namespace {

/// Builds an einsum from dimension names/bounds; tensors are added by the caller.
Einsum make(const std::string& name,
            std::initializer_list<std::pair<const char*, std::int64_t>> dims) {
  Einsum e;
  e.name = name;
  for (const auto& [dim, bound] : dims) {
    e.dim_names.emplace_back(dim);
    e.bounds.push_back(bound);
  }
  return e;
}

TensorDim index(const Einsum& e, std::initializer_list<std::pair<const char*, std::int64_t>> terms) {
  TensorDim td;
  for (const auto& [dim, coef] : terms) td.terms.push_back({e.dim_index(dim), coef});
  return td;
}

TensorDim plain(const Einsum& e, const char* dim) { return index(e, {{dim, 1}}); }

Tensor tensor(const char* name, std::initializer_list<TensorDim> dims, bool is_output = false) {
  Tensor t;
  t.name = name;
  for (const TensorDim& d : dims) t.dims.push_back(d);
  t.is_output = is_output;
  return t;
}

TensorDim rows(const Einsum& e, const ConvShape& s) {
  return index(e, {{"P", s.stride_h}, {"R", s.dilation_h}});
}
TensorDim cols(const Einsum& e, const ConvShape& s) {
  return index(e, {{"Q", s.stride_w}, {"S", s.dilation_w}});
}

}  // namespace

Einsum conv2d(const std::string& name, const ConvShape& s) {
  Einsum e = make(name, {{"R", s.r}, {"S", s.s}, {"P", s.p}, {"Q", s.q}, {"C", s.c}, {"K", s.k},
                         {"N", s.n}});
  e.tensors = {
      tensor("Weights", {plain(e, "K"), plain(e, "C"), plain(e, "R"), plain(e, "S")}),
      tensor("Inputs", {plain(e, "N"), plain(e, "C"), rows(e, s), cols(e, s)}),
      tensor("Outputs", {plain(e, "N"), plain(e, "K"), plain(e, "P"), plain(e, "Q")}, true)};
  return e;
}

Einsum grouped_conv2d(const std::string& name, const ConvShape& s) {
  Einsum e = make(name, {{"R", s.r}, {"S", s.s}, {"P", s.p}, {"Q", s.q}, {"C", s.c}, {"K", s.k},
                         {"G", s.groups}, {"N", s.n}});
  e.tensors = {
      tensor("Weights", {plain(e, "G"), plain(e, "K"), plain(e, "C"), plain(e, "R"), plain(e, "S")}),
      tensor("Inputs", {plain(e, "N"), plain(e, "G"), plain(e, "C"), rows(e, s), cols(e, s)}),
      tensor("Outputs",
             {plain(e, "N"), plain(e, "G"), plain(e, "K"), plain(e, "P"), plain(e, "Q")}, true)};
  return e;
}

Einsum depthwise_conv2d(const std::string& name, const ConvShape& s) {
  Einsum e = make(name, {{"R", s.r}, {"S", s.s}, {"P", s.p}, {"Q", s.q}, {"C", s.c}, {"N", s.n}});
  e.tensors = {tensor("Weights", {plain(e, "C"), plain(e, "R"), plain(e, "S")}),
               tensor("Inputs", {plain(e, "N"), plain(e, "C"), rows(e, s), cols(e, s)}),
               tensor("Outputs", {plain(e, "N"), plain(e, "C"), plain(e, "P"), plain(e, "Q")}, true)};
  return e;
}

Einsum gemm(const std::string& name, std::int64_t m, std::int64_t n, std::int64_t k) {
  Einsum e = make(name, {{"M", m}, {"N", n}, {"K", k}});
  e.tensors = {tensor("Inputs", {plain(e, "M"), plain(e, "K")}),
               tensor("Weights", {plain(e, "K"), plain(e, "N")}),
               tensor("Outputs", {plain(e, "M"), plain(e, "N")}, true)};
  return e;
}

Einsum batched_matmul(const std::string& name, std::int64_t b, std::int64_t m, std::int64_t n,
                      std::int64_t k) {
  Einsum e = make(name, {{"B", b}, {"M", m}, {"N", n}, {"K", k}});
  e.tensors = {tensor("Inputs", {plain(e, "B"), plain(e, "M"), plain(e, "K")}),
               tensor("Weights", {plain(e, "B"), plain(e, "K"), plain(e, "N")}),
               tensor("Outputs", {plain(e, "B"), plain(e, "M"), plain(e, "N")}, true)};
  return e;
}

}  // namespace outpace::workload
