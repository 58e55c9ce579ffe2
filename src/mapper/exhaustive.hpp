#pragma once

#include <memory>
#include <vector>

#include "mapper/bounds.hpp"
#include "mapper/search.hpp"
#include "mapper/tiling_cursor.hpp"

namespace outpace::mapper {

/// Exhaustive search over the distinct mappings of a space: every tiling the cursor yields
/// (capacity and fanouts cut early), skipped whole when its lower bound cannot beat the best
/// found by any thread, else a branch and bound over its canonical loop orders, outermost level
/// first, each partial choice bounded by partial_lower_bound. The threads share the spatial
/// assignments (or, without spatial slots, the tilings): each takes the next one nobody took,
/// the spatial assignments listed first and taken lowest bound first.
class Exhaustive final : public SearchStrategy, private TilingFilter {
 public:
  explicit Exhaustive(const StrategyContext& context);
  const mapping::Mapping* next() override;
  void report(const Feedback& feedback) override;
  double pruned() const override { return pruned_; }
  std::uint64_t cut() const override { return cut_ + (cursor_ ? cursor_->cut() : 0) - foreign_; }
  bool exhaustive() const override { return true; }

 private:
  /// A spatial assignment to search: its keep choice, its bound, its spatial factors above 1
  /// (level, dimension, factor: `count` of them from `first` in prefix_factors_) and axes.
  struct Prefix {
    int keep;
    Bound bound;
    std::uint32_t first, count;
    std::uint32_t on_y[kMaxLevels];
  };
  bool collect_prefixes();
  bool next_prefix();
  bool next_tiling();
  bool next_orders();
  Bound order_bound(const Tiling& t, int level, int order) const;
  bool every_order_beaten(const Tiling& t);
  bool beaten(const Bound& bound) const;
  bool mine(std::uint64_t index);
  bool cut(const Tiling& partial, const std::int64_t* rem, int decided) override;

  StrategyContext ctx_;
  int keep_choice_ = -1;
  std::unique_ptr<TilingCursor> cursor_;
  std::uint64_t sequence_ = 0;
  Tiling tiling_{};
  bool have_tiling_ = false;
  int order_[kMaxLevels] = {};
  int order_count_[kMaxLevels] = {};
  int escaped_[kMaxLevels] = {};  ///< per level: the order that escaped the last joint test
  int depth_ = 0;  ///< the level whose order is being chosen; levels above it are fixed
  bool has_spatial_ = false;     ///< the space has spatial slots: threads split them
  /// The spatial assignments of every keep choice, most promising (lowest bound) first, when
  /// there are not too many (otherwise they are met in the cursor's order).
  std::vector<Prefix> prefixes_;
  std::vector<std::int64_t> prefix_factors_;  ///< level x kMaxDims + dimension, then the factor
  bool prefixes_known_ = false;
  bool by_bound_ = false;          ///< the threads take prefixes_ in order
  std::size_t next_unit_ = 0;      ///< the next entry of prefixes_ to meet
  std::uint64_t spatial_seq_ = 0;  ///< spatial assignments met so far
  std::uint64_t foreign_ = 0;      ///< of those, left to other threads
  std::uint64_t cut_calls_ = 0;    ///< filter calls, to look at the budget now and then
  bool stopping_ = false;          ///< the budget ran out: drop everything left
  SpatialBasis basis_;   ///< of the cursor's current spatial factors
  int basis_keep_ = -1;  ///< keep choice the basis was computed for
  TilingBounds bounds_;  ///< tiling_bound along the cursor, on basis_
  mapping::Mapping current_;
  double pruned_ = 0;
  std::uint64_t cut_ = 0;  ///< by cursors already finished
};

}  // namespace outpace::mapper
