#include "mapper/residual_exhaustive.hpp"

namespace outpace::mapper {

namespace {

/// Relative slack on the bound, as for the exhaustive search: rounding never drops a tie.
constexpr double kBoundSlack = 1e-9;

}  // namespace

ResidualExhaustive::ResidualExhaustive(const StrategyContext& context) : ctx_(context) {
  for (const Slot& slot : context.space->slots()) has_spatial_ = has_spatial_ || slot.spatial;
}

bool ResidualExhaustive::mine(std::uint64_t index) {
  if (ctx_.work) return ctx_.work->claim(index);
  return index % static_cast<std::uint64_t>(ctx_.threads) ==
         static_cast<std::uint64_t>(ctx_.thread);
}

bool ResidualExhaustive::beaten(const Bound& b) const {
  return cost_of(ctx_.objective, b.energy_pj, b.cycles).primary >
         ctx_.incumbent->primary() * (1 + kBoundSlack);
}

bool ResidualExhaustive::cut(const Tiling& partial, const std::int64_t*, int decided) {
  if ((++cut_calls_ & 4095) == 0 && ctx_.should_stop(4096)) stopping_ = true;
  if (stopping_) return true;
  if (decided < 0) {
    if (!mine(spatial_seq_++)) {
      ++foreign_;
      return true;
    }
    basis_ = residual_basis(*ctx_.space, partial);
  }
  Bound b = residual_bound(*ctx_.space, partial, basis_, decided);
  if (decided >= 0 && !beaten(b)) b.energy_pj += partial_pj(*ctx_.space, partial, decided);
  return beaten(b);
}

/// Moves to the next tiling of this thread that may beat the best; false when none is left.
bool ResidualExhaustive::next_tiling() {
  const MapSpace& space = *ctx_.space;
  const int num_keep = static_cast<int>(space.keep_choices().size());
  while (!stopping_) {
    const Tiling* t = cursor_ ? cursor_->next() : nullptr;
    if (!t) {
      if (cursor_) cut_ += cursor_->cut();
      cursor_.reset();
      if (++keep_choice_ >= num_keep) return false;
      cursor_ =
          std::make_unique<ResidualCursor>(space, keep_choice_, static_cast<TilingFilter*>(this));
      continue;
    }
    if ((sequence_ & 1023) == 1023 && ctx_.should_stop(1024)) stopping_ = true;
    if (stopping_) break;
    const std::uint64_t seq = sequence_++;
    if (!has_spatial_ && !mine(seq)) continue;
    if (!has_spatial_) basis_ = residual_basis(space, *t);  // no filter call computed it
    double combinations = 1;
    for (int l = 0; l < space.levels(); ++l) {
      order_count_[l] = static_cast<int>(space.orders(l, t->temporal_dims(l, space.dims())).size());
      combinations *= order_count_[l];
    }
    bound_ = residual_bound(space, *t, basis_, space.levels() - 1);
    Bound any_order = bound_;
    if (!beaten(any_order)) {  // the order bounds only when they may cut
      moves_ = order_basis(space, *t, space.levels() - 1);
      any_order.energy_pj += top_order_pj(space, *t, moves_);
    }
    if (beaten(any_order)) {
      pruned_ += combinations;
      continue;
    }
    tiling_ = *t;
    return true;
  }
  return false;
}

/// Moves the orders to the next combination from level `from` up (the levels below at their
/// first order); false when none is left.
bool ResidualExhaustive::advance_orders(int from) {
  const int levels = ctx_.space->levels();
  int l = from;
  while (l < levels && ++order_[l] >= order_count_[l]) order_[l++] = 0;
  changed_ = l;
  return l < levels;
}

/// Whether the orders of the levels from l up (the lower ones not counted) cannot beat the best.
bool ResidualExhaustive::orders_beaten(int l) {
  const MapSpace& space = *ctx_.space;
  const Order* orders[kMaxLevels] = {};
  for (int k = l; k < space.levels(); ++k)
    orders[k] = &space.orders(k, tiling_.temporal_dims(k, space.dims()))[order_[k]];
  Bound b = bound_;
  b.energy_pj += orders_pj(space, tiling_, moves_, orders);
  return beaten(b);
}

/// Moves to the current tiling's next combination of level orders (every order of every level,
/// the top level's slowest) that may beat the best: the bound of each level's orders with those
/// above is checked from the highest level changed down, and a beaten one skips every
/// combination of the levels below it. False when the tiling is done.
bool ResidualExhaustive::next_orders() {
  const int levels = ctx_.space->levels();
  if (fresh_) {
    fresh_ = false;
    for (int l = 0; l < levels; ++l) order_[l] = 0;
    changed_ = levels - 1;
  } else if (!advance_orders(0)) {
    return false;
  }
  for (int l = changed_; l >= moves_.lowest; --l) {
    if (!orders_beaten(l)) continue;
    double skipped = 1;  // the combinations of the levels below l, all at their first order
    for (int k = 0; k < l; ++k) skipped *= order_count_[k];
    pruned_ += skipped;
    if (!advance_orders(l)) return false;
    l = changed_ + 1;
  }
  return true;
}

const mapping::Mapping* ResidualExhaustive::next() {
  while (!have_tiling_ || !next_orders()) {
    have_tiling_ = false;
    if (!next_tiling()) return nullptr;
    have_tiling_ = fresh_ = true;
  }
  current_ = ctx_.space->build(tiling_, order_);
  return &current_;
}

void ResidualExhaustive::report(const Feedback& feedback) {
  if (feedback.valid) ctx_.incumbent->offer(feedback.cost.primary);
}

}  // namespace outpace::mapper
