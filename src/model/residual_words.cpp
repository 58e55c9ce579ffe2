#include "model/residual_words.hpp"

#include <algorithm>
#include <climits>

#include "common/internal_error.hpp"

namespace outpace::model::residual {

namespace {

}  // namespace

WordCounter::WordCounter(const Nest& n) : situations_(n) {
  offsets_.reserve(64);
  gaps_.reserve(32);
  cached_.reserve(256);
}

std::int64_t WordCounter::union_length(std::vector<Span>& spans) const {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.lo < b.lo; });
  std::int64_t total = 0, end = INT64_MIN;  // end: one past the covered prefix
  for (const Span& s : spans) {
    if (s.hi < s.lo) continue;
    const std::int64_t from = std::max(s.lo, end);
    if (s.hi + 1 > from) total += s.hi + 1 - from;
    end = std::max(end, s.hi + 1);
  }
  return total;
}

std::int64_t WordCounter::covered(const std::uint32_t gaps[2], std::int64_t length) const {
  if (length <= 0) return 0;
  std::int64_t total = length;
  for (std::uint32_t i = gaps[0]; i < gaps[1]; ++i)
    total += gaps_[i].second * std::min(gaps_[i].first, length);
  return total;
}

void WordCounter::sibling_gaps(const workload::TensorDim& td, int child, int top,
                               Prepared::Dim& pd) {
  const Nest& n = situations_.nest();
  bool siblings = false;  // some term has a spatial loop in (child, top]
  for (const workload::Term& term : td.terms)
    siblings = siblings || n.spread_above[child + 1][term.dim] != n.spread_above[top + 1][term.dim];
  if (!siblings) return;  // one sibling: U(ℓ) = ℓ
  if (td.terms.size() == 1) {
    // Along one loop dimension the offsets, in increasing order, step by the stride of the
    // innermost sibling loop whose digit can still grow, all the digits inside it wrapping:
    // loop i's step comes (f_i - 1)·Π_{outer} f times.
    const workload::Term& term = td.terms[0];
    std::int64_t outer = 1;
    for (const DimLoop& loop : n.loops[term.dim]) {
      if (!loop.spatial || loop.level <= child || loop.level > top) continue;
      std::int64_t gap = loop.stride;  // minus the wraps of the sibling loops inside it
      for (const DimLoop& in : n.loops[term.dim])
        if (in.spatial && in.level > child && in.level <= top && in.pos > loop.pos)
          gap -= (in.factor - 1) * in.stride;
      add_gap(pd, term.coef * gap, (loop.factor - 1) * outer);
      outer *= loop.factor;
    }
  } else {
    // The siblings' offsets along the tensor dimension: every sum of their loop digits.
    offsets_.assign(1, 0);
    for (const workload::Term& term : td.terms)
      for (const DimLoop& loop : n.loops[term.dim]) {
        if (!loop.spatial || loop.level <= child || loop.level > top) continue;
        const std::size_t size = offsets_.size(), f = static_cast<std::size_t>(loop.factor);
        offsets_.resize(size * f);
        for (std::size_t i = size; i-- > 0;)
          for (std::size_t x = f; x-- > 0;)
            offsets_[i * f + x] =
                offsets_[i] + term.coef * static_cast<std::int64_t>(x) * loop.stride;
      }
    std::sort(offsets_.begin(), offsets_.end());
    offsets_.erase(std::unique(offsets_.begin(), offsets_.end()), offsets_.end());
    for (std::size_t i = 1; i < offsets_.size(); ++i) add_gap(pd, offsets_[i] - offsets_[i - 1], 1);
  }
}

const WordCounter::Prepared& WordCounter::prepare(const workload::Tensor& t, int child, int top) {
  const Nest& n = situations_.nest();
  Prepared& p = prepared_;
  gaps_.clear();
  p.used = 0;
  p.dims = static_cast<int>(t.dims.size());
  for (int k = 0; k < p.dims; ++k) {
    const workload::TensorDim& td = t.dims[k];
    Prepared::Dim& pd = p.dim[k];
    pd.mask = 0, pd.closed = true, pd.width = 1, pd.spread = 1;
    pd.terms = static_cast<int>(td.terms.size());
    for (int i = 0; i < pd.terms; ++i) {
      const workload::Term& term = td.terms[i];
      pd.dim[i] = term.dim, pd.coef[i] = term.coef;
      pd.mask |= 1u << term.dim;
      pd.closed = pd.closed && n.perfect[term.dim];
      pd.width += term.coef * (n.ext(child, term.dim) - 1);
      pd.spread *= n.spread_above[top + 1][term.dim];
    }
    p.used |= pd.mask;
    pd.gaps[0] = pd.gaps[1] = static_cast<std::uint32_t>(gaps_.size());
    pd.cover = pd.width;
    if (!pd.closed) continue;
    sibling_gaps(td, child, top, pd);
    pd.gaps[1] = static_cast<std::uint32_t>(gaps_.size());
    pd.cover = covered(pd.gaps, pd.width);
  }
  return p;
}

void WordCounter::add_gap(Prepared::Dim& pd, std::int64_t gap, std::int64_t times) {
  std::uint32_t j = pd.gaps[0];  // few distinct gaps: merged
  while (j < gaps_.size() && gaps_[j].first != gap) ++j;
  if (j == gaps_.size()) gaps_.emplace_back(gap, 0);
  gaps_[j].second += times;
  pd.gaps[1] = static_cast<std::uint32_t>(gaps_.size());
}

void WordCounter::start(Steps& st, int child, int top) {
  const Nest& n = situations_.nest();
  st.query = {child, top, false};
  st.replicated = false;
  for (int d = 0; d < n.dims; ++d) {
    DimState& s = st.dim[d];  // fields set one by one: a copy of a fresh struct stalls
    s.part.outer = 0, s.part.advancing = false;
    s.query_views[0] = s.query_views[1] = s.view[0] = s.view[1] = -1;
    s.fixed[0] = s.fixed[1] = s.count[0] = s.count[1] = 1;
    s.inner_max = s.shift = 0, s.advance_factor = 1;
    s.spread = n.spread_above[top + 1][d];
    st.replicated = st.replicated || s.spread > 1;
    if (!n.perfect[d]) continue;
    s.fixed[0] = s.count[0] = s.spread;
    s.inner_max = s.shift = n.temporal_reach[child + 1][d];
  }
}

void WordCounter::advance(Steps& st, const DimLoop& loop) {
  std::uint32_t changed = 0;
  if (st.advancing >= 0) {  // the previous advancing loop is now an outer fixed one
    DimState& p = st.dim[st.advancing];
    p.part.advancing = false;
    p.view[0] = p.view[1] = -1;
    p.fixed[0] *= p.advance_factor, p.fixed[1] *= p.advance_factor;
    p.count[0] = p.fixed[0], p.count[1] = p.fixed[1];
    p.shift = p.inner_max;
    changed |= 1u << st.advancing;
  }
  DimState& s = st.dim[loop.dim];
  ++s.part.outer;
  s.part.advancing = true;
  s.view[0] = s.view[1] = -1;
  s.advance_factor = loop.factor;
  s.inner_max -= (loop.factor - 1) * loop.stride;
  s.count[0] = s.fixed[0] * (loop.factor - 1), s.count[1] = s.fixed[1] * (loop.factor - 1);
  s.shift = s.inner_max - loop.stride;
  changed |= 1u << loop.dim;
  st.advancing = loop.dim;
  for (std::uint32_t& c : st.changed) c |= changed;
  st.free_changed |= changed;
}

int WordCounter::view(Steps& st, int d, int first) {
  DimState& s = st.dim[d];
  if (s.spread == 1) first = 0;  // no spatial loop above the top: the first is any instance
  if (s.view[first] >= 0) return s.view[first];
  if (s.query_views[first] < 0) {
    const Query q{st.query.child, st.query.top, first == 1};
    s.query_views[first] = situations_.query_views(d, q);
  }
  return s.view[first] = situations_.view(s.query_views[first], s.part);
}

std::int64_t WordCounter::working(Steps& st, int d, int first) {
  return situations_.view_at(view(st, d, first)).working;
}

void WordCounter::closed_sums(const Prepared::Dim& pd, const Steps& st, Words words,
                              DimSums& all_sums, DimSums& first_sums) const {
  // Every member works with a whole tile, and its kept tile is the new one shifted by the same
  // amount: the union is U(width) and the strip the move brings is min(|shift|, width) wide.
  std::int64_t all = 1, first = 1, shift = 0;
  for (int i = 0; i < pd.terms; ++i) {
    const DimState& s = st.dim[pd.dim[i]];
    all *= s.count[0], first *= s.count[1];
    shift += pd.coef[i] * s.shift;
  }
  std::int64_t kept = 0;  // U(width) - U(strip): the words of a union the move does not bring
  if (words == Words::kIn || words == Words::kOut)
    kept = pd.cover - covered(pd.gaps, std::min(shift < 0 ? -shift : shift, pd.width));
  all_sums.n = all * pd.cover, all_sums.m = all * kept;
  first_sums.n = first * pd.cover, first_sums.m = first * kept;
}

WordCounter::DimSums WordCounter::enumerated_sums(const workload::TensorDim& td, Steps& st,
                                                  int first, Words words) {
  const std::size_t terms = td.terms.size();
  int views[kMaxTerms];
  for (std::size_t i = 0; i < terms; ++i) {
    views[i] = view(st, td.terms[i].dim, first);
    // Valid factors let the advancing loop's second iteration run with the others at 0.
    OUTPACE_ASSERT(situations_.view_at(views[i]).first < situations_.view_at(views[i]).last)
        << "no situation of dimension " << td.terms[i].dim << " runs";
  }
  if (terms == 1) {
    const std::size_t at = static_cast<std::size_t>(views[0]) * 4 + static_cast<int>(words);
    if (cached_.size() <= at) cached_.resize(static_cast<std::size_t>(situations_.views()) * 4);
    Cached& cache = cached_[at];
    if (cache.coef != td.terms[0].coef)
      cache.coef = td.terms[0].coef, cache.sums = one_term_sums(td.terms[0], views[0], words);
    return cache.sums;
  }
  return combined_sums(td, views, words);
}

WordCounter::DimSums WordCounter::combined_sums(const workload::TensorDim& td, const int* views,
                                                Words words) {
  const std::size_t terms = td.terms.size();
  std::uint32_t cls[kMaxTerms], mem[kMaxTerms];
  for (std::size_t i = 0; i < terms; ++i) cls[i] = situations_.view_at(views[i]).first;
  // Several loop dimensions: an operand's index (the output's are plain), so its words arrive
  // (kIn) or are all read (kAll); every combination of classes and of their members.
  OUTPACE_ASSERT(words == Words::kIn || words == Words::kAll)
      << "a tensor dimension of several loop dimensions is evicted";
  DimSums sums{};
  for (;;) {
    std::int64_t count = 1;  // the situations this combination stands for
    for (std::size_t i = 0; i < terms; ++i) {
      const SituationClass& c = situations_.situation_class(cls[i]);
      count *= c.count;
      mem[i] = c.first;
    }
    cover_.clear(), counted_.clear();
    bool members = true;  // every class has a working member
    for (std::size_t i = 0; i < terms; ++i)
      members = members && !situations_.situation_class(cls[i]).empty();
    while (members) {
      Span now{0, 0}, kept{0, 0};
      for (std::size_t i = 0; i < terms; ++i) {
        const Member& mb = situations_.member(mem[i]);
        const std::int64_t a = td.terms[i].coef;
        now.lo += a * mb.lo, now.hi += a * (mb.lo + mb.width - 1);
        kept.lo += a * mb.kept_lo, kept.hi += a * (mb.kept_lo + mb.kept_width - 1);
      }
      cover_.push_back(now);
      if (words == Words::kIn) {  // now \ kept: what lies before and after it
        counted_.push_back({now.lo, std::min(now.hi, kept.lo - 1)});
        counted_.push_back({std::max(now.lo, kept.hi + 1), now.hi});
      }
      std::size_t i = terms;
      while (i > 0 && ++mem[i - 1] == situations_.situation_class(cls[i - 1]).last)
        mem[i - 1] = situations_.situation_class(cls[i - 1]).first, --i;
      members = i > 0;
    }
    const std::int64_t n = union_length(cover_);
    sums.n += count * n;
    if (words == Words::kIn) sums.m += count * (n - union_length(counted_));
    std::size_t i = terms;
    while (i > 0 && ++cls[i - 1] == situations_.view_at(views[i - 1]).last)
      cls[i - 1] = situations_.view_at(views[i - 1]).first, --i;
    if (i == 0) break;
  }
  return sums;
}

WordCounter::DimSums WordCounter::one_term_sums(const workload::Term& term, int view,
                                                Words words) const {
  // Along one loop dimension the siblings' tiles (new or kept) are disjoint, as are the parts of
  // them a sum counts: the unions are sums.
  const std::int64_t a = term.coef;
  auto length = [](std::int64_t lo, std::int64_t hi) { return hi >= lo ? hi - lo + 1 : 0; };
  const DimView& v = situations_.view_at(view);
  DimSums sums{};
  for (std::uint32_t c = v.first; c < v.last; ++c) {
    const SituationClass& sc = situations_.situation_class(c);
    std::int64_t covered = 0, counted = 0;
    for (std::uint32_t i = sc.first; i < sc.last; ++i) {
      const Member& mb = situations_.member(i);
      const std::int64_t now_lo = a * mb.lo, now_hi = a * (mb.lo + mb.width - 1);
      const std::int64_t kept_lo = a * mb.kept_lo, kept_hi = a * (mb.kept_lo + mb.kept_width - 1);
      if (words == Words::kAll) {
        covered += length(now_lo, now_hi);
      } else if (words == Words::kLast) {
        covered += length(kept_lo, kept_hi);
      } else {  // the new tile less the kept one (kIn), or the kept one less the new (kOut)
        const std::int64_t from =
            words == Words::kIn ? length(now_lo, now_hi) : length(kept_lo, kept_hi);
        covered += from;
        counted += from - length(std::max(now_lo, kept_lo), std::min(now_hi, kept_hi));
      }
    }
    sums.n += sc.count * covered;
    if (words == Words::kIn || words == Words::kOut) sums.m += sc.count * (covered - counted);
  }
  return sums;
}

void WordCounter::step_words(const workload::Tensor& t, const Prepared& p, Steps& st, Words words,
                             Sum& out) {
  const Nest& n = situations_.nest();
  const int passes = st.replicated ? 2 : 1;
  if ((st.free_changed & ~p.used) != 0) {  // situations of the dimensions t does not use, with a
    st.free[0] = st.free[1] = 1;           // worker
    for (int d = 0; d < n.dims; ++d) {
      if (((p.used >> d) & 1u) != 0) continue;
      if (n.perfect[d]) {  // every member works
        st.free[0] *= st.dim[d].count[0], st.free[1] *= st.dim[d].count[1];
      } else {
        st.free[0] *= working(st, d, 0);
        st.free[1] = passes == 2 ? st.free[1] * working(st, d, 1) : st.free[0];
      }
    }
    st.free_changed = 0;
  }
  std::uint32_t& changed = st.changed[static_cast<int>(words)];
  DimSums(&sums)[2][kMaxTensorDims] = st.sums[static_cast<int>(words)];
  std::int64_t any[2] = {1, 1}, none[2] = {1, 1};
  for (int k = 0; k < p.dims; ++k) {
    const Prepared::Dim& pd = p.dim[k];
    if ((changed & pd.mask) != 0) {
      if (pd.closed) {
        closed_sums(pd, st, words, sums[0][k], sums[1][k]);
      } else {
        sums[0][k] = enumerated_sums(t.dims[k], st, 0, words);
        sums[1][k] =
            passes == 2 && pd.spread > 1 ? enumerated_sums(t.dims[k], st, 1, words) : sums[0][k];
      }
    }
    any[0] *= sums[0][k].n, none[0] *= sums[0][k].m;
    any[1] *= sums[1][k].n, none[1] *= sums[1][k].m;
  }
  changed = 0;
  out.all += st.free[0] * (any[0] - none[0]);
  if (passes == 2) out.first += st.free[1] * (any[1] - none[1]);
}

WordCounter::Moves WordCounter::moved(const workload::Tensor& t, int child, int top, Words words,
                                      bool updates) {
  const Nest& n = situations_.nest();
  const Prepared& p = prepare(t, child, top);
  int last_mover = -1;  // the innermost temporal loop above the child over a dimension t uses
  for (const DimLoop& loop : n.temporal)
    if (loop.level > child && ((p.used >> loop.dim) & 1u)) last_mover = loop.pos;
  Moves moves{};
  Steps st;
  start(st, child, top);
  step_words(t, p, st, Words::kAll, moves.sent);
  if (updates) step_words(t, p, st, Words::kLast, moves.written);
  for (const DimLoop& loop : n.temporal) {
    if (loop.level <= child) continue;
    advance(st, loop);
    // The tile moves when this loop or one inside it is over a dimension t uses.
    if (words != Words::kAll && loop.pos > last_mover) continue;
    step_words(t, p, st, words, moves.sent);
    if (updates) step_words(t, p, st, Words::kOut, moves.written);
  }
  if (!st.replicated)  // one instance: the first is every one
    moves.sent.first = moves.sent.all, moves.written.first = moves.written.all;
  return moves;
}

}  // namespace outpace::model::residual
