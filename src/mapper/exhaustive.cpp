#include "mapper/exhaustive.hpp"

#include <algorithm>
#include <functional>
#include <iterator>

namespace outpace::mapper {

namespace {

/// Relative slack on the bound: pruning must never drop a mapping that ties the best because of
/// rounding in the bound's arithmetic.
constexpr double kBoundSlack = 1e-9;

}  // namespace

Exhaustive::Exhaustive(const StrategyContext& context) : ctx_(context) {
  for (const Slot& slot : context.space->slots()) has_spatial_ = has_spatial_ || slot.spatial;
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
  if ((++cut_calls_ & 4095) == 0 && ctx_.should_stop(4096)) stopping_ = true;
  if (stopping_) return true;
  if (decided < 0 && !mine(spatial_seq_++)) {
    ++foreign_;
    return true;
  }
  if (decided < 0 || basis_keep_ != keep_choice_) {
    basis_ = spatial_basis(*ctx_.space, partial, ctx_.model);
    basis_keep_ = keep_choice_;
    bounds_.reset(basis_);
  }
  return beaten(bounds_(*ctx_.space, partial, rem, decided));
}

namespace {

/// Records every spatial assignment the cursor meets, with its bound, and cuts it.
class PrefixCollector final : public TilingFilter {
 public:
  using Record = std::function<bool(const Tiling&, const Bound&)>;
  PrefixCollector(const MapSpace& space, const model::Options& options, Record record)
      : space_(space), options_(options), record_(std::move(record)) {}
  bool cut(const Tiling& partial, const std::int64_t* rem, int decided) override {
    if (decided >= 0) return true;  // not reached: every assignment is cut
    ok_ = ok_ && record_(partial, tiling_bound(space_, partial, rem, -1,
                                               spatial_basis(space_, partial, options_)));
    return true;
  }
  bool ok() const { return ok_; }

 private:
  const MapSpace& space_;
  model::Options options_;
  Record record_;
  bool ok_ = true;
};

/// Beyond this many spatial assignments they are met in the cursor's order (memory).
constexpr std::size_t kMaxPrefixes = 200'000;

}  // namespace

/// Lists the spatial assignments of every keep choice and sorts them by bound (ties in the
/// cursor's order, so that every thread sees the same list); false when there are too many.
bool Exhaustive::collect_prefixes() {
  const MapSpace& space = *ctx_.space;
  for (int k = 0; k < static_cast<int>(space.keep_choices().size()); ++k) {
    PrefixCollector collector(space, ctx_.model, [&](const Tiling& t, const Bound& b) {
      if (prefixes_.size() >= kMaxPrefixes) return false;
      Prefix p{k, b, static_cast<std::uint32_t>(prefix_factors_.size()), 0, {}};
      for (int l = 0; l < space.levels(); ++l) {
        p.on_y[l] = t.on_y[l];
        for (int d = 0; d < space.dims(); ++d)
          if (t.spatial[l][d] > 1) {
            prefix_factors_.insert(prefix_factors_.end(), {l * static_cast<int>(kMaxDims) + d, t.spatial[l][d]});
            ++p.count;
          }
      }
      prefixes_.push_back(p);
      return true;
    });
    TilingCursor cursor(space, k, &collector);
    while (collector.ok() && cursor.next() != nullptr) {
    }
    if (!collector.ok()) return false;
  }
  std::stable_sort(prefixes_.begin(), prefixes_.end(), [&](const Prefix& a, const Prefix& b) {
    return cost_of(ctx_.objective, a.bound.energy_pj, a.bound.cycles) <
           cost_of(ctx_.objective, b.bound.energy_pj, b.bound.cycles);
  });
  return true;
}

/// Starts a cursor on the next spatial assignment this thread takes that may beat the best;
/// false when none is left.
bool Exhaustive::next_prefix() {
  const MapSpace& space = *ctx_.space;
  while (next_unit_ < prefixes_.size() && !stopping_) {
    const std::size_t unit = next_unit_++;
    if (!mine(unit)) continue;  // claimed before looking: every thread meets every unit in order
    const Prefix& p = prefixes_[unit];
    if (beaten(p.bound)) {
      ++cut_;
      continue;
    }
    Tiling prefix = Tiling::unit(space.levels(), space.dims());
    std::copy(std::begin(p.on_y), std::end(p.on_y), std::begin(prefix.on_y));
    for (std::uint32_t i = p.first; i < p.first + 2 * p.count; i += 2) {
      const std::int64_t where = prefix_factors_[i];
      prefix.spatial[where / kMaxDims][where % kMaxDims] = prefix_factors_[i + 1];
    }
    keep_choice_ = p.keep;
    prefix.keep = space.keep_choices()[p.keep];
    basis_ = spatial_basis(space, prefix, ctx_.model);
    basis_keep_ = keep_choice_;
    bounds_.reset(basis_);
    cursor_ = std::make_unique<TilingCursor>(space, keep_choice_, prefix, static_cast<TilingFilter*>(this));
    return true;
  }
  return false;
}

/// Moves to the next tiling of this thread that may beat the best; false when none is left.
bool Exhaustive::next_tiling() {
  const MapSpace& space = *ctx_.space;
  const int num_keep = static_cast<int>(space.keep_choices().size());
  if (!prefixes_known_) {
    prefixes_known_ = true;
    by_bound_ = has_spatial_ && collect_prefixes();
    if (!by_bound_) prefixes_ = {}, prefix_factors_ = {};  // too many: release them
  }
  while (!stopping_) {
    const Tiling* t = cursor_ ? cursor_->next() : nullptr;
    if (!t) {
      if (cursor_) cut_ += cursor_->cut();
      cursor_.reset();
      if (by_bound_) {
        if (!next_prefix()) return false;
        continue;
      }
      if (++keep_choice_ >= num_keep) return false;
      cursor_ = std::make_unique<TilingCursor>(space, keep_choice_, static_cast<TilingFilter*>(this));
      continue;
    }
    if ((sequence_ & 1023) == 1023 && ctx_.should_stop(1024)) stopping_ = true;
    if (stopping_) break;
    const std::uint64_t seq = sequence_++;
    if (!has_spatial_ && !mine(seq)) continue;
    double combinations = 1;
    for (int l = 0; l < space.levels(); ++l) {
      order_count_[l] = static_cast<int>(space.orders(l, t->temporal_dims(l, space.dims())).size());
      combinations *= order_count_[l];
    }
    if (basis_keep_ != keep_choice_) {  // no filter call has computed it yet
      basis_ = spatial_basis(space, *t, ctx_.model);
      basis_keep_ = keep_choice_;
      bounds_.reset(basis_);
    }
    // ordered_lower_bound, continued from the cursor's last bound (levels up to the one below the
    // outermost, whose factors are what was left).
    if (beaten(bounds_(space, *t, kNothingLeft.data(), space.levels() - 1))) {
      pruned_ += combinations;
      continue;
    }
    if (every_order_beaten(*t)) {
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

/// level_order_bound of the current tiling; for the outermost level from the tiling bounds'
/// last calls (only the keepers whose runs reach it are counted again).
Bound Exhaustive::order_bound(const Tiling& t, int level, int order) const {
  const MapSpace& space = *ctx_.space;
  const Order& o = space.orders(level, t.temporal_dims(level, space.dims()))[order];
  if (level == space.levels() - 1)
    if (const std::optional<Bound> b = bounds_.outermost_order(space, t, o)) return *b;
  return level_order_bound(space, t, level, order, basis_, &bounds_.shape());
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
    if (!beaten(order_bound(t, top, o))) {
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
    // The closed-form bound first (with only the outermost order fixed, level_order_bound's);
    // the evaluation of the fixed counts only when it is not enough.
    const auto closed_form = [&] {
      return depth_ == levels - 1
                 ? order_bound(tiling_, depth_, order_[depth_])
                 : partial_lower_bound(*ctx_.space, tiling_, order_, depth_, false, &basis_, &bounds_.shape());
    };
    if (below > 1 &&
        (beaten(closed_form()) || beaten(partial_lower_bound(*ctx_.space, tiling_, order_, depth_,
                                                             true, &basis_, &bounds_.shape())))) {
      pruned_ += below;
      continue;
    }
    order_[--depth_] = -1;
  }
  return false;
}

const mapping::Mapping* Exhaustive::next() {
  while (!have_tiling_ || !next_orders()) {
    if (have_tiling_ && ctx_.model.link_transfers && ctx_.space->next_axes(tiling_)) {
      depth_ = ctx_.space->levels() - 1;  // the same tiling on the next axes: every order again
      order_[depth_] = -1;
      continue;
    }
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
