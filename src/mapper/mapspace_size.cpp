// MapSpace: enumeration, uniform sampling and the size at each pruning step.
#include <algorithm>
#include <numeric>

#include "mapper/factorization.hpp"
#include "mapper/mapspace.hpp"
#include "mapper/tiling_cursor.hpp"

namespace outpace::mapper {

namespace {

BigCount factorial(int n) {
  BigCount f(1);
  for (int i = 2; i <= n; ++i) f *= BigCount(static_cast<std::uint64_t>(i));
  return f;
}

BigCount power(BigCount base, int n) {
  BigCount p(1);
  for (int i = 0; i < n; ++i) p *= base;
  return p;
}

}  // namespace

bool MapSpace::for_each_tiling(int keep_choice, const std::function<bool(const Tiling&)>& visit) const {
  TilingCursor cursor(*this, keep_choice);
  while (const Tiling* t = cursor.next())
    if (!visit(*t)) return false;
  return true;
}

std::int64_t MapSpace::sample_factor(int d, std::size_t slot, std::int64_t rest,
                                     std::mt19937_64& rng) const {
  const auto& div = divisors_[d];
  const auto index = [&](std::int64_t v) {
    return static_cast<std::size_t>(std::lower_bound(div.begin(), div.end(), v) - div.begin());
  };
  const Slot& s = slots_[slot];
  // Only the factors the later slots can complete (weight above 0) may be drawn.
  std::vector<std::pair<std::int64_t, double>> choices;
  for (std::int64_t f : div) {
    if (f > rest || f > s.limit[d]) break;
    if (rest % f != 0 || (s.fixed[d] && f != s.fixed[d])) continue;
    if (const double w = ways_[d][slot + 1][index(rest / f)]; w > 0) choices.emplace_back(f, w);
  }
  if (choices.empty()) return 0;
  double total = 0;
  for (const auto& c : choices) total += c.second;
  double pick = std::uniform_real_distribution<double>(0, total)(rng);
  for (const auto& [f, w] : choices) {
    if (pick < w) return f;
    pick -= w;
  }
  return choices.back().first;  // rounding: the last one drawable
}

std::optional<mapping::Mapping> MapSpace::try_sample(std::mt19937_64& rng) const {
  if (!can_sample_) return std::nullopt;
  Tiling t = Tiling::unit(levels_, dims_);
  for (int d = 0; d < dims_; ++d) {
    std::int64_t rest = einsum_->bounds[d];
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      const std::int64_t f = sample_factor(d, i, rest, rng);
      if (f == 0) return std::nullopt;  // cannot happen when can_sample_ holds: ways_ say so
      (slots_[i].spatial ? t.spatial : t.temporal)[slots_[i].level][d] = f;
      rest /= f;
    }
  }
  t.keep = keep_choices_[std::uniform_int_distribution<std::size_t>(0, keep_choices_.size() - 1)(rng)];
  mapping::Mapping m;
  m.levels.resize(static_cast<std::size_t>(levels_));
  for (int l = 0; l < levels_; ++l) {
    const LevelConstraints& lc = constraints_->levels[l];
    std::vector<std::int8_t> order(lc.innermost.begin(), lc.innermost.end());
    const std::size_t fixed = order.size();
    for (int d = 0; d < dims_; ++d)
      if (std::find(order.begin(), order.end(), d) == order.end()) order.push_back(static_cast<std::int8_t>(d));
    std::shuffle(order.begin() + static_cast<std::ptrdiff_t>(fixed), order.end(), rng);
    mapping::LevelMapping& lm = m.levels[l];
    for (std::int8_t d : order)
      if (t.temporal[l][d] > 1) lm.temporal.push_back({d, t.temporal[l][d]});
    for (int d = 0; d < dims_; ++d) {
      if (t.spatial[l][d] == 1) continue;
      const bool x = (lc.spatial_x >> d) & 1u, y = (lc.spatial_y >> d) & 1u;
      const bool along_y = x && y ? std::bernoulli_distribution(0.5)(rng) : y;
      lm.spatial.push_back({d, t.spatial[l][d], along_y ? mapping::Axis::Y : mapping::Axis::X});
    }
    lm.keep = t.keep[l];
  }
  return m;
}

mapping::Mapping MapSpace::sample(std::mt19937_64& rng) const {
  if (std::optional<mapping::Mapping> m = try_sample(rng)) return std::move(*m);
  mapping::Mapping none;  // no loops, nothing kept: the outermost level must keep every tensor
  none.levels.resize(static_cast<std::size_t>(levels_));
  return none;
}

SpaceSize MapSpace::size(std::uint64_t max_tilings,
                         const std::function<bool(const CountProgress&)>& progress) const {
  SpaceSize s;
  const int tensors = einsum_->num_tensors();
  int spatial_slots = 0;
  for (const Slot& slot : slots_) spatial_slots += slot.spatial ? 1 : 0;
  s.raw = power(factorial(dims_), levels_) * power(BigCount(std::uint64_t{1} << dims_), spatial_slots) *
          power(BigCount(std::uint64_t{1} << tensors), levels_ - 1);
  for (int d = 0; d < dims_; ++d)
    s.raw *= count_factorizations(einsum_->bounds[d], static_cast<int>(slots_.size()));
  // Constrained: factorizations within the slots' limits, orders around the fixed innermost
  // loops, allowed axes for every dimension, keep choices.
  BigCount orders(1), axes(1);
  for (int l = 0; l < levels_; ++l)
    orders *= factorial(dims_ - static_cast<int>(constraints_->levels[l].innermost.size()));
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i].spatial) continue;
    const LevelConstraints& lc = constraints_->levels[slots_[i].level];
    for (int d = 0; d < dims_; ++d) {
      const std::uint64_t n = ((lc.spatial_x >> d) & 1u) + ((lc.spatial_y >> d) & 1u);
      axes *= BigCount(std::max<std::uint64_t>(n, 1));
    }
  }
  s.constrained = orders * axes * BigCount(keep_choices_.size());
  for (int d = 0; d < dims_; ++d) {
    std::vector<std::int64_t> limits;
    std::int64_t n = einsum_->bounds[d];
    for (const Slot& slot : slots_) {
      // A spatial slot is limited by the allowed axes here, by the fanouts only later.
      const LevelConstraints& lc = constraints_->levels[slot.level];
      const bool spreads = ((lc.spatial_x | lc.spatial_y) >> d) & 1u;
      const std::int64_t limit = slot.spatial ? (spreads ? n : 1) : slot.limit[d];
      if (slot.fixed[d] == 0) limits.push_back(limit);
      else if (n % slot.fixed[d] == 0 && slot.fixed[d] <= limit) n /= slot.fixed[d];
      else n = 0;
    }
    s.constrained *= n == 0 ? BigCount(0) : count_factorizations(n, limits);
  }
  count_enumerated(s, orders, max_tilings, progress);
  return s;
}

std::uint64_t MapSpace::count_axes(int l, const std::int64_t* spatial) const {
  const LevelConstraints& lc = constraints_->levels[l];
  const std::uint32_t spread = spread_dims(spatial);
  std::uint64_t unit = 1;  // axes of the dimensions left at 1: any allowed one
  for (int d = 0; d < dims_; ++d)
    if (!((spread >> d) & 1u))
      unit *= std::max<std::uint64_t>(((lc.spatial_x >> d) & 1u) + ((lc.spatial_y >> d) & 1u), 1);
  std::uint64_t fitting = 0;
  for (std::uint32_t y = 0;; y = (y - spread) & spread) {
    if (axes_fit(l, spatial, spread, y)) ++fitting;
    if (y == spread) break;
  }
  return fitting * unit;
}

void MapSpace::count_enumerated(SpaceSize& s, const BigCount& orders, std::uint64_t max_tilings,
                                const std::function<bool(const CountProgress&)>& progress) const {
  const std::uint64_t max_examined =
      max_tilings > UINT64_MAX / kExaminedPerTiling ? UINT64_MAX : max_tilings * kExaminedPerTiling;
  BigCount fitting(0), distinct(0);
  for (std::size_t k = 0; k < keep_choices_.size(); ++k) {
    TilingCursor cursor(*this, static_cast<int>(k));
    WalkLimit limit{max_tilings - s.formed, max_examined - s.examined, {}};
    if (progress)
      limit.keep_going = [&] {
        s.interrupted =
            !progress({s.tilings, s.formed + cursor.formed(), s.examined + cursor.examined()});
        return !s.interrupted;
      };
    cursor.limit(std::move(limit));
    while (const Tiling* t = cursor.next()) {
      ++s.tilings;
      BigCount axes(1), canonical(1);
      for (int l = 0; l < levels_; ++l) {
        canonical *= BigCount(orders_[l][t->temporal_dims(l, dims_)].size());
        if (arch_->fanout_x(l) * arch_->fanout_y(l) > 1)
          axes *= BigCount(count_axes(l, t->spatial[l]));
      }
      fitting += axes;
      distinct += canonical;
    }
    s.formed += cursor.formed();
    s.examined += cursor.examined();
    if (cursor.stopped()) {
      s.complete = false;
      break;
    }
  }
  s.fitting = fitting * orders;
  s.distinct = distinct;
}

}  // namespace outpace::mapper
