#pragma once

#include <cstdint>
#include <vector>

#include "common/fixed_vector.hpp"
#include "common/limits.hpp"
#include "workload/einsum.hpp"

namespace outpace::mapper {

/// A loop order at one level: dimension indices, innermost first.
using Order = FixedVector<std::int8_t, kMaxDims>;

/// Which loop orders of one level give the same counts in the model (docs/mapper.md,
/// "Equivalent loop orders"). For a tensor, a dimension is unused, *plain* (it indexes the tensor
/// only through single-term dimensions, so every move of its loop replaces the tile by a
/// disjoint one) or *sliding* (it indexes a dimension that sums several terms). A tensor sees
/// of an order only its *prefix*: the loops inside the innermost loop over one of its plain
/// dimensions, with each run of unused loops taken as a set; two orders are equivalent when
/// every tensor sees the same prefix.
class OrderEquivalence {
 public:
  /// The relation for one Einsum.
  explicit OrderEquivalence(const workload::Einsum& einsum);
  /// What tensor t sees of `order`, as a sequence of tokens (comparable between orders).
  std::vector<int> prefix(int t, const Order& order) const;
  /// Number of tensors.
  int tensors() const { return static_cast<int>(usage_.size()); }

 private:
  /// usage_[t][d]: 0 unused, 1 plain, 2 sliding.
  std::vector<FixedVector<std::int8_t, kMaxDims>> usage_;
};

/// One order per class of equivalent orders of the dimensions in `dims` (a bitmask): the
/// lexicographically smallest (innermost first); those in `innermost` first in that sequence when
/// a fixed inner order is required (dimensions of `innermost` absent from `dims` are skipped).
/// Sorted lexicographically.
std::vector<Order> canonical_orders(std::uint32_t dims, const OrderEquivalence& equivalence,
                                    const Order& innermost = {});

/// Every order of the dimensions in `dims` (all permutations), in lexicographic order.
std::vector<Order> all_orders(std::uint32_t dims);

/// Every order of the dimensions in `dims` that starts with those of `innermost` in that
/// sequence (dimensions of `innermost` absent from `dims` are skipped), lexicographically.
std::vector<Order> orders_with_prefix(std::uint32_t dims, const Order& innermost);

}  // namespace outpace::mapper
