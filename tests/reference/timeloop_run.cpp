// Timeloop v3.0.3's shortcuts in counting transfers (docs/timeloop-semantics.md), replayed on
// the simulator's explicit tiles.
#include <algorithm>
#include <cmath>

#include "reference/nest.hpp"

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
  TimeloopRun(const Einsum& e, const arch::Arch& a, int t, const Nest& n, const SimOptions& o,
              std::vector<Keeper>& k)
      : e_(e),
        a_(a),
        t_(t),
        n_(n),
        o_(o),
        keepers_(k),
        state_(k.size()),
        delta_(k.size()),
        share_(k.size(), 0),
        merges_(k.size()),
        prev_(k.size()),
        link_words_(k.size(), 0) {
    for (std::size_t i = 0; i < k.size(); ++i) {
      state_[i].resize(k[i].tile.size());
      delta_[i].resize(k[i].tile.size());
      prev_[i].resize(k[i].tile.size());
      if (i > 0) merges_[i].resize(static_cast<std::size_t>(k[i].level - k[i - 1].level));
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
      if (i == 0 && !o_.multicast_identical_only) continue;  // MAC traffic: exact
      const std::int64_t words = i == 0 ? mac_words() : parent_words(i);
      if (output) {
        c.updates = words;
        c.reads = words - c.held_words;
      } else {
        c.reads = words;
      }
    }
    for (std::size_t i = 0; i + 1 < keepers_.size(); ++i) add_peer_accesses(i);
  }

 private:
  /// Words merged into one level between a keeper and its parent, over the whole run.
  struct Merge {
    std::int64_t received = 0;  ///< words the level's children received, summed
    std::int64_t distinct = 0;  ///< the same with identical sibling deltas counted once
    std::int64_t united = 0;    ///< the union of the children's deltas (the parent level only)
  };

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
  /// union) and, for outputs, spatial reduction of identical partial sums. The deltas are merged
  /// level by level from the child up to the parent, each level merging its own children (for a
  /// level that bypasses the tensor, a child's words are the union of its keepers' deltas).
  void combine(std::size_t i, std::int64_t w) {
    std::vector<Points> sets = delta_[i - 1];  // per instance of the level being merged into
    const int first = keepers_[i - 1].level + 1;
    for (int l = first; l <= keepers_[i].level; ++l) {
      const std::size_t groups = static_cast<std::size_t>(n_.instances(l));
      const std::size_t span = sets.size() / groups;
      std::vector<bool> linked(sets.size(), false);
      if (l == first && o_.link_transfers && o_.multicast_identical_only && span > 1) {
        const LinkMesh mesh = link_mesh(n_, a_, l);
        for (std::size_t g = 0; g < groups; ++g) {
          const std::vector<bool> some = link(i, g * span, span, mesh, w);
          std::copy(some.begin(), some.end(),
                    linked.begin() + static_cast<std::ptrdiff_t>(g * span));
        }
      }
      sets = merge_level(sets, l, w, linked, l == keepers_[i].level,
                         merges_[i][static_cast<std::size_t>(l - first)]);
    }
    if (o_.link_transfers) prev_[i - 1] = delta_[i - 1];
  }

  /// Merges the words of level l's children (`sets`, per instance of the level below) into `m`:
  /// received, distinct among the children not `linked`, and, at the parent (`top`), united.
  /// Returns each instance of l's union of its children's words.
  std::vector<Points> merge_level(const std::vector<Points>& sets, int l, std::int64_t w,
                                  const std::vector<bool>& linked, bool top, Merge& m) const {
    const std::size_t groups = static_cast<std::size_t>(n_.instances(l));
    const std::size_t span = sets.size() / groups;
    std::vector<Points> merged(groups);
    for (std::size_t g = 0; g < groups; ++g) {
      std::vector<const Points*> distinct;
      for (std::size_t c = g * span; c < (g + 1) * span; ++c) {
        unite(merged[g], sets[c]);
        m.received += w * static_cast<std::int64_t>(sets[c].size());
        if (!linked[c] && std::none_of(distinct.begin(), distinct.end(),
                                       [&](const Points* p) { return *p == sets[c]; }))
          distinct.push_back(&sets[c]);
      }
      for (const Points* p : distinct) m.distinct += w * static_cast<std::int64_t>(p->size());
      if (top) m.united += w * static_cast<std::int64_t>(merged[g].size());
    }
    return merged;
  }

  /// Under identical-only multicast, the innermost keeper's reads (or updates) for its MACs:
  /// every step's MAC operands merged level by level up to it (rule 3 holds there too).
  std::int64_t mac_words() const {
    const int top = keepers_[0].level;
    std::vector<Merge> merges(static_cast<std::size_t>(top + 1));
    std::vector<std::int64_t> tidx(n_.temporal.size(), 0);
    for (bool more = true; more;) {
      std::vector<Points> sets;
      for (std::int64_t mac = 0; mac < n_.instances(-1); ++mac)
        sets.push_back(tile(e_, t_, n_, -1, tidx, mac));
      for (int l = 0; l <= top; ++l)
        sets = merge_level(sets, l, 1, std::vector<bool>(sets.size(), false), l == top,
                           merges[static_cast<std::size_t>(l)]);
      more = false;
      for (std::size_t j = tidx.size(); j-- > 0 && !more;)
        if (++tidx[j] < n_.temporal[j].factor)
          more = true;
        else
          tidx[j] = 0;
    }
    return scaled_words(merges);
  }

  /// Timeloop's link search among the children first .. first + span - 1 of one instance of the
  /// level above keeper i - 1: the linked children, when linking them leaves fewer distinct words
  /// to read (none otherwise); their words count as link transfers.
  std::vector<bool> link(std::size_t i, std::size_t first, std::size_t span, const LinkMesh& mesh,
                         std::int64_t w) {
    std::vector<const Points*> now, prev;
    for (std::size_t c = first; c < first + span; ++c)
      now.push_back(&delta_[i - 1][c]), prev.push_back(&prev_[i - 1][c]);
    std::vector<bool> linked = linked_children(mesh, now, prev);
    std::vector<const Points*> all, unlinked;
    std::int64_t moved = 0;
    for (std::size_t c = 0; c < span; ++c) {
      all.push_back(now[c]);
      if (linked[c])
        moved += static_cast<std::int64_t>(now[c]->size());
      else
        unlinked.push_back(now[c]);
    }
    if (distinct_words(unlinked) >= distinct_words(all)) return std::vector<bool>(span, false);
    OUTPACE_ASSERT(!e_.tensors[t_].is_output)
        << "simulator: link transfers of outputs are not modelled";
    link_words_[i - 1] += w * moved;
    return linked;
  }

  static std::int64_t distinct_words(const std::vector<const Points*>& sets) {
    std::vector<const Points*> distinct;
    std::int64_t words = 0;
    for (const Points* p : sets)
      if (std::none_of(distinct.begin(), distinct.end(),
                       [&](const Points* q) { return *q == *p; })) {
        distinct.push_back(p);
        words += static_cast<std::int64_t>(p->size());
      }
    return words;
  }

  /// Link transfers into keeper c's instances (docs/timeloop-semantics.md, rule 4): each
  /// instance reads and is filled LT / U_c more words, LT the transfers per instance of the
  /// level above, U_c the keeper's instances; its fills are ⌊share − LT / F + LT / U_c⌋, F the
  /// children of one instance above. Per instance, rounded as Timeloop does.
  void add_peer_accesses(std::size_t c) {
    if (link_words_[c] == 0) return;
    SimTensor& counts = keepers_[c].counts;
    const auto instances = static_cast<long double>(keepers_[c].tile.size());
    const long double above = static_cast<long double>(n_.instances(keepers_[c].level + 1));
    const long double per_above = link_words_[c] / above, peer = per_above / instances;
    const long double children = instances / above;
    const long double reads = std::round(counts.reads / instances + peer);
    const long double fills = std::floor(counts.fills / instances - per_above / children + peer);
    counts.reads = static_cast<std::int64_t>(reads * instances);
    counts.fills = static_cast<std::int64_t>(fills * instances);
  }

  /// Parent i's reads (or updates): the union of the children's deltas, or, with multicast of
  /// identical deltas only, the first level's merged words scaled by every later level's
  /// distinct-to-received ratio (Timeloop's MaskTiles, docs/timeloop-semantics.md, rule 3).
  std::int64_t parent_words(std::size_t i) const { return scaled_words(merges_[i]); }

  /// The union at the top, or with identical-only multicast the first level's distinct words
  /// scaled by every later level's distinct-to-received ratio.
  std::int64_t scaled_words(const std::vector<Merge>& m) const {
    if (!o_.multicast_identical_only) return m.back().united;
    long double words = static_cast<long double>(m.front().distinct);
    for (std::size_t l = 1; l < m.size(); ++l)
      if (m[l].received != 0) words = words * m[l].distinct / m[l].received;
    return std::llround(words);
  }

  const Einsum& e_;
  const arch::Arch& a_;
  int t_;
  const Nest& n_;
  const SimOptions& o_;
  std::vector<Keeper>& keepers_;
  std::vector<std::vector<DeltaState>> state_;  ///< per kept level, per instance
  std::vector<std::vector<Points>> delta_;      ///< per kept level, per instance: this step's
  std::vector<std::int64_t> share_;             ///< per kept level: words received, weighted
  std::vector<std::vector<Merge>> merges_;      ///< per kept level: per level up to it
  std::vector<std::vector<Points>> prev_;       ///< per kept level, per instance: the last call's
  std::vector<std::int64_t> link_words_;        ///< per kept level: words received over links
};

}  // namespace

void timeloop_counts(const Einsum& e, const arch::Arch& a, int t, const Nest& n,
                     const SimOptions& options, std::vector<Keeper>& keepers) {
  TimeloopRun(e, a, t, n, options, keepers).run();
}

}  // namespace outpace::reference::sim_detail
