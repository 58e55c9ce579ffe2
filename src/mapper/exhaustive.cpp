#include "mapper/exhaustive.hpp"

#include <algorithm>
#include <iterator>

namespace outpace::mapper {

namespace {

/// Relative slack on the bound: pruning must never drop a mapping that ties the best because of
/// rounding in the bound's arithmetic.
constexpr double kBoundSlack = 1e-9;

}  // namespace

Exhaustive::Exhaustive(const StrategyContext& context) : ctx_(context) {
  native_ = model::exact_counting(context.model);
  for (const Slot& slot : context.space->slots()) has_spatial_ = has_spatial_ || slot.spatial;
  std::fill(std::begin(nothing_left_), std::end(nothing_left_), 1);
}

/// True when this thread takes work unit `index`: the next one unclaimed when the threads share a
/// queue, else every `threads`-th.
bool Exhaustive::mine(std::uint64_t index) {
  if (ctx_.work) return ctx_.work->claim(index);
  return index % static_cast<std::uint64_t>(ctx_.threads) == static_cast<std::uint64_t>(ctx_.thread);
}

/// True when no mapping within the bound can beat (or tie) the best found by any thread.
bool Exhaustive::beaten(const Bound& b) const {
  return cost_of(ctx_.objective, b.energy_pj, b.cycles).primary >
         ctx_.incumbent->primary() * (1 + kBoundSlack);
}

bool Exhaustive::cut(const Tiling& partial, const std::int64_t* rem, int decided) {
  // The cursor calls with decided = -1 whenever the spatial factors change (if there are any);
  // every thread meets them in the same order and keeps its share.
  if ((++cut_calls_ & 4095) == 0 && ctx_.should_stop()) stopping_ = true;
  if (stopping_) return true;
  if (decided < 0 && !mine(spatial_seq_++)) {
    ++foreign_;
    return true;
  }
  if (!native_) return false;
  if (decided < 0 || basis_keep_ != keep_choice_) {
    basis_ = spatial_basis(*ctx_.space, partial);
    basis_keep_ = keep_choice_;
    bounds_.reset(basis_);
  }
  return beaten(bounds_(*ctx_.space, partial, rem, decided));
}

/// Moves to the next tiling of this thread that may beat the best; false when none is left.
bool Exhaustive::next_tiling() {
  const MapSpace& space = *ctx_.space;
  const int num_keep = static_cast<int>(space.keep_choices().size());
  while (!stopping_) {
    const Tiling* t = cursor_ ? cursor_->next() : nullptr;
    if (!t) {
      if (cursor_) cut_ += cursor_->cut();
      cursor_.reset();
      if (++keep_choice_ >= num_keep) return false;
      cursor_ = std::make_unique<TilingCursor>(space, keep_choice_, static_cast<TilingFilter*>(this));
      continue;
    }
    if ((sequence_ & 1023) == 0 && ctx_.should_stop()) stopping_ = true;
    if (stopping_) break;
    const std::uint64_t seq = sequence_++;
    if (!has_spatial_ && !mine(seq)) continue;
    double combinations = 1;
    for (int l = 0; l < space.levels(); ++l) {
      order_count_[l] = static_cast<int>(space.orders(l, t->temporal_dims(l, space.dims())).size());
      combinations *= order_count_[l];
    }
    // The bounds are derived for Outpace's own counting rules; under others nothing is skipped.
    if (native_ && basis_keep_ != keep_choice_) {  // no filter call has computed it yet
      basis_ = spatial_basis(space, *t);
      basis_keep_ = keep_choice_;
      bounds_.reset(basis_);
    }
    // ordered_lower_bound, continued from the cursor's last bound (levels up to the one below the
    // outermost, whose factors are what was left).
    if (native_ && beaten(bounds_(space, *t, nothing_left_, space.levels() - 1))) {
      pruned_ += combinations;
      continue;
    }
    if (native_ && every_order_beaten(*t)) {
      pruned_ += combinations;
      continue;
    }
    tiling_ = *t;
    depth_ = space.levels() - 1;
    order_[depth_] = -1;
    return true;
  }
  return false;
}

/// True when every order of the level with the most orders is beaten (level_order_bound): the
/// tensors cannot all have their favourite order there. The order that escaped last time is
/// tried first, so that a tiling that cannot be pruned this way costs little.
bool Exhaustive::every_order_beaten(const Tiling& t) {
  int top = 0;
  for (int l = 1; l < ctx_.space->levels(); ++l)
    if (order_count_[l] > order_count_[top]) top = l;
  const int count = order_count_[top];
  if (count < 3) return false;  // with fewer, the branch and bound over orders is as cheap
  int& start = escaped_[top];
  for (int i = 0; i < count; ++i) {
    const int o = (start + i) % count;
    if (!beaten(level_order_bound(*ctx_.space, t, top, o, basis_))) {
      start = o;
      return false;
    }
  }
  return true;
}

/// Advances the branch and bound over the current tiling's orders to its next complete choice;
/// false when the tiling is done.
bool Exhaustive::next_orders() {
  const int levels = ctx_.space->levels();
  while (depth_ < levels) {
    if (++order_[depth_] >= order_count_[depth_]) {
      ++depth_;  // this level is exhausted: back to the one above
      continue;
    }
    if (depth_ == 0) return true;
    double below = 1;
    for (int l = 0; l < depth_; ++l) below *= order_count_[l];
    // The closed-form bound first; the evaluation of the fixed counts only when it is not enough.
    if (native_ && below > 1 &&
        (beaten(partial_lower_bound(*ctx_.space, tiling_, order_, depth_, false, &basis_)) ||
         beaten(partial_lower_bound(*ctx_.space, tiling_, order_, depth_, true, &basis_)))) {
      pruned_ += below;
      continue;
    }
    order_[--depth_] = -1;
  }
  return false;
}

const mapping::Mapping* Exhaustive::next() {
  while (!have_tiling_ || !next_orders()) {
    have_tiling_ = false;
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
