#pragma once

#include <cstdint>

namespace outpace::model {

/// How a tensor's nonzeros are spread over its points (docs/model.md, "Density models").
enum class DensityKind : std::uint8_t {
  kDense,            ///< every point is nonzero
  kFixedStructured,  ///< every tile holds the share of nonzeros, ⌊x⌋ or ⌈x⌉ of x = points x
                     ///< density with the mean x (N:M structured pruning)
  kUniform,          ///< the nonzeros are a uniformly random subset of the points: a tile's
                     ///< occupancy is hypergeometric
};

/// The density model of one tensor: the kind and the share of its points that are nonzero.
struct Density {
  DensityKind kind = DensityKind::kDense;
  double density = 1;  ///< in [0, 1]; 1 for kDense
  friend bool operator==(const Density&, const Density&) = default;
};

/// The nonzeros of a tensor of `size` points under the model: ⌈size x density⌉ (every point for
/// a dense tensor).
std::int64_t tensor_nonzeros(const Density& density, std::int64_t size);

/// What a tile of `tile` points of a tensor of `size` points holds, over the tiles the model
/// allows (docs/model.md, "Density models").
struct Occupancy {
  double expected = 0;    ///< nonzeros, in expectation
  double p_empty = 0;     ///< the probability that the tile holds no nonzero
  std::int64_t most = 0;  ///< nonzeros a tile can hold at most (capacity): the worst case
};

/// The occupancy of a tile of `tile` points (1 <= tile <= size) of a tensor of `size` points.
Occupancy occupancy(const Density& density, std::int64_t size, std::int64_t tile);

/// The probability that a tile of `tile` points holds exactly k nonzeros when `nonzeros` of the
/// tensor's `size` points are, drawn uniformly: the hypergeometric distribution
/// C(nonzeros, k) C(size - nonzeros, tile - k) / C(size, tile).
double hypergeometric_pmf(std::int64_t size, std::int64_t nonzeros, std::int64_t tile,
                          std::int64_t k);

/// The least k such that a tile holds more than k nonzeros with probability at most `tail`
/// (0 <= tail < 1, met within 1e-12) under the hypergeometric distribution: a capacity that holds
/// with confidence 1 - tail. With tail 0 it is the worst case, min(tile, nonzeros).
std::int64_t hypergeometric_quantile(std::int64_t size, std::int64_t nonzeros, std::int64_t tile,
                                     double tail);

}  // namespace outpace::model
