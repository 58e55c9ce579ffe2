#include "mapper/residual_cursor.hpp"

#include <algorithm>

namespace outpace::mapper {

ResidualCursor::ResidualCursor(const MapSpace& space, int keep_choice, TilingFilter* filter)
    : space_(space),
      dims_(space.dims()),
      positions_((static_cast<int>(space.slots().size()) - 1) * space.dims()),
      filter_(filter) {
  tiling_ = Tiling::unit(space.levels(), dims_);
  tiling_.keep = space.keep_choices()[keep_choice];
  for (int p = 0; p < positions_; ++p) index_[p] = 0;
  for (const Slot& slot : space.slots()) first_temporal_ += slot.spatial ? dims_ : 0;
}

/// The product of the factors of dimension d inside the loop of `level` (its temporal loop, or
/// its spatial one), in nest order: every lower level's loops, and for the temporal loop its own
/// level's spatial loop.
std::int64_t ResidualCursor::inside(int d, int level, bool spatial) const {
  std::int64_t product = spatial ? 1 : tiling_.spatial[level][d];
  for (int l = 0; l < level; ++l) product *= tiling_.spatial[l][d] * tiling_.temporal[l][d];
  return product;
}

/// True when every loop over d runs its last iteration: (f - 1) x inside < bound, innermost
/// first (the factors not yet chosen are 1).
bool ResidualCursor::runs_last_iterations(int d) const {
  const std::int64_t bound = space_.einsum().bounds[d];
  std::int64_t product = 1;
  for (int l = 0; l < space_.levels(); ++l)
    for (const std::int64_t f : {tiling_.spatial[l][d], tiling_.temporal[l][d]}) {
      if ((f - 1) * product >= bound) return false;
      product *= f;
    }
  return true;
}

const Tiling* ResidualCursor::next() {
  if (started_ && positions_ == 0) return nullptr;
  const bool first = !started_;
  started_ = true;
  if (positions_ == 0) return finish() ? &tiling_ : nullptr;
  int p = first ? 0 : positions_ - 1;
  while (p >= 0) {
    if (!advance(p)) {
      --p;
      continue;
    }
    if (p + 1 < positions_) {
      index_[++p] = 0;
      continue;
    }
    if (finish()) return &tiling_;
  }
  return nullptr;
}

/// Moves position p to its next allowed factor; false (and p cleared) when there is none.
bool ResidualCursor::advance(int p) {
  // The outermost temporal slot is set only by finish(): every rule here sees it at 1.
  for (int d = 0; d < dims_; ++d) tiling_.temporal[space_.slots().back().level][d] = 1;
  const Slot& slot = space_.slots()[static_cast<std::size_t>(p / dims_)];
  const int d = p % dims_;
  std::int64_t& factor = (slot.spatial ? tiling_.spatial : tiling_.temporal)[slot.level][d];
  factor = 1;
  const std::int64_t bound = space_.einsum().bounds[d];
  const std::int64_t in = inside(d, slot.level, slot.spatial);
  // The last iteration runs: (f - 1) x in < bound, f <= ⌈bound / in⌉.
  const std::int64_t limit = std::min(slot.limit[d], (bound + in - 1) / in);
  for (std::int64_t f = index_[p] + 1; f <= limit; ++f) {
    if (slot.fixed[d] && f != slot.fixed[d]) continue;
    ++examined_;
    factor = f, index_[p] = f;
    // A temporal factor of 1 changes no tile and no loop; otherwise a rule broken stays broken
    // for every larger factor.
    if (!(f == 1 && !slot.spatial && p > first_temporal_) && breaks_rule(p)) break;
    if (!filtered(p)) return true;
  }
  factor = 1;
  index_[p] = 0;
  return false;
}

/// True when the partial tiling up to position p breaks a fanout, a capacity or a loop's last
/// iteration.
bool ResidualCursor::breaks_rule(int p) {
  const Slot& slot = space_.slots()[static_cast<std::size_t>(p / dims_)];
  const int l = slot.level, d = p % dims_;
  if (!runs_last_iterations(d)) return true;
  if (slot.spatial) {
    const arch::Arch& a = space_.arch();
    std::int64_t used = 1;
    for (int e = 0; e < dims_; ++e) used *= tiling_.spatial[l][e];
    if (used > a.fanout_x(l) * a.fanout_y(l)) return true;
    if (d == dims_ - 1 && !space_.split_axes(l, tiling_.spatial[l], tiling_.on_y[l])) return true;
  }
  // The largest tile of a level spans min(bound, the factors at and below it) per dimension.
  std::int64_t product[kMaxDims], extent[kMaxDims];
  for (int e = 0; e < dims_; ++e) product[e] = 1;
  for (int k = 0; k < space_.levels(); ++k) {
    for (int e = 0; e < dims_; ++e) {
      product[e] *= tiling_.spatial[k][e] * tiling_.temporal[k][e];
      extent[e] = std::min(product[e], space_.einsum().bounds[e]);
    }
    if (k >= l && !space_.fits(k, extent, tiling_.keep[k])) return true;
  }
  return false;
}

/// Asks the filter when position p completes the spatial slots or a temporal slot.
bool ResidualCursor::filtered(int p) {
  if (!filter_ || p % dims_ != dims_ - 1) return false;
  const auto& slots = space_.slots();
  const std::size_t i = static_cast<std::size_t>(p / dims_);
  const bool last_spatial = slots[i].spatial && (i + 1 == slots.size() || !slots[i + 1].spatial);
  if (slots[i].spatial && !last_spatial) return false;
  std::int64_t rem[kMaxDims];
  for (int d = 0; d < dims_; ++d) {
    std::int64_t known = 1;
    for (int l = 0; l < space_.levels(); ++l)
      known *= tiling_.spatial[l][d] * tiling_.temporal[l][d];
    rem[d] = (space_.einsum().bounds[d] + known - 1) / known;
  }
  if (!filter_->cut(tiling_, rem, slots[i].spatial ? -1 : slots[i].level)) return false;
  ++cut_;
  return true;
}

/// Gives the outermost temporal slot the factor that just reaches each bound; true if the
/// tiling is complete and within the slot's limits, the outermost capacity and the utilization.
bool ResidualCursor::finish() {
  const Slot& slot = space_.slots().back();
  for (int d = 0; d < dims_; ++d) {
    const std::int64_t in = inside(d, slot.level, false);
    const std::int64_t bound = space_.einsum().bounds[d];
    const std::int64_t f = (bound + in - 1) / in;
    if (f > slot.limit[d] || (slot.fixed[d] && f != slot.fixed[d])) return false;
    tiling_.temporal[slot.level][d] = f;
  }
  return space_.fits(slot.level, space_.einsum().bounds.data(), tiling_.keep[slot.level]) &&
         space_.meets_utilization(tiling_);
}

}  // namespace outpace::mapper
