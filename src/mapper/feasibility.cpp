#include "mapper/feasibility.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include "mapper/factorization.hpp"

namespace outpace::mapper {

namespace {

/// A fixed factor of the constraints, or 1 where the factor is free.
std::int64_t or_one(std::int64_t f) { return std::max<std::int64_t>(1, f); }

/// "'RF'", for messages.
std::string level_name(const arch::Arch& a, int l) { return "'" + a.levels[l].name + "'"; }

/// Where a largest temporal factor may come from, for messages: a dataflow preset's rules are
/// largest factors too, and the user wrote neither.
constexpr const char* kMaxSources = " (set in the constraints or by the --dataflow preset)";

/// Fixed factors of a dimension whose product does not divide its bound: no perfect tiling.
void check_products(const Constraints& c, const workload::Einsum& e, const arch::Arch& a,
                    std::vector<std::string>& out) {
  for (int d = 0; d < e.num_dims(); ++d) {
    const std::int64_t bound = e.bounds[d];
    std::int64_t product = 1;  // saturates at bound + 1: each factor is at most the bound
    std::string given;
    for (int l = 0; l < a.num_levels(); ++l)
      for (const auto& [f, kind] : {std::pair{c.levels[l].temporal_fixed[d], "temporal "},
                                    std::pair{c.levels[l].spatial_fixed[d], "spatial "}}) {
        if (f <= 1) continue;
        product = std::min(product * f, bound + 1);
        given += (given.empty() ? "" : ", ") + (kind + std::to_string(f)) + " at " +
                 level_name(a, l);
      }
    if (bound % product == 0) continue;
    out.push_back("dimension '" + e.dim_names[d] + "': the fixed factors (" + given +
                  ") multiply to " +
                  (product > bound ? "more than its bound " + std::to_string(bound)
                                   : std::to_string(product) + ", which does not divide its bound " +
                                         std::to_string(bound)));
  }
}

/// A fixed spatial factor of level l that no axis it may use can hold alone: "along X (14) and
/// along Y (12)" names the fanouts it was compared with.
void check_axes_alone(const Constraints& c, const workload::Einsum& e, const arch::Arch& a, int l,
                      std::vector<std::string>& out) {
  const LevelConstraints& lc = c.levels[l];
  const std::int64_t fx = a.fanout_x(l), fy = a.fanout_y(l);
  for (int d = 0; d < e.num_dims(); ++d) {
    const std::int64_t f = or_one(lc.spatial_fixed[d]);
    const bool x = (lc.spatial_x >> d) & 1u, y = (lc.spatial_y >> d) & 1u;
    if (f == 1 || (x && f <= fx) || (y && f <= fy)) continue;
    const std::string along_x = "the fanout along X (" + std::to_string(fx) + ")",
                      along_y = "the fanout along Y (" + std::to_string(fy) + ")";
    out.push_back("level " + level_name(a, l) + ": dimension '" + e.dim_names[d] +
                  "' has the fixed spatial factor " + std::to_string(f) + ", larger than " +
                  (x && y ? along_x + " and along Y (" + std::to_string(fy) + ")"
                          : (x ? along_x : along_y) + ", the only axis it may spread along"));
  }
}

/// Fixed spatial factors of level l that fit each alone but no assignment of axes together.
void check_axes_together(const Constraints& c, const workload::Einsum& e, const arch::Arch& a,
                         int l, std::vector<std::string>& out) {
  const LevelConstraints& lc = c.levels[l];
  const std::int64_t fx = a.fanout_x(l), fy = a.fanout_y(l);
  std::uint32_t spread = 0;
  std::string factors;
  for (int d = 0; d < e.num_dims(); ++d)
    if (lc.spatial_fixed[d] > 1) {
      spread |= 1u << d;
      factors +=
          (factors.empty() ? "" : " ") + e.dim_names[d] + "=" + std::to_string(lc.spatial_fixed[d]);
    }
  // Every subset of the spread dimensions for Y (the rest on X): one that fits is enough.
  for (std::uint32_t y = 0;; y = (y - spread) & spread) {
    std::int64_t px = 1, py = 1;
    bool allowed = true;
    for (int d = 0; d < e.num_dims(); ++d) {
      if (!((spread >> d) & 1u)) continue;
      const bool on_y = (y >> d) & 1u;
      allowed = allowed && (((on_y ? lc.spatial_y : lc.spatial_x) >> d) & 1u);
      std::int64_t& p = on_y ? py : px;
      p = std::min(p * lc.spatial_fixed[d], (on_y ? fy : fx) + 1);
    }
    if (allowed && px <= fx && py <= fy) return;
    if (y == spread) break;
  }
  out.push_back("level " + level_name(a, l) +
                ": no choice of axes fits the fixed spatial factors " + factors +
                " into its fanout along X (" + std::to_string(fx) + ") and along Y (" +
                std::to_string(fy) + ")");
}

/// Fixed spatial factors of a level that its fanout cannot hold.
void check_spatial(const Constraints& c, const workload::Einsum& e, const arch::Arch& a,
                   std::vector<std::string>& out) {
  for (int l = 0; l < a.num_levels(); ++l) {
    const std::size_t before = out.size();
    const LevelConstraints& lc = c.levels[l];
    const std::int64_t fx = a.fanout_x(l), fy = a.fanout_y(l);
    std::int64_t all = 1, x_only = 1, y_only = 1;
    for (int d = 0; d < e.num_dims(); ++d) {
      const std::int64_t f = or_one(lc.spatial_fixed[d]);
      if (f == 1) continue;
      const bool x = (lc.spatial_x >> d) & 1u, y = (lc.spatial_y >> d) & 1u;
      if (!x && !y)
        out.push_back("level " + level_name(a, l) + ": dimension '" + e.dim_names[d] +
                      "' has the fixed spatial factor " + std::to_string(f) +
                      " but may spread along neither X nor Y");
      all = std::min(all * f, fx * fy + 1);
      if (x && !y) x_only = std::min(x_only * f, fx + 1);
      if (y && !x) y_only = std::min(y_only * f, fy + 1);
    }
    const std::string fanout = std::to_string(fx) + " x " + std::to_string(fy);
    if (all > fx * fy)
      out.push_back("level " + level_name(a, l) + ": the fixed spatial factors multiply to more " +
                    "than its fanout of " + std::to_string(fx * fy) + " (" + fanout + ")");
    else if (x_only > fx || y_only > fy)
      out.push_back("level " + level_name(a, l) + ": the fixed spatial factors of the dimensions " +
                    "that may spread only along " + (x_only > fx ? "X" : "Y") +
                    " multiply to more than its fanout there (" + fanout + ")");
    if (out.size() == before) check_axes_alone(c, e, a, l, out);
    if (out.size() == before) check_axes_together(c, e, a, l, out);
  }
}

/// Fixed temporal factors above the largest temporal factor of their level.
void check_temporal_max(const Constraints& c, const workload::Einsum& e, const arch::Arch& a,
                        std::vector<std::string>& out) {
  for (int l = 0; l < a.num_levels(); ++l) {
    const LevelConstraints& lc = c.levels[l];
    for (int d = 0; d < e.num_dims(); ++d)
      if (lc.temporal_max[d] > 0 && lc.temporal_fixed[d] > lc.temporal_max[d])
        out.push_back("level " + level_name(a, l) + ": dimension '" + e.dim_names[d] +
                      "' has the fixed temporal factor " + std::to_string(lc.temporal_fixed[d]) +
                      ", above its temporal_max " + std::to_string(lc.temporal_max[d]) +
                      kMaxSources);
  }
}

/// One place a factor of a dimension goes, as MapSpace's slots: the largest and the required
/// factor there (0 = free).
struct Place {
  int level;
  bool spatial;
  std::int64_t limit, fixed;
};

/// The places of dimension d in MapSpace's slot order (spatial slots outermost first, then the
/// temporal slots innermost first).
std::vector<Place> places_of(const Constraints& c, const workload::Einsum& e, const arch::Arch& a,
                             int d) {
  std::vector<Place> places;
  for (int l = a.num_levels() - 1; l >= 0; --l) {
    const LevelConstraints& lc = c.levels[l];
    const std::int64_t fx = a.fanout_x(l), fy = a.fanout_y(l);
    if (fx * fy == 1) continue;
    const bool x = fx > 1 && ((lc.spatial_x >> d) & 1u), y = fy > 1 && ((lc.spatial_y >> d) & 1u);
    places.push_back(
        {l, true, std::max<std::int64_t>({1, x ? fx : 1, y ? fy : 1}), lc.spatial_fixed[d]});
  }
  for (int l = 0; l < a.num_levels(); ++l) {
    const LevelConstraints& lc = c.levels[l];
    places.push_back({l, false, lc.temporal_max[d] > 0 ? lc.temporal_max[d] : e.bounds[d],
                      lc.temporal_fixed[d]});
  }
  return places;
}

/// True when the bound splits into one factor per place, each within its limit (and equal to
/// the fixed factor where there is one).
bool splits(std::int64_t bound, const std::vector<Place>& places) {
  const std::vector<std::int64_t> factors = divisors(bound);
  std::set<std::int64_t> left{bound};  // what may be left for the places not yet given a factor
  for (const Place& p : places) {
    std::set<std::int64_t> next;
    for (std::int64_t rest : left)
      for (std::int64_t f : factors)
        if (f <= p.limit && rest % f == 0 && (p.fixed == 0 || f == p.fixed)) next.insert(rest / f);
    left = std::move(next);
  }
  return left.count(1) > 0;
}

}  // namespace

std::vector<std::string> unsplittable_dimensions(const Constraints& c, const workload::Einsum& e,
                                                 const arch::Arch& a) {
  std::vector<std::string> out;
  for (int d = 0; d < e.num_dims(); ++d) {
    const std::vector<Place> places = places_of(c, e, a, d);
    if (splits(e.bounds[d], places)) continue;
    std::string limits;
    for (const Place& p : places) {
      const std::string kind = p.spatial ? "spatial " : "temporal ";
      limits += (limits.empty() ? "" : ", ") +
                (p.fixed > 0 ? kind + std::to_string(p.fixed) + " (fixed)"
                             : kind + "at most " + std::to_string(p.limit)) +
                " at " + level_name(a, p.level);
    }
    out.push_back("dimension '" + e.dim_names[d] + "': no split of its bound " +
                  std::to_string(e.bounds[d]) + " over the levels keeps within their limits (" +
                  limits +
                  "; from temporal_max, the spatial axes and fanouts or the --dataflow "
                  "preset)");
  }
  return out;
}

namespace {

/// Elements of tensor t in a tile of these extents.
std::int64_t footprint(const workload::Tensor& t, const std::vector<std::int64_t>& extent) {
  std::int64_t words = 1;
  for (const workload::TensorDim& td : t.dims) {
    std::int64_t span = 1;
    for (const workload::Term& term : td.terms) span += term.coef * (extent[term.dim] - 1);
    words *= span;
  }
  return words;
}

/// A level that must keep tensors whose smallest tiles under the fixed factors overflow it.
void check_capacity(const Constraints& c, const workload::Einsum& e, const arch::Arch& a,
                    std::vector<std::string>& out) {
  std::vector<std::int64_t> extent(e.num_dims(), 1);  // the smallest span at or below level l
  for (int l = 0; l < a.num_levels(); ++l) {
    const LevelConstraints& lc = c.levels[l];
    for (int d = 0; d < e.num_dims(); ++d)
      extent[d] *= or_one(lc.temporal_fixed[d]) * or_one(lc.spatial_fixed[d]);
    const auto& capacity = a.levels[l].capacity_words;
    if (!capacity || lc.keep == 0) continue;
    std::int64_t words = 0;
    std::string kept, spans;
    for (int t = 0; t < e.num_tensors(); ++t)
      if ((lc.keep >> t) & 1u) {
        words += footprint(e.tensors[t], extent);
        kept += (kept.empty() ? "" : ", ") + e.tensors[t].name;
      }
    if (words <= *capacity) continue;
    for (int d = 0; d < e.num_dims(); ++d)
      if (extent[d] > 1) spans += (spans.empty() ? "" : " ") + e.dim_names[d] + "=" +
                                  std::to_string(extent[d]);
    out.push_back("level " + level_name(a, l) + ": it must keep " + kept +
                  ", whose smallest tiles under the fixed factors (" + spans +
                  " at or below it) hold " + std::to_string(words) +
                  " words, more than its capacity of " + std::to_string(*capacity));
  }
}

/// A minimum utilization the layer has too few MACs for.
void check_utilization(const Constraints& c, const workload::Einsum& e, const arch::Arch& a,
                       std::vector<std::string>& out) {
  const std::int64_t instances = a.compute.instances;
  const auto needed = static_cast<std::int64_t>(std::ceil(c.min_utilization * instances - 1e-9));
  if (needed > e.macs())
    out.push_back("min_utilization " + std::to_string(c.min_utilization) + " needs at least " +
                  std::to_string(needed) + " of the " + std::to_string(instances) +
                  " MACs busy at once; the layer has only " + std::to_string(e.macs()) + " MACs");
}

}  // namespace

std::vector<std::string> infeasibility(const Constraints& c, const workload::Einsum& e,
                                       const arch::Arch& a) {
  std::vector<std::string> out;
  check_products(c, e, a, out);
  check_spatial(c, e, a, out);
  check_temporal_max(c, e, a, out);
  check_capacity(c, e, a, out);
  check_utilization(c, e, a, out);
  return out;
}

}  // namespace outpace::mapper
