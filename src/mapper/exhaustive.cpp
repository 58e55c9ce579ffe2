#include "mapper/exhaustive.hpp"

#include "mapper/bounds.hpp"

namespace outpace::mapper {

namespace {

/// Relative slack on the bound: pruning must never drop a mapping that ties the best because of
/// rounding in the bound's arithmetic.
constexpr double kBoundSlack = 1e-9;

}  // namespace

Exhaustive::Exhaustive(const StrategyContext& context) : ctx_(context) {}

/// Moves to the next tiling of this thread that may beat the best; false when none is left.
bool Exhaustive::next_tiling() {
  const MapSpace& space = *ctx_.space;
  const int num_keep = static_cast<int>(space.keep_choices().size());
  while (true) {
    const Tiling* t = cursor_ ? cursor_->next() : nullptr;
    if (!t) {
      if (++keep_choice_ >= num_keep) return false;
      cursor_ = std::make_unique<TilingCursor>(space, keep_choice_);
      continue;
    }
    if ((sequence_ & 1023) == 0 && ctx_.should_stop()) return false;
    if (sequence_++ % static_cast<std::uint64_t>(ctx_.threads) != static_cast<std::uint64_t>(ctx_.thread))
      continue;
    double combinations = 1;
    for (int l = 0; l < space.levels(); ++l) {
      order_[l] = 0;
      order_count_[l] = static_cast<int>(space.orders(l, t->temporal_dims(l, space.dims())).size());
      combinations *= order_count_[l];
    }
    // The order-aware bound is derived for Outpace's own counting rules only.
    const model::Options& mo = ctx_.model;
    const bool native = !mo.whole_vector_accesses && !mo.multicast_identical_only && !mo.reset_on_stride_change;
    const Bound b = native ? ordered_lower_bound(space, *t) : lower_bound(space, *t);
    if (cost_of(ctx_.objective, b.energy_pj, b.cycles).primary >
        ctx_.incumbent->primary() * (1 + kBoundSlack)) {
      pruned_ += combinations;
      continue;
    }
    tiling_ = *t;
    return true;
  }
}

/// Steps the per-level order choices like an odometer; false after the last combination.
bool Exhaustive::advance_orders() {
  for (int l = 0; l < ctx_.space->levels(); ++l) {
    if (++order_[l] < order_count_[l]) return true;
    order_[l] = 0;
  }
  return false;
}

const mapping::Mapping* Exhaustive::next() {
  if (have_tiling_ && !advance_orders()) have_tiling_ = false;
  if (!have_tiling_) {
    if (!next_tiling()) return nullptr;
    have_tiling_ = true;
  }
  current_ = ctx_.space->build(tiling_, order_);
  return &current_;
}

void Exhaustive::report(const Feedback& feedback) {
  if (feedback.valid) ctx_.incumbent->offer(feedback.cost.primary);
}

}  // namespace outpace::mapper
