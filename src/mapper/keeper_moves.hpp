#pragma once

// The bounds' parts that follow one tensor's keepers (used by bounds.cpp only): the geometry of
// a tensor's tiles, and the words a keeper moves beyond the compulsory ones (docs/mapper.md,
// "Lower bounds").

#include <algorithm>
#include <cstdint>

#include "mapper/bounds.hpp"

namespace outpace::mapper::bounds_detail {

/// Adds `more` to `into`, level by level.
void add(Traffic& into, const Traffic& more);

/// Distinct points of tensor t touched by a box of iterations with these extents: at least the
/// product over its dimensions of the largest extent among the terms that index it (one term
/// per tensor dimension already maps the box injectively).
double distinct_points(const workload::Tensor& t, const std::int64_t* extent);

/// Points of tensor t in a tile with these iteration extents.
double tile_points(const workload::Tensor& t, const std::int64_t* extent);

/// Every level's order free.
inline constexpr const Order* kFreeOrders[kMaxLevels] = {};

/// A keeper's words beyond the compulsory ones: its fills, its parent's reads and updates.
struct KeeperWords {
  double fills = 0, reads = 0, updates = 0;
  bool closed = true;  ///< they depend on the levels up to `decided` only
  /// When not closed: the energy its words add when the innermost loop above `decided` is not
  /// over one of its passive dimensions (its run then ends at `decided`).
  double stopped_pj = 0;

  void add_to(Traffic& tr, int k, int p) const {
    tr.fills[k] += fills, tr.reads[p] += reads, tr.updates[p] += updates;
  }
};

/// Keeper k of tensor ti when the temporal factors of levels up to `decided` are known (and `rem`
/// of each dimension is left for the levels above): its words beyond the compulsory ones. A move
/// that changes the index of a loop over one of the tensor's plain dimensions replaces its tile
/// whole; the other dimensions are *passive* (unused or sliding). The tile moves whole at least
/// (temporal iterations above it) / (the longest run of passive loops that can sit innermost
/// above it) times; its parent sends each word to at most the siblings that differ only along
/// passive dimensions. Not closed when the run reaches past `decided` (the words depend on `rem`).
KeeperWords keeper_moves(const MapSpace& s, const Tiling& t, const Shape& sh, const std::int64_t* rem,
                         int decided, const Order* const* orders, int ti, int k);

/// The runs that reach past the known levels all start with the same loop, the innermost one
/// above them; a run for which its dimension is not passive ends there. The least, over the
/// dimensions that loop can be (those with something left), of the energy those runs add.
class FirstLoop {
 public:
  void add(const KeeperWords& w, std::uint32_t passive) {
    if (w.stopped_pj <= 0) return;
    for (std::size_t d = 0; d < kMaxDims; ++d)
      if (!((passive >> d) & 1u)) extra_[d] += w.stopped_pj;
  }
  double least(const std::int64_t* rem, int dims) const {
    double least = 0;
    bool any = false;  // nothing left: no loop, nothing added
    for (int d = 0; d < dims; ++d)
      if (rem[d] > 1) least = any ? std::min(least, extra_[d]) : extra_[d], any = true;
    return least;
  }

 private:
  double extra_[kMaxDims] = {};
};

/// True when level k keeps tensor ti below the outermost level: a keeper with a parent.
inline bool has_parent(const Tiling& t, const SpatialBasis& b, int ti, int k) {
  return ((t.keep[k] >> ti) & 1u) && b.parent[ti][k] >= 0;
}

/// Tensor ti: its compulsory traffic and every keeper's moves (keeper_moves) up to `decided`;
/// the runs that reach past `decided` noted in `first` when given.
void add_moves(const MapSpace& s, const Tiling& t, const Shape& sh, const std::int64_t* rem, int decided,
               const Order* const* orders, int ti, Traffic& tr, FirstLoop* first = nullptr);

/// The per-tensor fields of the basis that add_moves reads.
void fill_moves_basis(const MapSpace& s, const Tiling& t, int ti, SpatialBasis& b);

}  // namespace outpace::mapper::bounds_detail
