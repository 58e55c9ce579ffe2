#pragma once

#include <cstdint>

#include "mapper/mapspace.hpp"

namespace outpace::mapper {

/// Walks the tilings of one keep choice of a map space one at a time, by backtracking over the
/// factor slots (inner levels first, each dimension's divisors in increasing order). A partial
/// tiling that already breaks a fanout or a capacity is cut with everything that would follow
/// it: tiles only grow with a factor, so every larger factor breaks the rule too.
class TilingCursor {
 public:
  TilingCursor(const MapSpace& space, int keep_choice);
  /// The next tiling, or nullptr when there are no more; valid until the next call.
  const Tiling* next();

 private:
  static constexpr int kMaxPositions = 2 * kMaxLevels * kMaxDims;
  bool advance(int p);
  bool breaks_rule(int p);
  bool finish();

  const MapSpace& space_;
  Tiling tiling_{};
  int dims_;
  int positions_;  ///< (slots - 1) x dims: the outermost temporal slot takes what is left
  int p_ = 0;
  int index_[kMaxPositions];  ///< index into the dimension's divisors, -1 = not set
  std::int64_t rem_[kMaxDims];   ///< what is left of each bound for the outer slots
  std::int64_t ext_[kMaxDims];   ///< product of the factors set so far
  bool started_ = false;
};

}  // namespace outpace::mapper
