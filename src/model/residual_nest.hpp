#pragma once

// The loop nest of an imperfect mapping seen per dimension, and the digit counting its closed
// forms rest on (docs/model.md, "How the model counts them"). Internal to the model
// (imperfect.cpp, residual_situations.cpp).
#include <cstdint>

#include "common/fixed_vector.hpp"
#include "common/limits.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::model::residual {

/// One loop with a factor above 1, seen from its dimension.
struct DimLoop {
  int pos;  ///< position in the whole nest, outermost first
  int level;
  int dim;
  bool spatial;
  std::int64_t factor;
  std::int64_t stride;  ///< points of the dimension one iteration moves: the factors inside it
  std::int64_t digit;   ///< this loop's digit of bound - 1 (its index at the last point)
};

/// Most loops over one dimension: a temporal and a spatial one per level.
inline constexpr std::size_t kMaxDimLoops = 2 * kMaxLevels;

/// The loop nest per dimension. Nest order: levels from the outermost, each with its temporal
/// loops (outer to inner) and then its spatial loops.
struct Nest {
  int levels = 0, dims = 0;
  FixedVector<DimLoop, kMaxDimLoops> loops[kMaxDims];  ///< outermost first
  std::int64_t bound[kMaxDims];
  std::int64_t extent[kMaxLevels + 1][kMaxDims];  ///< [l + 1][d]: padded span in one instance of l
  bool perfect[kMaxDims];                         ///< the factors multiply to the bound
  FixedVector<DimLoop, kMaxLevels * kMaxDims> temporal;  ///< every temporal loop, outermost first
  /// Per level l and dimension d, at [l + 1][d] (l = -1: the MACs): how many loops of d are at
  /// or below l, the product of d's spatial factors above l, and Σ (factor - 1)·stride over d's
  /// temporal loops above l (the offset of their last iteration).
  int inside[kMaxLevels + 1][kMaxDims];
  /// Points of d in the last tile of an instance of l, cut by the bound: (bound - 1) mod its
  /// extent, plus one.
  std::int64_t cut[kMaxLevels + 1][kMaxDims];
  std::int64_t spread_above[kMaxLevels + 1][kMaxDims];
  std::int64_t temporal_reach[kMaxLevels + 1][kMaxDims];

  std::int64_t ext(int level, int d) const { return extent[level + 1][d]; }
};

/// The nest of a mapping per dimension.
Nest build_nest(const workload::Einsum& e, const mapping::Mapping& m);

/// How the offsets `b = Σ digit·stride` of the loops of one dimension above a level (some loops
/// free over their factor, the others held at 0) compare with the bound `D`, digit by digit with
/// the digits of `D - 1`: `below` of them are lexicographically smaller, so that their whole tile
/// `[b, b + E)` lies below the bound; `at` (0 or 1) counts the one whose digits equal them, whose
/// tile is cut to `D - b` points. Every other offset is at or past the bound.
struct DigitCount {
  std::int64_t below = 0, at = 0;
};

/// Counts the offsets of the loops of dimension d above `level` (-1: every loop) whose temporal
/// (spatial) loops run over their factor when `temporal` (`spatial`) is set and stay at 0
/// otherwise.
DigitCount count_digits(const Nest& n, int d, int level, bool temporal, bool spatial);

}  // namespace outpace::model::residual
