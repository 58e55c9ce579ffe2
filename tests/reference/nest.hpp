#pragma once

// The simulator's loop nest (used by simulator.cpp and timeloop_run.cpp only): the mapping
// flattened into loops, the tiles found by enumerating loop-index points, and sets of points.

#include <cstdint>
#include <vector>

#include "reference/simulator.hpp"

namespace outpace::reference::sim_detail {

using Points = std::vector<std::int64_t>;  ///< sorted, unique linear ids of tensor points

/// One loop of the flattened nest.
struct Loop {
  int dim = 0;
  std::int64_t factor = 1;
  int level = 0;
  std::int64_t stride = 1;  ///< product of the factors of the loops on `dim` nested inside it
  mapping::Axis axis = mapping::Axis::X;  ///< spatial loops: the mesh axis it spreads along
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

/// Flattens the mapping: per level from the outermost, its temporal loops outer to inner, then
/// its spatial loops; strides make each dimension's index a mixed-radix number over its loops.
Nest build_nest(const workload::Einsum& e, const mapping::Mapping& m);

/// Extent of tensor t along each of its dimensions over the whole iteration space.
std::vector<std::int64_t> tensor_extents(const workload::Einsum& e, int t);

/// True when every index of the loop-index point is within its dimension's bound (imperfect
/// factors pad the nest; points past a bound are skipped).
bool in_bounds(const workload::Einsum& e, const std::vector<std::int64_t>& point);

/// Loop-index point of the outer loops of level l: the step's temporal indices above l and the
/// instance's spatial indices above l; inner loops are at 0.
std::vector<std::int64_t> outer_base(const workload::Einsum& e, const Nest& n, int l,
                                     const std::vector<std::int64_t>& tidx, std::int64_t instance);

/// Tile of tensor t held by instance `instance` of level l (l = -1: one MAC) at the step with
/// temporal indices `tidx`: the bounding box of the projections of every loop-index point within
/// the bounds that the loops at levels <= l cover, enumerated one by one, as the set of all
/// points in that box; empty when no such point is within the bounds.
Points tile(const workload::Einsum& e, int t, const Nest& n, int l, const std::vector<std::int64_t>& tidx,
            std::int64_t instance, std::vector<std::int64_t>* corner = nullptr);

/// The points of a not in b.
Points minus(const Points& a, const Points& b);

/// The points in both a and b.
Points intersect(const Points& a, const Points& b);

/// Adds b's points to `into`.
void unite(Points& into, const Points& b);

/// The temporal indices of every step that runs, in order. With imperfect factors a step runs
/// only when some point of it is within the bounds, that is when its first point (every spatial
/// and inner index 0) is: a loop's trip count shrinks to what is left of its dimension.
std::vector<std::vector<std::int64_t>> running_steps(const workload::Einsum& e, const Nest& n);

/// Timeloop's counting of tensor t's transfers between kept levels (reads and updates of
/// parents, fills of children), with the reset on stride change and the temporal extrapolation
/// as `options` say; overrides those counts in `keepers` (from the exact run, which gives the
/// tiles, the words held and the innermost level's traffic with the MACs, which Timeloop counts
/// exactly).
void timeloop_counts(const workload::Einsum& e, const arch::Arch& a, int t, const Nest& n,
                     const SimOptions& options, std::vector<Keeper>& keepers);

/// Where Timeloop places the children of one instance of level l for its link search
/// (docs/timeloop-semantics.md, rule 4): child (x, y), x and y mixed-radix over the level's X and
/// Y loops in the mapping's order (first listed fastest), has index x + X·y, read back on an
/// H x V grid, H and V the larger of the level's fanout and its used factors along each axis.
struct LinkMesh {
  std::int64_t h = 1, v = 1;
  std::vector<std::int64_t> index_of;  ///< per child, numbered as the simulator's instances
  std::vector<std::int64_t> child_at;  ///< per index below the child count: the child
};

LinkMesh link_mesh(const Nest& n, const arch::Arch& a, int l);

/// Timeloop's link search at one call, for the children of one instance of a level: a child with
/// a non-empty delta is linked when a mesh neighbour received exactly the same words at the
/// previous call (`prev`). Returns the linked children.
std::vector<bool> linked_children(const LinkMesh& mesh, const std::vector<const Points*>& now,
                                  const std::vector<const Points*>& prev);

}  // namespace outpace::reference::sim_detail
