#include "mapper/residual_bound.hpp"

#include <algorithm>
#include <limits>

#include "mapper/keeper_moves.hpp"

namespace outpace::mapper {
using bounds_detail::distinct_points;
}

namespace outpace::mapper {

namespace {

/// Dimensions that index one of the tensor's dimensions alone (its plain dimensions, bit d).
std::uint32_t plain_dims(const workload::Tensor& t) {
  std::uint32_t plain = 0;
  for (const workload::TensorDim& td : t.dims)
    if (td.terms.size() == 1) plain |= 1u << td.terms[0].dim;
  return plain;
}

/// Dimensions that index the tensor at all (bit d).
std::uint32_t used_dims(const workload::Tensor& t) {
  std::uint32_t used = 0;
  for (const workload::TensorDim& td : t.dims)
    for (const workload::Term& term : td.terms) used |= 1u << term.dim;
  return used;
}

/// Per instance of level l, summed: the instances that differ along dimensions the tensor does
/// not use each need every word (every spatial loop's last iteration runs, so at least its
/// factor of positions along its dimension works).
double unused_fan(const MapSpace& s, const Tiling& t, std::uint32_t used, int l) {
  double fan = 1;
  for (int d = 0; d < s.dims(); ++d) {
    if ((used >> d) & 1u) continue;
    std::int64_t widest = 1;
    for (int k = l + 1; k < s.levels(); ++k) widest = std::max(widest, t.spatial[k][d]);
    fan *= static_cast<double>(widest);
  }
  return fan;
}

/// The MACs that one word of the tensor can serve in one step under one instance of level l:
/// the spatial factors below it of the dimensions that do not fix the word.
double sharing_below(const MapSpace& s, const Tiling& t, std::uint32_t plain, int l) {
  double share = 1;
  for (int d = 0; d < s.dims(); ++d)
    if (!((plain >> d) & 1u))
      for (int k = 0; k <= l; ++k) share *= static_cast<double>(t.spatial[k][d]);
  return share;
}

/// The energy of tensor ti's compulsory words at every keeper.
double compulsory_pj(const MapSpace& s, const Tiling& t, int ti) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  const double words = distinct_points(tensor, s.einsum().bounds.data());
  const double macs = static_cast<double>(s.einsum().macs());
  const std::uint32_t used = used_dims(tensor), plain = plain_dims(tensor);
  double pj = 0;
  bool innermost = true;
  for (int l = 0; l < s.levels(); ++l) {
    if (!((t.keep[l] >> ti) & 1u)) continue;
    const arch::StorageLevel& level = s.arch().levels[l];
    const double block = level.block_size;
    const double own = words * unused_fan(s, t, used, l);
    const double served = innermost ? macs / sharing_below(s, t, plain, l) : own;
    pj += served * (tensor.is_output ? level.energy.update_pj : level.energy.read_pj) / block;
    if (!tensor.is_output && l < s.levels() - 1) pj += own * level.energy.write_pj / block;
    innermost = false;
  }
  return pj;
}

/// Whether each dimension of the tensor is one loop dimension alone, no two the same: its words
/// are then the product of those bounds, and tiles at different offsets share no word.
bool all_plain(const workload::Tensor& t) {
  std::uint32_t seen = 0;
  for (const workload::TensorDim& td : t.dims) {
    if (td.terms.size() != 1 || ((seen >> td.terms[0].dim) & 1u)) return false;
    seen |= 1u << td.terms[0].dim;
  }
  return true;
}

/// An operand as the top level's order sees it: the level k the top sends it to, the words k's
/// instances can hold at once, and the energy of one word more read at the top and written at k
/// than the compulsory counts price.
struct TopMove {
  std::uint32_t used = 0;
  double words = 0, held = 0, own_k = 0, read_pj = 0, write_pj = 0;
};

/// The top move of tensor ti, false when it has none (an output, a tensor with a sliding or
/// repeated dimension, or one that only the top level keeps).
bool top_move(const MapSpace& s, const Tiling& t, int ti, TopMove& m) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  const int top = s.levels() - 1;
  int k = top - 1;
  while (k >= 0 && !((t.keep[k] >> ti) & 1u)) --k;
  if (tensor.is_output || k < 0 || !all_plain(tensor)) return false;
  m.used = used_dims(tensor);
  m.words = distinct_points(tensor, s.einsum().bounds.data());
  m.own_k = m.words * unused_fan(s, t, m.used, k);
  double instances = 1, tile = 1;
  for (int d = 0; d < s.dims(); ++d) {
    std::int64_t span = 1;
    for (int l = 0; l <= k; ++l) span *= t.spatial[l][d] * t.temporal[l][d];
    for (int l = k + 1; l < s.levels(); ++l) instances *= static_cast<double>(t.spatial[l][d]);
    if ((m.used >> d) & 1u) tile *= static_cast<double>(std::min(span, s.einsum().bounds[d]));
  }
  m.held = instances * tile;
  const arch::StorageLevel &high = s.arch().levels[top], &low = s.arch().levels[k];
  m.read_pj = high.energy.read_pj / high.block_size;
  m.write_pj = low.energy.write_pj / low.block_size;
  return true;
}

/// The energy beyond the compulsory counts of one operand under one order of the top level's
/// loops (`order`, outermost first, `factor` per dimension): for each cut of the order, the
/// segments of the loops outside it need words x the unused factors outside it, less what k's
/// instances hold when each segment starts (docs/mapper.md, "Bounds with residual tiles").
double top_move_pj(const TopMove& m, const int* order, int n, const std::int64_t* factor) {
  double need = m.words, segments = 1, best = m.words - m.held;
  for (int j = 0; j < n; ++j) {
    const double f = static_cast<double>(factor[order[j]]);
    if (!((m.used >> order[j]) & 1u)) need *= f;
    segments *= f;
    best = std::max(best, need - segments * m.held);
  }
  return std::max(0.0, best - m.words) * m.read_pj + std::max(0.0, best - m.own_k) * m.write_pj;
}

}  // namespace

double top_order_pj(const MapSpace& s, const Tiling& t) {
  constexpr int kMaxMoves = 8;
  TopMove moves[kMaxMoves];
  int count = 0;
  for (int ti = 0; ti < s.einsum().num_tensors() && count < kMaxMoves; ++ti)
    if (top_move(s, t, ti, moves[count])) ++count;
  const std::int64_t* factor = t.temporal[s.levels() - 1];
  int order[kMaxDims], n = 0;
  for (int d = 0; d < s.dims(); ++d)
    if (factor[d] > 1) order[n++] = d;
  if (count == 0 || n == 0 || n > 5) return 0;
  double least = std::numeric_limits<double>::infinity();
  do {
    double pj = 0;
    for (int i = 0; i < count; ++i) pj += top_move_pj(moves[i], order, n, factor);
    least = std::min(least, pj);
  } while (std::next_permutation(order, order + n));
  return least;
}

ResidualBasis residual_basis(const MapSpace& s, const Tiling& t) {
  ResidualBasis b;
  b.energy_pj = static_cast<double>(s.einsum().macs()) * s.arch().compute.mac_energy_pj;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) b.energy_pj += compulsory_pj(s, t, ti);
  for (const arch::StorageLevel& level : s.arch().levels)
    b.leak_pj_per_cycle += level.energy.leak_pj_per_cycle * static_cast<double>(level.instances);
  for (int d = 0; d < s.dims(); ++d) {
    b.spread[d] = 1;
    for (int l = 0; l < s.levels(); ++l) b.spread[d] *= t.spatial[l][d];
  }
  return b;
}

std::int64_t running_steps(const MapSpace& s, const Tiling& t, int d) {
  // The loops over d, outermost first: each level's temporal loop, then its spatial one.
  const int loops = 2 * s.levels();
  std::int64_t factor[2 * kMaxLevels], stride[2 * kMaxLevels], steps_inside[2 * kMaxLevels];
  for (int l = 0; l < s.levels(); ++l) {
    factor[loops - 1 - 2 * l] = t.spatial[l][d];
    factor[loops - 2 - 2 * l] = t.temporal[l][d];
  }
  std::int64_t span = 1, steps = 1;
  for (int j = loops - 1; j >= 0; --j) {
    stride[j] = span, steps_inside[j] = steps;
    span *= factor[j];
    if (j % 2 == 0) steps *= factor[j];  // a temporal loop
  }
  // Offsets below x: the whole blocks of the loop, then the one cut by the bound, inside.
  std::int64_t x = s.einsum().bounds[d], count = 0;
  for (int j = 0; j < loops; ++j) {
    if (j % 2 == 1) continue;  // a spatial digit is 0 at the step's first point
    const std::int64_t whole = std::min(factor[j], x / stride[j]);
    count += whole * steps_inside[j];
    if (whole == factor[j]) return count;
    x -= whole * stride[j];
    if (x == 0) return count;
  }
  return count + 1;
}

Bound residual_bound(const MapSpace& s, const Tiling& t, const ResidualBasis& basis,
                     bool complete) {
  Bound b;
  b.cycles = 1;
  for (int d = 0; d < s.dims(); ++d) {
    const std::int64_t bound = s.einsum().bounds[d];
    const std::int64_t steps =
        complete ? running_steps(s, t, d) : (bound + basis.spread[d] - 1) / basis.spread[d];
    b.cycles *= static_cast<double>(steps);
  }
  b.energy_pj = basis.energy_pj + basis.leak_pj_per_cycle * b.cycles;
  return b;
}

}  // namespace outpace::mapper
