#pragma once

// The analytical model's view of a mapping with perfect factors (used by evaluate.cpp only): loop
// factors per level and dimension, the tensors' projections, and the union of sibling tiles.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/internal_error.hpp"
#include "common/limits.hpp"
#include "mapping/mapping.hpp"
#include "workload/einsum.hpp"

namespace outpace::model::detail {

using mapping::Mapping;
using workload::Einsum;
using workload::Tensor;

/// Loop factors of a mapping regrouped per level and dimension.
struct Nest {
  int levels = 0;
  int dims = 0;
  std::int64_t spatial[kMaxLevels][kMaxDims];
  /// extent[l + 1][d]: span of dimension d inside one instance of level l; extent[0] = a MAC.
  std::int64_t extent[kMaxLevels + 1][kMaxDims];
  std::int64_t used_instances[kMaxLevels];
  /// spatial_above[l][d]: product of the spatial factors of d at levels above l.
  std::int64_t spatial_above[kMaxLevels][kMaxDims];
  /// Temporal loops with a factor above 1, innermost first over all levels, each with the step
  /// it takes along its dimension and the product of the factors of the loops outside it.
  struct Loop {
    int level, dim;
    std::int64_t factor, step, outer;
  };
  Loop loops[kMaxLevels * kMaxDims];
  int num_loops = 0;
  int first_loop_above[kMaxLevels];  ///< index of the first loop at a level above l
  /// Spatial loops with a factor above 1, innermost level first; `step` is the extent of its
  /// dimension inside one child.
  Loop spreads[kMaxLevels * kMaxDims];
  int num_spreads = 0;
  std::int64_t steps = 1;  ///< product of every temporal factor: compute cycles
  std::int64_t used_macs = 1;

  std::int64_t ext(int level, int d) const { return extent[level + 1][d]; }
};

/// The nest of a perfect mapping (every factor divides its bound).
inline Nest build_nest(const Einsum& e, const Mapping& m) {
  Nest n;
  n.levels = static_cast<int>(m.levels.size());
  n.dims = e.num_dims();
  for (int d = 0; d < n.dims; ++d) n.extent[0][d] = 1;
  for (int l = 0; l < n.levels; ++l) {
    std::int64_t temporal[kMaxDims];
    for (int d = 0; d < n.dims; ++d) n.spatial[l][d] = temporal[d] = 1;
    for (const auto& loop : m.levels[l].temporal) temporal[loop.dim] *= loop.factor;
    for (const auto& loop : m.levels[l].spatial) n.spatial[l][loop.dim] *= loop.factor;
    for (int d = 0; d < n.dims; ++d) {
      n.extent[l + 1][d] = n.extent[l][d] * n.spatial[l][d] * temporal[d];
      n.steps *= temporal[d];
      n.used_macs *= n.spatial[l][d];
    }
  }
  for (int l = 0; l < n.levels; ++l) {
    for (int d = 0; d < n.dims; ++d)
      if (n.spatial[l][d] > 1)
        n.spreads[n.num_spreads++] = {l, d, n.spatial[l][d], n.extent[l][d], 1};
    n.first_loop_above[l > 0 ? l - 1 : 0] = n.num_loops;
    for (const auto& loop : m.levels[l].temporal)
      if (loop.factor > 1)
        n.loops[n.num_loops++] = {l, loop.dim, loop.factor,
                                  n.extent[l][loop.dim] * n.spatial[l][loop.dim], 1};
  }
  n.first_loop_above[n.levels - 1] = n.num_loops;
  for (int j = n.num_loops - 2; j >= 0; --j)
    n.loops[j].outer = n.loops[j + 1].outer * n.loops[j + 1].factor;
  std::int64_t above = 1;
  for (int l = n.levels - 1; l >= 0; --l) {
    n.used_instances[l] = above;
    for (int d = 0; d < n.dims; ++d)
      n.spatial_above[l][d] =
          l == n.levels - 1 ? 1 : n.spatial_above[l + 1][d] * n.spatial[l + 1][d];
    for (int d = 0; d < n.dims; ++d) above *= n.spatial[l][d];
  }
  return n;
}

/// Where each loop dimension indexes a tensor: tensor dimension and coefficient, or -1.
struct Projection {
  int tdim[kMaxDims];
  std::int64_t coef[kMaxDims];
  int dims = 0;  ///< tensor dimensions
  int num_terms = 0;
  int term_dim[kMaxDims];  ///< the loop dimensions that index the tensor, in order
};

/// Where tensor t's dimensions are indexed by the loop dimensions.
inline Projection project(const Einsum& e, const Tensor& t) {
  Projection p;
  p.dims = static_cast<int>(t.dims.size());
  for (int d = 0; d < e.num_dims(); ++d) p.tdim[d] = -1, p.coef[d] = 0;
  for (int k = 0; k < p.dims; ++k)
    for (const auto& term : t.dims[k].terms) {
      p.tdim[term.dim] = k, p.coef[term.dim] = term.coef;
      p.term_dim[p.num_terms++] = term.dim;
    }
  return p;
}

/// Tile widths along every tensor dimension for an instance of level l (l = -1: one MAC).
inline void tile_widths(const Nest& n, const Projection& proj, int l, std::int64_t* w) {
  for (int k = 0; k < proj.dims; ++k) w[k] = 1;
  for (int i = 0; i < proj.num_terms; ++i) {
    const int d = proj.term_dim[i];
    w[proj.tdim[d]] += proj.coef[d] * (n.ext(l, d) - 1);
  }
}

/// U(len): points covered by copies of an interval of length len placed at a set of sibling
/// offsets along one tensor dimension. The offsets are sums of arithmetic progressions, one
/// per spatial loop. Folding the progressions in order of stride keeps the union one interval
/// while each stride is at most the length so far; otherwise the union is counted exactly
/// through the sorted gaps between offsets (a rare case, and the only one that allocates).
class SiblingUnion {
 public:
  struct Progression {
    std::int64_t stride;
    std::int64_t count;
  };

  void add(const Progression& p) {
    if (p.count <= 1) return;
    OUTPACE_ASSERT(size_ < kCapacity)
        << "more than " << kCapacity << " spatial loops on one tensor dimension";
    int i = size_++;  // insertion keeps the progressions sorted by stride
    for (; i > 0 && progressions_[i - 1].stride > p.stride; --i)
      progressions_[i] = progressions_[i - 1];
    progressions_[i] = p;
  }

  /// Where the sorted gaps go if they are ever needed; must outlive every call.
  void set_scratch(std::vector<std::int64_t>* scratch) { scratch_ = scratch; }

  std::int64_t operator()(std::int64_t len) const {
    if (size_ == 0 || len <= 0) return len > 0 ? len : 0;
    return fold(len);
  }

 private:
  std::int64_t fold(std::int64_t len) const {
    std::int64_t covered = len;
    for (int i = 0; i < size_; ++i) {
      const Progression& p = progressions_[i];
      if (p.stride > covered) return size_ == 1 ? covered * p.count : from_gaps(len);
      covered += (p.count - 1) * p.stride;
    }
    return covered;
  }

  std::int64_t from_gaps(std::int64_t len) const {
    if (!gaps_ready_) {
      std::vector<std::int64_t>& offsets = *scratch_;
      offsets.assign(1, 0);
      for (int i = 0; i < size_; ++i) {
        const std::size_t base = offsets.size();
        for (std::int64_t k = 1; k < progressions_[i].count; ++k)
          for (std::size_t j = 0; j < base; ++j)
            offsets.push_back(offsets[j] + k * progressions_[i].stride);
      }
      std::sort(offsets.begin(), offsets.end());
      for (std::size_t i = 0; i + 1 < offsets.size(); ++i) offsets[i] = offsets[i + 1] - offsets[i];
      offsets.pop_back();
      gaps_ready_ = true;
    }
    std::int64_t covered = len;
    for (std::int64_t gap : *scratch_) covered += std::min(gap, len);
    return covered;
  }

  static constexpr int kCapacity = kMaxLevels * kMaxTerms;
  Progression progressions_[kCapacity];  // left uninitialized: only the first size_ are used
  int size_ = 0;
  std::vector<std::int64_t>* scratch_ = nullptr;
  mutable bool gaps_ready_ = false;
};

}  // namespace outpace::model::detail
