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
  if (decided >= 0) return false;  // the bound changes with the spatial factors only
  if (!mine(spatial_seq_++)) {
    ++foreign_;
    return true;
  }
  basis_ = residual_basis(*ctx_.space, partial);
  return beaten(residual_bound(*ctx_.space, partial, basis_, false));
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
    bound_ = residual_bound(space, *t, basis_, true);
    if (!beaten(bound_)) bound_.energy_pj += top_order_pj(space, *t);  // only when it may cut
    if (beaten(bound_)) {
      pruned_ += combinations;
      continue;
    }
    tiling_ = *t;
    return true;
  }
  return false;
}

/// Moves to the current tiling's next combination of level orders (every order of every level);
/// false when the tiling is done or its bound is beaten by now.
bool ResidualExhaustive::next_orders() {
  const int levels = ctx_.space->levels();
  if (fresh_) {
    fresh_ = false;
    for (int l = 0; l < levels; ++l) order_[l] = 0;
    return true;
  }
  int l = 0;
  while (l < levels && ++order_[l] >= order_count_[l]) order_[l++] = 0;
  if (l == levels) return false;
  if (!beaten(bound_)) return true;
  double index = 0, total = 1;  // the combinations met so far are those below this one
  for (int k = 0; k < levels; ++k) index += order_[k] * total, total *= order_count_[k];
  pruned_ += total - index;
  return false;
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
