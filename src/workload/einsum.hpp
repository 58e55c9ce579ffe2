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

/// Points of tensor t in the box of `extent[d]` points along each loop dimension d from its
/// origin: per tensor dimension 1 + Σ coef·(extent − 1), multiplied.
std::int64_t footprint(const Tensor& t, const std::int64_t* extent);

/// Largest coefficient of an affine index term (stride, dilation): 2^16.
inline constexpr std::int64_t kMaxCoefficient = std::int64_t{1} << 16;
/// Largest product of all bounds (MACs), and largest tensor, an Einsum may have: 2^50, so that
/// no count of the model overflows (docs/formats.md).
inline constexpr std::int64_t kMaxProblemSize = std::int64_t{1} << 50;

/// A rule of an Einsum.
enum class Rule : std::uint8_t {
  kNoDims,           ///< the Einsum has no dimensions
  kTooManyDims,      ///< value: dimensions, limit: kMaxDims
  kMissingBounds,    ///< value: bounds given, limit: dimensions
  kDuplicateDim,     ///< dimension `index` is defined twice
  kBadBound,         ///< dimension `index`: value is its bound, below 1
  kDuplicateTensor,  ///< tensor `index` is defined twice
  kTooManyTensors,   ///< value: tensors, limit: kMaxTensors
  kOutputCount,      ///< value: tensors marked as output (must be 1)
  kNoTensorDims,     ///< tensor `index` has no dimensions
  kEmptyIndex,       ///< a dimension of tensor `index` has no index terms
  kUnknownIndexDim,  ///< tensor `index` is indexed by an unknown dimension (value: its number)
  kBadCoefficient,   ///< tensor `index`: value is the coefficient of dimension `dim`, not in
                     ///< [1, kMaxCoefficient]
  kRepeatedDim,      ///< tensor `index`: dimension `dim` appears in more than one index
  kOutputIndex,      ///< tensor `index` is the output and its index number `value` (from 0) is not
                     ///< one plain dimension
  kTooManyMacs,      ///< the bounds multiply to `size` MACs, past kMaxProblemSize
  kTensorTooBig,     ///< tensor `index` would hold `size` elements, past kMaxProblemSize
};

/// What a violation is about: the Einsum as a whole, one of its dimensions or one of its tensors.
enum class Subject : std::uint8_t { kEinsum, kDimension, kTensor };

/// One rule an Einsum breaks, with the object it is about, so that a reader can place it.
struct Violation {
  Rule rule = Rule::kNoDims;
  int index = -1;            ///< the dimension or tensor the rule is about, or -1
  int dim = -1;              ///< a loop dimension the rule names besides `index`, or -1
  std::int64_t value = 0;    ///< the bad value (see Rule)
  std::int64_t limit = 0;    ///< the limit it breaks (see Rule)
  double size = 0;           ///< MACs or elements, for the size rules (may exceed int64)
  /// Whether the rule is about the Einsum, dimension `index` or tensor `index`.
  Subject subject() const;
  friend bool operator==(const Violation&, const Violation&) = default;
};

/// Every rule the Einsum breaks; empty if valid. The size rules (MACs and every tensor's
/// elements within kMaxProblemSize, computed in floating point) are checked only when every
/// other rule holds.
std::vector<Violation> check(const Einsum& einsum);

/// The rule the violation breaks, without its subject: "coefficient 0 of 'R' must be an integer
/// in [1, 65536]" (a reader may name the Einsum its own way).
std::string rule_text(const Violation& violation, const Einsum& einsum);
/// A sentence naming the object and the rule: "tensor 'Weights': " + rule_text(). `violation`
/// is one that check() found on `einsum`.
std::string describe(const Violation& violation, const Einsum& einsum);
/// describe() of every violation check() finds.
std::vector<std::string> check_messages(const Einsum& einsum);

}  // namespace outpace::workload
