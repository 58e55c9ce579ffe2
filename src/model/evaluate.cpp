// The analytical model. Every formula here is derived in docs/model.md; the names below follow
// that page: w (tile width along a tensor dimension), n and m (union widths over siblings),
// s (shift of a tile between consecutive steps), U (union of translated intervals).
#include "model/evaluate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "model/imperfect.hpp"
#include "model/level_figures.hpp"
#include "model/link_transfers.hpp"
#include "model/sparse_counts.hpp"
#include "model/perfect_nest.hpp"
#include "model/stride_resets.hpp"

namespace outpace::model {

using mapping::LevelMapping;
using mapping::Mapping;
using workload::Einsum;
using workload::Tensor;

namespace {

using detail::build_nest;
using detail::Nest;
using detail::project;
using detail::Projection;
using detail::SiblingUnion;
using detail::tile_widths;

/// What stays when a child's tile moves by s: the child's overlap with its previous tile,
/// Π_k max(0, w_k - |s_k|), and the words all siblings keep, Π_k m_k (docs/model.md).
struct MoveCost {
  std::int64_t overlap = 1, kept = 1;
};

MoveCost move_cost(const std::int64_t* s, int dims, const std::int64_t* w, const std::int64_t* nw,
                   const SiblingUnion* u) {
  MoveCost c;
  for (int k = 0; k < dims; ++k) {
    const std::int64_t shift = s[k] < 0 ? -s[k] : s[k];
    if (shift >= w[k]) return {0, 0};  // moved past its own width: nothing stays
    if (shift > 0) {
      c.overlap *= w[k] - shift;
      c.kept *= nw[k] - u[k](shift);
    } else {
      c.overlap *= w[k];
      c.kept *= nw[k];
    }
  }
  return c;
}

/// Records one loop's move for StrideResets: its translation class (equal translations share
/// one) and what a reset costs over a normal move (the words that would have stayed).
void note_move(const std::int64_t* s, int dims, const MoveCost& cost, std::int64_t factor,
               bool extrapolate, std::vector<StrideResets::Move>& moves,
               std::vector<std::array<std::int64_t, kMaxTensorDims>>& translations) {
  std::array<std::int64_t, kMaxTensorDims> t{};
  std::copy(s, s + dims, t.begin());
  const int cls = static_cast<int>(std::find(translations.begin(), translations.end(), t) -
                                   translations.begin());
  if (cls == static_cast<int>(translations.size())) translations.push_back(t);
  if (extrapolate)  // iterations 0 and 1; iteration 1 stands for the factor - 1 others
    moves.push_back({cls, 2, factor - 1, cost.overlap, cost.kept});
  else
    moves.push_back({cls, factor, 1, cost.overlap, cost.kept});
}

/// Records one loop's call for LinkTransfers: the translation of its representative move.
void note_link_move(const std::int64_t* s, int dims, std::int64_t factor, bool extrapolate,
                    std::vector<LinkTransfers::Move>& moves) {
  LinkTransfers::Move m;
  std::copy(s, s + dims, m.translation.begin());
  m.iterations = extrapolate ? 2 : factor;
  m.scale = extrapolate ? factor - 1 : 1;
  moves.push_back(m);
}

/// Per-instance counts for one child/parent pair of a tensor's chain of keeping levels.
struct PairCounts {
  std::int64_t child_share = 0;     ///< words entering one child instance over the run
  std::int64_t parent_union = 0;    ///< words one parent instance sends to all its children
  bool share_overflow = false;      ///< child_share passed int64 (it is then meaningless)
  bool overflow = false;            ///< parent_union passed int64
  std::int64_t most = 0;            ///< a bound on both counts (int64 max when unknown)
  bool redo = false;                ///< unchecked: they may pass int64, count again checked
  std::int64_t link_transfers = 0;  ///< words children receive from neighbours (rule 4)
};

using Scratch = std::array<std::vector<std::int64_t>, kMaxTensorDims>;

/// Timeloop's link transfers into the child (docs/timeloop-semantics.md, rule 4): the parent
/// reads fewer words, counted in the distinct offsets of the chain's other levels.
void subtract_links(std::vector<LinkTransfers::Move> moves, const std::int64_t* w, int dims,
                    const Options& options, const LinkNeighbourhood& links,
                    std::int64_t distinct_siblings, PairCounts& out) {
  Offset widths{};
  std::copy(w, w + dims, widths.begin());
  const LinkTransfers::Totals totals =
      LinkTransfers(std::move(moves), widths, dims, options.reset_on_stride_change, links).total();
  out.parent_union -= totals.saved * (distinct_siblings / links.distinct);
  out.link_transfers = totals.transfers;
}

/// Under Timeloop's multicast of identical deltas only: the product over the levels from the
/// child (exclusive) to the parent (inclusive) of the distinct offsets among each level's own
/// children, Π_k U_k(1) with only that level's spatial loops (docs/timeloop-semantics.md, rule 3:
/// a level that bypasses the tensor merges its children's deltas on its own).
std::int64_t distinct_offsets_per_level(const Nest& n, const Projection& proj, int dims, int child,
                                        int parent) {
  std::vector<std::int64_t> gaps;  // allocated only when offsets interleave (SiblingUnion)
  std::int64_t distinct = 1;
  for (int i = 0; i < n.num_spreads;) {
    const int level = n.spreads[i].level;
    SiblingUnion u[kMaxTensorDims];
    for (; i < n.num_spreads && n.spreads[i].level == level; ++i) {
      const Nest::Loop& spread = n.spreads[i];
      if (level > child && level <= parent && proj.tdim[spread.dim] >= 0)
        u[proj.tdim[spread.dim]].add({proj.coef[spread.dim] * spread.step, spread.factor});
    }
    for (int k = 0; k < dims; ++k) {
      u[k].set_scratch(&gaps);
      distinct *= u[k](1);
    }
  }
  return distinct;
}

/// The core of the model: walks the temporal loops above the child once, innermost first, and
/// for each loop counts how often it advances and what the child (and, merged, all its
/// siblings under one parent instance) must receive when it does. Under temporal extrapolation
/// every advance is charged the move of Timeloop's representative call, where the loops inside
/// wrap back from iteration 1 instead of their last (docs/model.md, "Timeloop compatibility").
template <bool kChecked>
PairCounts analyze_pair(const Nest& n, const Projection& proj, int dims, const std::int64_t* w,
                        int child, int parent, const Options& options, Scratch& scratch,
                        const LinkNeighbourhood* links = nullptr) {
  std::int64_t nw[kMaxTensorDims], wrap[kMaxTensorDims], s[kMaxTensorDims];
  SiblingUnion u[kMaxTensorDims];
  for (int i = 0; i < n.num_spreads; ++i) {
    const Nest::Loop& spread = n.spreads[i];
    if (spread.level > child && spread.level <= parent && proj.tdim[spread.dim] >= 0)
      u[proj.tdim[spread.dim]].add({proj.coef[spread.dim] * spread.step, spread.factor});
  }
  std::int64_t full_share = 1, full_union = 1;
  for (int k = 0; k < dims; ++k) {
    u[k].set_scratch(&scratch[k]);
    nw[k] = u[k](w[k]);
    wrap[k] = 0;
    full_share *= w[k];
    full_union *= nw[k];
  }
  PairCounts out;
  // Every count of the pair is at most its full tile (or union) times the steps above the child
  // (the advances add up to that product minus one, and a move brings at most a whole tile):
  // when that fits, nothing below can pass int64 and the sums run unchecked.
  if (__builtin_mul_overflow(std::max(full_share, full_union), n.steps, &out.most)) {
    if constexpr (!kChecked) return {.redo = true};
    out.most = std::numeric_limits<std::int64_t>::max();
  }
  if (child < 0) {  // MACs keep nothing: every step needs its operands again
    const std::int64_t per_step = options.multicast_identical_only
                                      ? distinct_offsets_per_level(n, proj, dims, child, parent)
                                      : full_union;
    add_product(out.parent_union, n.steps, per_step, out.overflow);
    out.most = std::max(out.most, out.parent_union);
    return out;
  }
  out.child_share = full_share;
  out.parent_union = full_union;
  bool wrapped = false;  // some loop inside the current one moves the tile when it wraps
  // A loop wraps back from its last iteration (f - 1 steps), or from iteration 1 when
  // extrapolated (1 step): 1 + exact·(f - 2) steps, without a branch on the hot path.
  const std::int64_t exact = options.extrapolate_temporal ? 0 : 1;
  std::vector<StrideResets::Move> moves;  // only for Options::reset_on_stride_change
  std::vector<std::array<std::int64_t, kMaxTensorDims>> translations;
  std::vector<LinkTransfers::Move> link_moves;  // only with a LinkNeighbourhood: every call
  for (int j = n.first_loop_above[child]; j < n.num_loops; ++j) {
    const Nest::Loop& loop = n.loops[j];
    const std::int64_t advances = (loop.factor - 1) * loop.outer;
    const int kd = proj.tdim[loop.dim];
    if (kd < 0 && !wrapped && !options.reset_on_stride_change && !links) continue;  // stays put
    const std::int64_t move = kd >= 0 ? proj.coef[loop.dim] * loop.step : 0;
    bool moved = false;
    for (int k = 0; k < dims; ++k) {
      s[k] = wrap[k] + (k == kd ? move : 0);
      moved |= s[k] != 0;
    }
    if (kd >= 0) wrap[kd] -= (1 + exact * (loop.factor - 2)) * move, wrapped = true;
    if (links) note_link_move(s, dims, loop.factor, options.extrapolate_temporal, link_moves);
    if (!moved && !options.reset_on_stride_change) continue;  // the inner wraps undo the advance
    const MoveCost cost = move_cost(s, dims, w, nw, u);
    if (options.reset_on_stride_change)
      note_move(s, dims, cost, loop.factor, options.extrapolate_temporal, moves, translations);
    add_product<kChecked>(out.child_share, advances, full_share - cost.overlap, out.share_overflow);
    add_product<kChecked>(out.parent_union, advances, full_union - cost.kept, out.overflow);
  }
  if (options.reset_on_stride_change) {
    const StrideResets::Extra extra = StrideResets(std::move(moves)).total();
    add_product(out.child_share, extra.share, 1, out.share_overflow);
    add_product(out.parent_union, extra.parent, 1, out.overflow);
  }
  if (options.multicast_identical_only) {  // each distinct offset gets its own share
    const std::int64_t distinct_siblings = distinct_offsets_per_level(n, proj, dims, child, parent);
    out.parent_union = 0;
    add_product(out.parent_union, distinct_siblings, out.child_share, out.overflow);
    if (links)
      subtract_links(std::move(link_moves), w, dims, options, *links, distinct_siblings, out);
    out.overflow |= out.share_overflow;
    out.most = std::max(out.most, out.parent_union);
  }
  return out;
}

/// analyze_pair with every product and sum checked: counts that may pass int64 (rare, kept out
/// of the hot path).
[[gnu::noinline, gnu::cold]] PairCounts analyze_pair_checked(
    const Nest& n, const Projection& proj, int dims, const std::int64_t* w, int child, int parent,
    const Options& options, Scratch& scratch, const LinkNeighbourhood* links) {
  return analyze_pair<true>(n, proj, dims, w, child, parent, options, scratch, links);
}

/// Where level l's children sit for Timeloop's link search on a tensor (rule 4): its spatial
/// loops in the mapping's order, each moving the child's tile by its step; none without a fanout.
std::optional<LinkNeighbourhood> neighbourhood(const Nest& n, const arch::Arch& a, const Mapping& m,
                                               const Projection& proj, int l) {
  std::vector<LinkLoop> loops;
  const auto& spatial = m.levels[l].spatial;
  for (std::size_t j = 0; j < spatial.size(); ++j) {
    const mapping::SpatialLoop& loop = spatial[j];
    if (loop.factor <= 1) continue;
    std::int64_t step = n.extent[l][loop.dim];  // later loops on the dimension are inside it
    for (std::size_t i = j + 1; i < spatial.size(); ++i)
      if (spatial[i].dim == loop.dim) step *= spatial[i].factor;
    loops.push_back({proj.tdim[loop.dim], proj.coef[loop.dim] * step, loop.factor,
                     loop.axis == mapping::Axis::X});
  }
  if (loops.empty()) return std::nullopt;
  return link_neighbourhood(loops, a.fanout_x(l), a.fanout_y(l));
}

/// A child's extra accesses from link transfers (rule 4): each of its U_c instances reads and is
/// filled LT / U_c more words, LT the transfers per instance of the level above it, which has F
/// children; fills become ⌊share − LT / F + LT / U_c⌋ and reads round half away from zero.
void add_peer_accesses(const Nest& n, int child, const PairCounts& c, TensorStats& ts) {
  const __int128 lt = c.link_transfers, uc = n.used_instances[child];
  const __int128 f = uc / n.used_instances[child + 1];
  const __int128 scaled = static_cast<__int128>(c.child_share) * f * uc - lt * uc + lt * f;
  ts.fills = static_cast<std::int64_t>(scaled / (f * uc));  // not negative: links carry < share
  ts.reads += static_cast<std::int64_t>((2 * lt + uc) / (2 * uc));
}

/// Distinct output points one instance of level l ever holds.
std::int64_t distinct_outputs(const Nest& n, const Einsum& e, const Tensor& t, int l) {
  std::int64_t count = 1;
  for (const auto& td : t.dims) {
    const int d = td.terms[0].dim;
    count *= e.bounds[d] / n.spatial_above[l][d];
  }
  return count;
}

/// Tile sizes, reads, fills and updates (per instance) of tensor t along its chain of keeping
/// levels; each pair of consecutive keeping levels (the MACs below the first) is one analysis.
void count_tensor(const Nest& n, const Einsum& e, const arch::Arch& a, const Mapping& m,
                  const Projection& proj, int t, const Options& options, Result& r,
                  Scratch& scratch, std::int64_t& most) {
  const Tensor& tensor = e.tensors[t];
  const int dims = static_cast<int>(tensor.dims.size());
  std::int64_t w_child[kMaxTensorDims], w_parent[kMaxTensorDims];
  for (int k = 0; k < dims; ++k) w_child[k] = 1;  // a MAC touches one point
  int child = -1;
  for (int parent = 0; parent < n.levels; ++parent) {
    if (!m.levels[parent].keeps(t)) continue;
    std::optional<LinkNeighbourhood> links;
    if (options.link_transfers && options.multicast_identical_only && child >= 0 &&
        !tensor.is_output)
      links = neighbourhood(n, a, m, proj, child + 1);
    const LinkNeighbourhood* near = links ? &*links : nullptr;
    PairCounts c =
        analyze_pair<false>(n, proj, dims, w_child, child, parent, options, scratch, near);
    if (c.redo) [[unlikely]]
      c = analyze_pair_checked(n, proj, dims, w_child, child, parent, options, scratch, near);
    most = std::max(most, c.most);
    if (c.overflow) report_overflow(r, parent, t, mapping::Quantity::kReads);
    if (c.share_overflow) report_overflow(r, child, t, mapping::Quantity::kFills);
    TensorStats& up = r.levels[parent].tensors[t];
    up.kept = true;
    tile_widths(n, proj, parent, w_parent);
    up.tile_words = 1;
    for (int k = 0; k < dims; ++k) up.tile_words *= w_child[k] = w_parent[k];
    if (tensor.is_output) {
      up.updates = c.parent_union;
      up.reads = c.parent_union - distinct_outputs(n, e, tensor, parent);
    } else {
      up.reads = c.parent_union;
    }
    if (child >= 0)
      r.levels[child].tensors[t].fills =
          c.child_share - (tensor.is_output ? distinct_outputs(n, e, tensor, child) : 0);
    if (c.link_transfers > 0) add_peer_accesses(n, child, c, r.levels[child].tensors[t]);
    child = parent;
  }
}

/// The capacity rule: the tiles a level keeps must fit in it, a compressed one with the most
/// nonzeros it can hold (docs/model.md, "Sparse model").
void check_capacity(const Einsum& e, const arch::Arch& a, const Options& o, Result& r) {
  for (int l = 0; l < static_cast<int>(r.levels.size()); ++l) {
    std::int64_t words = 0;
    for (int t = 0; t < e.num_tensors(); ++t) {
      TensorStats& ts = r.levels[l].tensors[t];
      ts.stored_words =
          o.sparsity ? stored_words(e, *o.sparsity, l, t, ts.tile_words) : ts.tile_words;
      words += ts.stored_words;
    }
    const auto& capacity = a.levels[l].capacity_words;
    if (capacity && words > *capacity)
      r.violations.add({mapping::ViolationKind::kCapacity, l, -1, words, *capacity});
  }
}

/// Instances of level l (l = -1: MAC units) that ever work, with residual tiles: an instance
/// works iff its spatial offset along every dimension d, Σ i·E_{l'-1}(d) over the spatial loops
/// above it, is below the bound (the first step, every temporal index 0, always runs). The
/// offsets along d are mixed-radix numbers whose inner digits span less than one outer step,
/// so they are counted digit by digit from the outermost.
std::int64_t working_instances(const Nest& n, const Einsum& e, int l) {
  std::int64_t instances = 1;
  for (int d = 0; d < n.dims; ++d) {
    std::int64_t below = 1;  // spatial positions along d below the loop being counted
    for (int q = l + 1; q < n.levels; ++q) below *= n.spatial[q][d];
    std::int64_t count = 0, left = e.bounds[d];  // offsets must stay below `left`
    for (int q = n.levels - 1; q > l && left > 0; --q) {
      const std::int64_t f = n.spatial[q][d], stride = n.extent[q][d];
      below /= f;
      const std::int64_t whole = left / stride;  // digits whose whole inner range fits
      if (whole >= f) {
        count += f * below, left = 0;
        break;
      }
      count += whole * below, left -= whole * stride;
    }
    instances *= count + (left > 0 ? 1 : 0);
  }
  return instances;
}

/// True when every count of the residual counting fits in int64 with room to spare: each is at
/// most the padded steps x the largest tensor x the instances the spatial loops reach (a step
/// moves at most a whole tensor to or from an instance), summed over at most 2 x 4 tensors and
/// actions. The residual counting is not checked term by term; past this bound the mapping is
/// refused (docs/formats.md).
bool residual_counts_fit(const Nest& n, const Einsum& e) {
  double largest = 1;  // doubles: the bound itself may pass int64; 2^62 leaves a margin of 2
  for (const Tensor& t : e.tensors) {
    double size = 1;
    for (const auto& td : t.dims) {
      double extent = 1;
      for (const auto& term : td.terms)
        extent +=
            static_cast<double>(term.coef) * static_cast<double>(n.extent[n.levels][term.dim] - 1);
      size *= extent;
    }
    largest = std::max(largest, size);
  }
  return static_cast<double>(n.steps) * largest * static_cast<double>(n.used_macs) * 8 <= 0x1p62;
}

/// Counts of a mapping with residual tiles: each level's stats get its first instance's
/// traffic (for bandwidth cycles); returns the totals.
ImperfectCounts count_residual(const Einsum& e, const Mapping& m, Result& r) {
  ImperfectCounts c = count_imperfect(e, m);
  for (int l = 0; l < static_cast<int>(r.levels.size()); ++l)
    for (int t = 0; t < e.num_tensors(); ++t) {
      TensorStats& ts = r.levels[l].tensors[t];
      ts.kept = m.levels[l].keeps(t);
      if (!ts.kept) continue;
      ts.tile_words = c.tile_words[l][t];
      ts.reads = c.first[l][t].reads, ts.fills = c.first[l][t].fills,
      ts.updates = c.first[l][t].updates;
    }
  return c;
}

}  // namespace

Result evaluate(const Einsum& e, const arch::Arch& a, const Mapping& m, const Options& options) {
  Result r;
  r.macs = r.actual_macs = e.macs();
  r.area_um2 = a.area_um2();
  mapping::validate_into(e, a, m, r.violations, exact_counting(options));
  if (!r.violations.empty()) return r;
  const Nest n = build_nest(e, m);
  r.levels.resize(n.levels);
  for (auto& level : r.levels) level.tensors.resize(e.num_tensors());
  r.used_macs = n.used_macs;
  r.compute_cycles = n.steps;
  std::int64_t most = 0;  // a bound on every per-instance count (perfect factors)
  bool padded = false;    // some dimension's factors multiply past its bound: residual tiles
  for (int d = 0; d < e.num_dims(); ++d) padded = padded || n.extent[n.levels][d] != e.bounds[d];
  std::optional<ImperfectCounts>
      residual;  // only built for residual tiles: the hot path stays lean
  if (padded && !residual_counts_fit(n, e)) {
    report_overflow(r, -1, -1, mapping::Quantity::kResidualBound);
    r.valid = false;
    return r;
  }
  if (padded) {
    residual = count_residual(e, m, r);
    r.compute_cycles = residual->steps;
    r.used_macs = working_instances(n, e, -1);
  } else {
    Projection proj[kMaxTensors];
    for (int t = 0; t < e.num_tensors(); ++t) proj[t] = project(e, e.tensors[t]);
    Scratch scratch;
    for (int t = 0; t < e.num_tensors(); ++t)
      count_tensor(n, e, a, m, proj[t], t, options, r, scratch, most);
  }
  check_capacity(e, a, options, r);
  r.cycles = r.compute_cycles;
  r.mac_energy_pj = static_cast<double>(r.macs) * a.compute.mac_energy_pj;
  std::int64_t used_instances[kMaxLevels];
  for (int l = 0; l < n.levels; ++l)
    used_instances[l] = padded ? working_instances(n, e, l) : n.used_instances[l];
  // Every per-instance count is at most `most`; a level's sums add at most 2 x 4 of them. When
  // those times the instances fit, the level totals cannot pass int64 and are not checked.
  // (Residual counts fit by residual_counts_fit.)
  std::int64_t all_instances = 1;
  for (int l = 0; l < n.levels; ++l) all_instances = std::max(all_instances, used_instances[l]);
  std::int64_t largest;
  const bool checked = !padded && __builtin_mul_overflow(most, all_instances * 8, &largest);
  const ImperfectCounts* totals = residual ? &*residual : nullptr;
  finish_levels(e, a, m, used_instances, options, totals, checked, r);
  r.utilization = static_cast<double>(r.actual_macs + r.gated_macs) /
                  (static_cast<double>(r.cycles) * static_cast<double>(a.compute.instances));
  r.valid = r.violations.empty();
  return r;
}

}  // namespace outpace::model
