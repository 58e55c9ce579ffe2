#include "mapper/tiling_cursor.hpp"

#include <algorithm>
#include <utility>

namespace outpace::mapper {

TilingCursor::TilingCursor(const MapSpace& space, int keep_choice, TilingFilter* filter)
    : space_(space), dims_(space.dims()),
      positions_((static_cast<int>(space.slots().size()) - 1) * space.dims()), filter_(filter) {
  tiling_ = Tiling::unit(space.levels(), dims_);
  tiling_.keep = space.keep_choices()[keep_choice];
  for (int d = 0; d < dims_; ++d) rem_[d] = space.einsum().bounds[d];
  for (int p = 0; p < positions_; ++p) index_[p] = -1;
  for (const Slot& slot : space.slots()) first_temporal_ += slot.spatial ? dims_ : 0;
}

TilingCursor::TilingCursor(const MapSpace& space, int keep_choice, const Tiling& prefix, TilingFilter* filter)
    : TilingCursor(space, keep_choice, filter) {
  for (const Slot& slot : space.slots()) {
    if (!slot.spatial) break;  // the spatial slots come first
    first_ += dims_;
    for (int d = 0; d < dims_; ++d) {
      tiling_.spatial[slot.level][d] = prefix.spatial[slot.level][d];
      rem_[d] /= prefix.spatial[slot.level][d];
    }
    tiling_.on_y[slot.level] = prefix.on_y[slot.level];
  }
}

void TilingCursor::limit(WalkLimit limit) {
  limit_ = std::move(limit);
  check_at_ = std::min(limit_.max_examined, examined_ + kCheckEvery);
  if (examined_ >= limit_.max_examined) stopped_ = true;
}

/// Checks the limits when examined_ reaches check_at_; false (and stopped) past one.
bool TilingCursor::within_limit() {
  if (examined_ >= limit_.max_examined || (limit_.keep_going && !limit_.keep_going())) {
    stopped_ = true;
    return false;
  }
  check_at_ = std::min(limit_.max_examined, examined_ + kCheckEvery);
  return true;
}

const Tiling* TilingCursor::next() {
  if (stopped_) return nullptr;
  int p = started_ ? positions_ - 1 : first_;
  if (started_ && positions_ == first_) return nullptr;  // one tiling only, already given
  started_ = true;
  if (positions_ == first_) return finish() ? &tiling_ : nullptr;
  while (p >= first_) {
    if (!advance(p)) {
      if (stopped_) return nullptr;
      --p;
      continue;
    }
    if (p + 1 < positions_) {
      index_[++p] = -1;
      continue;
    }
    if (finish()) return &tiling_;
    if (stopped_) return nullptr;
  }
  return nullptr;
}

/// Moves position p to its next allowed factor; false (and p cleared) when there is none.
bool TilingCursor::advance(int p) {
  const Slot& slot = space_.slots()[static_cast<std::size_t>(p / dims_)];
  const int d = p % dims_;
  std::int64_t& factor = (slot.spatial ? tiling_.spatial : tiling_.temporal)[slot.level][d];
  rem_[d] *= factor, factor = 1;  // undo the current value
  const auto& div = space_.divisors_of(d);
  const std::int64_t limit = std::min(slot.limit[d], rem_[d]);
  for (int i = index_[p] + 1; i < static_cast<int>(div.size()) && div[i] <= limit; ++i) {
    const std::int64_t f = div[i];
    if (rem_[d] % f != 0 || (slot.fixed[d] && f != slot.fixed[d])) continue;
    if (++examined_ == check_at_ && !within_limit()) break;
    factor = f, rem_[d] /= f, index_[p] = i;
    // A temporal factor of 1 changes no tile: the check of the position before covered it (all
    // the levels from its own up), but for the first temporal position (the levels below the
    // spatial ones).
    const bool unchanged = f == 1 && !slot.spatial && p > first_temporal_;
    if (!unchanged && breaks_rule(p)) {
      rem_[d] *= f, factor = 1;  // larger factors break it too
      break;
    }
    if (busy_enough(p) && !filtered(p)) return true;
    // Too few MACs busy (a larger factor busies more) or a bound (not monotone in the factor):
    // try the next one.
    rem_[d] *= f, factor = 1;
  }
  index_[p] = -1;
  return false;
}

/// True when the partial tiling up to position p breaks a fanout or a capacity.
bool TilingCursor::breaks_rule(int p) {
  const Slot& slot = space_.slots()[static_cast<std::size_t>(p / dims_)];
  const int l = slot.level;
  if (slot.spatial) {
    const arch::Arch& a = space_.arch();
    std::int64_t used = 1;
    for (int d = 0; d < dims_; ++d) used *= tiling_.spatial[l][d];
    if (used > a.fanout_x(l) * a.fanout_y(l)) return true;
    if (p % dims_ == dims_ - 1 && !space_.split_axes(l, tiling_.spatial[l], tiling_.on_y[l]))
      return true;
  }
  // A factor grows the tiles of its level and of every level above (the factors still unknown
  // are 1 and can only grow them more).
  std::int64_t extent[kMaxDims];
  for (int d = 0; d < dims_; ++d) extent[d] = 1;
  for (int k = 0; k < space_.levels(); ++k) {
    for (int d = 0; d < dims_; ++d) extent[d] *= tiling_.spatial[k][d] * tiling_.temporal[k][d];
    if (k >= l && !space_.fits(k, extent, tiling_.keep[k])) return true;
  }
  return false;
}

/// False when position p completes the spatial slots and their factors keep fewer MACs busy
/// than the constraints' minimum utilization: no temporal factor changes that.
bool TilingCursor::busy_enough(int p) const {
  if (p + 1 != first_temporal_) return true;
  return space_.meets_utilization(tiling_);  // the temporal factors play no part
}

/// Asks the filter when position p completes the spatial slots or a temporal slot.
bool TilingCursor::filtered(int p) {
  if (!filter_ || p % dims_ != dims_ - 1) return false;
  const auto& slots = space_.slots();
  const std::size_t i = static_cast<std::size_t>(p / dims_);
  const bool last_spatial = slots[i].spatial && (i + 1 == slots.size() || !slots[i + 1].spatial);
  if (slots[i].spatial && !last_spatial) return false;
  if (!filter_->cut(tiling_, rem_, slots[i].spatial ? -1 : slots[i].level)) return false;
  ++cut_;
  return true;
}

/// Gives the outermost temporal slot what is left; true if the tiling is complete and valid.
bool TilingCursor::finish() {
  if (formed_ == limit_.max_formed) {
    stopped_ = true;
    return false;
  }
  ++formed_;
  const Slot& slot = space_.slots().back();
  for (int d = 0; d < dims_; ++d) {
    if (rem_[d] > slot.limit[d] || (slot.fixed[d] && rem_[d] != slot.fixed[d])) return false;
    tiling_.temporal[slot.level][d] = rem_[d];
  }
  const auto& bounds = space_.einsum().bounds;
  return space_.fits(slot.level, bounds.data(), tiling_.keep[slot.level]) &&
         space_.meets_utilization(tiling_);
}

}  // namespace outpace::mapper
