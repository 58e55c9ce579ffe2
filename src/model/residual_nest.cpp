#include "model/residual_nest.hpp"

#include <utility>

namespace outpace::model::residual {

namespace {

/// The per-level tables of dimension d (Nest::inside, spread_above, temporal_reach, extent, cut).
void fill_level_tables(Nest& n, int d) {
  const auto& loops = n.loops[d];
  const int size = static_cast<int>(loops.size());
  // Per level l, from the top down, the loops above it (a prefix of loops, outermost first)...
  std::int64_t spread = 1, reach = 0;
  int i = 0;
  for (int l = n.levels - 1; l >= -1; --l) {
    for (; i < size && loops[i].level > l; ++i) {
      if (loops[i].spatial) {
        spread *= loops[i].factor;
      } else {
        reach += (loops[i].factor - 1) * loops[i].stride;
      }
    }
    n.spread_above[l + 1][d] = spread;
    n.temporal_reach[l + 1][d] = reach;
    n.inside[l + 1][d] = size - i;
  }
  // ... and from the bottom up, those at or below it (the rest).
  std::int64_t span = 1, below = 0;  // below: (bound - 1) mod span, their digits
  int j = size;
  for (int l = -1; l < n.levels; ++l) {
    for (; j > 0 && loops[j - 1].level <= l; --j)
      span *= loops[j - 1].factor, below += loops[j - 1].digit * loops[j - 1].stride;
    n.extent[l + 1][d] = span;
    n.cut[l + 1][d] = below + 1;
  }
}

}  // namespace

Nest build_nest(const workload::Einsum& e, const mapping::Mapping& m) {
  Nest n;
  n.levels = static_cast<int>(m.levels.size());
  n.dims = e.num_dims();
  int pos = 0;
  std::pair<int, int> temporal[kMaxLevels * kMaxDims];  // (dimension, index) in nest order
  int temporal_loops = 0;
  auto add = [&](int l, int d, std::int64_t f, bool spatial) {
    if (f <= 1) return;
    if (!spatial) temporal[temporal_loops++] = {d, static_cast<int>(n.loops[d].size())};
    n.loops[d].resize(n.loops[d].size() + 1);  // filled in place (a copy of a fresh one stalls)
    DimLoop& loop = n.loops[d].back();
    loop.pos = pos++, loop.level = l, loop.dim = d, loop.spatial = spatial, loop.factor = f;
  };
  for (int l = n.levels - 1; l >= 0; --l) {
    const mapping::LevelMapping& lm = m.levels[l];
    for (std::size_t i = lm.temporal.size(); i-- > 0;)
      add(l, lm.temporal[i].dim, lm.temporal[i].factor, false);
    for (const mapping::SpatialLoop& s : lm.spatial) add(l, s.dim, s.factor, true);
  }
  for (int d = 0; d < n.dims; ++d) {
    auto& loops = n.loops[d];
    const int size = static_cast<int>(loops.size());
    n.bound[d] = e.bounds[d];
    std::int64_t inside = 1;
    for (int i = size; i-- > 0;) {
      loops[i].stride = inside;
      inside *= loops[i].factor;
    }
    n.perfect[d] = inside == n.bound[d];
    std::int64_t rest = n.bound[d] - 1;  // its digits, from the outermost
    for (DimLoop& loop : loops) {
      loop.digit = rest / loop.stride;
      rest -= loop.digit * loop.stride;
    }
    fill_level_tables(n, d);
  }
  for (int t = 0; t < temporal_loops; ++t)
    n.temporal.push_back(n.loops[temporal[t].first][temporal[t].second]);
  return n;
}

DigitCount count_digits(const Nest& n, int d, int level, bool temporal, bool spatial) {
  // Outermost first: while the digits so far equal those of bound - 1, a digit below it makes
  // every choice of the free digits inside it count as below.
  std::int64_t inside[kMaxDimLoops + 1];  // product of the free factors from loop i inward
  const auto& loops = n.loops[d];
  const std::size_t count = loops.size();
  inside[count] = 1;
  for (std::size_t i = count; i-- > 0;) {
    const bool free = loops[i].level > level && (loops[i].spatial ? spatial : temporal);
    inside[i] = inside[i + 1] * (free ? loops[i].factor : 1);
  }
  DigitCount c;
  for (std::size_t i = 0; i < count; ++i) {
    const DimLoop& loop = loops[i];
    if (loop.level <= level) break;  // the tile's own loops: inside every loop above it
    const bool free = loop.spatial ? spatial : temporal;
    if (free) {
      c.below += loop.digit * inside[i + 1];
    } else if (loop.digit > 0) {  // held at 0, below the digit: everything inside counts
      c.below += inside[i + 1];
      return c;
    }
  }
  c.at = 1;
  return c;
}

}  // namespace outpace::model::residual
