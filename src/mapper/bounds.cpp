#include "mapper/bounds.hpp"

#include <algorithm>
#include <cmath>

#include "model/evaluate.hpp"

namespace outpace::mapper {

namespace {

/// Distinct points of tensor t touched by a box of iterations with these extents: at least the
/// product over its dimensions of the largest extent among the terms that index it (one term
/// per tensor dimension already maps the box injectively).
double distinct_points(const workload::Tensor& t, const std::int64_t* extent) {
  double points = 1;
  for (const workload::TensorDim& td : t.dims) {
    std::int64_t widest = 1;
    for (const workload::Term& term : td.terms) widest = std::max(widest, extent[term.dim]);
    points *= static_cast<double>(widest);
  }
  return points;
}

/// Per level: the least words read, written (fills) and updated, summed over instances.
struct Traffic {
  double reads[kMaxLevels] = {};
  double fills[kMaxLevels] = {};
  double updates[kMaxLevels] = {};
};

struct Shape {
  double steps = 1;
  double used[kMaxLevels];                  ///< used instances of each level
  std::int64_t box[kMaxLevels][kMaxDims];   ///< iteration extents of one instance's whole run
  std::int64_t served[kMaxLevels][kMaxDims];  ///< extents one instance serves in one step
};

Shape shape_of(const MapSpace& s, const Tiling& t) {
  Shape sh;
  const int levels = s.levels(), dims = s.dims();
  for (int l = 0; l < levels; ++l)
    for (int d = 0; d < dims; ++d) sh.steps *= static_cast<double>(t.temporal[l][d]);
  for (int d = 0; d < dims; ++d) {
    std::int64_t above = 1, below = 1;
    for (int l = levels - 1; l >= 0; --l) {
      sh.box[l][d] = s.einsum().bounds[d] / above;
      above *= t.spatial[l][d];
    }
    for (int l = 0; l < levels; ++l) sh.served[l][d] = below *= t.spatial[l][d];
  }
  for (int l = levels - 1; l >= 0; --l) {
    sh.used[l] = 1;
    for (int j = l + 1; j < levels; ++j)
      for (int d = 0; d < dims; ++d) sh.used[l] *= static_cast<double>(t.spatial[j][d]);
  }
  return sh;
}

void add_tensor(const MapSpace& s, const Tiling& t, const Shape& sh, int ti, Traffic& tr) {
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


/// Energy and cycles of the least traffic: `tr` is priced here, `known_pj` per level is energy
/// already priced, `timed` is traffic already priced that still takes bandwidth.
Bound finish(const MapSpace& s, const Shape& sh, const Traffic& tr, const double* known_pj,
             const Traffic& timed) {
  const arch::Arch& a = s.arch();
  Bound b;
  b.cycles = sh.steps;
  b.energy_pj = static_cast<double>(s.einsum().macs()) * a.compute.mac_energy_pj;
  for (int l = 0; l < s.levels(); ++l) {
    const arch::StorageLevel& level = a.levels[l];
    const double block = level.block_size;
    b.energy_pj += known_pj[l] + (tr.reads[l] * level.energy.read_pj + tr.fills[l] * level.energy.write_pj +
                                  tr.updates[l] * level.energy.update_pj) / block;
    const double reads = tr.reads[l] + timed.reads[l], fills = tr.fills[l] + timed.fills[l],
                 updates = tr.updates[l] + timed.updates[l];
    const double writes = fills + (level.update_bandwidth ? 0 : updates);
    for (const auto& [words, bandwidth] :
         {std::pair{reads, level.read_bandwidth}, std::pair{writes, level.write_bandwidth},
          std::pair{updates, level.update_bandwidth.value_or(arch::kUnbounded)}})
      if (!std::isinf(bandwidth)) b.cycles = std::max(b.cycles, std::ceil(words / sh.used[l] / bandwidth));
  }
  for (int l = 0; l < s.levels(); ++l)
    b.energy_pj += a.levels[l].energy.leak_pj_per_cycle * b.cycles * static_cast<double>(a.levels[l].instances);
  return b;
}

/// True when every dimension of tensor t sums a single term.
bool single_terms(const workload::Tensor& t) {
  for (const workload::TensorDim& td : t.dims)
    if (td.terms.size() > 1) return false;
  return true;
}

/// Level l's loop order with the loops tensor t does not use innermost.
Order unused_first(const Order& order, const workload::Tensor& t) {
  std::uint32_t used = 0;
  for (const workload::TensorDim& td : t.dims)
    for (const workload::Term& term : td.terms) used |= 1u << term.dim;
  Order out;
  for (std::int8_t d : order)
    if (!((used >> d) & 1u)) out.push_back(d);
  for (std::int8_t d : order)
    if ((used >> d) & 1u) out.push_back(d);
  return out;
}

}  // namespace

Bound lower_bound(const MapSpace& s, const Tiling& t) {
  const Shape sh = shape_of(s, t);
  Traffic tr;
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) add_tensor(s, t, sh, ti, tr);
  const double none[kMaxLevels] = {};
  return finish(s, sh, tr, none, Traffic{});
}

Bound ordered_lower_bound(const MapSpace& s, const Tiling& t) {
  const Shape sh = shape_of(s, t);
  Traffic tr, exact;
  double known[kMaxLevels] = {};
  const int first[kMaxLevels] = {};
  const mapping::Mapping base = s.build(t, first);
  for (int ti = 0; ti < s.einsum().num_tensors(); ++ti) {
    const workload::Tensor& tensor = s.einsum().tensors[ti];
    if (!single_terms(tensor)) {
      add_tensor(s, t, sh, ti, tr);
      continue;
    }
    mapping::Mapping m = base;
    for (mapping::LevelMapping& lm : m.levels) {
      Order order;
      for (const auto& loop : lm.temporal) order.push_back(static_cast<std::int8_t>(loop.dim));
      order = unused_first(order, tensor);
      for (std::size_t i = 0; i < order.size(); ++i) lm.temporal[i] = {order[i], 0};
    }
    for (int l = 0; l < s.levels(); ++l)
      for (auto& loop : m.levels[l].temporal) loop.factor = t.temporal[l][loop.dim];
    const model::Result r = model::evaluate(s.einsum(), s.arch(), m);
    for (int l = 0; l < s.levels(); ++l) {
      const model::TensorStats& ts = r.levels[l].tensors[ti];
      known[l] += ts.energy_pj;
      exact.reads[l] += static_cast<double>(ts.reads);
      exact.fills[l] += static_cast<double>(ts.fills);
      exact.updates[l] += static_cast<double>(ts.updates);
    }
  }
  return finish(s, sh, tr, known, exact);
}

Bound space_lower_bound(const MapSpace& s) {
  const arch::Arch& a = s.arch();
  const workload::Einsum& e = s.einsum();
  const arch::StorageLevel& top = a.levels.back();
  Bound b;
  const double macs = static_cast<double>(e.macs());
  b.cycles = std::ceil(macs / static_cast<double>(a.compute.instances));
  b.energy_pj = macs * a.compute.mac_energy_pj;
  for (const workload::Tensor& t : e.tensors)
    b.energy_pj += distinct_points(t, e.bounds.data()) *
                   (t.is_output ? top.energy.update_pj : top.energy.read_pj) / top.block_size;
  return b;
}

}  // namespace outpace::mapper
