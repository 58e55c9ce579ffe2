#include "reference/nest.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

namespace outpace::reference::sim_detail {

using workload::Einsum;

Nest build_nest(const Einsum& e, const mapping::Mapping& m) {
  struct Entry {
    Loop loop;
    bool spatial;
  };
  std::vector<Entry> order;
  for (int l = static_cast<int>(m.levels.size()) - 1; l >= 0; --l) {
    const mapping::LevelMapping& lm = m.levels[l];
    for (auto it = lm.temporal.end(); it != lm.temporal.begin();) {
      --it;
      order.push_back({{it->dim, it->factor, l, 1}, false});
    }
    for (const mapping::SpatialLoop& s : lm.spatial)
      order.push_back({{s.dim, s.factor, l, 1, s.axis}, true});
  }
  std::vector<std::int64_t> running(e.num_dims(), 1);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    it->loop.stride = running[it->loop.dim];
    running[it->loop.dim] *= it->loop.factor;
  }
  Nest nest;
  for (int d = 0; d < e.num_dims(); ++d) nest.imperfect = nest.imperfect || running[d] != e.bounds[d];
  for (const Entry& entry : order) {
    (entry.spatial ? nest.spatial : nest.temporal).push_back(entry.loop);
    if (!entry.spatial) nest.steps *= entry.loop.factor;
  }
  return nest;
}

std::vector<std::int64_t> tensor_extents(const Einsum& e, int t) {
  std::vector<std::int64_t> extents;
  for (const workload::TensorDim& td : e.tensors[t].dims) {
    std::int64_t extent = 1;
    for (const workload::Term& term : td.terms) extent += term.coef * (e.bounds[term.dim] - 1);
    extents.push_back(extent);
  }
  return extents;
}

bool in_bounds(const Einsum& e, const std::vector<std::int64_t>& point) {
  for (int d = 0; d < e.num_dims(); ++d)
    if (point[d] >= e.bounds[d]) return false;
  return true;
}

std::vector<std::int64_t> outer_base(const Einsum& e, const Nest& n, int l,
                                     const std::vector<std::int64_t>& tidx, std::int64_t instance) {
  std::vector<std::int64_t> base(e.num_dims(), 0);
  for (int j = 0; j < n.temporal_above(l); ++j)
    base[n.temporal[j].dim] += tidx[j] * n.temporal[j].stride;
  for (int j = n.spatial_above(l) - 1; j >= 0; --j) {
    const Loop& loop = n.spatial[j];
    base[loop.dim] += (instance % loop.factor) * loop.stride;
    instance /= loop.factor;
  }
  return base;
}

Points tile(const Einsum& e, int t, const Nest& n, int l, const std::vector<std::int64_t>& tidx,
            std::int64_t instance, std::vector<std::int64_t>* corner) {
  const std::vector<std::int64_t> base = outer_base(e, n, l, tidx, instance);
  std::vector<Loop> inner(n.temporal.begin() + n.temporal_above(l), n.temporal.end());
  inner.insert(inner.end(), n.spatial.begin() + n.spatial_above(l), n.spatial.end());
  const workload::Tensor& tensor = e.tensors[t];
  const std::size_t rank = tensor.dims.size();
  std::vector<std::int64_t> lo(rank, std::numeric_limits<std::int64_t>::max()), hi(rank, -1);
  std::vector<std::int64_t> idx(inner.size(), 0), point(base.size());
  bool any = false;
  for (bool more = true; more;) {
    point = base;
    for (std::size_t j = 0; j < inner.size(); ++j) point[inner[j].dim] += idx[j] * inner[j].stride;
    const bool inside = in_bounds(e, point);
    any = any || inside;
    for (std::size_t k = 0; inside && k < rank; ++k) {
      std::int64_t v = 0;
      for (const workload::Term& term : tensor.dims[k].terms) v += term.coef * point[term.dim];
      lo[k] = std::min(lo[k], v);
      hi[k] = std::max(hi[k], v);
    }
    more = false;
    for (std::size_t j = inner.size(); j-- > 0;) {
      if (++idx[j] < inner[j].factor) {
        more = true;
        break;
      }
      idx[j] = 0;
    }
  }
  if (!any) return {};  // every point lies past a bound: the instance idles
  if (corner != nullptr) *corner = lo;
  // Materialize the box in row-major order, so the ids come out sorted.
  const std::vector<std::int64_t> extents = tensor_extents(e, t);
  Points box;
  std::vector<std::int64_t> c(lo);
  for (bool more = true; more;) {
    std::int64_t id = 0;
    for (std::size_t k = 0; k < rank; ++k) id = id * extents[k] + c[k];
    box.push_back(id);
    more = false;
    for (std::size_t k = rank; k-- > 0;) {
      if (++c[k] <= hi[k]) {
        more = true;
        break;
      }
      c[k] = lo[k];
    }
  }
  return box;
}

Points minus(const Points& a, const Points& b) {
  Points out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Points intersect(const Points& a, const Points& b) {
  Points out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

void unite(Points& into, const Points& b) {
  Points out;
  std::set_union(into.begin(), into.end(), b.begin(), b.end(), std::back_inserter(out));
  into.swap(out);
}

std::vector<std::vector<std::int64_t>> running_steps(const Einsum& e, const Nest& n) {
  std::vector<std::vector<std::int64_t>> steps;
  std::vector<std::int64_t> tidx(n.temporal.size(), 0), point(e.num_dims());
  for (std::int64_t s = 0; s < n.steps; ++s) {
    std::fill(point.begin(), point.end(), 0);
    for (std::size_t j = 0; j < tidx.size(); ++j) point[n.temporal[j].dim] += tidx[j] * n.temporal[j].stride;
    if (in_bounds(e, point)) steps.push_back(tidx);
    for (std::size_t j = tidx.size(); j-- > 0;) {
      if (++tidx[j] < n.temporal[j].factor) break;
      tidx[j] = 0;
    }
  }
  return steps;
}

}  // namespace outpace::reference::sim_detail
