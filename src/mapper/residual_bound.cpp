#include "mapper/residual_bound.hpp"

#include <algorithm>

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

}  // namespace

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
