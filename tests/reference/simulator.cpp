// A brute-force loop-nest simulator. It shares no formula with the analytical model: tiles are
// found by enumerating loop-index points, held as explicit sets of tensor coordinates, and every
// transfer is counted by comparing those sets step by step.
#include "reference/simulator.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include "common/internal_error.hpp"

namespace outpace::reference {

namespace {

using workload::Einsum;
using Points = std::vector<std::int64_t>;  ///< sorted, unique linear ids of tensor points

/// One loop of the flattened nest.
struct Loop {
  int dim = 0;
  std::int64_t factor = 1;
  int level = 0;
  std::int64_t stride = 1;  ///< product of the factors of the loops on `dim` nested inside it
};

/// The mapping's loop nest, flattened outermost first.
struct Nest {
  std::vector<Loop> temporal;  ///< every temporal loop, outermost first
  std::vector<Loop> spatial;   ///< every spatial loop, outermost first
  std::int64_t steps = 1;      ///< product of all temporal factors
  bool imperfect = false;      ///< some dimension's factors multiply past its bound

  /// Number of temporal loops above level l (they form a prefix of `temporal`).
  int temporal_above(int l) const { return count_above(temporal, l); }
  /// Number of spatial loops above level l (they form a prefix of `spatial`).
  int spatial_above(int l) const { return count_above(spatial, l); }
  /// Instances of level l reached by spatial loops (l = -1: the MACs).
  std::int64_t instances(int l) const {
    std::int64_t n = 1;
    for (int j = 0; j < spatial_above(l); ++j) n *= spatial[j].factor;
    return n;
  }

 private:
  static int count_above(const std::vector<Loop>& loops, int l) {
    int n = 0;
    while (n < static_cast<int>(loops.size()) && loops[n].level > l) ++n;
    return n;
  }
};

/// Flattens the mapping: per level from the outermost, its temporal loops outer to inner, then
/// its spatial loops; strides make each dimension's index a mixed-radix number over its loops.
Nest build_nest(const Einsum& e, const mapping::Mapping& m) {
  struct Entry {
    Loop loop;
    bool spatial;
  };
  std::vector<Entry> order;
  for (int l = static_cast<int>(m.levels.size()) - 1; l >= 0; --l) {
    const mapping::LevelMapping& lm = m.levels[l];
    for (auto it = lm.temporal.end(); it != lm.temporal.begin();) {
      --it;
      order.push_back({{it->dim, it->factor, l, 1}, false});
    }
    for (const mapping::SpatialLoop& s : lm.spatial)
      order.push_back({{s.dim, s.factor, l, 1}, true});
  }
  std::vector<std::int64_t> running(e.num_dims(), 1);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    it->loop.stride = running[it->loop.dim];
    running[it->loop.dim] *= it->loop.factor;
  }
  Nest nest;
  for (int d = 0; d < e.num_dims(); ++d) nest.imperfect = nest.imperfect || running[d] != e.bounds[d];
  for (const Entry& entry : order) {
    (entry.spatial ? nest.spatial : nest.temporal).push_back(entry.loop);
    if (!entry.spatial) nest.steps *= entry.loop.factor;
  }
  return nest;
}

/// Extent of tensor t along each of its dimensions over the whole iteration space.
std::vector<std::int64_t> tensor_extents(const Einsum& e, int t) {
  std::vector<std::int64_t> extents;
  for (const workload::TensorDim& td : e.tensors[t].dims) {
    std::int64_t extent = 1;
    for (const workload::Term& term : td.terms) extent += term.coef * (e.bounds[term.dim] - 1);
    extents.push_back(extent);
  }
  return extents;
}

/// True when every index of the loop-index point is within its dimension's bound (imperfect
/// factors pad the nest; points past a bound are skipped).
bool in_bounds(const Einsum& e, const std::vector<std::int64_t>& point) {
  for (int d = 0; d < e.num_dims(); ++d)
    if (point[d] >= e.bounds[d]) return false;
  return true;
}

/// Loop-index point of the outer loops of level l: the step's temporal indices above l and the
/// instance's spatial indices above l; inner loops are at 0.
std::vector<std::int64_t> outer_base(const Einsum& e, const Nest& n, int l,
                                     const std::vector<std::int64_t>& tidx, std::int64_t instance) {
  std::vector<std::int64_t> base(e.num_dims(), 0);
  for (int j = 0; j < n.temporal_above(l); ++j)
    base[n.temporal[j].dim] += tidx[j] * n.temporal[j].stride;
  for (int j = n.spatial_above(l) - 1; j >= 0; --j) {
    const Loop& loop = n.spatial[j];
    base[loop.dim] += (instance % loop.factor) * loop.stride;
    instance /= loop.factor;
  }
  return base;
}

/// Tile of tensor t held by instance `instance` of level l (l = -1: one MAC) at the step with
/// temporal indices `tidx`: the bounding box of the projections of every loop-index point within
/// the bounds that the loops at levels <= l cover, enumerated one by one, as the set of all
/// points in that box; empty when no such point is within the bounds.
Points tile(const Einsum& e, int t, const Nest& n, int l, const std::vector<std::int64_t>& tidx,
            std::int64_t instance, std::vector<std::int64_t>* corner = nullptr) {
  const std::vector<std::int64_t> base = outer_base(e, n, l, tidx, instance);
  std::vector<Loop> inner(n.temporal.begin() + n.temporal_above(l), n.temporal.end());
  inner.insert(inner.end(), n.spatial.begin() + n.spatial_above(l), n.spatial.end());
  const workload::Tensor& tensor = e.tensors[t];
  const std::size_t rank = tensor.dims.size();
  std::vector<std::int64_t> lo(rank, std::numeric_limits<std::int64_t>::max()), hi(rank, -1);
  std::vector<std::int64_t> idx(inner.size(), 0), point(base.size());
  bool any = false;
  for (bool more = true; more;) {
    point = base;
    for (std::size_t j = 0; j < inner.size(); ++j) point[inner[j].dim] += idx[j] * inner[j].stride;
    const bool inside = in_bounds(e, point);
    any = any || inside;
    for (std::size_t k = 0; inside && k < rank; ++k) {
      std::int64_t v = 0;
      for (const workload::Term& term : tensor.dims[k].terms) v += term.coef * point[term.dim];
      lo[k] = std::min(lo[k], v);
      hi[k] = std::max(hi[k], v);
    }
    more = false;
    for (std::size_t j = inner.size(); j-- > 0;) {
      if (++idx[j] < inner[j].factor) {
        more = true;
        break;
      }
      idx[j] = 0;
    }
  }
  if (!any) return {};  // every point lies past a bound: the instance idles
  if (corner != nullptr) *corner = lo;
  // Materialize the box in row-major order, so the ids come out sorted.
  const std::vector<std::int64_t> extents = tensor_extents(e, t);
  Points box;
  std::vector<std::int64_t> c(lo);
  for (bool more = true; more;) {
    std::int64_t id = 0;
    for (std::size_t k = 0; k < rank; ++k) id = id * extents[k] + c[k];
    box.push_back(id);
    more = false;
    for (std::size_t k = rank; k-- > 0;) {
      if (++c[k] <= hi[k]) {
        more = true;
        break;
      }
      c[k] = lo[k];
    }
  }
  return box;
}

Points minus(const Points& a, const Points& b) {
  Points out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Points intersect(const Points& a, const Points& b) {
  Points out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void unite(Points& into, const Points& b) {
  Points out;
  std::set_union(into.begin(), into.end(), b.begin(), b.end(), std::back_inserter(out));
  into.swap(out);
}

/// One level keeping the tensor: the state of each of its used instances.
struct Keeper {
  int level = 0;
  std::vector<Points> tile;   ///< current tile per instance
  std::vector<Points> held;   ///< every point the instance ever held (outputs)
  std::vector<Points> fill;   ///< what the instance received at this step
  std::vector<Points> evict;  ///< partial sums the instance gave up at this step (outputs)
  bool changed = false;       ///< the tile may have changed at this step
  SimTensor counts;
};

/// Simulation of one tensor over every step.
class TensorRun {
 public:
  TensorRun(const Einsum& e, int t, const Nest& n, const mapping::Mapping& m, bool identical_only)
      : e_(e),
        t_(t),
        n_(n),
        output_(e.tensors[t].is_output),
        identical_only_(identical_only),
        imperfect_(n.imperfect) {
    for (int l = 0; l < static_cast<int>(m.levels.size()); ++l) {
      if (!m.levels[l].keeps(t)) continue;
      Keeper k;
      k.level = l;
      const std::size_t used = static_cast<std::size_t>(n.instances(l));
      k.tile.resize(used), k.held.resize(used), k.fill.resize(used), k.evict.resize(used);
      k.counts.kept = true;
      keepers_.push_back(std::move(k));
    }
    mac_updated_.resize(static_cast<std::size_t>(n.instances(keepers_.front().level)));
  }

  /// Advances to the step with temporal indices `tidx`; `first_changed` is the outermost
  /// temporal position whose index changed (0 at the first step).
  void step(const std::vector<std::int64_t>& tidx, int first_changed, bool first) {
    for (Keeper& k : keepers_) refresh(k, tidx, first_changed, first);
    for (std::size_t i = 0; i + 1 < keepers_.size(); ++i) send_down(keepers_[i], keepers_[i + 1]);
    feed_macs(tidx);
  }

  /// Final write-back of partial sums, then the counts per kept level.
  std::vector<Keeper> finish() {
    for (std::size_t i = 0; output_ && i + 1 < keepers_.size(); ++i) {
      Keeper& child = keepers_[i];
      Keeper& parent = keepers_[i + 1];
      const std::size_t span = child.tile.size() / parent.tile.size();
      for (std::size_t q = 0; q < parent.tile.size(); ++q) {
        Points sums;
        for (std::size_t c = q * span; c < (q + 1) * span; ++c) unite(sums, child.tile[c]);
        parent.counts.updates += static_cast<std::int64_t>(sums.size());
      }
    }
    for (Keeper& k : keepers_)
      for (const Points& held : k.held)
        k.counts.held_words += static_cast<std::int64_t>(held.size());
    keepers_.back().counts.fills = 0;  // the outermost level is preloaded
    return keepers_;
  }

 private:
  void refresh(Keeper& k, const std::vector<std::int64_t>& tidx, int first_changed, bool first) {
    k.changed = first || first_changed < n_.temporal_above(k.level);
    if (!k.changed) return;
    for (std::size_t i = 0; i < k.tile.size(); ++i) {
      Points now = tile(e_, t_, n_, k.level, tidx, static_cast<std::int64_t>(i));
      if (now.empty()) {  // past the bounds: the instance idles and keeps what it holds
        k.fill[i].clear(), k.evict[i].clear();
        continue;
      }
      // With imperfect factors, residual tiles are smaller: the largest one is the tile size.
      k.counts.tile_words = std::max(k.counts.tile_words, static_cast<std::int64_t>(now.size()));
      OUTPACE_ASSERT(imperfect_ || k.counts.tile_words == static_cast<std::int64_t>(now.size()),
                     "simulator: tile size changed over time or instances");
      k.fill[i] = minus(now, k.tile[i]);
      if (output_) {
        k.fill[i] = intersect(k.fill[i], k.held[i]);  // never-held partial sums start at zero
        k.evict[i] = minus(k.tile[i], now);
        unite(k.held[i], now);
      }
      k.counts.fills += static_cast<std::int64_t>(k.fill[i].size());
      k.tile[i] = std::move(now);
    }
  }

  /// Parent reads: per step, the union of its children's fills (multicast); parent updates:
  /// the union of its children's evicted partial sums (spatial reduction).
  void send_down(const Keeper& child, Keeper& parent) {
    if (!child.changed) return;
    const std::size_t span = child.tile.size() / parent.tile.size();
    for (std::size_t q = 0; q < parent.tile.size(); ++q) {
      Points sent, sums;
      std::vector<Points> distinct;  // the different fill sets, for identical-only multicast
      for (std::size_t c = q * span; c < (q + 1) * span; ++c) {
        unite(sent, child.fill[c]);
        if (std::find(distinct.begin(), distinct.end(), child.fill[c]) == distinct.end())
          distinct.push_back(child.fill[c]);
        if (output_) unite(sums, child.evict[c]);
      }
      if (identical_only_) {
        sent.clear();
        for (const Points& p : distinct) sent.insert(sent.end(), p.begin(), p.end());
      }
      parent.counts.reads += static_cast<std::int64_t>(sent.size());
      parent.counts.updates += static_cast<std::int64_t>(sums.size());
    }
  }

  /// The innermost keeping level feeds its MACs every step: operands are read again each step
  /// (MACs keep nothing); outputs are updated, and read first unless never updated before.
  void feed_macs(const std::vector<std::int64_t>& tidx) {
    Keeper& k = keepers_.front();
    const std::size_t span = static_cast<std::size_t>(n_.instances(-1)) / k.tile.size();
    for (std::size_t q = 0; q < k.tile.size(); ++q) {
      Points operands;
      for (std::size_t mac = q * span; mac < (q + 1) * span; ++mac)
        unite(operands, tile(e_, t_, n_, -1, tidx, static_cast<std::int64_t>(mac)));
      if (!output_) {
        k.counts.reads += static_cast<std::int64_t>(operands.size());
        continue;
      }
      k.counts.updates += static_cast<std::int64_t>(operands.size());
      k.counts.reads += static_cast<std::int64_t>(intersect(operands, mac_updated_[q]).size());
      unite(mac_updated_[q], operands);
    }
  }

  const Einsum& e_;
  int t_;
  const Nest& n_;
  bool output_;
  bool identical_only_;
  bool imperfect_;
  std::vector<Keeper> keepers_;      ///< levels keeping the tensor, innermost first
  std::vector<Points> mac_updated_;  ///< per innermost-keeper instance: outputs its MACs updated
};

/// The temporal indices of every step that runs, in order. With imperfect factors a step runs
/// only when some point of it is within the bounds, that is when its first point (every spatial
/// and inner index 0) is: a loop's trip count shrinks to what is left of its dimension.
std::vector<std::vector<std::int64_t>> running_steps(const Einsum& e, const Nest& n) {
  std::vector<std::vector<std::int64_t>> steps;
  std::vector<std::int64_t> tidx(n.temporal.size(), 0), point(e.num_dims());
  for (std::int64_t s = 0; s < n.steps; ++s) {
    std::fill(point.begin(), point.end(), 0);
    for (std::size_t j = 0; j < tidx.size(); ++j) point[n.temporal[j].dim] += tidx[j] * n.temporal[j].stride;
    if (in_bounds(e, point)) steps.push_back(tidx);
    for (std::size_t j = tidx.size(); j-- > 0;) {
      if (++tidx[j] < n.temporal[j].factor) break;
      tidx[j] = 0;
    }
  }
  return steps;
}

/// Timeloop's delta of one instance's tile (OperationSpace::SaveAndSubtractIfSameStride): the
/// previous tile, its box corner and the translation remembered (none at first and after a reset).
struct DeltaState {
  Points tile;
  std::vector<std::int64_t> corner;
  std::vector<std::int64_t> translation;
  bool has_translation = false;
};

/// The words an instance receives when its tile becomes `now` (box corner `corner`).
Points timeloop_delta(DeltaState& s, Points now, std::vector<std::int64_t> corner, bool reset) {
  std::vector<std::int64_t> translation;
  const bool had_tile = !s.tile.empty();
  if (had_tile)
    for (std::size_t k = 0; k < corner.size(); ++k) translation.push_back(corner[k] - s.corner[k]);
  Points delta;
  if (!reset || !s.has_translation || translation == s.translation) {
    delta = minus(now, s.tile);
    if (reset && !s.has_translation) {
      s.translation = translation;
      s.has_translation = had_tile;  // after the first tile there is no translation yet
    }
  } else {
    delta = now;  // the stride changed: the whole tile, and forget the translation
    s.has_translation = false;
  }
  s.tile = std::move(now);
  s.corner = std::move(corner);
  return delta;
}

/// Timeloop's counting of one tensor's transfers between kept levels (reads and updates of
/// parents, fills of children), with the reset on stride change and the temporal extrapolation
/// as options; overrides those counts in `keepers` (from the exact run, which gives the tiles,
/// the words held and the innermost level's traffic with the MACs, which Timeloop counts
/// exactly).
class TimeloopRun {
 public:
  TimeloopRun(const Einsum& e, int t, const Nest& n, const SimOptions& o, std::vector<Keeper>& k)
      : e_(e),
        t_(t),
        n_(n),
        o_(o),
        keepers_(k),
        state_(k.size()),
        delta_(k.size()),
        share_(k.size(), 0),
        parent_(k.size(), 0) {
    for (std::size_t i = 0; i < k.size(); ++i) {
      state_[i].resize(k[i].tile.size());
      delta_[i].resize(k[i].tile.size());
    }
  }

  /// Runs every (extrapolated) step, then writes the counts into the keepers.
  void run() {
    const std::size_t loops = n_.temporal.size();
    std::vector<std::int64_t> tidx(loops, 0), limit(loops);
    for (std::size_t j = 0; j < loops; ++j)
      limit[j] = o_.extrapolate_temporal ? std::min<std::int64_t>(2, n_.temporal[j].factor)
                                         : n_.temporal[j].factor;
    int first_changed = 0;
    for (bool first = true, more = true; more; first = false) {
      step(tidx, first_changed, first);
      int j = static_cast<int>(loops) - 1;
      for (; j >= 0; --j) {
        if (++tidx[j] < limit[j]) break;
        tidx[j] = 0;
      }
      first_changed = j;
      more = j >= 0;
    }
    const bool output = e_.tensors[t_].is_output;
    for (std::size_t i = 0; i < keepers_.size(); ++i) {
      SimTensor& c = keepers_[i].counts;
      if (i + 1 < keepers_.size()) c.fills = output ? share_[i] - c.held_words : share_[i];
      if (i == 0) continue;  // the innermost level's traffic with the MACs is exact
      if (output) {
        c.updates = parent_[i];
        c.reads = parent_[i] - c.held_words;
      } else {
        c.reads = parent_[i];
      }
    }
  }

 private:
  /// Weight of a step: iteration 1 of a loop stands for iterations 1 ... factor - 1.
  std::int64_t weight(const std::vector<std::int64_t>& tidx, int loops_above) const {
    std::int64_t w = 1;
    for (int j = 0; j < loops_above; ++j)
      if (o_.extrapolate_temporal && tidx[j] == 1) w *= n_.temporal[j].factor - 1;
    return w;
  }

  void step(const std::vector<std::int64_t>& tidx, int first_changed, bool first) {
    std::vector<std::int64_t> w(keepers_.size(), 0);  // 0: the tile did not move
    for (std::size_t i = 0; i < keepers_.size(); ++i) {
      const int above = n_.temporal_above(keepers_[i].level);
      if (!first && first_changed >= above) continue;
      w[i] = weight(tidx, above);
      for (std::size_t q = 0; q < state_[i].size(); ++q) {
        std::vector<std::int64_t> corner;
        Points now =
            tile(e_, t_, n_, keepers_[i].level, tidx, static_cast<std::int64_t>(q), &corner);
        delta_[i][q] = timeloop_delta(state_[i][q], std::move(now), std::move(corner),
                                      o_.reset_on_stride_change);
        share_[i] += w[i] * static_cast<std::int64_t>(delta_[i][q].size());
      }
    }
    for (std::size_t i = 1; i < keepers_.size(); ++i)
      if (w[i - 1] != 0) combine(i, w[i - 1]);
  }

  /// Parent i's reads (or updates) for its children's deltas: multicast (identical-only or
  /// union) and, for outputs, spatial reduction of identical partial sums.
  void combine(std::size_t i, std::int64_t w) {
    const std::vector<Points>& child = delta_[i - 1];
    const std::size_t parents = state_[i].size();
    const std::size_t span = child.size() / parents;
    for (std::size_t q = 0; q < parents; ++q) {
      Points sent;
      std::vector<Points> distinct;
      for (std::size_t c = q * span; c < (q + 1) * span; ++c) {
        unite(sent, child[c]);
        if (std::find(distinct.begin(), distinct.end(), child[c]) == distinct.end())
          distinct.push_back(child[c]);
      }
      std::int64_t words = static_cast<std::int64_t>(sent.size());
      if (o_.multicast_identical_only) {
        words = 0;
        for (const Points& p : distinct) words += static_cast<std::int64_t>(p.size());
      }
      parent_[i] += w * words;
    }
  }

  const Einsum& e_;
  int t_;
  const Nest& n_;
  const SimOptions& o_;
  std::vector<Keeper>& keepers_;
  std::vector<std::vector<DeltaState>> state_;  ///< per kept level, per instance
  std::vector<std::vector<Points>> delta_;      ///< per kept level, per instance: this step's
  std::vector<std::int64_t> share_;             ///< per kept level: words received, weighted
  std::vector<std::int64_t> parent_;            ///< per kept level: reads / updates for children
};

}  // namespace

SimResult simulate(const Einsum& e, const arch::Arch& a, const mapping::Mapping& m,
                   const SimOptions& options) {
  const Nest nest = build_nest(e, m);
  OUTPACE_ASSERT(!nest.imperfect || !(options.reset_on_stride_change || options.extrapolate_temporal),
                 "simulator: Timeloop's shortcuts are not defined with imperfect factors");
  const std::vector<std::vector<std::int64_t>> steps = running_steps(e, nest);
  SimResult result;
  result.compute_cycles = static_cast<std::int64_t>(steps.size());
  result.used_macs = nest.instances(-1);
  for (const std::vector<std::int64_t>& tidx : steps)
    for (std::int64_t mac = 0; mac < result.used_macs; ++mac)
      result.macs += in_bounds(e, outer_base(e, nest, -1, tidx, mac)) ? 1 : 0;
  result.levels.resize(a.levels.size());
  for (int l = 0; l < a.num_levels(); ++l) {
    result.levels[l].used_instances = nest.instances(l);
    result.levels[l].tensors.resize(e.tensors.size());
  }
  for (int t = 0; t < e.num_tensors(); ++t) {
    TensorRun run(e, t, nest, m, options.multicast_identical_only);
    for (std::size_t s = 0; s < steps.size(); ++s) {
      // The outermost temporal loop whose index differs from the previous step that ran.
      int first_changed = 0;
      while (s > 0 && steps[s][first_changed] == steps[s - 1][first_changed]) ++first_changed;
      run.step(steps[s], first_changed, s == 0);
    }
    std::vector<Keeper> keepers = run.finish();
    if (options.reset_on_stride_change || options.extrapolate_temporal)
      TimeloopRun(e, t, nest, options, keepers).run();
    for (const Keeper& k : keepers) result.levels[k.level].tensors[t] = k.counts;
  }
  return result;
}

}  // namespace outpace::reference
