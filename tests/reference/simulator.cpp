// A brute-force loop-nest simulator. It shares no formula with the analytical model: tiles are
// found by enumerating loop-index points, held as explicit sets of tensor coordinates, and every
// transfer is counted by comparing those sets step by step.
#include "reference/simulator.hpp"

#include <algorithm>

#include "common/internal_error.hpp"
#include "reference/nest.hpp"

namespace outpace::reference {

namespace {

using namespace sim_detail;
using workload::Einsum;

/// Simulation of one tensor over every step.
class TensorRun {
 public:
  TensorRun(const Einsum& e, int t, const Nest& n, const mapping::Mapping& m)
      : e_(e), t_(t), n_(n), output_(e.tensors[t].is_output), imperfect_(n.imperfect) {
    for (int l = 0; l < static_cast<int>(m.levels.size()); ++l) {
      if (!m.levels[l].keeps(t)) continue;
      Keeper k;
      k.level = l;
      const std::size_t used = static_cast<std::size_t>(n.instances(l));
      k.tile.resize(used), k.held.resize(used), k.fill.resize(used), k.evict.resize(used);
      k.counts.kept = true;
      k.counts.reads_at.assign(used, 0);
      k.counts.fills_at.assign(used, 0);
      k.counts.updates_at.assign(used, 0);
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
        parent.counts.updates_at[q] += static_cast<std::int64_t>(sums.size());
      }
    }
    for (Keeper& k : keepers_)
      for (const Points& held : k.held)
        k.counts.held_words += static_cast<std::int64_t>(held.size());
    keepers_.back().counts.fills = 0;  // the outermost level is preloaded
    keepers_.back().counts.fills_at.assign(keepers_.back().counts.fills_at.size(), 0);
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
      OUTPACE_ASSERT(imperfect_ || k.counts.tile_words == static_cast<std::int64_t>(now.size()))
          << "simulator: tile size changed over time or instances, from " << k.counts.tile_words
          << " to " << now.size() << " words";
      k.fill[i] = minus(now, k.tile[i]);
      if (output_) {
        k.fill[i] = intersect(k.fill[i], k.held[i]);  // never-held partial sums start at zero
        k.evict[i] = minus(k.tile[i], now);
        unite(k.held[i], now);
      }
      k.counts.fills += static_cast<std::int64_t>(k.fill[i].size());
      k.counts.fills_at[i] += static_cast<std::int64_t>(k.fill[i].size());
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
      for (std::size_t c = q * span; c < (q + 1) * span; ++c) {
        unite(sent, child.fill[c]);
        if (output_) unite(sums, child.evict[c]);
      }
      parent.counts.reads += static_cast<std::int64_t>(sent.size());
      parent.counts.updates += static_cast<std::int64_t>(sums.size());
      parent.counts.reads_at[q] += static_cast<std::int64_t>(sent.size());
      parent.counts.updates_at[q] += static_cast<std::int64_t>(sums.size());
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
        k.counts.reads_at[q] += static_cast<std::int64_t>(operands.size());
        continue;
      }
      const auto again = static_cast<std::int64_t>(intersect(operands, mac_updated_[q]).size());
      k.counts.updates += static_cast<std::int64_t>(operands.size());
      k.counts.updates_at[q] += static_cast<std::int64_t>(operands.size());
      k.counts.reads += again;
      k.counts.reads_at[q] += again;
      unite(mac_updated_[q], operands);
    }
  }

  const Einsum& e_;
  int t_;
  const Nest& n_;
  bool output_;
  bool imperfect_;
  std::vector<Keeper> keepers_;      ///< levels keeping the tensor, innermost first
  std::vector<Points> mac_updated_;  ///< per innermost-keeper instance: outputs its MACs updated
};

/// Per-instance counts from the totals, where every instance counts the same (a perfect nest).
void spread_evenly(SimTensor& t) {
  const auto n = static_cast<std::int64_t>(t.reads_at.size());
  OUTPACE_ASSERT(t.reads % n == 0 && t.fills % n == 0 && t.updates % n == 0)
      << "simulator: counts of a perfect nest do not divide over its " << n << " instances";
  t.reads_at.assign(t.reads_at.size(), t.reads / n);
  t.fills_at.assign(t.fills_at.size(), t.fills / n);
  t.updates_at.assign(t.updates_at.size(), t.updates / n);
}

}  // namespace

using namespace sim_detail;

SimResult simulate(const Einsum& e, const arch::Arch& a, const mapping::Mapping& m,
                   const SimOptions& options) {
  const Nest nest = build_nest(e, m);
  const bool timeloop = options.multicast_identical_only || options.reset_on_stride_change ||
                        options.extrapolate_temporal;
  OUTPACE_ASSERT(!nest.imperfect || !timeloop)
      << "simulator: Timeloop's shortcuts are not defined with imperfect factors";
  const std::vector<std::vector<std::int64_t>> steps = running_steps(e, nest);
  SimResult result;
  result.compute_cycles = static_cast<std::int64_t>(steps.size());
  // An instance works when some MAC under it executes at some step; the others idle.
  const std::int64_t macs = nest.instances(-1);
  std::vector<bool> mac_works(static_cast<std::size_t>(macs), false);
  for (const std::vector<std::int64_t>& tidx : steps)
    for (std::int64_t mac = 0; mac < macs; ++mac)
      if (in_bounds(e, outer_base(e, nest, -1, tidx, mac))) {
        ++result.macs;
        mac_works[static_cast<std::size_t>(mac)] = true;
      }
  result.used_macs = std::count(mac_works.begin(), mac_works.end(), true);
  result.levels.resize(a.levels.size());
  for (int l = 0; l < a.num_levels(); ++l) {
    SimLevel& level = result.levels[l];
    level.reached_instances = nest.instances(l);
    const std::int64_t span = macs / level.reached_instances;  // MACs under one instance
    std::vector<bool> works(static_cast<std::size_t>(level.reached_instances), false);
    for (std::int64_t mac = 0; mac < macs; ++mac)
      if (mac_works[static_cast<std::size_t>(mac)])
        works[static_cast<std::size_t>(mac / span)] = true;
    level.used_instances = std::count(works.begin(), works.end(), true);
    level.tensors.resize(e.tensors.size());
  }
  for (int t = 0; t < e.num_tensors(); ++t) {
    TensorRun run(e, t, nest, m);
    for (std::size_t s = 0; s < steps.size(); ++s) {
      // The outermost temporal loop whose index differs from the previous step that ran.
      int first_changed = 0;
      while (s > 0 && steps[s][first_changed] == steps[s - 1][first_changed]) ++first_changed;
      run.step(steps[s], first_changed, s == 0);
    }
    std::vector<Keeper> keepers = run.finish();
    if (timeloop) {
      timeloop_counts(e, a, t, nest, options, keepers);
      for (Keeper& k : keepers) spread_evenly(k.counts);  // perfect nests: instances alike
    }
    for (const Keeper& k : keepers) result.levels[k.level].tensors[t] = k.counts;
  }
  return result;
}

}  // namespace outpace::reference
