#include "model/level_figures.hpp"

#include <algorithm>
#include <optional>

#include "model/sparse_counts.hpp"

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
void finish_levels_as(const Einsum& e, const arch::Arch& a, const mapping::Mapping& m,
                      const std::int64_t* used_instances, const Options& options,
                      const ImperfectCounts* totals, Result& r) {
  // Sparsity applies to the per-instance counts, which the ports see, and with residual tiles
  // (whose instances differ) also to the totals over instances, which the energy sees.
  FixedVector<LevelStats, kMaxLevels> sums;
  for (int l = 0; l < static_cast<int>(r.levels.size()); ++l)
    r.levels[l].used_instances = used_instances[l];
  if (options.sparsity) {
    if (totals != nullptr) {
      sums = r.levels;
      for (int l = 0; l < static_cast<int>(sums.size()); ++l)
        for (int t = 0; t < e.num_tensors(); ++t) {
          const Traffic& sum = totals->total[l][t];
          TensorStats& ts = sums[l].tensors[t];
          ts.reads = sum.reads, ts.fills = sum.fills, ts.updates = sum.updates;
        }
      double unused[kMaxTensors];
      sparse_levels(e, m, *options.sparsity, options.timeloop_sparsity, sums, unused);
    }
    double below[kMaxTensors] = {};
    sparse_levels(e, m, *options.sparsity, options.timeloop_sparsity, r.levels, below);
    sparse_macs(e, a, *options.sparsity, options.timeloop_sparsity, below, r);
  }
  for (int l = 0; l < static_cast<int>(r.levels.size()); ++l) {
    const arch::StorageLevel& spec = a.levels[l];
    LevelStats& level = r.levels[l];
    level.used_instances = used_instances[l];
    const std::int64_t charged = charged_instances(spec, level.used_instances, options);
    std::int64_t reads = 0, writes = 0, updates = 0;
    bool overflow = false;  // a level's sums and totals over instances, checked
    for (int t = 0; t < e.num_tensors(); ++t) {
      TensorStats& ts = level.tensors[t];
      // Gated accesses keep their port busy; skipped ones do not.
      add_product<kChecked>(reads, ts.reads + ts.gated_reads, 1, overflow);
      add_product<kChecked>(spec.update_bandwidth ? updates : writes, ts.updates + ts.gated_updates,
                            1, overflow);
      add_product<kChecked>(writes, ts.fills, 1, overflow);
      const int block = spec.block_size;
      if (totals != nullptr && options.sparsity) {  // exact counting: the totals' accesses
        ts = sums[l].tensors[t];
      } else if (totals != nullptr) {
        const Traffic& sum = totals->total[l][t];
        ts.reads = sum.reads, ts.fills = sum.fills, ts.updates = sum.updates;
      }
      const std::int64_t times = totals != nullptr ? 1 : level.used_instances;
      const arch::ActionEnergy& pj = spec.energy;
      const auto vectors = [&](std::int64_t words) {
        return vector_accesses(words, block, options);
      };
      double pj_each = vectors(ts.reads) * pj.read_pj + vectors(ts.fills) * pj.write_pj +
                       vectors(ts.updates) * pj.update_pj;
      if (options.sparsity)
        pj_each += vectors(ts.gated_reads) * pj.gated_read_pj +
                   vectors(ts.skipped_reads) * pj.skipped_read_pj +
                   vectors(ts.gated_updates) * pj.gated_update_pj +
                   vectors(ts.skipped_updates) * pj.skipped_update_pj +
                   static_cast<double>(ts.decompressions) * pj.decompression_pj +
                   static_cast<double>(ts.compressions) * pj.compression_pj;
      ts.energy_pj =
          pj_each * static_cast<double>(totals != nullptr ? 1 : charged);  // totals: exact
      const int counts = options.sparsity ? 9 : 3;  // the dense model has no gated or skipped ones
      std::int64_t* const count[9] = {&ts.reads,           &ts.fills,          &ts.updates,
                                      &ts.gated_reads,     &ts.skipped_reads,  &ts.gated_updates,
                                      &ts.skipped_updates, &ts.decompressions, &ts.compressions};
      for (int i = 0; i < counts; ++i) {
        if constexpr (!kChecked) {
          *count[i] *= times;
        } else if (__builtin_mul_overflow(*count[i], times, count[i])) {
          report_overflow(r, l, t,
                          i == 1   ? mapping::Quantity::kFills
                          : i == 2 ? mapping::Quantity::kUpdates
                                   : mapping::Quantity::kReads);
        }
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

void finish_levels(const Einsum& e, const arch::Arch& a, const mapping::Mapping& m,
                   const std::int64_t* used_instances, const Options& options,
                   const ImperfectCounts* totals, bool checked, Result& r) {
  if (checked) [[unlikely]]
    finish_levels_as<true>(e, a, m, used_instances, options, totals, r);
  else
    finish_levels_as<false>(e, a, m, used_instances, options, totals, r);
}

}  // namespace outpace::model
