#include "model/residual_nest.hpp"

#include <algorithm>

namespace outpace::model::residual {

Nest build_nest(const workload::Einsum& e, const mapping::Mapping& m) {
  Nest n;
  n.levels = static_cast<int>(m.levels.size());
  n.dims = e.num_dims();
  int pos = 0;
  auto add = [&](int l, int d, std::int64_t f, bool spatial) {
    if (f > 1) n.loops[d].push_back({pos++, l, spatial, f, 0});
  };
  for (int l = n.levels - 1; l >= 0; --l) {
    const mapping::LevelMapping& lm = m.levels[l];
    for (std::size_t i = lm.temporal.size(); i-- > 0;) add(l, lm.temporal[i].dim, lm.temporal[i].factor, false);
    for (const mapping::SpatialLoop& s : lm.spatial) add(l, s.dim, s.factor, true);
  }
  for (int d = 0; d < n.dims; ++d) {
    n.bound[d] = e.bounds[d];
    std::int64_t inside = 1;
    for (auto it = n.loops[d].rbegin(); it != n.loops[d].rend(); ++it) {
      it->stride = inside;
      inside *= it->factor;
    }
    n.perfect[d] = inside == n.bound[d];
    for (int l = -1; l < n.levels; ++l) {
      std::int64_t span = 1;
      for (const DimLoop& loop : n.loops[d])
        if (loop.level <= l) span *= loop.factor;
      n.extent[l + 1][d] = span;
    }
    for (const DimLoop& loop : n.loops[d])
      if (!loop.spatial) n.temporal.push_back(loop);
  }
  std::sort(n.temporal.begin(), n.temporal.end(), [](const DimLoop& a, const DimLoop& b) { return a.pos < b.pos; });
  return n;
}

namespace {

/// Merges situations that are translations of each other (most are: only those near the bound
/// differ), keeping how many each stands for.
std::vector<Situation> merge_translations(std::vector<std::vector<Member>>& all) {
  std::map<std::vector<std::int64_t>, std::size_t> index;
  std::vector<Situation> out;
  std::vector<std::int64_t> key;
  for (std::vector<Member>& members : all) {
    std::int64_t origin = 0;
    for (const Member& m : members)
      if (m.active) {
        origin = m.lo;
        break;
      }
    key.clear();
    for (Member& m : members) {
      if (m.active) m.lo -= origin, m.kept_lo -= origin;
      key.insert(key.end(), {m.active ? 1 : 0, m.lo, m.width, m.kept_lo, m.kept_width});
    }
    const auto [it, added] = index.emplace(key, out.size());
    if (added) out.push_back({0, std::move(members)});
    ++out[it->second].count;
  }
  return out;
}

/// The largest index of the inner temporal loops at which an instance whose other indices sum
/// to `fixed` (< bound) still works: its last step before those loops wrap (greedy from the
/// outermost, since the steps run in lexicographic order).
std::int64_t last_working(const std::vector<const DimLoop*>& inner, std::int64_t fixed,
                          std::int64_t bound) {
  for (const DimLoop* loop : inner)
    fixed += std::min(loop->factor - 1, (bound - 1 - fixed) / loop->stride) * loop->stride;
  return fixed;
}

/// Every situation of dimension d: assignments of its indices that stay fixed (loops outside
/// the advancing one `advance`, that loop itself past its first iteration, the spatial loops
/// above `top`), each with its members (the sibling indices).
std::vector<Situation> situations(const Nest& n, int d, const Query& q, Moment when,
                                  const DimLoop* advance) {
  const std::int64_t bound = n.bound[d], width = n.ext(q.child, d);
  // Fixed temporal loops decide whether the step runs (its temporal part within the bound).
  std::vector<const DimLoop*> fixed_temporal, fixed_spatial, siblings, inner;
  std::vector<std::int64_t> ft_first, ft_last, fs_first, fs_last;
  std::int64_t advance_stride = 0;
  for (const DimLoop& loop : n.loops[d]) {
    if (loop.level <= q.child) continue;
    if (loop.spatial && loop.level <= q.top) {
      siblings.push_back(&loop);
    } else if (loop.spatial) {
      fixed_spatial.push_back(&loop);
      fs_first.push_back(0);
      fs_last.push_back(q.first_only ? 0 : loop.factor - 1);
    } else if (when == Moment::kAdvance && loop.pos <= advance->pos) {
      const bool advancing = loop.pos == advance->pos;
      fixed_temporal.push_back(&loop);
      ft_first.push_back(advancing ? 1 : 0);  // the advancing loop past its first iteration
      ft_last.push_back(loop.factor - 1);
      if (advancing) advance_stride = loop.stride;
    } else {
      inner.push_back(&loop);
    }
  }
  auto tile_width = [&](std::int64_t lo) { return std::min(width, bound - lo); };
  std::vector<std::vector<Member>> out;
  std::int64_t copies = 1;  // situations each one enumerated stands for
  if (n.perfect[d]) {  // no index reaches the bound: every situation is a translation of the first
    for (std::size_t i = 0; i < fixed_temporal.size(); ++i) copies *= ft_last[i] - ft_first[i] + 1, ft_last[i] = ft_first[i];
    for (std::size_t i = 0; i < fixed_spatial.size(); ++i) copies *= fs_last[i] - fs_first[i] + 1, fs_last[i] = fs_first[i];
  }
  for_each_offset(fixed_temporal, ft_first, ft_last, [&](std::int64_t temporal) {
    if (temporal >= bound) return;  // the step does not run
    for_each_offset(fixed_spatial, fs_first, fs_last, [&](std::int64_t spatial) {
      std::vector<Member> s;
      for_each_offset(siblings, [&](std::int64_t sibling) {
        Member m;
        std::int64_t lo = temporal + spatial + sibling;
        m.active = lo < bound;
        if (m.active && when == Moment::kLast) lo = last_working(inner, lo, bound);
        if (m.active) m.lo = lo, m.width = tile_width(lo);
        if (m.active && when == Moment::kAdvance) {
          m.kept_lo = last_working(inner, lo - advance_stride, bound);
          m.kept_width = tile_width(m.kept_lo);
        }
        s.push_back(m);
      });
      out.push_back(std::move(s));
    });
  });
  std::vector<Situation> merged = merge_translations(out);
  for (Situation& sit : merged) sit.count *= copies;
  return merged;
}

}  // namespace

const std::vector<Situation>& SituationCache::get(int d, const Query& q, Moment when,
                                                  const DimLoop* advance) {
  const std::array<int, 6> key{d, q.child, q.top, q.first_only ? 1 : 0, static_cast<int>(when),
                               advance != nullptr ? advance->pos : -1};
  auto it = cache_.find(key);
  if (it == cache_.end()) it = cache_.emplace(key, situations(n_, d, q, when, advance)).first;
  return it->second;
}

}  // namespace outpace::model::residual
