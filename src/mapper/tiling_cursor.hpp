#pragma once

#include <cstdint>
#include <functional>

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

/// Bounds on a walk of the tilings (TilingCursor::limit): it stops when one is reached.
struct WalkLimit {
  std::uint64_t max_formed = UINT64_MAX;    ///< complete tilings formed, kept or dropped
  std::uint64_t max_examined = UINT64_MAX;  ///< factors tried: partial and complete tilings
  /// Asked every 65,536 factors tried (none: go on); false stops the walk.
  std::function<bool()> keep_going;
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
  /// The next tiling, or nullptr when there are no more (or a limit stopped the walk); valid
  /// until the next call.
  const Tiling* next();
  /// Partial tilings the filter dropped so far.
  std::uint64_t cut() const { return cut_; }
  /// Stops the walk at these bounds (none by default). A walk once stopped does not resume.
  void limit(WalkLimit limit);
  /// True when a limit stopped the walk before its end.
  bool stopped() const { return stopped_; }
  /// Factors tried so far at every position: the partial and complete tilings examined, the
  /// work of the walk whatever the rules drop.
  std::uint64_t examined() const { return examined_; }
  /// Complete tilings formed so far, those the outermost level's rules or the utilization then
  /// drop included.
  std::uint64_t formed() const { return formed_; }

 private:
  static constexpr int kMaxPositions = 2 * kMaxLevels * kMaxDims;
  static constexpr std::uint64_t kCheckEvery = 65536;  ///< factors tried between limit checks
  bool advance(int p);
  bool breaks_rule(int p);
  bool busy_enough(int p) const;
  bool within_limit();
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
  WalkLimit limit_;
  std::uint64_t examined_ = 0, formed_ = 0;
  std::uint64_t check_at_ = 0;  ///< examined_ at which the limits are checked next; 0: never
  bool stopped_ = false;
};

}  // namespace outpace::mapper
