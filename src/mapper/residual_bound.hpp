#pragma once

#include <cstdint>

#include "mapper/bounds.hpp"

namespace outpace::mapper {

/// What the residual bounds of a tiling reuse while only its temporal factors change: the energy
/// of the compulsory traffic and of the MACs, and each dimension's spatial product.
struct ResidualBasis {
  double energy_pj = 0;           ///< the MACs and the compulsory words of every keeper
  double leak_pj_per_cycle = 0;   ///< every instance of every level
  std::int64_t spread[kMaxDims];  ///< each dimension's spatial factors multiplied (padded)
};

/// The residual basis of a (possibly partial) residual tiling whose spatial factors and keep
/// choice are known (docs/mapper.md, "Bounds with residual tiles"): valid for every completion
/// whose loops each run their last iteration.
ResidualBasis residual_basis(const MapSpace& space, const Tiling& tiling);

/// The temporal steps that run along dimension d of a complete residual tiling: the temporal
/// offsets below the bound (docs/model.md, "Imperfect factorization"); the model's compute
/// cycles are their product over dimensions.
std::int64_t running_steps(const MapSpace& space, const Tiling& tiling, int d);

/// A lower bound for every residual completion of a tiling with that basis whose temporal
/// factors are chosen up to level `decided` (the others 1; -1 when only the spatial ones are,
/// levels() - 1 when the tiling is complete): the basis' energy and, per dimension, its exact
/// running steps when the loops not chosen all lie outside the chosen ones (no spatial loop of
/// it above them), else at least ⌈bound / spatial product⌉ steps.
Bound residual_bound(const MapSpace& space, const Tiling& tiling, const ResidualBasis& basis,
                     int decided);

/// An operand as the loops above its keeper see them (docs/mapper.md, "Bounds with residual
/// tiles"): a tensor read by the MACs whose dimensions are each one loop dimension alone, the
/// level k below the top that keeps it highest, the words k's instances can hold at once, and
/// the energy of one word more read at the top and written at k than the compulsory counts.
struct OperandMove {
  int k = 0;
  std::uint32_t used = 0;  ///< the dimensions that index it (bit d)
  double words = 0, held = 0, own_k = 0, read_pj = 0, write_pj = 0;
};

/// What the order bounds of a tiling reuse: its operands' moves, and the lowest level whose
/// loop order enters them (levels() when none does).
struct OrderBasis {
  static constexpr int kMaxMoves = 8;
  OperandMove moves[kMaxMoves];
  int count = 0;
  int lowest = 0;
};

/// The order basis of a tiling whose temporal factors are chosen up to level `decided`: the
/// operands whose keeper's factors are all chosen.
OrderBasis order_basis(const MapSpace& space, const Tiling& tiling, int decided);

/// What a complete residual tiling's operands cost beyond the compulsory counts of its basis, at
/// least, whatever the loop orders (docs/mapper.md, "Bounds with residual tiles"): the least
/// over the orders of the top level's loops (only its boundary with more than five loops there)
/// of the words the top must send again to the level below it that keeps each operand, over the
/// cuts of the loops above that keeper.
double top_order_pj(const MapSpace& space, const Tiling& tiling, const OrderBasis& basis);

/// The same for the loop orders known: orders[l] (innermost first) for the levels whose order is
/// chosen, nullptr for the others.
double orders_pj(const MapSpace& space, const Tiling& tiling, const OrderBasis& basis,
                 const Order* const* orders);

/// The same for every completion of a tiling whose temporal factors are chosen up to level
/// `decided` (the others 1), whatever the orders: the cuts at the boundaries of the levels
/// chosen, for the operands whose keeper's factors are all chosen.
double partial_pj(const MapSpace& space, const Tiling& tiling, int decided);

}  // namespace outpace::mapper
