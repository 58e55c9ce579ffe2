#include "reference/figures.hpp"

#include <algorithm>

namespace outpace::reference {

namespace {

/// ⌈words / (num / den)⌉ = ⌈words·den / num⌉; 0 when the port is unbounded.
std::int64_t port_cycles(std::int64_t words, const arch::Bandwidth& port) {
  if (port.unbounded()) return 0;
  const __int128 scaled = static_cast<__int128>(words) * port.den();
  return static_cast<std::int64_t>((scaled + port.num() - 1) / port.num());
}

/// Energy of one action: per word (vector energy / block size) on the totals, or whole vectors
/// per instance.
long double action_pj(const std::vector<std::int64_t>& at, double vector_pj, int block,
                      bool whole_vectors) {
  long double pj = 0;
  for (std::int64_t words : at)
    pj += whole_vectors ? static_cast<long double>((words + block - 1) / block) * vector_pj
                        : static_cast<long double>(words) * vector_pj / block;
  return pj;
}

/// The busiest instance's cycles: reads through the read port, fills (and updates without a
/// port of their own) through the write port, updates through the update port.
std::int64_t level_cycles(const arch::StorageLevel& spec, const SimLevel& level) {
  std::int64_t busiest = 0;
  for (std::int64_t i = 0; i < level.reached_instances; ++i) {
    std::int64_t reads = 0, writes = 0, updates = 0;
    for (const SimTensor& t : level.tensors) {
      if (!t.kept) continue;
      const auto at = static_cast<std::size_t>(i);
      reads += t.reads_at[at];
      writes += t.fills_at[at];
      (spec.update_bandwidth ? updates : writes) += t.updates_at[at];
    }
    busiest = std::max({busiest, port_cycles(reads, spec.read_bandwidth),
                        port_cycles(writes, spec.write_bandwidth),
                        port_cycles(updates, spec.update_bandwidth.value_or(arch::kUnbounded))});
  }
  return busiest;
}

/// The share of a level's summed charges that is paid: 1, or under cluster energy the used
/// clusters over the used instances, min(U, I / cluster size) / U.
long double paid_share(const arch::StorageLevel& spec, const SimLevel& level, bool clusters) {
  const std::int64_t used = level.reached_instances;
  if (!clusters || used == 0) return 1;
  const std::int64_t paid = std::min(used, spec.instances / spec.cluster_size);
  return static_cast<long double>(paid) / static_cast<long double>(used);
}

}  // namespace

SimFigures figures(const arch::Arch& a, const SimResult& sim, const SimCharging& charging) {
  const bool whole_vector_accesses = charging.whole_vector_accesses;
  SimFigures f;
  f.cycles = sim.compute_cycles;
  f.levels.resize(sim.levels.size());
  for (std::size_t l = 0; l < sim.levels.size(); ++l) {
    const arch::StorageLevel& spec = a.levels[l];
    SimLevelFigures& level = f.levels[l];
    level.cycles = level_cycles(spec, sim.levels[l]);
    f.cycles = std::max(f.cycles, level.cycles);
    for (const SimTensor& t : sim.levels[l].tensors) {
      long double pj = 0;
      if (t.kept)
        pj = action_pj(t.reads_at, spec.energy.read_pj, spec.block_size, whole_vector_accesses) +
             action_pj(t.fills_at, spec.energy.write_pj, spec.block_size, whole_vector_accesses) +
             action_pj(t.updates_at, spec.energy.update_pj, spec.block_size, whole_vector_accesses);
      pj *= paid_share(spec, sim.levels[l], charging.cluster_energy);
      level.tensor_energy_pj.push_back(pj);
      level.energy_pj += pj;
    }
  }
  f.mac_energy_pj = static_cast<long double>(sim.macs) * a.compute.mac_energy_pj;
  f.energy_pj = f.mac_energy_pj;
  f.area_um2 = static_cast<long double>(a.compute.instances) * a.compute.area_um2;
  for (std::size_t l = 0; l < f.levels.size(); ++l) {
    const arch::StorageLevel& spec = a.levels[l];
    SimLevelFigures& level = f.levels[l];
    level.leak_pj =
        static_cast<long double>(spec.energy.leak_pj_per_cycle) * f.cycles * spec.instances;
    level.energy_pj += level.leak_pj;
    f.energy_pj += level.energy_pj;
    f.area_um2 += static_cast<long double>(spec.instances) * spec.area_um2;
  }
  f.utilization = static_cast<long double>(sim.macs) /
                  (static_cast<long double>(f.cycles) * a.compute.instances);
  return f;
}

}  // namespace outpace::reference
