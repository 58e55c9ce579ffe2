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

/// The top move of tensor ti, false when it has none (an output, a tensor with a sliding or
/// repeated dimension, one that only the top level keeps, or one whose keeper's factors are not
/// all known: k above `decided`).
bool top_move(const MapSpace& s, const Tiling& t, int ti, int decided, OperandMove& m) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  const int top = s.levels() - 1;
  int k = top - 1;
  while (k >= 0 && !((t.keep[k] >> ti) & 1u)) --k;
  if (tensor.is_output || k < 0 || k > decided || !all_plain(tensor)) return false;
  m.k = k;
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

/// A cut of the temporal loops above an operand's keeper, in nest order (outermost first): per
/// dimension the product of its factors inside the cut (every loop not outside it, spatial ones
/// included), of those outside it (when known), and whether a loop of it outside the cut lies
/// inside one of its spatial loops (its blocks are then not consecutive).
struct Cut {
  std::int64_t inside[kMaxDims];
  double outside[kMaxDims];
  bool known[kMaxDims], split[kMaxDims];
};

/// The words the top must send the operand's keeper across the segments of a cut, at least:
/// words x the running blocks of its unused dimensions, less what the keeper holds as each
/// segment starts (-infinity when the segments cannot be counted).
double cut_words(const MapSpace& s, const OperandMove& m, const Cut& c) {
  double need = m.words, segments = 1;
  for (int d = 0; d < s.dims(); ++d) {
    const std::int64_t bound = s.einsum().bounds[d];
    const double blocks = static_cast<double>((bound + c.inside[d] - 1) / c.inside[d]);
    if (!((m.used >> d) & 1u)) need *= blocks;
    if (!c.split[d]) {
      segments *= blocks;
    } else {
      if (!c.known[d]) return -std::numeric_limits<double>::infinity();
      segments *= c.outside[d];
    }
  }
  return need - segments * m.held;
}

/// The most words the top must send the operand's keeper over every cut of the loops above it
/// that the tiling and the orders known decide: within the levels whose order is given (orders[l]
/// innermost first, nullptr when not known) after each loop, and at every level's boundary. The
/// levels from `first_unknown` up have factors not chosen yet (1 in the tiling): they all lie
/// outside every cut.
double nest_words(const MapSpace& s, const Tiling& t, const OperandMove& m,
                  const Order* const* orders, int first_unknown) {
  const int top = s.levels() - 1;
  Cut c;
  for (int d = 0; d < s.dims(); ++d) {
    c.inside[d] = 1, c.outside[d] = 1, c.known[d] = true, c.split[d] = false;
    for (int l = 0; l <= top; ++l) c.inside[d] *= t.spatial[l][d] * t.temporal[l][d];
  }
  // A loop of d at level j moves outside: it lies inside every spatial loop of d above j.
  const auto move_out = [&](int j, int d, bool unknown) {
    const std::int64_t f = t.temporal[j][d];
    if (f == 1 && !unknown) return;
    c.inside[d] /= f, c.outside[d] *= static_cast<double>(f);
    if (unknown) c.known[d] = false;
    for (int l = j + 1; l <= top; ++l) c.split[d] = c.split[d] || t.spatial[l][d] > 1;
  };
  double best = m.words - m.held;
  for (int j = top; j > m.k; --j) {
    const bool unknown = j >= first_unknown;
    if (!unknown && orders[j]) {
      const Order& order = *orders[j];
      for (int i = order.size() - 1; i >= 0; --i) {
        move_out(j, order[i], false);
        best = std::max(best, cut_words(s, m, c));
      }
    }
    for (int d = 0; d < s.dims(); ++d)
      if (unknown || !orders[j]) move_out(j, d, unknown);
    if (!unknown || j == first_unknown) best = std::max(best, cut_words(s, m, c));
  }
  return best;
}

/// The energy of what the top sends beyond the compulsory counts, for `best` words sent.
double beyond_pj(const OperandMove& m, double best) {
  return std::max(0.0, best - m.words) * m.read_pj + std::max(0.0, best - m.own_k) * m.write_pj;
}

/// What the orders (per level, nullptr when not known) cost beyond the compulsory counts, at
/// least, over the operands with a move.
double moves_pj(const MapSpace& s, const Tiling& t, const OrderBasis& b, const Order* const* orders,
                int first_unknown) {
  double pj = 0;
  for (int i = 0; i < b.count; ++i)
    pj += beyond_pj(b.moves[i], nest_words(s, t, b.moves[i], orders, first_unknown));
  return pj;
}

}  // namespace

OrderBasis order_basis(const MapSpace& s, const Tiling& t, int decided) {
  OrderBasis b;
  b.lowest = s.levels();
  for (int ti = 0; ti < s.einsum().num_tensors() && b.count < OrderBasis::kMaxMoves; ++ti)
    if (top_move(s, t, ti, decided, b.moves[b.count]))
      b.lowest = std::min(b.lowest, b.moves[b.count++].k + 1);
  return b;
}

double top_order_pj(const MapSpace& s, const Tiling& t, const OrderBasis& b) {
  if (b.count == 0) return 0;
  const int top = s.levels() - 1;
  const Order* orders[kMaxLevels] = {};
  Order order;
  for (int d = 0; d < s.dims(); ++d)
    if (t.temporal[top][d] > 1) order.push_back(static_cast<std::int8_t>(d));
  if (order.size() > 5) return moves_pj(s, t, b, orders, s.levels());
  orders[top] = &order;
  double least = std::numeric_limits<double>::infinity();
  do least = std::min(least, moves_pj(s, t, b, orders, s.levels()));
  while (std::next_permutation(order.begin(), order.end()));
  return least;
}

double orders_pj(const MapSpace& s, const Tiling& t, const OrderBasis& b,
                 const Order* const* orders) {
  return moves_pj(s, t, b, orders, s.levels());
}

double partial_pj(const MapSpace& s, const Tiling& t, int decided) {
  const Order* orders[kMaxLevels] = {};
  return moves_pj(s, t, order_basis(s, t, decided), orders, decided + 1);
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

namespace {

/// The temporal steps of dimension d whose first point lies below x, for x at most the product
/// of d's factors: from the outermost loop, its whole blocks times the temporal steps inside,
/// then the one cut by x, inward.
std::int64_t steps_below(const MapSpace& s, const Tiling& t, int d, std::int64_t x) {
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
  std::int64_t count = 0;
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

/// The running steps of dimension d when the temporal factors above level `decided` are not
/// chosen yet (1 in the tiling), or -1 when a spatial loop of d lies above one of them: the
/// loops not chosen then all lie outside the chosen ones, and whatever their factors they run
/// the blocks of the chosen ones that start below the bound, each whole but the last.
std::int64_t known_steps(const MapSpace& s, const Tiling& t, int d, int decided) {
  std::int64_t product = 1, steps = 1;
  for (int l = 0; l < s.levels(); ++l) {
    if (l >= decided + 2 && t.spatial[l][d] > 1) return -1;
    product *= t.spatial[l][d] * t.temporal[l][d];
    steps *= t.temporal[l][d];
  }
  const std::int64_t bound = s.einsum().bounds[d];
  const std::int64_t before = (bound + product - 1) / product - 1;  // the whole blocks
  return before * steps + steps_below(s, t, d, bound - before * product);
}

}  // namespace

std::int64_t running_steps(const MapSpace& s, const Tiling& t, int d) {
  return known_steps(s, t, d, s.levels() - 1);
}

Bound residual_bound(const MapSpace& s, const Tiling& t, const ResidualBasis& basis, int decided) {
  Bound b;
  b.cycles = 1;
  for (int d = 0; d < s.dims(); ++d) {
    const std::int64_t bound = s.einsum().bounds[d];
    const std::int64_t known = known_steps(s, t, d, decided);
    const std::int64_t steps = known >= 0 ? known : (bound + basis.spread[d] - 1) / basis.spread[d];
    b.cycles *= static_cast<double>(steps);
  }
  b.energy_pj = basis.energy_pj + basis.leak_pj_per_cycle * b.cycles;
  return b;
}

}  // namespace outpace::mapper
