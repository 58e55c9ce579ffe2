#include "model/level_figures.hpp"

#include <algorithm>
#include <optional>

namespace outpace::model {

using workload::Einsum;

void report_overflow(Result& r, int l, int t, mapping::Quantity what) {
  r.violations.add({mapping::ViolationKind::kOverflow, l, t, static_cast<std::int64_t>(what), 0});
}

namespace {

/// ⌈words / bandwidth⌉ in exact integer arithmetic; sets `overflow` when it cannot be
/// represented (a vanishing bandwidth).
std::int64_t port_cycles(std::int64_t words, const arch::Bandwidth& bandwidth, bool& overflow) {
  const std::optional<std::int64_t> c = bandwidth.cycles(words);
  if (c) return *c;
  overflow = true;
  return 0;
}

/// Vector accesses for `words` scalar accesses of one instance (see Options).
double vector_accesses(std::int64_t words, int block_size, const Options& options) {
  if (options.whole_vector_accesses)
    return static_cast<double>((words + block_size - 1) / block_size);
  return static_cast<double>(words) / block_size;
}

/// How many times one instance's access energy is charged at a level with `used` used
/// instances: once per used instance, or under Options::cluster_energy once per used cluster,
/// min(used, instances / cluster size) (Timeloop's utilized clusters: it assumes the used
/// instances are spread evenly over all clusters).
std::int64_t charged_instances(const arch::StorageLevel& spec, std::int64_t used,
                               const Options& options) {
  if (!options.cluster_energy) return used;
  return std::min(used, spec.instances / std::max<std::int64_t>(spec.cluster_size, 1));
}

/// Bandwidth cycles and energy of each level. The stats hold one instance's counts; `totals`
/// (imperfect nests, whose instances differ) holds the sums over every instance, otherwise they
/// are the per-instance counts times the used instances.
template <bool kChecked>
void finish_levels_as(const Einsum& e, const arch::Arch& a, const std::int64_t* used_instances,
                      const Options& options, const ImperfectCounts* totals, Result& r) {
  for (int l = 0; l < static_cast<int>(r.levels.size()); ++l) {
    const arch::StorageLevel& spec = a.levels[l];
    LevelStats& level = r.levels[l];
    level.used_instances = used_instances[l];
    const std::int64_t charged = charged_instances(spec, level.used_instances, options);
    std::int64_t reads = 0, writes = 0, updates = 0;
    bool overflow = false;  // a level's sums and totals over instances, checked
    for (int t = 0; t < e.num_tensors(); ++t) {
      TensorStats& ts = level.tensors[t];
      add_product<kChecked>(reads, ts.reads, 1, overflow);
      add_product<kChecked>(spec.update_bandwidth ? updates : writes, ts.updates, 1, overflow);
      add_product<kChecked>(writes, ts.fills, 1, overflow);
      const int block = spec.block_size;
      if (totals != nullptr) {  // exact counting: accesses / block size of the totals
        const Traffic& sum = totals->total[l][t];
        ts.reads = sum.reads, ts.fills = sum.fills, ts.updates = sum.updates;
      }
      const std::int64_t times = totals != nullptr ? 1 : level.used_instances;
      ts.energy_pj = (vector_accesses(ts.reads, block, options) * spec.energy.read_pj +
                      vector_accesses(ts.fills, block, options) * spec.energy.write_pj +
                      vector_accesses(ts.updates, block, options) * spec.energy.update_pj) *
                     static_cast<double>(totals != nullptr ? 1 : charged);  // totals: exact
      if constexpr (!kChecked) {
        ts.reads *= times, ts.fills *= times, ts.updates *= times;
      } else {
        if (__builtin_mul_overflow(ts.reads, times, &ts.reads))
          report_overflow(r, l, t, mapping::Quantity::kReads);
        if (__builtin_mul_overflow(ts.fills, times, &ts.fills))
          report_overflow(r, l, t, mapping::Quantity::kFills);
        if (__builtin_mul_overflow(ts.updates, times, &ts.updates))
          report_overflow(r, l, t, mapping::Quantity::kUpdates);
      }
      level.energy_pj += ts.energy_pj;
    }
    level.cycles = std::max(
        {port_cycles(reads, spec.read_bandwidth, overflow),
         port_cycles(writes, spec.write_bandwidth, overflow),
         port_cycles(updates, spec.update_bandwidth.value_or(arch::kUnbounded), overflow)});
    if (overflow) report_overflow(r, l, -1, mapping::Quantity::kCycles);  // once per level
    r.cycles = std::max(r.cycles, level.cycles);
  }
  r.energy_pj = r.mac_energy_pj;
  for (int l = 0; l < static_cast<int>(r.levels.size()); ++l) {
    LevelStats& level = r.levels[l];
    level.leak_pj = a.levels[l].energy.leak_pj_per_cycle * static_cast<double>(r.cycles) *
                    static_cast<double>(a.levels[l].instances);
    level.energy_pj += level.leak_pj;
    r.energy_pj += level.energy_pj;
  }
  // Counts within int64 and energies within the spec readers' limits keep every energy finite;
  // an architecture built in code may still hold a huge one.
  if (!(r.energy_pj <= 1e300)) report_overflow(r, -1, -1, mapping::Quantity::kEnergy);
}

}  // namespace

void finish_levels(const Einsum& e, const arch::Arch& a, const std::int64_t* used_instances,
                   const Options& options, const ImperfectCounts* totals, bool checked, Result& r) {
  if (checked) [[unlikely]]
    finish_levels_as<true>(e, a, used_instances, options, totals, r);
  else
    finish_levels_as<false>(e, a, used_instances, options, totals, r);
}

}  // namespace outpace::model
