#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "arch/arch.hpp"
#include "common/big_count.hpp"
#include "mapper/constraints.hpp"
#include "mapper/orders.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::mapper {

/// Which tensors each level keeps (bit t of keep[l]).
using KeepChoice = std::array<std::uint32_t, kMaxLevels>;

/// The factors of a mapping without its loop orders: per level and dimension the temporal and
/// the spatial factor, the axis of each spatial factor, and the tensors each level keeps.
struct Tiling {
  std::int64_t temporal[kMaxLevels][kMaxDims];
  std::int64_t spatial[kMaxLevels][kMaxDims];
  std::uint32_t on_y[kMaxLevels];  ///< bit d: the spatial factor of d spreads along Y
  KeepChoice keep;
  /// Dimensions with a temporal factor above 1 at level l (bit d).
  std::uint32_t temporal_dims(int l, int dims) const;
  /// Every factor 1, every spatial factor on X, nothing kept.
  static Tiling unit(int levels, int dims);
};

/// One place a factor goes: a level's temporal loops or its spatial fanout, with per dimension
/// the largest factor allowed there and the required one (0 = free).
struct Slot {
  int level = 0;
  bool spatial = false;
  std::int64_t limit[kMaxDims];
  std::int64_t fixed[kMaxDims];
};

/// The size of a map space before and after each pruning step (docs/mapper.md, "Map space").
struct SpaceSize {
  BigCount raw;          ///< every factorization over every slot, every order, axis and bypass
  BigCount constrained;  ///< what the constraints allow
  BigCount fitting;      ///< of those, the ones within every fanout and capacity
  BigCount distinct;     ///< after dropping unit loops and collapsing equivalent orders and axes
  std::uint64_t tilings = 0;  ///< factor assignments (with keep choices) in `distinct`
  std::uint64_t formed = 0;   ///< complete tilings formed, those the rules then drop included
  std::uint64_t examined = 0;  ///< factors tried: partial and complete tilings examined
  bool complete = true;        ///< false when counting stopped early (fitting/distinct partial)
  bool interrupted = false;    ///< the progress callback stopped it (else a limit, if incomplete)
};

/// How far a count of the map space got (MapSpace::size's progress callback).
struct CountProgress {
  std::uint64_t tilings = 0;   ///< tilings counted
  std::uint64_t formed = 0;    ///< complete tilings formed
  std::uint64_t examined = 0;  ///< partial and complete tilings examined
};

/// Partial and complete tilings a count may examine per tiling of its limit (MapSpace::size):
/// an unconstrained walk examines 2.5 to 4 per tiling it forms; this bounds the work when the
/// rules drop nearly every one.
inline constexpr std::uint64_t kExaminedPerTiling = 4;

/// The mappings of one Einsum onto one architecture that some constraints allow: every way to
/// split each dimension's bound into temporal and spatial factors per level, every loop order
/// per level, every spatial axis and every bypass choice. It enumerates the distinct valid
/// tilings (with capacity and fanout cut early), lists the canonical loop orders, samples the
/// space uniformly and counts its size.
class MapSpace {
 public:
  /// Constraints must pass check(); the referenced objects must outlive the space. With
  /// `collapse_orders` false every order of a level's loops is kept (for counting rules other
  /// than Outpace's own, under which equivalent orders may differ).
  MapSpace(const workload::Einsum& einsum, const arch::Arch& arch, const Constraints& constraints,
           bool collapse_orders = true);

  const workload::Einsum& einsum() const { return *einsum_; }
  const arch::Arch& arch() const { return *arch_; }
  const Constraints& constraints() const { return *constraints_; }
  int levels() const { return levels_; }
  int dims() const { return dims_; }
  /// The keep choices the constraints allow, in a fixed order.
  const std::vector<KeepChoice>& keep_choices() const { return keep_choices_; }

  /// Every factor slot in enumeration order: the spatial slots (outermost level first), then the
  /// temporal slots (innermost level first); the last is the outermost level's temporal slot.
  const std::vector<Slot>& slots() const { return slots_; }
  /// The divisors of dimension d's bound, increasing.
  const std::vector<std::int64_t>& divisors_of(int d) const { return divisors_[d]; }

  /// Visits, in a fixed order, every tiling of one keep choice whose factors meet the
  /// constraints, every fanout and every capacity (TilingCursor's sequence). Stops when visit
  /// returns false; returns false then.
  bool for_each_tiling(int keep_choice, const std::function<bool(const Tiling&)>& visit) const;

  /// True when level l's kept tiles fit its capacity, given each dimension's extent inside one
  /// instance of l.
  bool fits(int l, const std::int64_t* extent, std::uint32_t keep) const;
  /// Chooses an axis for every spatial factor of level l within its fanouts and the allowed
  /// axes: the first feasible split in a fixed order (the model's counts do not depend on the
  /// axis). False if none fits.
  bool split_axes(int l, const std::int64_t* spatial, std::uint32_t& on_y) const;
  /// Moves the tiling's axes to the next assignment that fits every level, in the order
  /// split_axes tries them (the lowest level changing fastest); false, with every level back at
  /// its first, when none is left. Counting rules with link transfers depend on the axes.
  bool next_axes(Tiling& tiling) const;

  /// The canonical orders (docs/mapper.md) of level l's temporal loops over the dimensions in
  /// `dims` (bit d), respecting the level's required innermost loops.
  const std::vector<Order>& orders(int l, std::uint32_t dims) const { return orders_[l][dims]; }

  /// The mapping of a tiling with, per level, the order orders(l, ...)[order_choice[l]].
  mapping::Mapping build(const Tiling& tiling, const int* order_choice) const;

  /// True when the tiling keeps at least the constraints' fraction of the MAC array busy.
  bool meets_utilization(const Tiling& tiling) const;
  /// True when `used_macs` MAC units are at least the constraints' fraction of the array.
  bool meets_utilization(double used_macs) const {
    return used_macs >= constraints_->min_utilization * static_cast<double>(arch_->compute.instances);
  }

  /// False when some dimension's bound splits over no choice of factors within the slots'
  /// limits and fixed factors: the constrained space is empty and nothing can be drawn from it
  /// (mapper::infeasibility refuses such constraints before a search).
  bool can_sample() const { return can_sample_; }
  /// A mapping drawn uniformly from the constrained space (the random baseline's draw): it may
  /// break a fanout or a capacity. Nothing when the space is empty (can_sample() is false).
  std::optional<mapping::Mapping> try_sample(std::mt19937_64& rng) const;
  /// try_sample(), or when the space is empty a mapping every evaluation finds invalid (no
  /// loops, the outermost level keeping nothing), so that a strategy drawing from an empty space
  /// sees invalid mappings and gives up as it does on any other.
  mapping::Mapping sample(std::mt19937_64& rng) const;

  /// The size at each step; fitting and distinct by enumeration, which stops (then `complete`
  /// is false) once `max_tilings` complete tilings were formed, kept or dropped, or
  /// kExaminedPerTiling x `max_tilings` partial and complete ones examined, whichever comes
  /// first: the work is bounded whatever the rules drop. `progress`, when given, is called on
  /// the calling thread every 65,536 tilings examined; returning false stops the count there
  /// (`interrupted`).
  SpaceSize size(std::uint64_t max_tilings = UINT64_MAX,
                 const std::function<bool(const CountProgress&)>& progress = {}) const;

 private:
  void build_slots();
  void build_keep_choices();
  void build_orders(bool collapse);
  std::uint32_t spread_dims(const std::int64_t* spatial) const;
  bool axes_fit(int l, const std::int64_t* spatial, std::uint32_t spread, std::uint32_t y) const;
  std::uint64_t count_axes(int l, const std::int64_t* spatial) const;
  void count_enumerated(SpaceSize& s, const BigCount& orders, std::uint64_t max_tilings,
                        const std::function<bool(const CountProgress&)>& progress) const;
  std::int64_t sample_factor(int d, std::size_t slot, std::int64_t rest, std::mt19937_64& rng) const;

  const workload::Einsum* einsum_;
  const arch::Arch* arch_;
  const Constraints* constraints_;
  int levels_ = 0, dims_ = 0;
  OrderEquivalence equivalence_;
  std::vector<Slot> slots_;
  std::vector<KeepChoice> keep_choices_;
  std::vector<std::vector<std::vector<Order>>> orders_;  ///< [level][dimension mask]
  std::vector<std::vector<std::int64_t>> divisors_;      ///< [dimension]
  /// ways_[d][i][j]: splits of divisor j of bound d over slots i.. (for uniform sampling)
  std::vector<std::vector<std::vector<double>>> ways_;
  bool can_sample_ = true;  ///< every dimension's bound has a split over the slots
};

}  // namespace outpace::mapper
