#pragma once

#include <cstdint>

#include "mapper/mapspace.hpp"

namespace outpace::mapper {

/// Decides whether a partial tiling can be dropped with everything that completes it.
class TilingFilter {
 public:
  virtual ~TilingFilter() = default;
  /// Called once every spatial factor is known (decided = -1) and after each temporal slot of
  /// level `decided`; undecided temporal factors are 1 and rem[d] is what is left of
  /// dimension d. True drops the partial tiling.
  virtual bool cut(const Tiling& partial, const std::int64_t* rem, int decided) = 0;
};

/// Walks the tilings of one keep choice of a map space one at a time, by backtracking over the
/// factor slots in MapSpace::slots() order, each dimension's divisors in increasing order. A
/// partial tiling that already breaks a fanout or a capacity is cut with everything that would
/// follow it: tiles only grow with a factor, so every larger factor breaks the rule too. An
/// optional filter cuts more (a lower bound against the best cost known).
class TilingCursor {
 public:
  TilingCursor(const MapSpace& space, int keep_choice, TilingFilter* filter = nullptr);
  /// Walks the temporal slots only, the spatial factors and axes fixed to `prefix`'s (which must
  /// be a spatial assignment the cursor of this keep choice yields to its filter).
  TilingCursor(const MapSpace& space, int keep_choice, const Tiling& prefix, TilingFilter* filter);
  /// The next tiling, or nullptr when there are no more; valid until the next call.
  const Tiling* next();
  /// Partial tilings the filter dropped so far.
  std::uint64_t cut() const { return cut_; }

 private:
  static constexpr int kMaxPositions = 2 * kMaxLevels * kMaxDims;
  bool advance(int p);
  bool breaks_rule(int p);
  bool filtered(int p);
  bool finish();

  const MapSpace& space_;
  Tiling tiling_{};
  int dims_;
  int positions_;  ///< (slots - 1) x dims: the outermost temporal slot takes what is left
  int first_ = 0;  ///< the first position walked (after the spatial ones when they are fixed)
  int first_temporal_ = 0;  ///< the first position of a temporal slot
  int index_[kMaxPositions];  ///< index into the dimension's divisors, -1 = not set
  std::int64_t rem_[kMaxDims];   ///< what is left of each bound for the later slots
  bool started_ = false;
  TilingFilter* filter_;
  std::uint64_t cut_ = 0;
};

}  // namespace outpace::mapper
