#pragma once

#include <cstdint>
#include <vector>

#include "common/fixed_vector.hpp"
#include "common/limits.hpp"
#include "workload/einsum.hpp"

namespace outpace::mapper {

/// A loop order at one level: dimension indices, innermost first.
using Order = FixedVector<std::int8_t, kMaxDims>;

/// Which adjacent temporal loops of one level can swap without changing any count of the model
/// (docs/mapper.md, "Equivalent loop orders"): loops over dimensions a and b commute when, for
/// every tensor, both are unused by it, or both index it only through single-term dimensions
/// (so that every move of either loop replaces the tensor's tile by a disjoint one).
class Commutation {
 public:
  /// The relation for one Einsum.
  explicit Commutation(const workload::Einsum& einsum);
  /// True when loops over dimensions a and b commute.
  bool commute(int a, int b) const { return (masks_[a] >> b) & 1u; }

 private:
  FixedVector<std::uint32_t, kMaxDims> masks_;  ///< bit b of masks_[a]: a and b commute
};

/// True when `order` is the representative of its class: the lexicographically smallest order
/// reachable by swapping adjacent commuting loops (no loop could move inward past a run of
/// loops it commutes with, all larger than it).
bool is_canonical(const Order& order, const Commutation& commutation);

/// Every canonical order of the dimensions in `dims` (a bitmask), those in `innermost` first in
/// the given sequence when a fixed inner order is required (dimensions of `innermost` absent
/// from `dims` are skipped). Lexicographic order of the sequences.
std::vector<Order> canonical_orders(std::uint32_t dims, const Commutation& commutation,
                                    const Order& innermost = {});

/// Every order of the dimensions in `dims` (all permutations), for tests and counting.
std::vector<Order> all_orders(std::uint32_t dims);

}  // namespace outpace::mapper
