#include "reference/compare.hpp"

#include <cmath>
#include <cstdint>
#include <sstream>

#include "reference/figures.hpp"

namespace outpace::reference {

namespace {

/// Appends a line when the two values differ.
void check(std::vector<std::string>& out, const std::string& where, const char* what,
           std::int64_t model, std::int64_t sim) {
  if (model != sim)
    out.push_back(where + " " + what + ": model " + std::to_string(model) + ", simulator " +
                  std::to_string(sim));
}

/// Energies, utilization and area may differ by rounding only: the model sums in double in its
/// own order, the simulator in long double in another (per instance, then per action), and
/// every term is non-negative, so the relative difference is at most about (terms x 2^-53),
/// below 1e-13 for these cases. 1e-12 leaves room and still catches any formula change (a
/// mutation changes some figure by far more than a part in 10^12).
constexpr long double kRelativeTolerance = 1e-12L;

/// Appends a line when the two figures differ by more than the relative tolerance.
void check_close(std::vector<std::string>& out, const std::string& where, const char* what,
                 long double model, long double sim) {
  const long double scale = std::max(std::fabs(model), std::fabs(sim));
  if (std::fabs(model - sim) <= kRelativeTolerance * scale) return;
  std::ostringstream os;
  os.precision(17);
  os << where << " " << what << ": model " << model << ", simulator " << sim;
  out.push_back(os.str());
}

/// Cycles exactly; energy (per level and tensor, leakage, MACs, total), utilization and area
/// within kRelativeTolerance.
void compare_figures(const Case& c, const SimResult& sim, const model::Result& model,
                     std::vector<std::string>& out) {
  const SimFigures f = figures(c.arch, sim,
                               {.whole_vector_accesses = c.options.whole_vector_accesses,
                                .cluster_energy = c.options.cluster_energy});
  check(out, "result", "cycles", model.cycles, f.cycles);
  check_close(out, "result", "energy_pj", model.energy_pj, f.energy_pj);
  check_close(out, "result", "mac_energy_pj", model.mac_energy_pj, f.mac_energy_pj);
  check_close(out, "result", "utilization", model.utilization, f.utilization);
  check_close(out, "result", "area_um2", model.area_um2, f.area_um2);
  for (std::size_t l = 0; l < f.levels.size() && l < model.levels.size(); ++l) {
    const model::LevelStats& ml = model.levels[l];
    const SimLevelFigures& sl = f.levels[l];
    const std::string level = "level '" + c.arch.levels[l].name + "'";
    check(out, level, "cycles", ml.cycles, sl.cycles);
    check_close(out, level, "leak_pj", ml.leak_pj, sl.leak_pj);
    check_close(out, level, "energy_pj", ml.energy_pj, sl.energy_pj);
    for (std::size_t t = 0; t < sl.tensor_energy_pj.size() && t < ml.tensors.size(); ++t)
      check_close(out, level + " tensor '" + c.einsum.tensors[t].name + "'", "energy_pj",
                  ml.tensors[t].energy_pj, sl.tensor_energy_pj[t]);
  }
}

/// The capacity violations the simulated tiles imply, as the model should report them.
std::vector<mapping::Violation> expected_violations(const Case& c, const SimResult& sim) {
  std::vector<mapping::Violation> expected;
  for (int l = 0; l < c.arch.num_levels(); ++l) {
    if (!c.arch.levels[l].capacity_words) continue;
    std::int64_t need = 0;
    for (const SimTensor& t : sim.levels[l].tensors) need += t.tile_words;
    if (need > *c.arch.levels[l].capacity_words)
      expected.push_back(
          {mapping::ViolationKind::kCapacity, l, -1, need, *c.arch.levels[l].capacity_words});
  }
  return expected;
}

void compare_violations(const Case& c, const SimResult& sim, const model::Result& model,
                        std::vector<std::string>& out) {
  const std::vector<mapping::Violation> expected = expected_violations(c, sim);
  check(out, "result", "valid", model.valid ? 1 : 0, expected.empty() ? 1 : 0);
  check(out, "result", "violations", static_cast<std::int64_t>(model.violations.items.size()),
        static_cast<std::int64_t>(expected.size()));
  for (const mapping::Violation& v : model.violations.items) {
    bool found = false;
    for (const mapping::Violation& x : expected)
      found = found ||
              (v.kind == x.kind && v.level == x.level && v.value == x.value && v.limit == x.limit);
    if (!found)
      out.push_back("model reports an unexpected violation: " +
                    mapping::describe(v, c.einsum, c.arch));
  }
}

}  // namespace

std::vector<std::string> compare(const Case& c, const SimResult& sim, const model::Result& model) {
  std::vector<std::string> out;
  compare_violations(c, sim, model, out);
  check(out, "result", "macs", model.macs, sim.macs);
  check(out, "result", "used_macs", model.used_macs, sim.used_macs);
  check(out, "result", "compute_cycles", model.compute_cycles, sim.compute_cycles);
  check(out, "result", "level count", static_cast<std::int64_t>(model.levels.size()),
        static_cast<std::int64_t>(sim.levels.size()));
  if (model.levels.size() != sim.levels.size()) return out;
  compare_figures(c, sim, model, out);
  for (std::size_t l = 0; l < sim.levels.size(); ++l) {
    const model::LevelStats& ml = model.levels[l];
    const SimLevel& sl = sim.levels[l];
    const std::string level = "level '" + c.arch.levels[l].name + "'";
    check(out, level, "used_instances", ml.used_instances, sl.used_instances);
    check(out, level, "tensor count", static_cast<std::int64_t>(ml.tensors.size()),
          static_cast<std::int64_t>(sl.tensors.size()));
    if (ml.tensors.size() != sl.tensors.size()) continue;
    for (std::size_t t = 0; t < sl.tensors.size(); ++t) {
      const model::TensorStats& mt = ml.tensors[t];
      const SimTensor& st = sl.tensors[t];
      const std::string where = level + " tensor '" + c.einsum.tensors[t].name + "'";
      check(out, where, "kept", mt.kept ? 1 : 0, st.kept ? 1 : 0);
      check(out, where, "tile_words", mt.tile_words, st.tile_words);
      check(out, where, "reads", mt.reads, st.reads);
      check(out, where, "fills", mt.fills, st.fills);
      check(out, where, "updates", mt.updates, st.updates);
    }
  }
  return out;
}

}  // namespace outpace::reference
