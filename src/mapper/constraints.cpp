#include "mapper/constraints.hpp"

#include <bit>

namespace outpace::mapper {

namespace {

std::uint32_t tensor_bit(const workload::Einsum& e, const char* name) {
  const int t = e.tensor_index(name);
  return t < 0 ? 0u : 1u << t;
}

std::uint32_t dims_named(const workload::Einsum& e, std::initializer_list<const char*> names) {
  std::uint32_t mask = 0;
  for (const char* n : names)
    if (const int d = e.dim_index(n); d >= 0) mask |= 1u << d;
  return mask;
}

/// Keeps exactly `keep` at level `name` (bypasses every other tensor), if the level exists.
void keep_only(const workload::Einsum& e, const arch::Arch& a, Constraints& c,
               const std::string& name, std::uint32_t keep) {
  const int l = a.level_index(name);
  if (l < 0) return;
  const std::uint32_t all = (1u << e.num_tensors()) - 1;
  c.levels[l].keep = keep & all;
  c.levels[l].bypass = all & ~keep;
}

/// The tensor a stationary dataflow keeps still: by name, else by role.
int stationary_tensor(Dataflow d, const workload::Einsum& e) {
  if (d == Dataflow::kOutputStationary) return e.output_index();
  const int t = e.tensor_index(d == Dataflow::kWeightStationary ? "Weights" : "Inputs");
  if (t >= 0) return t;
  // Without the usual names: weights are the last input, inputs the first.
  std::vector<int> inputs;
  for (int i = 0; i < e.num_tensors(); ++i)
    if (!e.tensors[i].is_output) inputs.push_back(i);
  return d == Dataflow::kWeightStationary ? inputs.back() : inputs.front();
}

/// Levels inside the first spatial fanout: one processing element's own buffers.
std::vector<int> pe_levels(const arch::Arch& a) {
  std::vector<int> out;
  for (int l = 0; l < a.num_levels(); ++l) {
    if (a.fanout_x(l) * a.fanout_y(l) > 1 && l > 0) break;
    out.push_back(l);
    if (a.fanout_x(l) * a.fanout_y(l) > 1) break;
  }
  return out;
}

}  // namespace

Constraints unconstrained(const workload::Einsum& e, const arch::Arch& a) {
  Constraints c;
  LevelConstraints level;
  const auto dims = static_cast<std::size_t>(e.num_dims());
  level.temporal_fixed.assign(dims, 0);
  level.temporal_max.assign(dims, 0);
  level.spatial_fixed.assign(dims, 0);
  c.levels.assign(static_cast<std::size_t>(a.num_levels()), level);
  return c;
}

std::vector<std::string> check(const Constraints& c, const workload::Einsum& e,
                               const arch::Arch& a) {
  std::vector<std::string> out;
  if (static_cast<int>(c.levels.size()) != a.num_levels()) {
    out.push_back("constraints give " + std::to_string(c.levels.size()) + " levels, the architecture has " +
                  std::to_string(a.num_levels()));
    return out;
  }
  const auto dims = static_cast<std::size_t>(e.num_dims());
  for (int l = 0; l < a.num_levels(); ++l) {
    const LevelConstraints& lc = c.levels[l];
    const std::string where = "level '" + a.levels[l].name + "': ";
    if (lc.keep & lc.bypass) out.push_back(where + "a tensor is both kept and bypassed");
    if (lc.temporal_fixed.size() != dims || lc.temporal_max.size() != dims ||
        lc.spatial_fixed.size() != dims) {
      out.push_back(where + "factor lists must have one entry per dimension");
      continue;
    }
    for (std::size_t d = 0; d < dims; ++d) {
      const std::string dim = "dimension '" + e.dim_names[d] + "'";
      for (const auto& [f, what] : {std::pair{lc.temporal_fixed[d], "temporal"},
                                    std::pair{lc.spatial_fixed[d], "spatial"}})
        if (f < 0 || (f > 0 && e.bounds[d] % f != 0))
          out.push_back(where + what + " factor " + std::to_string(f) + " of " + dim +
                        " does not divide its bound " + std::to_string(e.bounds[d]));
    }
  }
  if (c.levels.back().bypass != 0) out.push_back("the outermost level must keep every tensor");
  if (c.min_utilization < 0 || c.min_utilization > 1)
    out.push_back("min_utilization " + std::to_string(c.min_utilization) + " is not in [0, 1]");
  return out;
}

std::vector<std::string> dataflow_names() { return {"free", "ws", "os", "is", "rs"}; }

std::optional<Dataflow> dataflow_by_name(const std::string& name) {
  if (name == "free") return Dataflow::kFree;
  if (name == "ws") return Dataflow::kWeightStationary;
  if (name == "os") return Dataflow::kOutputStationary;
  if (name == "is") return Dataflow::kInputStationary;
  if (name == "rs") return Dataflow::kRowStationary;
  return std::nullopt;
}

Constraints arch_constraints(const workload::Einsum& e, const arch::Arch& a) {
  Constraints c = unconstrained(e, a);
  const std::uint32_t w = tensor_bit(e, "Weights"), i = tensor_bit(e, "Inputs"),
                      o = 1u << e.output_index();
  if (a.name == "eyeriss") {
    keep_only(e, a, c, "psum_spad", o);
    keep_only(e, a, c, "weights_spad", w);
    keep_only(e, a, c, "ifmap_spad", i);
    keep_only(e, a, c, "shared_glb", i | o);
  } else if (a.name == "simba") {
    keep_only(e, a, c, "PEWeightRegs", w);
    keep_only(e, a, c, "PEAccuBuffer", o);
    keep_only(e, a, c, "PEWeightBuffer", w);
    keep_only(e, a, c, "PEInputBuffer", i);
    keep_only(e, a, c, "GlobalBuffer", i | o);
  } else if (a.name == "tpu") {
    keep_only(e, a, c, "WeightRegs", w);
    keep_only(e, a, c, "Accumulators", o);
    keep_only(e, a, c, "UnifiedBuffer", i | o);
  }
  return c;
}

std::vector<std::string> apply_dataflow(Dataflow d, const workload::Einsum& e,
                                        const arch::Arch& a, Constraints& c) {
  std::vector<std::string> out;
  if (d == Dataflow::kFree) return out;
  const std::vector<int> pe = pe_levels(a);
  if (d == Dataflow::kRowStationary) {
    const std::uint32_t r = dims_named(e, {"R"}), p = dims_named(e, {"P"});
    if (!r || !p || e.dim_index("S") < 0 || e.dim_index("Q") < 0) {
      out.push_back("row stationary needs a convolution with dimensions R, S, P and Q");
      return out;
    }
    const std::uint32_t ck = dims_named(e, {"C", "K", "G"});
    for (auto& level : c.levels) level.spatial_y &= r | ck, level.spatial_x &= p | ck;
    // One PE convolves a filter row with an input row: no loops over rows inside it.
    for (int l : pe)
      for (std::uint32_t row : {r, p}) c.levels[l].temporal_max[std::countr_zero(row)] = 1;
    return out;
  }
  const int s = stationary_tensor(d, e);
  const std::uint32_t uses = e.tensors[s].used_dims();
  for (auto& level : c.levels) level.spatial_x &= uses, level.spatial_y &= uses;
  for (int dim = 0; dim < e.num_dims(); ++dim)
    if ((uses >> dim) & 1u) c.levels[0].temporal_max[dim] = 1;
  return out;
}

}  // namespace outpace::mapper
