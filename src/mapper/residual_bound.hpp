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

/// A lower bound for every residual completion of a tiling with that basis: the basis' energy
/// and, per dimension, at least ⌈bound / spatial product⌉ steps; with `complete`, the tiling's
/// exact compute cycles instead.
Bound residual_bound(const MapSpace& space, const Tiling& tiling, const ResidualBasis& basis,
                     bool complete);

/// What a complete residual tiling's operands cost beyond the compulsory counts of its basis, at
/// least, whatever the order of the top level's loops (docs/mapper.md, "Bounds with residual
/// tiles"): the least over those orders (0 with more than five loops there) of the words the
/// top must send again to the level below it that keeps each operand.
double top_order_pj(const MapSpace& space, const Tiling& tiling);

}  // namespace outpace::mapper
