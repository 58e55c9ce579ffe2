#include "model/residual_situations.hpp"

#include <algorithm>

namespace outpace::model::residual {

namespace {

/// What a loop above the child does in a situation.
enum class Role { kFixed, kSibling, kInner };

/// How a string of digits compares with the digits of bound - 1, read from the outermost.
enum class Cmp { kBelow, kEqual, kAbove };

/// One loop of the dimension above the child, with its role; fixed loops take the digits
/// [lo, hi].
struct Position {
  Role role;
  bool temporal;
  std::int64_t lo, hi, factor, stride, digit;
  std::int64_t reach;  ///< (factor - 1)·stride: the offset of its last iteration
};

/// The loops of one dimension above the child in nest order, and the counts the walk needs.
struct Digits {
  FixedVector<Position, kMaxDimLoops> pos;
  int advancing = -1;  ///< position of the advancing loop, or -1
  /// all[p]: assignments of the fixed digits at positions >= p; run[p]: those of them whose
  /// temporal digits (the others at 0) stay at or below bound - 1's from p on; low[p]: the
  /// offset of the fixed digits at positions >= p at their lowest.
  std::int64_t all[kMaxDimLoops + 1], run[kMaxDimLoops + 1], low[kMaxDimLoops + 1];
};

Digits digits_of(const Nest& n, int d, const Query& q, Partition part) {
  Digits g;
  int temporal_seen = 0;
  for (const DimLoop& loop : n.loops[d]) {
    if (loop.level <= q.child) continue;
    g.pos.resize(g.pos.size() + 1);  // filled in place (a copy of a fresh struct stalls)
    Position& p = g.pos.back();
    p.role = Role::kInner, p.temporal = !loop.spatial, p.lo = 0, p.hi = 0;
    p.factor = loop.factor, p.stride = loop.stride, p.digit = loop.digit;
    p.reach = (loop.factor - 1) * loop.stride;
    if (loop.spatial && loop.level <= q.top) {
      p.role = Role::kSibling;
    } else if (loop.spatial) {
      p.role = Role::kFixed, p.hi = q.first_only ? 0 : loop.factor - 1;
    } else if (temporal_seen++ < part.outer) {
      const bool advancing = part.advancing && temporal_seen == part.outer;
      p.role = Role::kFixed, p.lo = advancing ? 1 : 0, p.hi = loop.factor - 1;
      if (advancing) g.advancing = static_cast<int>(g.pos.size() - 1);
    }
  }
  const std::size_t size = g.pos.size();
  g.all[size] = 1, g.run[size] = 1, g.low[size] = 0;
  for (std::size_t i = size; i-- > 0;) {
    const Position& p = g.pos[i];
    const std::int64_t next_run = p.digit > 0 ? g.all[i + 1] : g.run[i + 1];  // digit 0 here
    if (p.role != Role::kFixed) {
      g.all[i] = g.all[i + 1], g.run[i] = next_run, g.low[i] = g.low[i + 1];
      continue;
    }
    g.all[i] = g.all[i + 1] * (p.hi - p.lo + 1);
    g.low[i] = g.low[i + 1] + p.lo * p.stride;
    if (!p.temporal) {
      g.run[i] = (p.hi - p.lo + 1) * next_run;
    } else {
      // A temporal fixed loop runs up to f - 1, past the digit: digits lo … digit - 1 are below.
      const std::int64_t smaller = std::max<std::int64_t>(0, p.digit - p.lo);
      g.run[i] = smaller * g.all[i + 1] + (p.lo <= p.digit ? g.run[i + 1] : 0);
    }
  }
  return g;
}

/// One group of digits at a fixed position that compare alike: [from, to], how the fixed
/// digits and the kept tile's digits (the advancing one less by one) compare.
struct Group {
  std::int64_t from, to;
  Cmp fixed, kept;
};

/// The classes of situations, walking the fixed digits from the outermost while they equal
/// those of bound - 1 (for the step's tiles or for the kept ones): once both differ, every
/// choice of the digits inside gives a translation of the same situation (docs/model.md).
class Walk {
 public:
  Walk(const Digits& g, std::vector<std::pair<std::int64_t, std::int64_t>>& out)
      : g_(g), out_(out) {}

  void run(std::size_t p, Cmp fixed, Cmp kept, Cmp running, std::int64_t offset,
           std::int64_t mult) {
    if (fixed != Cmp::kEqual && kept != Cmp::kEqual) {
      const std::int64_t rest = running == Cmp::kBelow   ? g_.all[p]
                                : running == Cmp::kEqual ? g_.run[p]
                                                         : 0;
      emit(mult * rest, offset + g_.low[p]);
      return;
    }
    if (p == g_.pos.size()) {
      if (running != Cmp::kAbove) emit(mult, offset);
      return;
    }
    const Position& pos = g_.pos[p];
    if (pos.role != Role::kFixed) {  // its digit is 0 in the running test
      run(p + 1, fixed, kept, running == Cmp::kEqual && pos.digit > 0 ? Cmp::kBelow : running,
          offset, mult);
      return;
    }
    const std::int64_t t = pos.digit;
    const bool advancing = static_cast<int>(p) == g_.advancing;
    Group groups[4];
    int count = 0;
    groups[count++] = {pos.lo, std::min(pos.hi, t - 1), Cmp::kBelow, Cmp::kBelow};
    groups[count++] = {std::max(pos.lo, t), std::min(pos.hi, t), Cmp::kEqual,
                       advancing ? Cmp::kBelow : Cmp::kEqual};
    if (advancing) {
      groups[count++] = {std::max(pos.lo, t + 1), std::min(pos.hi, t + 1), Cmp::kAbove,
                         Cmp::kEqual};
      groups[count++] = {std::max(pos.lo, t + 2), pos.hi, Cmp::kAbove, Cmp::kAbove};
    } else {
      groups[count++] = {std::max(pos.lo, t + 1), pos.hi, Cmp::kAbove, Cmp::kAbove};
    }
    for (int i = 0; i < count; ++i) {
      const Group& gr = groups[i];
      if (gr.from > gr.to) continue;
      Cmp next_running = running;
      if (running == Cmp::kEqual)
        next_running = pos.temporal ? gr.fixed : t > 0 ? Cmp::kBelow : Cmp::kEqual;
      run(p + 1, fixed == Cmp::kEqual ? gr.fixed : fixed, kept == Cmp::kEqual ? gr.kept : kept,
          next_running, offset + gr.from * pos.stride, mult * (gr.to - gr.from + 1));
    }
  }

 private:
  void emit(std::int64_t count, std::int64_t offset) {
    if (count > 0) out_.emplace_back(count, offset);
  }
  const Digits& g_;
  std::vector<std::pair<std::int64_t, std::int64_t>>& out_;
};

}  // namespace

Situations::Situations(const Nest& n) : n_(n) {
  std::fill(head_, head_ + kMaxDims, -1);
  query_views_.reserve(32);
  views_.reserve(64);
  classes_.reserve(128);
  members_.reserve(256);
  found_.reserve(32);
  siblings_.reserve(64);
}

int Situations::query_views(int d, const Query& q) {
  const std::uint32_t key = static_cast<std::uint32_t>(n_.inside[q.child + 1][d]) |
                            static_cast<std::uint32_t>(n_.inside[q.top + 1][d]) << 8 |
                            (q.first_only ? 1u : 0u) << 16;
  for (int i = head_[d]; i >= 0; i = query_views_[i].next)
    if (query_views_[i].key == key) return i;
  QueryViews& v = query_views_.emplace_back();
  v.d = d, v.query = q, v.key = key, v.next = head_[d];
  std::fill(&v.view[0][0], &v.view[0][0] + (kMaxLevels + 1) * 2, -1);
  head_[d] = static_cast<int>(query_views_.size() - 1);
  return head_[d];
}

int Situations::view(int qv, Partition p) {
  int slot = query_views_[qv].view[p.outer][p.advancing ? 1 : 0];
  if (slot >= 0) return slot;
  slot = static_cast<int>(views_.size());
  views_.push_back(build(query_views_[qv].d, query_views_[qv].query, p));
  query_views_[qv].view[p.outer][p.advancing ? 1 : 0] = slot;
  return slot;
}

DimView Situations::build(int d, const Query& q, Partition part) {
  const Digits g = digits_of(n_, d, q, part);
  const std::int64_t bound = n_.bound[d], width = n_.ext(q.child, d);
  std::int64_t advance_stride = 0;
  if (g.advancing >= 0) advance_stride = g.pos[g.advancing].stride;
  std::vector<std::pair<std::int64_t, std::int64_t>>& found = found_;  // (count, offset)
  found.clear();
  if (n_.perfect[d]) {  // no index reaches the bound: every situation is a translation of the first
    found.emplace_back(g.all[0], g.low[0]);
  } else {
    Walk(g, found).run(0, Cmp::kEqual, Cmp::kEqual, Cmp::kEqual, 0, 1);
  }
  DimView view;
  view.first = static_cast<std::uint32_t>(classes_.size());
  // The siblings' offsets in increasing order (their digits from the outermost), and the inner
  // loops that a kept tile's last step runs over.
  std::vector<std::int64_t>& siblings = siblings_;
  siblings.assign(1, 0);
  FixedVector<const Position*, kMaxDimLoops> inner;
  for (const Position& p : g.pos) {
    if (p.role == Role::kInner) inner.push_back(&p);
    if (p.role != Role::kSibling) continue;
    const std::size_t size = siblings.size();
    siblings.resize(size * static_cast<std::size_t>(p.factor));
    for (std::size_t i = size; i-- > 0;)
      for (std::int64_t x = p.factor; x-- > 0;)
        siblings[i * static_cast<std::size_t>(p.factor) + static_cast<std::size_t>(x)] =
            siblings[i] + x * p.stride;
  }
  for (const auto& [count, offset] : found) {
    SituationClass c;
    c.count = count;
    c.first = static_cast<std::uint32_t>(members_.size());
    for (const std::int64_t sibling : siblings) {  // only the members that work are kept
      const std::int64_t lo = offset + sibling;
      if (lo >= bound) break;
      Member m;
      m.lo = lo, m.width = std::min(width, bound - lo);
      // The kept tile is the one of its last working step before this one: the steps run in
      // lexicographic order, so greedily from the outermost inner loop, the largest indices
      // that keep it below the bound.
      std::int64_t kept = lo - advance_stride;
      for (const Position* p : inner)
        kept += kept + p->reach < bound
                    ? p->reach
                    : std::min(p->factor - 1, (bound - 1 - kept) / p->stride) * p->stride;
      m.kept_lo = kept, m.kept_width = std::min(width, bound - kept);
      members_.push_back(m);
    }
    c.last = static_cast<std::uint32_t>(members_.size());
    if (!c.empty()) view.working += c.count;
    classes_.push_back(c);
  }
  view.last = static_cast<std::uint32_t>(classes_.size());
  return view;
}

}  // namespace outpace::model::residual
