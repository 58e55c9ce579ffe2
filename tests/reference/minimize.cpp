#include "reference/minimize.hpp"

#include <vector>

namespace outpace::reference {

namespace {

/// The case without tensor t, keep masks re-indexed.
Case drop_tensor(const Case& c, int t) {
  Case out = c;
  out.einsum.tensors.erase(out.einsum.tensors.begin() + t);
  for (mapping::LevelMapping& lm : out.mapping.levels) {
    const std::uint32_t low = lm.keep & ((1u << t) - 1);
    lm.keep = low | ((lm.keep >> (t + 1)) << t);
  }
  return out;
}

/// Candidates that change the Einsum's tensors: fewer tensors, terms, dims, smaller coefficients.
void tensor_moves(const Case& c, std::vector<Case>& out) {
  const workload::Einsum& e = c.einsum;
  for (int t = 0; t < e.num_tensors(); ++t) {
    if (!e.tensors[t].is_output && e.num_tensors() > 2) out.push_back(drop_tensor(c, t));
    const auto& dims = e.tensors[t].dims;
    for (std::size_t k = 0; k < dims.size(); ++k) {
      if (dims.size() > 1) {
        Case x = c;
        auto& xd = x.einsum.tensors[t].dims;
        workload::Tensor copy = x.einsum.tensors[t];
        xd.clear();
        for (std::size_t j = 0; j < copy.dims.size(); ++j)
          if (j != k) xd.push_back(copy.dims[j]);
        out.push_back(x);
      }
      for (std::size_t j = 0; j < dims[k].terms.size(); ++j) {
        if (dims[k].terms[j].coef > 1) {
          Case x = c;
          x.einsum.tensors[t].dims[k].terms[j].coef -= 1;
          out.push_back(x);
        }
        if (dims[k].terms.size() > 1) {
          Case x = c;
          workload::TensorDim td;
          for (std::size_t i = 0; i < dims[k].terms.size(); ++i)
            if (i != j) td.terms.push_back(dims[k].terms[i]);
          x.einsum.tensors[t].dims[k] = td;
          out.push_back(x);
        }
      }
    }
  }
}

/// Candidates that change loops: drop factor-1 loops, divide a factor (and its bound) by a prime,
/// move a temporal loop to the level above (outermost position there).
void loop_moves(const Case& c, std::vector<Case>& out) {
  const int levels = static_cast<int>(c.mapping.levels.size());
  for (int l = 0; l < levels; ++l) {
    const mapping::LevelMapping& lm = c.mapping.levels[l];
    for (std::size_t j = 0; j < lm.temporal.size(); ++j) {
      const mapping::TemporalLoop loop = lm.temporal[j];
      for (std::int64_t p = 2; p <= loop.factor; ++p)
        if (loop.factor % p == 0) {
          Case x = c;
          x.mapping.levels[l].temporal[j].factor /= p;
          x.einsum.bounds[loop.dim] /= p;
          out.push_back(x);
          break;
        }
      Case x = c;
      auto& temporal = x.mapping.levels[l].temporal;
      temporal.clear();
      for (std::size_t i = 0; i < lm.temporal.size(); ++i)
        if (i != j) temporal.push_back(lm.temporal[i]);
      if (loop.factor == 1) out.push_back(x);
      if (l + 1 < levels) {
        auto& above = x.mapping.levels[l + 1].temporal;
        bool merged = false;
        for (mapping::TemporalLoop& a : above)
          if (a.dim == loop.dim) a.factor *= loop.factor, merged = true;
        if (!merged) above.push_back(loop);
        out.push_back(x);
      }
    }
    for (std::size_t j = 0; j < lm.spatial.size(); ++j) {
      const mapping::SpatialLoop loop = lm.spatial[j];
      Case x = c;
      auto& spatial = x.mapping.levels[l].spatial;
      spatial.clear();
      for (std::size_t i = 0; i < lm.spatial.size(); ++i)
        if (i != j) spatial.push_back(lm.spatial[i]);
      if (loop.factor == 1) {
        out.push_back(x);
        continue;
      }
      for (std::int64_t p = 2; p <= loop.factor; ++p)
        if (loop.factor % p == 0) {
          Case y = c;
          y.mapping.levels[l].spatial[j].factor /= p;
          y.einsum.bounds[loop.dim] /= p;
          out.push_back(y);
          break;
        }
    }
  }
}

/// Candidates that change levels: bypass a kept tensor, fold a level into the one above.
void level_moves(const Case& c, std::vector<Case>& out) {
  const int levels = static_cast<int>(c.mapping.levels.size());
  for (int l = 0; l + 1 < levels; ++l) {
    const mapping::LevelMapping& lm = c.mapping.levels[l];
    for (int t = 0; t < c.einsum.num_tensors(); ++t)
      if (lm.keeps(t)) {
        Case x = c;
        x.mapping.levels[l].keep &= ~(1u << t);
        out.push_back(x);
      }
    // A level without spatial loops can go: its temporal loops become the innermost of the
    // level above, which keeps the loop order, unless that level iterates the same dimension.
    const mapping::LevelMapping& above = c.mapping.levels[l + 1];
    bool clash = !lm.spatial.empty();
    for (const mapping::TemporalLoop& a : above.temporal)
      for (const mapping::TemporalLoop& b : lm.temporal) clash = clash || a.dim == b.dim;
    if (clash) continue;
    Case x = c;
    x.arch.levels.erase(x.arch.levels.begin() + l);
    mapping::Mapping m;
    for (int i = 0; i < levels; ++i)
      if (i != l) m.levels.push_back(c.mapping.levels[i]);
    mapping::LevelMapping& merged = m.levels[l];
    merged.temporal = lm.temporal;
    for (const mapping::TemporalLoop& a : above.temporal) merged.temporal.push_back(a);
    x.mapping = m;
    for (int i = 0; i < x.arch.num_levels(); ++i) x.arch.levels[i].name = "L" + std::to_string(i);
    out.push_back(x);
  }
}

/// The case on the smallest meshes its spatial loops fit, or nothing if it already is.
void shrink_meshes(const Case& c, std::vector<Case>& out) {
  Case x = c;
  std::int64_t mx = 1, my = 1;  // mesh of the level's instances, from the outermost down
  for (int l = x.arch.num_levels() - 1; l >= -1; --l) {
    arch::StorageLevel* level = l >= 0 ? &x.arch.levels[l] : nullptr;
    if (level) level->instances = mx * my, level->mesh_x = mx;
    if (l < 0) x.arch.compute.instances = mx * my, x.arch.compute.mesh_x = mx;
    if (l < 0) break;
    for (const mapping::SpatialLoop& s : x.mapping.levels[l].spatial)
      (s.axis == mapping::Axis::X ? mx : my) *= s.factor;
  }
  if (x.arch.compute.instances != c.arch.compute.instances ||
      x.arch.compute.mesh_x != c.arch.compute.mesh_x)
    out.push_back(x);
}

/// The case without dimension d, which must have bound 1: its loops and index terms go.
bool drop_dim(Case& x, int d) {
  auto renumber = [d](int dim) { return dim > d ? dim - 1 : dim; };
  x.einsum.dim_names.erase(x.einsum.dim_names.begin() + d);
  x.einsum.bounds.erase(x.einsum.bounds.begin() + d);
  for (workload::Tensor& t : x.einsum.tensors) {
    workload::Tensor copy = t;
    t.dims.clear();
    for (const workload::TensorDim& td : copy.dims) {
      workload::TensorDim kept;
      for (const workload::Term& term : td.terms)
        if (term.dim != d) kept.terms.push_back({renumber(term.dim), term.coef});
      if (!kept.terms.empty()) t.dims.push_back(kept);
    }
    if (t.dims.empty()) return false;
  }
  for (mapping::LevelMapping& lm : x.mapping.levels) {
    mapping::LevelMapping copy = lm;
    lm.temporal.clear(), lm.spatial.clear();
    for (mapping::TemporalLoop loop : copy.temporal)
      if (loop.dim != d) lm.temporal.push_back({renumber(loop.dim), loop.factor});
    for (mapping::SpatialLoop loop : copy.spatial)
      if (loop.dim != d) lm.spatial.push_back({renumber(loop.dim), loop.factor, loop.axis});
  }
  return true;
}

/// Candidates without a dimension of bound 1.
void dim_moves(const Case& c, std::vector<Case>& out) {
  for (int d = 0; d < c.einsum.num_dims(); ++d) {
    Case x = c;
    if (c.einsum.bounds[d] == 1 && c.einsum.num_dims() > 1 && drop_dim(x, d)) out.push_back(x);
  }
}

}  // namespace

Case minimize(Case c, const std::function<bool(const Case&)>& fails) {
  for (bool shrunk = true; shrunk;) {
    shrunk = false;
    std::vector<Case> candidates;
    shrink_meshes(c, candidates);
    dim_moves(c, candidates);
    level_moves(c, candidates);
    tensor_moves(c, candidates);
    loop_moves(c, candidates);
    for (const Case& x : candidates)
      if (fails(x)) {
        c = x;
        shrunk = true;
        break;
      }
  }
  return c;
}

}  // namespace outpace::reference
