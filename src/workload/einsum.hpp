#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/fixed_vector.hpp"
#include "common/limits.hpp"

namespace outpace::workload {

/// One term of an affine tensor index: coefficient times a loop dimension.
struct Term {
  int dim = 0;
  std::int64_t coef = 1;
  friend bool operator==(const Term&, const Term&) = default;
};

/// One dimension of a tensor, indexed by a sum of terms (e.g. p*stride + r*dilation).
struct TensorDim {
  FixedVector<Term, kMaxTerms> terms;
  friend bool operator==(const TensorDim&, const TensorDim&) = default;
};

/// A tensor of the Einsum and how loop dimensions index it.
struct Tensor {
  std::string name;
  FixedVector<TensorDim, kMaxTensorDims> dims;
  bool is_output = false;
  /// The loop dimensions that index it (bit d).
  std::uint32_t used_dims() const;
  friend bool operator==(const Tensor&, const Tensor&) = default;
};

/// A layer as an Einsum: named loop dimensions with bounds and the tensors they index.
/// Every point of the iteration space is one multiply-accumulate into the output tensor.
struct Einsum {
  std::string name;
  std::vector<std::string> dim_names;
  std::vector<std::int64_t> bounds;
  std::vector<Tensor> tensors;

  /// Number of loop dimensions.
  int num_dims() const { return static_cast<int>(dim_names.size()); }
  /// Number of tensors.
  int num_tensors() const { return static_cast<int>(tensors.size()); }
  /// Index of the dimension with this name, or -1.
  int dim_index(const std::string& name) const;
  /// Index of the tensor with this name, or -1.
  int tensor_index(const std::string& name) const;
  /// Index of the output tensor.
  int output_index() const;
  /// Number of MACs: the product of all bounds.
  std::int64_t macs() const;
  /// Number of elements of tensor t (its footprint over the whole iteration space).
  std::int64_t tensor_size(int t) const;
  friend bool operator==(const Einsum&, const Einsum&) = default;
};

/// Every rule the Einsum breaks, as plain messages naming the object and the rule; empty if valid.
std::vector<std::string> check(const Einsum& einsum);

}  // namespace outpace::workload
