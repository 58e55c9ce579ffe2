#include "mapper/mapspace.hpp"

#include <algorithm>
#include <bit>

#include "common/internal_error.hpp"
#include "mapper/factorization.hpp"

namespace outpace::mapper {

std::uint32_t Tiling::temporal_dims(int l, int dims) const {
  std::uint32_t mask = 0;
  for (int d = 0; d < dims; ++d)
    if (temporal[l][d] > 1) mask |= 1u << d;
  return mask;
}

Tiling Tiling::unit(int levels, int dims) {
  Tiling t{};
  for (int l = 0; l < levels; ++l)
    for (int d = 0; d < dims; ++d) t.temporal[l][d] = t.spatial[l][d] = 1;
  return t;
}

MapSpace::MapSpace(const workload::Einsum& einsum, const arch::Arch& arch,
                   const Constraints& constraints, bool collapse_orders)
    : einsum_(&einsum), arch_(&arch), constraints_(&constraints), levels_(arch.num_levels()),
      dims_(einsum.num_dims()), equivalence_(einsum) {
  OUTPACE_ASSERT(check(constraints, einsum, arch).empty())
      << "map space built on constraints that break a rule: "
      << check(constraints, einsum, arch).front();
  for (int d = 0; d < dims_; ++d) divisors_.push_back(divisors(einsum.bounds[d]));
  build_slots();
  build_keep_choices();
  build_orders(collapse_orders);
}

void MapSpace::build_slots() {
  // Every spatial slot first, outermost level first: once all of them are known the bounds of
  // bounds.hpp apply, before the (far more numerous) temporal splits are enumerated.
  for (int l = levels_ - 1; l >= 0; --l) {
    const LevelConstraints& lc = constraints_->levels[l];
    const std::int64_t fx = arch_->fanout_x(l), fy = arch_->fanout_y(l);
    if (fx * fy == 1) continue;
    Slot s{l, true, {}, {}};
    for (int d = 0; d < dims_; ++d) {
      const bool x = fx > 1 && ((lc.spatial_x >> d) & 1u), y = fy > 1 && ((lc.spatial_y >> d) & 1u);
      s.limit[d] = std::max<std::int64_t>({1, x ? fx : 1, y ? fy : 1});
      s.fixed[d] = lc.spatial_fixed[d];
    }
    slots_.push_back(s);
  }
  for (int l = 0; l < levels_; ++l) {
    const LevelConstraints& lc = constraints_->levels[l];
    Slot s{l, false, {}, {}};
    for (int d = 0; d < dims_; ++d) {
      s.limit[d] = lc.temporal_max[d] > 0 ? lc.temporal_max[d] : einsum_->bounds[d];
      s.fixed[d] = lc.temporal_fixed[d];
    }
    slots_.push_back(s);
  }
  // ways_[d][i][j]: splits of divisor j of bound d over slots i.., for uniform sampling.
  ways_.assign(dims_, {});
  for (int d = 0; d < dims_; ++d) {
    const auto& div = divisors_[d];
    auto& ways = ways_[d];
    ways.assign(slots_.size() + 1, std::vector<double>(div.size(), 0.0));
    ways[slots_.size()][0] = 1;  // divisor 1 left after the last slot
    for (std::size_t i = slots_.size(); i-- > 0;) {
      for (std::size_t j = 0; j < div.size(); ++j)
        for (std::size_t k = 0; k <= j; ++k) {
          const std::int64_t f = div[k];
          if (div[j] % f != 0 || f > slots_[i].limit[d] || (slots_[i].fixed[d] && f != slots_[i].fixed[d]))
            continue;
          const auto rest = std::lower_bound(div.begin(), div.end(), div[j] / f) - div.begin();
          ways[i][j] += ways[i + 1][static_cast<std::size_t>(rest)];
        }
    }
    if (!(ways[0].back() > 0)) can_sample_ = false;  // the bound is the largest divisor
  }
}

void MapSpace::build_keep_choices() {
  const std::uint32_t all = (1u << einsum_->num_tensors()) - 1;
  keep_choices_.push_back({});
  for (int l = 0; l < levels_; ++l) {
    const LevelConstraints& lc = constraints_->levels[l];
    const std::uint32_t free = l == levels_ - 1 ? 0 : all & ~(lc.keep | lc.bypass);
    const std::uint32_t base = l == levels_ - 1 ? all : lc.keep & all;
    std::vector<KeepChoice> next;
    for (const KeepChoice& k : keep_choices_)
      for (std::uint32_t sub = free;; sub = (sub - 1) & free) {  // every subset of `free`
        KeepChoice c = k;
        c[l] = base | sub;
        next.push_back(c);
        if (sub == 0) break;
      }
    keep_choices_ = std::move(next);
  }
  // Keeping more first: such mappings are usually cheaper, which helps pruning find a good
  // incumbent early.
  const auto kept = [](const KeepChoice& k) {
    int n = 0;
    for (std::uint32_t m : k) n += std::popcount(m);
    return n;
  };
  std::sort(keep_choices_.begin(), keep_choices_.end(), [&](const KeepChoice& a, const KeepChoice& b) {
    return kept(a) != kept(b) ? kept(a) > kept(b) : a < b;
  });
}

void MapSpace::build_orders(bool collapse) {
  orders_.assign(levels_, std::vector<std::vector<Order>>(std::size_t{1} << dims_));
  for (int l = 0; l < levels_; ++l)
    for (std::uint32_t mask = 0; mask < (1u << dims_); ++mask) {
      const Order& innermost = constraints_->levels[l].innermost;
      orders_[l][mask] = collapse ? canonical_orders(mask, equivalence_, innermost)
                                  : orders_with_prefix(mask, innermost);
    }
}

bool MapSpace::fits(int l, const std::int64_t* extent, std::uint32_t keep) const {
  const auto& capacity = arch_->levels[l].capacity_words;
  if (!capacity) return true;
  std::int64_t words = 0;
  for (int t = 0; t < einsum_->num_tensors(); ++t) {
    if (!((keep >> t) & 1u)) continue;
    std::int64_t tile = 1;
    for (const workload::TensorDim& td : einsum_->tensors[t].dims) {
      std::int64_t width = 1;
      for (const workload::Term& term : td.terms) width += term.coef * (extent[term.dim] - 1);
      tile *= width;
    }
    words += tile;
  }
  return words <= *capacity;
}

std::uint32_t MapSpace::spread_dims(const std::int64_t* spatial) const {
  std::uint32_t spread = 0;
  for (int d = 0; d < dims_; ++d)
    if (spatial[d] > 1) spread |= 1u << d;
  return spread;
}

bool MapSpace::axes_fit(int l, const std::int64_t* spatial, std::uint32_t spread, std::uint32_t y) const {
  const LevelConstraints& lc = constraints_->levels[l];
  std::int64_t px = 1, py = 1;
  for (int d = 0; d < dims_; ++d) {
    if (!((spread >> d) & 1u)) continue;
    const bool along_y = (y >> d) & 1u;
    if (!(((along_y ? lc.spatial_y : lc.spatial_x) >> d) & 1u)) return false;
    (along_y ? py : px) *= spatial[d];
  }
  return px <= arch_->fanout_x(l) && py <= arch_->fanout_y(l);
}

bool MapSpace::split_axes(int l, const std::int64_t* spatial, std::uint32_t& on_y) const {
  const std::uint32_t spread = spread_dims(spatial);
  // Every subset of the spread dimensions for Y, smallest first: the first that fits.
  for (std::uint32_t y = 0;; y = (y - spread) & spread) {
    if (axes_fit(l, spatial, spread, y)) {
      on_y = y;
      return true;
    }
    if (y == spread) return false;
  }
}

bool MapSpace::next_axes(Tiling& t) const {
  for (int l = 0; l < levels_; ++l) {
    const std::uint32_t spread = spread_dims(t.spatial[l]);
    for (std::uint32_t y = t.on_y[l]; y != spread;) {
      y = (y - spread) & spread;
      if (axes_fit(l, t.spatial[l], spread, y)) {
        t.on_y[l] = y;
        return true;
      }
    }
    split_axes(l, t.spatial[l], t.on_y[l]);  // back to the first; the next level moves
  }
  return false;
}

bool MapSpace::meets_utilization(const Tiling& t) const {
  if (constraints_->min_utilization <= 0) return true;
  double used = 1;
  for (int l = 0; l < levels_; ++l)
    for (int d = 0; d < dims_; ++d) used *= static_cast<double>(t.spatial[l][d]);
  return meets_utilization(used);
}

mapping::Mapping MapSpace::build(const Tiling& t, const int* order_choice) const {
  mapping::Mapping m;
  m.levels.resize(static_cast<std::size_t>(levels_));
  for (int l = 0; l < levels_; ++l) {
    mapping::LevelMapping& lm = m.levels[l];
    for (std::int8_t d : orders(l, t.temporal_dims(l, dims_))[order_choice[l]])
      lm.temporal.push_back({d, t.temporal[l][d]});
    for (int d = 0; d < dims_; ++d)
      if (t.spatial[l][d] > 1)
        lm.spatial.push_back({d, t.spatial[l][d], (t.on_y[l] >> d) & 1u ? mapping::Axis::Y : mapping::Axis::X});
    lm.keep = t.keep[l];
  }
  return m;
}

}  // namespace outpace::mapper
