#pragma once

// The figures around the counts: each level's bandwidth cycles, access energy and leakage, and
// the overflow checks they share with the counting (docs/model.md, "Energy", "Cycles",
// "Overflow"). Used by evaluate.cpp only.

#include <cstdint>

#include "arch/arch.hpp"
#include "mapping/mapping.hpp"
#include "model/evaluate.hpp"
#include "model/imperfect.hpp"
#include "model/result.hpp"
#include "workload/einsum.hpp"

namespace outpace::model {

/// a += b·c, noting in `overflow` when the product or the sum passes int64 (unless `checked` is
/// false: the caller knows it cannot). Tile sizes, steps and advances stay within the problem
/// size (2^50, workload::check), so only the products of two of them and the sums of those can
/// pass it: they are the ones checked.
template <bool kChecked = true>
inline void add_product(std::int64_t& a, std::int64_t b, std::int64_t c, bool& overflow) {
  if constexpr (!kChecked) {
    a += b * c;
    return;
  }
  std::int64_t product;
  overflow |= __builtin_mul_overflow(b, c, &product);
  overflow |= __builtin_add_overflow(a, product, &a);
}

/// Records that a figure of level l (or -1) and tensor t (or -1) passes int64.
void report_overflow(Result& r, int l, int t, mapping::Quantity what);

/// Bandwidth cycles, access energy and leakage of every level, and the total energy and cycles.
/// The stats hold one instance's counts; `totals` (residual tiles, whose instances differ) holds
/// the sums over every instance, otherwise they are the per-instance counts times
/// `used_instances`. With `checked`, every total and sum is checked for overflow (the caller
/// knows when they cannot pass int64).
void finish_levels(const workload::Einsum& e, const arch::Arch& a, const mapping::Mapping& m,
                   const std::int64_t* used_instances, const Options& options,
                   const ImperfectCounts* totals, bool checked, Result& r);

}  // namespace outpace::model
