#include "mapping/mapping.hpp"

#include <cstdint>
#include <iterator>

namespace outpace::mapping {

void Violations::add(const Violation& v) {
  if (items.size() < items.capacity())
    items.push_back(v);
  else
    overflowed = true;
}

std::string describe(const Violation& v, const workload::Einsum& e, const arch::Arch& a) {
  const std::string level =
      v.level >= 0 && v.level < a.num_levels() ? "level '" + a.levels[v.level].name + "'" : "";
  const std::string dim =
      v.index >= 0 && v.index < e.num_dims() ? "dimension '" + e.dim_names[v.index] + "'" : "";
  const std::string tensor =
      v.index >= 0 && v.index < e.num_tensors() ? "tensor '" + e.tensors[v.index].name + "'" : "";
  const std::string value = std::to_string(v.value), limit = std::to_string(v.limit);
  switch (v.kind) {
    case ViolationKind::kLevelCount:
      return "mapping has " + value + " levels, the architecture has " + limit;
    case ViolationKind::kBadDim:
      return level + ": a loop names dimension #" + value + ", which the problem does not have";
    case ViolationKind::kBadFactor:
      return level + ", " + dim + ": factor " + value + " must be at least 1";
    case ViolationKind::kRepeatedLoop:
      return level + ", " + dim + ": more than one " + (v.value ? "spatial" : "temporal") +
             " loop; give each dimension one factor per level";
    case ViolationKind::kFactorProduct:
      return dim + ": factors multiply to " + value + ", the bound is " + limit;
    case ViolationKind::kWastedIteration:
      return dim + ": factors multiply to " + value + ", past the bound " + limit +
             " by more than a residual (a loop's last iteration would never run)";
    case ViolationKind::kFanoutX:
      return level + ": spatial X factors multiply to " + value + ", fanout X is " + limit;
    case ViolationKind::kFanoutY:
      return level + ": spatial Y factors multiply to " + value + ", fanout Y is " + limit;
    case ViolationKind::kOutermostBypass:
      return level + ": the outermost level must keep every tensor, " + tensor + " is bypassed";
    case ViolationKind::kCapacity:
      return level + ": tiles need " + value + " words, capacity is " + limit + " (over by " +
             std::to_string(v.value - v.limit) + ")";
    case ViolationKind::kOverflow: {
      static const char* const kWhat[] = {
          "MACs pass 2^63 - 1",
          "compute cycles pass 2^63 - 1",
          "instances pass 2^63 - 1",
          "tile words pass 2^63 - 1",
          "reads pass 2^63 - 1",
          "fills pass 2^63 - 1",
          "updates pass 2^63 - 1",
          "cycles pass 2^63 - 1",
          "energy passes 1e300 pJ",
          ("counts with residual tiles may pass 2^63 - 1 (steps x largest tensor x instances x 8 "
           "does)")};
      const bool known = v.value >= 0 && v.value < static_cast<std::int64_t>(std::size(kWhat));
      std::string where = level;
      if (!tensor.empty()) where += (where.empty() ? "" : ", ") + tensor;
      return (where.empty() ? "" : where + ": ") + (known ? kWhat[v.value] : "a figure overflows") +
             ": too large to count exactly; use smaller bounds, coefficients or factors";
    }
  }
  return "unknown violation";
}

namespace {

/// a * b, saturating at the largest int64 (factor products of bad input must not overflow).
std::int64_t mul_sat(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

/// Checks one loop; folds its factor into the dimension's product. False if it cannot count.
bool check_loop(int dims, int l, int dim, std::int64_t factor, bool spatial, std::uint32_t& seen,
                std::int64_t* product, Violations& out) {
  if (dim < 0 || dim >= dims) {
    out.add({ViolationKind::kBadDim, l, -1, dim, 0});
    return false;
  }
  if ((seen >> dim) & 1u) out.add({ViolationKind::kRepeatedLoop, l, dim, spatial ? 1 : 0, 0});
  seen |= 1u << dim;
  if (factor < 1) {
    out.add({ViolationKind::kBadFactor, l, dim, factor, 1});
    return false;
  }
  product[dim] = mul_sat(product[dim], factor);
  return true;
}

void check_level(int dims, const arch::Arch& a, int l, const LevelMapping& lm,
                 std::int64_t* product, Violations& out) {
  std::uint32_t temporal_seen = 0, spatial_seen = 0;
  for (const TemporalLoop& loop : lm.temporal)
    check_loop(dims, l, loop.dim, loop.factor, false, temporal_seen, product, out);
  if (lm.spatial.empty()) return;
  std::int64_t fx = 1, fy = 1;
  for (const SpatialLoop& loop : lm.spatial)
    if (check_loop(dims, l, loop.dim, loop.factor, true, spatial_seen, product, out))
      (loop.axis == Axis::X ? fx : fy) = mul_sat(loop.axis == Axis::X ? fx : fy, loop.factor);
  if (fx > 1 && fx > a.fanout_x(l)) out.add({ViolationKind::kFanoutX, l, -1, fx, a.fanout_x(l)});
  if (fy > 1 && fy > a.fanout_y(l)) out.add({ViolationKind::kFanoutY, l, -1, fy, a.fanout_y(l)});
}

/// Dimensions one of whose loops has a last iteration that never runs: in nest order (docs/
/// model.md), (factor - 1) x the product of the factors inside it reaches the bound.
std::uint32_t wasted_dims(const workload::Einsum& e, const Mapping& m) {
  std::int64_t inside[kMaxDims];
  for (int d = 0; d < e.num_dims(); ++d) inside[d] = 1;
  std::uint32_t wasted = 0;
  auto visit = [&](int dim, std::int64_t factor) {
    if (dim < 0 || dim >= e.num_dims() || factor < 1) return;  // reported as such
    if (mul_sat(factor - 1, inside[dim]) >= e.bounds[dim] && factor > 1) wasted |= 1u << dim;
    inside[dim] = mul_sat(inside[dim], factor);
  };
  for (const LevelMapping& lm : m.levels) {  // innermost level first; its spatial loops first
    for (const SpatialLoop& loop : lm.spatial) visit(loop.dim, loop.factor);
    for (const TemporalLoop& loop : lm.temporal) visit(loop.dim, loop.factor);
  }
  return wasted;
}

}  // namespace

Violations validate(const workload::Einsum& e, const arch::Arch& a, const Mapping& m,
                    bool allow_residual) {
  Violations out;
  validate_into(e, a, m, out, allow_residual);
  return out;
}

bool has_residual(const workload::Einsum& e, const Mapping& m) {
  std::int64_t product[kMaxDims];
  for (int d = 0; d < e.num_dims(); ++d) product[d] = 1;
  for (const LevelMapping& lm : m.levels) {
    for (const SpatialLoop& loop : lm.spatial) product[loop.dim] = mul_sat(product[loop.dim], loop.factor);
    for (const TemporalLoop& loop : lm.temporal) product[loop.dim] = mul_sat(product[loop.dim], loop.factor);
  }
  for (int d = 0; d < e.num_dims(); ++d)
    if (product[d] != e.bounds[d]) return true;
  return false;
}

void validate_into(const workload::Einsum& e, const arch::Arch& a, const Mapping& m,
                   Violations& out, bool allow_residual) {
  const int levels = static_cast<int>(m.levels.size());
  if (levels != a.num_levels()) {
    out.add({ViolationKind::kLevelCount, -1, -1, levels, a.num_levels()});
    return;
  }
  const int dims = e.num_dims();
  std::int64_t product[kMaxDims];
  for (int d = 0; d < dims; ++d) product[d] = 1;
  for (int l = 0; l < levels; ++l) check_level(dims, a, l, m.levels[l], product, out);
  const std::uint32_t wasted = allow_residual ? wasted_dims(e, m) : 0;
  for (int d = 0; d < dims; ++d) {
    if (product[d] < e.bounds[d] || (product[d] > e.bounds[d] && !allow_residual))
      out.add({ViolationKind::kFactorProduct, -1, d, product[d], e.bounds[d]});
    else if ((wasted >> d) & 1u)
      out.add({ViolationKind::kWastedIteration, -1, d, product[d], e.bounds[d]});
  }
  for (int t = 0; t < e.num_tensors(); ++t)
    if (!m.levels[levels - 1].keeps(t))
      out.add({ViolationKind::kOutermostBypass, levels - 1, t, 0, 0});
}

}  // namespace outpace::mapping
