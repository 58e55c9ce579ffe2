#include "model/residual_nest.hpp"

#include <algorithm>

namespace outpace::model::residual {

Nest build_nest(const workload::Einsum& e, const mapping::Mapping& m) {
  Nest n;
  n.levels = static_cast<int>(m.levels.size());
  n.dims = e.num_dims();
  int pos = 0;
  auto add = [&](int l, int d, std::int64_t f, bool spatial) {
    if (f > 1) n.loops[d].push_back({pos++, l, d, spatial, f, 0, 0});
  };
  for (int l = n.levels - 1; l >= 0; --l) {
    const mapping::LevelMapping& lm = m.levels[l];
    for (std::size_t i = lm.temporal.size(); i-- > 0;)
      add(l, lm.temporal[i].dim, lm.temporal[i].factor, false);
    for (const mapping::SpatialLoop& s : lm.spatial) add(l, s.dim, s.factor, true);
  }
  for (int d = 0; d < n.dims; ++d) {
    n.bound[d] = e.bounds[d];
    std::int64_t inside = 1;
    for (std::size_t i = n.loops[d].size(); i-- > 0;) {
      n.loops[d][i].stride = inside;
      inside *= n.loops[d][i].factor;
    }
    n.perfect[d] = inside == n.bound[d];
    std::int64_t rest = n.bound[d] - 1;  // its digits, from the outermost
    for (DimLoop& loop : n.loops[d]) {
      loop.digit = rest / loop.stride;
      rest -= loop.digit * loop.stride;
    }
    for (int l = -1; l < n.levels; ++l) {
      std::int64_t span = 1, spread = 1, reach = 0;
      int inside_l = 0;
      for (const DimLoop& loop : n.loops[d]) {
        if (loop.level <= l) {
          span *= loop.factor, ++inside_l;
        } else if (loop.spatial) {
          spread *= loop.factor;
        } else {
          reach += (loop.factor - 1) * loop.stride;
        }
      }
      n.extent[l + 1][d] = span;
      std::int64_t below = 0;  // (bound - 1) mod span: the digits of the loops at or below l
      for (const DimLoop& loop : n.loops[d])
        if (loop.level <= l) below += loop.digit * loop.stride;
      n.cut[l + 1][d] = below + 1;
      n.inside[l + 1][d] = inside_l;
      n.spread_above[l + 1][d] = spread;
      n.temporal_reach[l + 1][d] = reach;
    }
    for (const DimLoop& loop : n.loops[d])
      if (!loop.spatial) n.temporal.push_back(loop);
  }
  std::sort(n.temporal.begin(), n.temporal.end(),
            [](const DimLoop& a, const DimLoop& b) { return a.pos < b.pos; });
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
