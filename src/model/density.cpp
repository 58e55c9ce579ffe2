#include "model/density.hpp"

#include <algorithm>
#include <cmath>

namespace outpace::model {

namespace {

/// Tiles up to this many points get the hypergeometric probabilities as products (a few
/// roundings), larger ones through lgamma.
constexpr std::int64_t kDirectTile = 1024;

/// log C(n, k) for 0 <= k <= n.
double log_choose(std::int64_t n, std::int64_t k) {
  return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(k) + 1) -
         std::lgamma(static_cast<double>(n - k) + 1);
}

/// ⌈x⌉, except that a value within rounding of an integer is that integer (0.7 x 10 is 7).
std::int64_t ceil_near(double x) {
  const double nearest = std::round(x);
  if (std::abs(x - nearest) <= 1e-9 * std::max(1.0, std::abs(x)))
    return static_cast<std::int64_t>(nearest);
  return static_cast<std::int64_t>(std::ceil(x));
}

}  // namespace

std::int64_t tensor_nonzeros(const Density& density, std::int64_t size) {
  if (density.kind == DensityKind::kDense) return size;
  return std::min(size, ceil_near(static_cast<double>(size) * density.density));
}

double hypergeometric_pmf(std::int64_t size, std::int64_t nonzeros, std::int64_t tile,
                          std::int64_t k) {
  if (k < 0 || k > nonzeros || k > tile || tile - k > size - nonzeros) return 0;
  if (tile > kDirectTile)
    return std::exp(log_choose(nonzeros, k) + log_choose(size - nonzeros, tile - k) -
                    log_choose(size, tile));
  // C(tile, k) · Π_{i<k} (K − i)/(N − i) · Π_{j<tile−k} (N − K − j)/(N − k − j): the tile's
  // points drawn one by one, the k nonzeros first, in any of C(tile, k) orders; exact to a few
  // roundings (a one-point tile's empty share is (N − K)/N).
  double p = 1;
  for (std::int64_t i = 0; i < k; ++i)
    p *= static_cast<double>(nonzeros - i) / static_cast<double>(size - i) *
         static_cast<double>(tile - i) / static_cast<double>(k - i);
  for (std::int64_t j = 0; j < tile - k; ++j)
    p *= static_cast<double>(size - nonzeros - j) / static_cast<double>(size - k - j);
  return p;
}

std::int64_t hypergeometric_quantile(std::int64_t size, std::int64_t nonzeros, std::int64_t tile,
                                     double tail) {
  const std::int64_t lowest = std::max<std::int64_t>(0, tile - (size - nonzeros));
  const std::int64_t highest = std::min(tile, nonzeros);
  if (tail <= 0) return highest;
  // From the top down: `above` is the probability of more than k nonzeros (a tail met within
  // rounding, 1e-12, counts as met).
  double above = 0;
  for (std::int64_t k = highest; k > lowest; --k) {
    const double p = hypergeometric_pmf(size, nonzeros, tile, k);
    if (above + p > tail + 1e-12) return k;
    above += p;
  }
  return lowest;
}

Occupancy occupancy(const Density& density, std::int64_t size, std::int64_t tile) {
  const double points = static_cast<double>(tile);
  switch (density.kind) {
    case DensityKind::kDense:
      return {points, 0, tile};
    case DensityKind::kFixedStructured: {
      // ⌊x⌋ nonzeros with probability 1 - frac(x), ⌈x⌉ with frac(x): below one, the tile is
      // empty with probability 1 - x.
      const double x = points * density.density;
      return {x, x < 1 ? 1 - x : 0.0, std::min(tile, ceil_near(x))};
    }
    case DensityKind::kUniform: {
      const std::int64_t nonzeros = tensor_nonzeros(density, size);
      return {points * static_cast<double>(nonzeros) / static_cast<double>(size),
              hypergeometric_pmf(size, nonzeros, tile, 0), std::min(tile, nonzeros)};
    }
  }
  return {points, 0, tile};
}

}  // namespace outpace::model
