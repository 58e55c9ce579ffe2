// Counts of imperfect nests (docs/model.md, "Imperfect factorization"). Tiles are boxes whose
// extent along each loop dimension depends only on that dimension's loop indices, and the
// instances active at a step form a product over dimensions, so every count is a sum over
// "situations" (assignments of the indices that stay fixed while a tile moves) that factors per
// tensor dimension; the widths of unions over siblings come from sorted intervals.
#include "model/imperfect.hpp"

#include <algorithm>
#include <vector>

#include "model/residual_nest.hpp"
#include "model/residual_words.hpp"

namespace outpace::model {

using mapping::Mapping;
using workload::Einsum;
using workload::Tensor;

namespace {

using namespace residual;

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
    const DigitCount tiles = count_digits(n, d, l, true, !first_only);
    total *= tiles.below * n.ext(l, d) + tiles.at * n.cut[l + 1][d];
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

/// Whether some spatial loop lies at a level in (child, parent].
bool spread_between(const Nest& n, int child, int parent) {
  for (int d = 0; d < n.dims; ++d)
    if (n.spread_above[child + 1][d] != n.spread_above[parent + 1][d]) return true;
  return false;
}

void set(Traffic& total, Traffic& first, std::int64_t Traffic::*field, Sum s) {
  total.*field = s.all, first.*field = s.first;
}

}  // namespace

ImperfectCounts count_imperfect(const Einsum& e, const Mapping& m) {
  const Nest n = build_nest(e, m);
  WordCounter words(n);
  ImperfectCounts c;
  c.steps = running_steps(n);
  // Distinct outputs per tensor and level (every instance, the first), computed once.
  std::int64_t held[kMaxTensors][kMaxLevels][2];
  std::fill(&held[0][0][0], &held[0][0][0] + kMaxTensors * kMaxLevels * 2, -1);
  auto distinct = [&](int t, int l, bool first_only) {
    std::int64_t& h = held[t][l][first_only ? 1 : 0];
    if (h < 0) h = distinct_outputs(n, e.tensors[t], l, first_only);
    return h;
  };
  for (int t = 0; t < e.num_tensors(); ++t) {
    const Tensor& tensor = e.tensors[t];
    int child = -1;
    for (int parent = 0; parent < n.levels; ++parent) {
      if (!m.levels[parent].keeps(t)) continue;
      c.tile_words[parent][t] = largest_tile(n, tensor, parent);
      Traffic &up = c.total[parent][t], &up_first = c.first[parent][t];
      const WordCounter::Moves moves =
          words.moved(tensor, child, parent, child < 0 ? Words::kAll : Words::kIn,
                      tensor.is_output && child >= 0);
      const Sum& sent = moves.sent;
      if (tensor.is_output) {
        set(up, up_first, &Traffic::updates, child >= 0 ? moves.written : sent);
        set(up, up_first, &Traffic::reads,
            {sent.all - distinct(t, parent, false), sent.first - distinct(t, parent, true)});
      } else {
        set(up, up_first, &Traffic::reads, sent);
      }
      if (child >= 0) {
        // With no spatial loop between them, each child has its own parent: what the parent
        // sends is what the child receives.
        Sum share = spread_between(n, child, parent)
                        ? words.moved(tensor, child, child, Words::kIn, false).sent
                        : sent;
        if (tensor.is_output)
          share.all -= distinct(t, child, false), share.first -= distinct(t, child, true);
        set(c.total[child][t], c.first[child][t], &Traffic::fills, share);
      }
      child = parent;
    }
  }
  return c;
}

}  // namespace outpace::model
