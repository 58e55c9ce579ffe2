#pragma once

#include <memory>

#include "mapper/residual_bound.hpp"
#include "mapper/residual_cursor.hpp"
#include "mapper/search.hpp"

namespace outpace::mapper {

/// Exhaustive search over the residual map space (docs/mapper.md, "The residual map space"):
/// every tiling the residual cursor yields, cut by the residual bounds against the best cost
/// found by any thread, then every loop order of each level (the space must keep every order:
/// MapSpace with collapse_orders false). The threads share the spatial assignments (or, without
/// spatial slots, the tilings): each takes the next one nobody took. For Outpace's own counting.
class ResidualExhaustive final : public SearchStrategy, private TilingFilter {
 public:
  explicit ResidualExhaustive(const StrategyContext& context);
  const mapping::Mapping* next() override;
  void report(const Feedback& feedback) override;
  double pruned() const override { return pruned_; }
  std::uint64_t cut() const override { return cut_ + (cursor_ ? cursor_->cut() : 0) - foreign_; }
  bool exhaustive() const override { return true; }

 private:
  bool cut(const Tiling& partial, const std::int64_t* rem, int decided) override;
  bool next_tiling();
  bool next_orders();
  bool advance_orders(int from);
  bool orders_beaten(int l);
  bool beaten(const Bound& bound) const;
  bool mine(std::uint64_t index);

  StrategyContext ctx_;
  int keep_choice_ = -1;
  std::unique_ptr<ResidualCursor> cursor_;
  bool has_spatial_ = false;
  std::uint64_t spatial_seq_ = 0, sequence_ = 0, foreign_ = 0, cut_calls_ = 0;
  bool stopping_ = false;
  ResidualBasis basis_;
  Tiling tiling_{};
  Bound bound_;       ///< of the current tiling, without what the orders add
  OrderBasis moves_;  ///< of the current tiling
  bool have_tiling_ = false, fresh_ = false;
  int order_[kMaxLevels] = {};
  int order_count_[kMaxLevels] = {};
  int changed_ = 0;  ///< the highest level whose order the last move changed
  mapping::Mapping current_;
  double pruned_ = 0;
  std::uint64_t cut_ = 0;
};

}  // namespace outpace::mapper
