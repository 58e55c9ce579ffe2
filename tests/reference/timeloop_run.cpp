// Timeloop v3.0.3's shortcuts in counting transfers (docs/timeloop-semantics.md), replayed on
// the simulator's explicit tiles.
#include "reference/nest.hpp"

#include <algorithm>

namespace outpace::reference::sim_detail {

namespace {

using workload::Einsum;

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

/// Replays the nest for one tensor, Timeloop's way (timeloop_counts).
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

void timeloop_counts(const Einsum& e, int t, const Nest& n, const SimOptions& options,
                     std::vector<Keeper>& keepers) {
  TimeloopRun(e, t, n, options, keepers).run();
}

}  // namespace outpace::reference::sim_detail
