#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "mapper/mapspace.hpp"
#include "model/evaluate.hpp"

namespace outpace::mapper {

/// What is left of each dimension once a tiling is complete (the `rem` of a complete tiling).
inline constexpr std::array<std::int64_t, kMaxDims> kNothingLeft = [] {
  std::array<std::int64_t, kMaxDims> ones{};
  ones.fill(1);
  return ones;
}();

/// Energy and cycles no mapping of a tiling can go below, whatever its loop orders.
struct Bound {
  double energy_pj = 0;
  double cycles = 0;
};

/// Least words per level, summed over instances.
struct Traffic {
  double reads[kMaxLevels] = {};
  double fills[kMaxLevels] = {};
  double updates[kMaxLevels] = {};
};

/// What the bounds of a tiling reuse while only its temporal factors change: they depend on the
/// spatial factors and the keep choice alone.
struct SpatialBasis {
  double steps = 1;                           ///< MACs / used MACs: the temporal steps
  double used[kMaxLevels];                    ///< used instances of each level
  std::int64_t box[kMaxLevels][kMaxDims];     ///< iteration extents of one instance's whole run
  std::int64_t served[kMaxLevels][kMaxDims];  ///< extents one instance serves in one step
  Traffic compulsory[kMaxTensors];            ///< each tensor's compulsory traffic
  Traffic all_compulsory;                     ///< their sum
  // Per tensor, what the move bounds use and the temporal factors do not change:
  std::uint32_t passive[kMaxTensors];  ///< dimensions not indexing it through a plain dimension
  std::uint32_t sliding[kMaxTensors];  ///< dimensions in one of its multi-term dimensions
  int parent[kMaxTensors][kMaxLevels];     ///< the next level above keeping it (-1: none)
  /// 1 / the passive spatial factors from a keeper to its parent (siblings a word may reach)
  double inverse_fanin[kMaxTensors][kMaxLevels];
  double own[kMaxTensors][kMaxLevels];     ///< distinct words of every instance's whole run
  /// Energy per word read, filled and updated at each level (per vector access / block size).
  double per_word[kMaxLevels][3];
  bool bandwidth_limited[kMaxLevels];  ///< a level with a finite bandwidth
  double bandwidth[kMaxLevels][3];     ///< read, write, update bandwidths (inf: unbounded)
  double mac_pj;                        ///< the energy of every MAC
  /// The counting rules bounded: with any option of Timeloop's, the bounds that hold under
  /// Timeloop's counting (docs/mapper.md, "Bounds under Timeloop's counting").
  model::Options options;
};

/// A tiling's shape: its spatial basis, the extents of one instance's tile per level, and the
/// temporal iterations above each level per instance.
struct Shape {
  const SpatialBasis* basis = nullptr;
  std::int64_t inner[kMaxLevels][kMaxDims];
  double iterations[kMaxLevels];
  double tile_words[kMaxLevels][kMaxTensors];  ///< words of each tensor's tile per level
};

/// The spatial basis of a (possibly partial) tiling whose spatial factors are all known, for
/// mappings evaluated with `options`.
SpatialBasis spatial_basis(const MapSpace& space, const Tiling& tiling,
                           const model::Options& options = {});

/// A tighter lower bound for a tiling evaluated under Outpace's own counting rules: tensors
/// indexed only through single-term dimensions get the exact least traffic over all loop orders
/// (the model evaluated with the loops they do not use innermost at every level: every move of
/// such a tensor's tile replaces it whole, so the fewest moves win at every level at once);
/// the others keep lower_bound's compulsory traffic. Costs one evaluation per such tensor.
/// `basis`, when given, must be the tiling's spatial basis (spatial_basis(space, tiling)).
Bound ordered_lower_bound(const MapSpace& space, const Tiling& tiling, const SpatialBasis* basis = nullptr);

/// Like ordered_lower_bound, with the orders of levels `from` and above fixed to
/// space.orders(l, ...)[order_choice[l]]: every tensor's whole-tile moves counted with the fixed
/// levels' orders and the free levels ordered in its favour; with `exact_fixed`, one evaluation
/// supplies the exact counts that depend on fixed orders only (a level's fills depend on the
/// orders above it, its reads and updates on those above the keeper below).
/// `shape`, when given, must be the tiling's shape on that basis (as TilingBounds::shape() after
/// a call for the outermost level).
Bound partial_lower_bound(const MapSpace& space, const Tiling& tiling, const int* order_choice, int from,
                          bool exact_fixed = true, const SpatialBasis* basis = nullptr,
                          const Shape* shape = nullptr);

/// Like ordered_lower_bound without any evaluation, with only level `level`'s order fixed to
/// space.orders(level, ...)[order_choice]: every mapping of the tiling with that order at that
/// level costs at least this. When each of a level's orders is beaten, so is the tiling: the
/// tensors cannot all have their favourite order there at once.
Bound level_order_bound(const MapSpace& space, const Tiling& tiling, int level, int order_choice,
                        const SpatialBasis& basis, const Shape* shape = nullptr);

/// A lower bound, without evaluating, for every tiling that agrees with `tiling` on all spatial
/// factors and on the temporal factors of levels up to `decided` (-1: none), with rem[d] of each
/// dimension left for the temporal slots above: compulsory traffic, and for tensors indexed only
/// through single-term dimensions at least one whole tile per move, with as few moves as the
/// known factors allow (docs/mapper.md, "Lower bounds"). Undecided temporal factors must be 1.
Bound tiling_bound(const MapSpace& space, const Tiling& tiling, const std::int64_t* rem, int decided);
/// Like tiling_bound, reusing the tiling's spatial basis.
Bound tiling_bound(const MapSpace& space, const Tiling& tiling, const std::int64_t* rem, int decided,
                   const SpatialBasis& basis);

/// tiling_bound along the tiling cursor's depth-first walk: a call for level `decided` starts
/// from what the last call for a lower level computed (the shape of the levels up to it, and the
/// words of the keepers whose moves no longer depend on the factors left), so it only adds the
/// levels between. Valid while the tiling agrees with that call's on the factors up to its level,
/// as it does along the walk (a change at a level is followed by a call for that level).
class TilingBounds {
 public:
  /// Starts over with a new spatial basis (new spatial factors or keep choice).
  void reset(const SpatialBasis& basis);
  /// Equals tiling_bound(space, tiling, rem, decided, basis).
  Bound operator()(const MapSpace& space, const Tiling& tiling, const std::int64_t* rem, int decided);
  /// The shape of the levels up to the last call's.
  const Shape& shape() const { return shape_; }
  /// After a call for the level below the outermost and one for the outermost on the same
  /// complete tiling: level_order_bound(space, tiling, outermost, ...) for the outermost level's
  /// order `order`, recomputing only the keepers whose runs reach that level. Nothing when those
  /// calls were not made.
  std::optional<Bound> outermost_order(const MapSpace& space, const Tiling& tiling, const Order& order) const;

 private:
  Shape shape_;
  bool stored_[kMaxLevels] = {};  ///< a call for this level is reusable
  Traffic closed_[kMaxLevels];    ///< after a call for level l: words that no longer change
  std::uint32_t open_[kMaxLevels][kMaxTensors] = {};  ///< keepers (bit k) still depending on rem
};

/// A lower bound for the whole space: the MACs, every distinct word of each tensor crossing the
/// outermost level once (under Timeloop's counting, of the tensors without a sliding dimension),
/// and the cycles of a fully used MAC array.
Bound space_lower_bound(const MapSpace& space, const model::Options& options = {});

}  // namespace outpace::mapper
