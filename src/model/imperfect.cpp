// Counts of imperfect nests (docs/model.md, "Imperfect factorization"). Tiles are boxes whose
// extent along each loop dimension depends only on that dimension's loop indices, and the
// instances active at a step form a product over dimensions, so every count is a sum over
// "situations" (assignments of the indices that stay fixed while a tile moves) that factors per
// tensor dimension; the widths of unions over siblings come from sorted intervals.
#include "model/imperfect.hpp"

#include <algorithm>
#include <vector>

#include "model/residual_nest.hpp"
#include "model/residual_situations.hpp"

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
/// kept one (kIn), those of the kept tile not in the new one (kOut), the whole new tile (kAll:
/// the MACs keep nothing; also the first tiles), or the whole kept tile (kLast: with no
/// advancing loop the kept tile is each instance's last one).
enum class Words { kIn, kOut, kAll, kLast };

/// Σ over the situations of one tensor dimension of n (the words the siblings' tiles cover) and
/// m (those no sibling counts), so that Π_k n_k − Π_k m_k is the union's size (docs/model.md).
struct DimSums {
  std::int64_t n = 0, m = 0;
};

/// Reusable buffers of one evaluation.
struct Workspace {
  std::vector<Span> cover, counted;
};

DimSums tensor_dim_sums(const Situations& s, const workload::TensorDim& td,
                        const DimView* const* views, Words words, Workspace& ws) {
  const std::size_t terms = td.terms.size();
  std::uint32_t cls[kMaxTerms], mem[kMaxTerms];
  for (std::size_t i = 0; i < terms; ++i) {
    cls[i] = views[td.terms[i].dim]->first;
    if (cls[i] == views[td.terms[i].dim]->last) return {};
  }
  DimSums sums;
  for (;;) {
    std::int64_t count = 1;  // the situations this combination stands for
    bool working = true;
    for (std::size_t i = 0; i < terms; ++i) {
      const SituationClass& c = s.situation_class(cls[i]);
      count *= c.count, working = working && c.working;
      mem[i] = c.first;
    }
    if (working) {
      ws.cover.clear(), ws.counted.clear();
      for (;;) {
        bool active = true;
        Span now{0, 0}, kept{0, 0};
        bool kept_any = words == Words::kIn || words == Words::kOut;
        for (std::size_t i = 0; i < terms; ++i) {
          const Member& mb = s.member(mem[i]);
          const std::int64_t a = td.terms[i].coef;
          active = active && mb.active;
          if (words == Words::kLast) {
            now.lo += a * mb.kept_lo, now.hi += a * (mb.kept_lo + mb.kept_width - 1);
          } else {
            now.lo += a * mb.lo, now.hi += a * (mb.lo + mb.width - 1);
          }
          kept.lo += a * mb.kept_lo, kept.hi += a * (mb.kept_lo + mb.kept_width - 1);
          kept_any = kept_any && mb.kept_width > 0;
        }
        if (active) {
          if (!kept_any) kept = {0, -1};
          const Span& from = words == Words::kOut ? kept : now;
          const Span& minus = words == Words::kOut ? now : kept;
          ws.cover.push_back(from);
          if (minus.hi < minus.lo) {
            ws.counted.push_back(from);
          } else {  // from \ minus: what lies before and after it
            ws.counted.push_back({from.lo, std::min(from.hi, minus.lo - 1)});
            ws.counted.push_back({std::max(from.lo, minus.hi + 1), from.hi});
          }
        }
        std::size_t i = terms;
        while (i > 0 && ++mem[i - 1] == s.situation_class(cls[i - 1]).last)
          mem[i - 1] = s.situation_class(cls[i - 1]).first, --i;
        if (i == 0) break;
      }
      const std::int64_t n = union_length(ws.cover);
      sums.n += count * n;
      sums.m += count * (n - union_length(ws.counted));
    }
    std::size_t i = terms;
    while (i > 0 && ++cls[i - 1] == views[td.terms[i - 1].dim]->last)
      cls[i - 1] = views[td.terms[i - 1].dim]->first, --i;
    if (i == 0) break;
  }
  return sums;
}

/// The partition of dimension d's temporal loops above `child` at the advance of `loop` (none:
/// the first or the last step).
Partition partition(const Nest& n, int d, int child, const DimLoop* loop) {
  Partition p;
  if (loop == nullptr) return p;
  for (const DimLoop& l : n.loops[d])
    if (!l.spatial && l.level > child && l.pos <= loop->pos) ++p.outer;
  p.advancing = loop->dim == d;
  return p;
}

/// Σ over the steps of one kind (the first, the advances of `loop`, the last) and over the
/// instances of q.top of the words the union over the active siblings counts (Words).
std::int64_t union_words(Situations& s, int table, const Tensor& t, int child, const DimLoop* loop,
                         Words words, Workspace& ws) {
  const Nest& n = s.nest();
  const DimView* views[kMaxDims];
  const std::uint32_t used = t.used_dims();
  std::int64_t free = 1;  // situations of the dimensions the tensor does not use, with a worker
  for (int d = 0; d < n.dims; ++d) {
    views[d] = &s.view(table, d, partition(n, d, child, loop));
    if ((used >> d) & 1u) continue;
    free *= views[d]->working;
    if (free == 0) return 0;
  }
  std::int64_t all = 1, none = 1;
  for (const auto& td : t.dims) {
    const DimSums sums = tensor_dim_sums(s, td, views, words, ws);
    all *= sums.n, none *= sums.m;
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
Sum moved_words(Situations& s, const Tensor& t, Query q, Words words, Workspace& ws) {
  const Nest& n = s.nest();
  const std::uint32_t used = t.used_dims();
  Sum sum;
  for (bool first_only : {false, true}) {
    q.first_only = first_only;
    std::int64_t& out = first_only ? sum.first : sum.all;
    if (first_only && !replicated(n, q.top)) {
      out = sum.all;
      break;
    }
    const int table = s.table(q);
    if (words != Words::kOut) out += union_words(s, table, t, q.child, nullptr, Words::kAll, ws);
    for (const DimLoop& loop : n.temporal)
      if (loop.level > q.child && (words == Words::kAll || moves(n, used, loop, q.child)))
        out += union_words(s, table, t, q.child, &loop, words, ws);
  }
  return sum;
}

/// Σ over the instances of q.top of the union of the last tiles of the children under each.
Sum last_words(Situations& s, const Tensor& t, Query q, Workspace& ws) {
  Sum sum;
  sum.all = union_words(s, s.table(q), t, q.child, nullptr, Words::kLast, ws);
  q.first_only = true;
  sum.first = union_words(s, s.table(q), t, q.child, nullptr, Words::kLast, ws);
  return sum;
}

/// Σ over the instances of level l (or its first) of the distinct outputs each ever holds: per
/// output dimension the points its tiles cover (tiles at different steps are disjoint: whole
/// tiles below the bound, the one at it cut), per other dimension whether it ever works.
std::int64_t distinct_outputs(const Nest& n, const Tensor& t, int l, bool first_only) {
  std::int64_t total = 1;
  for (int d = 0; d < n.dims; ++d) {
    bool output_dim = false;
    for (const auto& td : t.dims) output_dim = output_dim || td.terms[0].dim == d;
    if (!output_dim) {
      if (first_only) continue;  // the first instance works
      const DigitCount working = count_digits(n, d, l, false, true);
      total *= working.below + working.at;
      continue;
    }
    const std::int64_t width = n.ext(l, d), cut = (n.bound[d] - 1) % width + 1;
    const DigitCount tiles = count_digits(n, d, l, true, !first_only);
    total *= tiles.below * width + tiles.at * cut;
  }
  return total;
}

/// Per dimension the temporal offsets below the bound (the steps that run), multiplied.
std::int64_t running_steps(const Nest& n) {
  std::int64_t steps = 1;
  for (int d = 0; d < n.dims; ++d) {
    const DigitCount running = count_digits(n, d, -1, true, false);
    steps *= running.below + running.at;
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
  Situations s(n);
  Workspace ws;
  ImperfectCounts c;
  c.steps = running_steps(n);
  for (int t = 0; t < e.num_tensors(); ++t) {
    const Tensor& tensor = e.tensors[t];
    int child = -1;
    for (int parent = 0; parent < n.levels; ++parent) {
      if (!m.levels[parent].keeps(t)) continue;
      c.tile_words[parent][t] = largest_tile(n, tensor, parent);
      Traffic &up = c.total[parent][t], &up_first = c.first[parent][t];
      const Sum sent =
          moved_words(s, tensor, {child, parent}, child < 0 ? Words::kAll : Words::kIn, ws);
      if (tensor.is_output) {
        Sum updates = sent;
        if (child >= 0) {
          updates = moved_words(s, tensor, {child, parent}, Words::kOut, ws);
          const Sum last = last_words(s, tensor, {child, parent}, ws);
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
        Sum share = moved_words(s, tensor, {child, child}, Words::kIn, ws);
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
