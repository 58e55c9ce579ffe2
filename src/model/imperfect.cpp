// Counts of imperfect nests (docs/model.md, "Imperfect factorization"). Tiles are boxes whose
// extent along each loop dimension depends only on that dimension's loop indices, and the
// instances active at a step form a product over dimensions, so every count is a sum over
// "situations" (assignments of the indices that stay fixed while a tile moves) that factors per
// tensor dimension; the widths of unions over siblings come from sorted intervals.
#include "model/imperfect.hpp"

#include <algorithm>
#include <vector>

#include "model/residual_nest.hpp"

namespace outpace::model {

using mapping::Mapping;
using workload::Einsum;
using workload::Tensor;

namespace {

using namespace residual;

/// An interval of tensor coordinates, both ends included (empty when hi < lo).
struct Span {
  std::int64_t lo, hi;
};

std::int64_t union_length(std::vector<Span>& spans) {
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

/// Which words a sum counts per step, over the active siblings: those of the new tile not in the
/// kept one (kIn), those of the kept tile not in the new one (kOut), or the whole new tile (kAll:
/// the MACs keep nothing; also the first and last tiles).
enum class Words { kIn, kOut, kAll };

/// Σ over the situations of one tensor dimension of n (the words the siblings' tiles cover) and
/// m (those no sibling counts), so that Π_k n_k − Π_k m_k is the union's size (docs/model.md).
struct DimSums {
  std::int64_t n = 0, m = 0;
};

DimSums tensor_dim_sums(const workload::TensorDim& td, const std::vector<Situation>* const* per_dim,
                        Words words) {
  const std::size_t terms = td.terms.size();
  std::vector<std::size_t> sit(terms, 0), mem(terms, 0);
  std::vector<Span> cover, counted;
  DimSums sums;
  for (;;) {
    cover.clear(), counted.clear();
    std::fill(mem.begin(), mem.end(), 0);
    for (;;) {
      bool active = true;
      Span now{0, 0}, kept{0, 0};
      bool kept_any = words != Words::kAll;
      for (std::size_t i = 0; i < terms; ++i) {
        const Member& mb = (*per_dim[td.terms[i].dim])[sit[i]].members[mem[i]];
        const std::int64_t a = td.terms[i].coef;
        active = active && mb.active;
        now.lo += a * mb.lo, now.hi += a * (mb.lo + mb.width - 1);
        kept.lo += a * mb.kept_lo, kept.hi += a * (mb.kept_lo + mb.kept_width - 1);
        kept_any = kept_any && mb.kept_width > 0;
      }
      if (active) {
        if (!kept_any) kept = {0, -1};
        const Span& from = words == Words::kOut ? kept : now;
        const Span& minus = words == Words::kOut ? now : kept;
        cover.push_back(from);
        if (minus.hi < minus.lo) {
          counted.push_back(from);
        } else {  // from \ minus: what lies before and after it
          counted.push_back({from.lo, std::min(from.hi, minus.lo - 1)});
          counted.push_back({std::max(from.lo, minus.hi + 1), from.hi});
        }
      }
      std::size_t i = terms;
      while (i > 0 && ++mem[i - 1] == (*per_dim[td.terms[i - 1].dim])[sit[i - 1]].members.size())
        mem[i - 1] = 0, --i;
      if (i == 0) break;
    }
    std::int64_t count = 1;  // the situations this combination stands for
    for (std::size_t i = 0; i < terms; ++i) count *= (*per_dim[td.terms[i].dim])[sit[i]].count;
    const std::int64_t n = union_length(cover);
    sums.n += count * n;
    sums.m += count * (n - union_length(counted));
    std::size_t i = terms;
    while (i > 0 && ++sit[i - 1] == per_dim[td.terms[i - 1].dim]->size()) sit[i - 1] = 0, --i;
    if (i == 0) break;
  }
  return sums;
}

/// Σ over the steps at moment `when` and over the instances of q.top of the words the union over
/// the active siblings counts (Words).
std::int64_t union_words(SituationCache& cache, const Tensor& t, const Query& q, Moment when,
                         const DimLoop* advance, Words words) {
  const std::vector<Situation>* per_dim[kMaxDims];
  const std::uint32_t used = t.used_dims();
  std::int64_t free = 1;  // situations of the dimensions the tensor does not use, with a worker
  for (int d = 0; d < cache.nest().dims; ++d) {
    per_dim[d] = &cache.get(d, q, when, advance);
    if ((used >> d) & 1u) continue;
    std::int64_t working = 0;
    for (const Situation& s : *per_dim[d])
      if (std::any_of(s.members.begin(), s.members.end(), [](const Member& m) { return m.active; }))
        working += s.count;
    free *= working;
    if (free == 0) return 0;
  }
  std::int64_t all = 1, none = 1;
  for (const auto& td : t.dims) {
    const DimSums s = tensor_dim_sums(td, per_dim, words);
    all *= s.n, none *= s.m;
  }
  return free * (all - none);
}

struct Sum {
  std::int64_t all = 0, first = 0;
};

/// True when the advance of `loop` moves tensor t's tile of level `child`: the loop or a
/// temporal loop inside it (above the child) is over a dimension the tensor uses.
bool moves(const Nest& n, std::uint32_t used, const DimLoop& loop, int child) {
  for (int d = 0; d < n.dims; ++d)
    if ((used >> d) & 1u)
      for (const DimLoop& l : n.loops[d])
        if (!l.spatial && l.level > child && l.pos >= loop.pos) return true;
  return false;
}

/// Whether level l has more than one instance.
bool replicated(const Nest& n, int l) {
  for (int d = 0; d < n.dims; ++d)
    for (const DimLoop& loop : n.loops[d])
      if (loop.spatial && loop.level > l) return true;
  return false;
}

/// Σ over every step at which the child's tiles move (and the first), over the instances of
/// q.top, of the union over active siblings (Words); `all` over every instance of q.top and
/// `first` over its first instance.
Sum moved_words(SituationCache& cache, const Tensor& t, Query q, Words words) {
  const Nest& n = cache.nest();
  const std::uint32_t used = t.used_dims();
  Sum sum;
  for (bool first_only : {false, true}) {
    q.first_only = first_only;
    std::int64_t& out = first_only ? sum.first : sum.all;
    if (first_only && !replicated(n, q.top)) {
      out = sum.all;
      break;
    }
    if (words != Words::kOut) out += union_words(cache, t, q, Moment::kFirst, nullptr, Words::kAll);
    for (const DimLoop& loop : n.temporal)
      if (loop.level > q.child && (words == Words::kAll || moves(n, used, loop, q.child)))
        out += union_words(cache, t, q, Moment::kAdvance, &loop, words);
  }
  return sum;
}

/// Σ over the instances of q.top of the union of the last tiles of the children under each.
Sum last_words(SituationCache& cache, const Tensor& t, Query q) {
  Sum sum;
  sum.all = union_words(cache, t, q, Moment::kLast, nullptr, Words::kAll);
  q.first_only = true;
  sum.first = union_words(cache, t, q, Moment::kLast, nullptr, Words::kAll);
  return sum;
}

/// Σ over the instances of level l (or its first) of the distinct outputs each ever holds: per
/// output dimension the points its tiles cover (tiles at different steps are disjoint), per
/// other dimension whether it ever works.
std::int64_t distinct_outputs(const Nest& n, const Tensor& t, int l, bool first_only) {
  std::int64_t total = 1;
  for (int d = 0; d < n.dims; ++d) {
    bool output_dim = false;
    for (const auto& td : t.dims) output_dim = output_dim || td.terms[0].dim == d;
    std::vector<const DimLoop*> spatial, temporal;
    for (const DimLoop& loop : n.loops[d])
      if (loop.level > l) (loop.spatial ? spatial : temporal).push_back(&loop);
    if (first_only) spatial.clear();
    const std::int64_t bound = n.bound[d], width = n.ext(l, d);
    std::int64_t sum = 0;
    for_each_offset(spatial, [&](std::int64_t s) {
      if (!output_dim) {
        sum += s < bound ? 1 : 0;
        return;
      }
      for_each_offset(temporal, [&](std::int64_t tb) {
        if (s + tb < bound) sum += std::min(width, bound - s - tb);
      });
    });
    total *= sum;
  }
  return total;
}

std::int64_t running_steps(const Nest& n) {
  std::int64_t steps = 1;
  for (int d = 0; d < n.dims; ++d) {
    std::vector<const DimLoop*> temporal;
    for (const DimLoop& loop : n.loops[d])
      if (!loop.spatial) temporal.push_back(&loop);
    std::int64_t running = 0;
    for_each_offset(temporal, [&](std::int64_t base) { running += base < n.bound[d] ? 1 : 0; });
    steps *= running;
  }
  return steps;
}

std::int64_t largest_tile(const Nest& n, const Tensor& t, int l) {
  std::int64_t words = 1;
  for (const auto& td : t.dims) {
    std::int64_t w = 1;
    for (const auto& term : td.terms) w += term.coef * (std::min(n.ext(l, term.dim), n.bound[term.dim]) - 1);
    words *= w;
  }
  return words;
}

void set(Traffic& total, Traffic& first, std::int64_t Traffic::*field, Sum s) {
  total.*field = s.all, first.*field = s.first;
}

}  // namespace

ImperfectCounts count_imperfect(const Einsum& e, const Mapping& m) {
  const Nest n = build_nest(e, m);
  SituationCache cache(n);
  ImperfectCounts c;
  c.steps = running_steps(n);
  for (int t = 0; t < e.num_tensors(); ++t) {
    const Tensor& tensor = e.tensors[t];
    int child = -1;
    for (int parent = 0; parent < n.levels; ++parent) {
      if (!m.levels[parent].keeps(t)) continue;
      c.tile_words[parent][t] = largest_tile(n, tensor, parent);
      Traffic &up = c.total[parent][t], &up_first = c.first[parent][t];
      const Sum sent = moved_words(cache, tensor, {child, parent}, child < 0 ? Words::kAll : Words::kIn);
      if (tensor.is_output) {
        Sum updates = sent;
        if (child >= 0) {
          updates = moved_words(cache, tensor, {child, parent}, Words::kOut);
          const Sum last = last_words(cache, tensor, {child, parent});
          updates.all += last.all, updates.first += last.first;
        }
        set(up, up_first, &Traffic::updates, updates);
        set(up, up_first, &Traffic::reads,
            {sent.all - distinct_outputs(n, tensor, parent, false),
             sent.first - distinct_outputs(n, tensor, parent, true)});
      } else {
        set(up, up_first, &Traffic::reads, sent);
      }
      if (child >= 0) {
        Sum share = moved_words(cache, tensor, {child, child}, Words::kIn);
        if (tensor.is_output)
          share.all -= distinct_outputs(n, tensor, child, false),
              share.first -= distinct_outputs(n, tensor, child, true);
        set(c.total[child][t], c.first[child][t], &Traffic::fills, share);
      }
      child = parent;
    }
  }
  return c;
}

}  // namespace outpace::model
