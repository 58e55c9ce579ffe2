#include "mapper/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "mapper/keeper_moves.hpp"
#include "mapper/timeloop_bounds.hpp"
#include "model/evaluate.hpp"

namespace outpace::mapper {

using namespace bounds_detail;

namespace {

/// The basis without the compulsory traffic.
void fill_basis(const MapSpace& s, const Tiling& t, SpatialBasis& b) {
  const int levels = s.levels(), dims = s.dims();
  double above_all = 1;  // product of the spatial factors above the level
  for (int l = levels - 1; l >= 0; --l) {
    b.used[l] = above_all;
    for (int d = 0; d < dims; ++d) above_all *= static_cast<double>(t.spatial[l][d]);
  }
  b.steps = static_cast<double>(s.einsum().macs()) / above_all;
  for (int d = 0; d < dims; ++d) {
    std::int64_t above = 1, below = 1;
    for (int l = levels - 1; l >= 0; --l) {
      b.box[l][d] = s.einsum().bounds[d] / above;
      above *= t.spatial[l][d];
    }
    for (int l = 0; l < levels; ++l) b.served[l][d] = below *= t.spatial[l][d];
  }
}

/// Sets the shape's levels `from` to `upto` (the levels below are set already).
void fill_rows(const MapSpace& s, const Tiling& t, int from, int upto, Shape& sh) {
  for (int l = from; l <= upto; ++l) {
    // The points of an instance's whole run over those of one tile: products of integers below
    // 2^53 are exact in doubles, and so is the quotient (the tile divides the box).
    double box = 1, tile = 1;
    for (int d = 0; d < s.dims(); ++d) {
      sh.inner[l][d] = (l > 0 ? sh.inner[l - 1][d] : 1) * t.spatial[l][d] * t.temporal[l][d];
      box *= static_cast<double>(sh.basis->box[l][d]);
      tile *= static_cast<double>(sh.inner[l][d]);
    }
    sh.iterations[l] = box / tile;
    for (int ti = 0; ti < s.einsum().num_tensors(); ++ti)
      sh.tile_words[l][ti] = tile_points(s.einsum().tensors[ti], sh.inner[l]);
  }
}

/// The shape of the levels up to `upto` (the others are left unset).
Shape shape_of(const MapSpace& s, const Tiling& t, const SpatialBasis& basis, int upto) {
  Shape sh;
  sh.basis = &basis;
  fill_rows(s, t, 0, upto, sh);
  return sh;
}

/// Compulsory traffic of tensor ti, added to `tr`: every used instance of a keeper receives (and
/// its parent sends) each distinct word its subtree uses once; the innermost keeper serves the
/// MACs at every step.
void add_tensor(const MapSpace& s, const Tiling& t, const SpatialBasis& sh, int ti, Traffic& tr) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  int inner = -1;  // the keeper below the current one
  for (int l = 0; l < s.levels(); ++l) {
    if (!((t.keep[l] >> ti) & 1u)) continue;
    const double own = sh.used[l] * distinct_points(tensor, sh.box[l]);
    if (inner < 0) {  // serves the MACs at every step
      const double per_step = sh.steps * sh.used[l] * distinct_points(tensor, sh.served[l]);
      if (tensor.is_output) {
        tr.updates[l] += per_step;
        tr.reads[l] += std::max(0.0, per_step - own);
      } else {
        tr.reads[l] += per_step;
      }
    } else if (tensor.is_output) {
      tr.updates[l] += own;
    } else {
      tr.reads[l] += own;
    }
    if (l < s.levels() - 1 && !tensor.is_output) tr.fills[l] += own;
    inner = l;
  }
}

/// Energy and cycles of the least traffic `tr`.
Bound finish(const MapSpace& s, const SpatialBasis& sh, const Traffic& tr) {
  const arch::Arch& a = s.arch();
  Bound b;
  b.cycles = sh.steps;
  b.energy_pj = sh.mac_pj;
  for (int l = 0; l < s.levels(); ++l) {
    const arch::StorageLevel& level = a.levels[l];
    const double* e = sh.per_word[l];
    b.energy_pj += tr.reads[l] * e[0] + tr.fills[l] * e[1] + tr.updates[l] * e[2];
    if (!sh.bandwidth_limited[l]) continue;
    const double writes = tr.fills[l] + (level.update_bandwidth ? 0 : tr.updates[l]);
    const double words[3] = {tr.reads[l], writes, tr.updates[l]};
    for (int i = 0; i < 3; ++i) {
      const double bandwidth = sh.bandwidth[l][i];
      // The cycles are whole: words clearly within them at this bandwidth cannot raise them (a
      // product first; the division only when it may).
      if (words[i] <= b.cycles * sh.used[l] * bandwidth * (1 - 1e-9)) continue;
      // The model divides exactly (arch::Bandwidth::cycles); the floating-point quotient may
      // round up past a whole number (21 / 0.7), so it is lowered by far more than its
      // rounding error before the ceiling: still a lower bound.
      b.cycles = std::max(b.cycles, std::ceil(words[i] / sh.used[l] / bandwidth * (1 - 1e-12)));
    }
  }
  for (int l = 0; l < s.levels(); ++l)
    b.energy_pj += a.levels[l].energy.leak_pj_per_cycle * b.cycles * static_cast<double>(a.levels[l].instances);
  return b;
}

}  // namespace

SpatialBasis spatial_basis(const MapSpace& s, const Tiling& t, const model::Options& options) {
  SpatialBasis b;
  b.options = options;
  fill_basis(s, t, b);
  for (int l = 0; l < s.levels(); ++l) {
    const arch::StorageLevel& level = s.arch().levels[l];
    const double block = level.block_size / charged_share(level, b.used[l], options);
    b.per_word[l][0] = level.energy.read_pj / block;
    b.per_word[l][1] = level.energy.write_pj / block;
    b.per_word[l][2] = level.energy.update_pj / block;
    b.bandwidth[l][0] = level.read_bandwidth.value();
    b.bandwidth[l][1] = level.write_bandwidth.value();
    b.bandwidth[l][2] = level.update_bandwidth.value_or(arch::kUnbounded).value();
    b.bandwidth_limited[l] = !std::isinf(b.bandwidth[l][0]) || !std::isinf(b.bandwidth[l][1]) ||
                             !std::isinf(b.bandwidth[l][2]);
  }
  b.mac_pj = static_cast<double>(s.einsum().macs()) * s.arch().compute.mac_energy_pj;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) {
    fill_moves_basis(s, t, ti, b);
    if (timeloop_counting(b) && slides(b, ti))
      add_timeloop_tensor(s, t, b, ti, b.compulsory[ti]);
    else
      add_tensor(s, t, b, ti, b.compulsory[ti]);
    add(b.all_compulsory, b.compulsory[ti]);
  }
  return b;
}

Bound partial_lower_bound(const MapSpace& s, const Tiling& t, const int* order_choice, int from,
                          bool exact_fixed, const SpatialBasis* basis, const Shape* shape) {
  std::optional<SpatialBasis> own;
  if (!basis) own = spatial_basis(s, t);
  Shape computed;
  if (!shape) computed = shape_of(s, t, basis ? *basis : *own, s.levels() - 1);
  const Shape& sh = shape ? *shape : computed;
  const int levels = s.levels();
  const Order* orders[kMaxLevels] = {};
  int choice[kMaxLevels] = {};
  for (int l = from; l < levels; ++l) {
    choice[l] = order_choice[l];
    orders[l] = &s.orders(l, t.temporal_dims(l, s.dims()))[choice[l]];
  }
  // One evaluation gives every count that depends on fixed orders only.
  model::Result r;
  const bool evaluated = exact_fixed && from < levels;
  if (evaluated) r = model::evaluate(s.einsum(), s.arch(), s.build(t, choice), sh.basis->options);
  Traffic tr;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) {
    Traffic est;
    add_moves(s, t, sh, kNothingLeft.data(), levels - 1, orders, ti, est);
    int inner = -1;  // keeper below
    for (int l = 0; l < levels; ++l) {
      if (!((t.keep[l] >> ti) & 1u)) continue;
      const model::TensorStats* ts = evaluated ? &r.levels[l].tensors[ti] : nullptr;
      // A level's fills depend on the orders above it; its reads and updates on those above the
      // keeper below (or on none: the MACs' traffic; under Timeloop's counting its link
      // transfers add reads that depend on the orders above it).
      const bool fills_known = ts && l + 1 >= from;
      const bool served_known =
          ts && (inner >= 0 ? inner + 1 >= from : !timeloop_counting(*sh.basis) || l + 1 >= from);
      tr.fills[l] += fills_known ? static_cast<double>(ts->fills) : est.fills[l];
      tr.reads[l] += served_known ? static_cast<double>(ts->reads) : est.reads[l];
      tr.updates[l] += served_known ? static_cast<double>(ts->updates) : est.updates[l];
      inner = l;
    }
  }
  return finish(s, *sh.basis, tr);
}

Bound level_order_bound(const MapSpace& s, const Tiling& t, int level, int order_choice,
                        const SpatialBasis& basis, const Shape* shape) {
  Shape computed;
  if (!shape) computed = shape_of(s, t, basis, s.levels() - 1);
  const Shape& sh = shape ? *shape : computed;
  const Order* orders[kMaxLevels] = {};
  orders[level] = &s.orders(level, t.temporal_dims(level, s.dims()))[order_choice];
  Traffic tr;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) add_moves(s, t, sh, kNothingLeft.data(), s.levels() - 1, orders, ti, tr);
  return finish(s, *sh.basis, tr);
}

Bound tiling_bound(const MapSpace& s, const Tiling& t, const std::int64_t* rem, int decided,
                   const SpatialBasis& basis) {
  const Shape sh = shape_of(s, t, basis, decided);  // keeper_moves reads the levels up to decided
  Traffic tr;
  FirstLoop first;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti)
    add_moves(s, t, sh, rem, decided, kFreeOrders, ti, tr, &first);
  Bound bound = finish(s, basis, tr);
  bound.energy_pj += first.least(rem, s.dims());
  return bound;
}

void TilingBounds::reset(const SpatialBasis& basis) {
  shape_.basis = &basis;
  std::fill(std::begin(stored_), std::end(stored_), false);
}

Bound TilingBounds::operator()(const MapSpace& s, const Tiling& t, const std::int64_t* rem, int decided) {
  const SpatialBasis& b = *shape_.basis;
  const int tensors = s.einsum().num_tensors();
  int base = decided - 1;  // the last reusable call below
  while (base >= 0 && !stored_[base]) --base;
  for (int l = std::max(decided, 0); l < s.levels(); ++l) stored_[l] = false;
  fill_rows(s, t, base + 1, decided, shape_);
  Traffic traffic = base >= 0 ? closed_[base] : b.all_compulsory;
  struct Open {  // words of a keeper whose run still reaches past `decided` (plain: not zeroed)
    double fills, reads, updates;
    int k, p;
  } open[kMaxTensors * kMaxLevels];
  int opened = 0;
  std::uint32_t still_open[kMaxTensors] = {};
  FirstLoop first;
  for (int ti = 0; ti < tensors; ++ti) {
    std::uint32_t keepers = base >= 0 ? open_[base][ti] : 0;
    for (int k = base + 1; k <= decided; ++k)
      if (has_parent(t, b, ti, k)) keepers |= 1u << k;
    for (int k = 0; k <= decided; ++k) {
      if (!((keepers >> k) & 1u)) continue;
      const KeeperWords words = keeper_moves(s, t, shape_, rem, decided, kFreeOrders, ti, k);
      if (words.closed) {
        words.add_to(traffic, k, b.parent[ti][k]);
        continue;
      }
      open[opened++] = {words.fills, words.reads, words.updates, k, b.parent[ti][k]};
      still_open[ti] |= 1u << k;
      first.add(words, b.passive[ti]);
    }
  }
  if (decided >= 0) {
    stored_[decided] = true;
    closed_[decided] = traffic;
    std::copy(still_open, still_open + tensors, open_[decided]);
  }
  for (int i = 0; i < opened; ++i) {
    const Open& o = open[i];
    traffic.fills[o.k] += o.fills, traffic.reads[o.p] += o.reads, traffic.updates[o.p] += o.updates;
  }
  Bound bound = finish(s, b, traffic);
  bound.energy_pj += first.least(rem, s.dims());
  return bound;
}

std::optional<Bound> TilingBounds::outermost_order(const MapSpace& s, const Tiling& t, const Order& order) const {
  const int top = s.levels() - 1;
  if (top < 1 || !stored_[top - 1] || !stored_[top]) return std::nullopt;
  const SpatialBasis& b = *shape_.basis;
  const Order* orders[kMaxLevels] = {};
  orders[top] = &order;
  Traffic traffic = closed_[top - 1];  // the runs that end below the outermost level
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti)
    for (int k = 0; k < top; ++k)
      if ((open_[top - 1][ti] >> k) & 1u)
        keeper_moves(s, t, shape_, kNothingLeft.data(), top, orders, ti, k).add_to(traffic, k, b.parent[ti][k]);
  return finish(s, b, traffic);
}

Bound tiling_bound(const MapSpace& s, const Tiling& t, const std::int64_t* rem, int decided) {
  return tiling_bound(s, t, rem, decided, spatial_basis(s, t));
}

Bound ordered_lower_bound(const MapSpace& s, const Tiling& t, const SpatialBasis* basis) {
  return partial_lower_bound(s, t, nullptr, s.levels(), true, basis);
}

Bound space_lower_bound(const MapSpace& s, const model::Options& options) {
  const arch::Arch& a = s.arch();
  const workload::Einsum& e = s.einsum();
  const arch::StorageLevel& top = a.levels.back();
  Bound b;
  const double macs = static_cast<double>(e.macs());
  b.cycles = std::ceil(macs / static_cast<double>(a.compute.instances));
  b.energy_pj = macs * a.compute.mac_energy_pj;
  for (const workload::Tensor& t : e.tensors) {
    const bool slides = std::any_of(t.dims.begin(), t.dims.end(),
                                    [](const auto& td) { return td.terms.size() > 1; });
    if (slides && !model::exact_counting(options)) continue;  // extrapolation may count fewer
    b.energy_pj += distinct_points(t, e.bounds.data()) *
                   (t.is_output ? top.energy.update_pj : top.energy.read_pj) / top.block_size;
  }
  return b;
}

}  // namespace outpace::mapper
