#include "model/sparse_counts.hpp"

#include <algorithm>
#include <cmath>

namespace outpace::model {

namespace {

/// ⌊v⌋ of an expected count. Outpace's rules take a value within floating-point rounding below
/// an integer as that integer (10 x (1 − 0.8) is 1.9999999999999996, two words); Timeloop's
/// floor it as it is.
std::int64_t floor_count(double v, bool timeloop) {
  if (!timeloop) v += std::max(1e-9, std::abs(v) * 1e-14);
  return static_cast<std::int64_t>(std::floor(v));
}

/// ⌊x·p⌋ of a count.
std::int64_t share_down(std::int64_t x, double p, bool timeloop) {
  return floor_count(static_cast<double>(x) * p, timeloop);
}

/// The expected share of nonzeros in a tile of `tile` points of tensor t.
double expected_density(const Sparsity& s, const workload::Einsum& e, int t, std::int64_t tile) {
  if (tile <= 0) return 1;
  return occupancy(s.density(t), e.tensor_size(t), tile).expected / static_cast<double>(tile);
}

/// Whether tensor t is indexed by dimension d.
bool uses(const workload::Einsum& e, int t, int d) { return (e.tensors[t].used_dims() >> d) & 1u; }

/// The next level below the feature's that keeps its target (-1: none, the MACs read it).
int child_keeper(const FixedVector<LevelStats, kMaxLevels>& levels, const StorageSaf& saf) {
  int child = saf.level - 1;
  while (child >= 0 && !levels[child].tensors[saf.target].kept) --child;
  return child;
}

/// Timeloop's condition tile (docs/timeloop-sparse-semantics.md): the points of condition tensor
/// c that one access of a feature's target meets. For a target no level below keeps, the box the
/// spatial loops at and below the feature's level span; otherwise the span of everything up to
/// the innermost loop above the target's child level over a dimension of the target (the child's
/// tile, the loops between), widened by the spatial loops above it up to the feature's level,
/// that loop cut to one iteration when c uses its dimension too (the whole tile at the level
/// when no such loop exists). Projected onto c.
std::int64_t timeloop_condition(const workload::Einsum& e, const mapping::Mapping& m,
                                const FixedVector<LevelStats, kMaxLevels>& levels,
                                const StorageSaf& saf, int c) {
  const int l = saf.level, levels_in_mapping = static_cast<int>(m.levels.size());
  const int child = child_keeper(levels, saf);
  std::int64_t span[kMaxDims];
  for (int d = 0; d < e.num_dims(); ++d) span[d] = 1;
  const auto spatial = [&](int k) {
    for (const mapping::SpatialLoop& loop : m.levels[k].spatial) span[loop.dim] *= loop.factor;
  };
  const auto temporal = [&](int k) {
    for (const mapping::TemporalLoop& loop : m.levels[k].temporal) span[loop.dim] *= loop.factor;
  };
  for (int k = 0; k <= child; ++k) spatial(k), temporal(k);
  bool found = child < 0;  // the innermost case: the spatial loops only
  for (int k = child + 1; k <= l && k < levels_in_mapping; ++k) {
    spatial(k);
    if (found) continue;
    for (const mapping::TemporalLoop& loop : m.levels[k].temporal) {  // innermost first
      if (loop.factor == 1) continue;
      span[loop.dim] *= loop.factor;
      if (!uses(e, saf.target, loop.dim)) continue;
      found = true;
      if (uses(e, c, loop.dim)) span[loop.dim] /= loop.factor;  // one iteration of it tested
      break;
    }
  }
  if (!found)  // no loop over the target's dimensions: the whole tile at the level
    for (int k = child + 1; k <= l && k < levels_in_mapping; ++k) temporal(k);
  return std::min(workload::footprint(e.tensors[c], span), e.tensor_size(c));
}

/// Outpace's condition set (docs/model.md, "Sparse model"): the points of condition tensor c
/// that the recipients of one read of the feature's target use while they hold the word. They
/// are the child keeper's instances (or MACs) the read is multicast to, along the spatial loops
/// between the child and the feature's level over dimensions the target does not use; each holds
/// the word for a stay: every loop at and below the child, and the temporal loops above it nested
/// inside the innermost one over a dimension of the target (a MAC holds nothing: one step).
std::int64_t stay_condition(const workload::Einsum& e, const mapping::Mapping& m,
                            const FixedVector<LevelStats, kMaxLevels>& levels,
                            const StorageSaf& saf, int c) {
  const int levels_in_mapping = static_cast<int>(m.levels.size());
  const int child = child_keeper(levels, saf);
  std::int64_t span[kMaxDims];
  for (int d = 0; d < e.num_dims(); ++d) span[d] = 1;
  for (int k = 0; k <= child; ++k) {
    for (const mapping::SpatialLoop& loop : m.levels[k].spatial) span[loop.dim] *= loop.factor;
    for (const mapping::TemporalLoop& loop : m.levels[k].temporal) span[loop.dim] *= loop.factor;
  }
  for (int k = child + 1; k <= saf.level && k < levels_in_mapping; ++k)
    for (const mapping::SpatialLoop& loop : m.levels[k].spatial)
      if (!uses(e, saf.target, loop.dim)) span[loop.dim] *= loop.factor;
  if (child >= 0) {
    bool ended = false;  // the stay ends at the innermost temporal loop over the target
    for (int k = child + 1; k < levels_in_mapping && !ended; ++k)
      for (const mapping::TemporalLoop& loop : m.levels[k].temporal) {  // innermost first
        if (loop.factor == 1) continue;
        if ((ended = uses(e, saf.target, loop.dim))) break;
        span[loop.dim] *= loop.factor;
      }
  }
  return std::min(workload::footprint(e.tensors[c], span), e.tensor_size(c));
}

/// The share of a feature's accesses that are ineffectual: some condition tensor's points are
/// all zero. Under Timeloop's rules its own conditions alone, 1 − Π (1 − P_c(empty)); under
/// Outpace's, those of every feature on its target at and above its level, each condition
/// tensor's smallest set so far (`p_empty[c]`, updated: a lower feature's sets nest inside a
/// higher one's).
double ineffectual(const Sparsity& s, const workload::Einsum& e, const mapping::Mapping& m,
                   const FixedVector<LevelStats, kMaxLevels>& levels, const StorageSaf& saf,
                   bool timeloop, double* p_empty) {
  double effectual = 1;
  for (int c = 0; c < e.num_tensors(); ++c) {
    double p = timeloop ? 0 : p_empty[c];
    if ((saf.condition >> c) & 1u) {
      const std::int64_t points = timeloop ? timeloop_condition(e, m, levels, saf, c)
                                           : stay_condition(e, m, levels, saf, c);
      p = std::max(p, occupancy(s.density(c), e.tensor_size(c), points).p_empty);
      p_empty[c] = p;
    }
    effectual *= 1 - p;
  }
  return 1 - effectual;
}

/// The feature of level l on tensor t, or null.
const StorageSaf* feature(const Sparsity& s, int l, int t) {
  for (const StorageSaf& saf : s.safs)
    if (saf.level == l && saf.target == t) return &saf;
  return nullptr;
}

/// Splits a level's reads and updates of a tensor at probability p: ⌊R·p⌋ reads and ⌊U·p⌋
/// updates are gated or skipped; ⌈R·p⌉ reads with `ceil_reads` (Timeloop's rule for the output,
/// whose reads are the read half of a read-modify-write).
void split(TensorStats& ts, double p, bool timeloop, bool ceil_reads, SafKind kind) {
  const double exact = static_cast<double>(ts.reads) * p;
  const std::int64_t reads =
      ceil_reads ? static_cast<std::int64_t>(std::ceil(exact)) : floor_count(exact, timeloop);
  const std::int64_t updates = share_down(ts.updates, p, timeloop);
  ts.reads -= reads, ts.updates -= updates;
  (kind == SafKind::kGating ? ts.gated_reads : ts.skipped_reads) += reads;
  (kind == SafKind::kGating ? ts.gated_updates : ts.skipped_updates) += updates;
}

/// Whether the next level above l that keeps tensor t stores it compressed.
bool compressed_parent(const Sparsity& s, const FixedVector<LevelStats, kMaxLevels>& levels, int l,
                       int t) {
  for (int p = l + 1; p < static_cast<int>(levels.size()); ++p)
    if (levels[p].tensors[t].kept) return (s.compressed[p] >> t) & 1u;
  return false;
}

/// Compressed tensors move only their nonzeros: each count x becomes x − ⌊x·(1 − ρ)⌋, ρ the
/// expected density of the level's tile; under Timeloop's rules and a parent that compresses the
/// tensor too, ρ is that of a tile known not to be empty (an empty tile is never sent).
void apply_formats(const workload::Einsum& e, const Sparsity& s, bool timeloop,
                   FixedVector<LevelStats, kMaxLevels>& levels) {
  for (int l = 0; l < static_cast<int>(levels.size()); ++l)
    for (int t = 0; t < e.num_tensors(); ++t) {
      if (!((s.compressed[l] >> t) & 1u)) continue;
      TensorStats& ts = levels[l].tensors[t];
      double density = expected_density(s, e, t, ts.tile_words);
      if (timeloop && compressed_parent(s, levels, l, t) && ts.tile_words > 0) {
        const double empty = occupancy(s.density(t), e.tensor_size(t), ts.tile_words).p_empty;
        if (empty < 1) density = std::min(1.0, density / (1 - empty));
      }
      const double zeros = 1 - density;
      ts.reads -= share_down(ts.reads, zeros, timeloop);
      ts.fills -= share_down(ts.fills, zeros, timeloop);
      ts.updates -= share_down(ts.updates, zeros, timeloop);
    }
}

/// Each tensor's features from the top level down: a feature splits its level's reads and
/// updates; every level below loses ⌊x·p⌋ of its fills, reads and updates (those accesses do
/// not happen at all), and a level with its own feature splits what is left at the conditional
/// probability 1 − (1 − p_own)/(1 − p_above) (under Timeloop's rules, its reads and updates
/// whole). Returns, per tensor, the share of accesses removed below the innermost level (0
/// without a feature).
void apply_features(const workload::Einsum& e, const mapping::Mapping& m, const Sparsity& s,
                    bool timeloop, FixedVector<LevelStats, kMaxLevels>& levels, double* below) {
  for (int t = 0; t < e.num_tensors(); ++t) {
    const bool ceil_reads = timeloop && e.tensors[t].is_output;
    double above = 0;                  // the share the features above have removed
    double p_empty[kMaxTensors] = {};  // per condition tensor, its smallest set's (Outpace's)
    for (int l = static_cast<int>(levels.size()) - 1; l >= 0; --l) {
      TensorStats& ts = levels[l].tensors[t];
      const StorageSaf* saf = feature(s, l, t);
      ts.fills -= share_down(ts.fills, above, timeloop);
      if (!saf || !timeloop) {  // Timeloop splits a level with its own feature whole
        ts.reads -= share_down(ts.reads, above, timeloop);
        ts.updates -= share_down(ts.updates, above, timeloop);
      }
      if (saf) {
        const double own = ineffectual(s, e, m, levels, *saf, timeloop, p_empty);
        split(ts, std::max(0.0, 1 - (1 - own) / (1 - above)), timeloop, ceil_reads, saf->kind);
        above = own;
      }
    }
    below[t] = above;
  }
}

/// The MACs: each operand whose feature reaches below the innermost level removes ⌊T·p⌋ of them
/// (a missing operand); the rest split by the two operands' states (nonzero; zero and stored;
/// not stored, when the innermost level keeping it compresses it), each operand known nonzero
/// where the other's feature let the access through: both nonzero run; a stored zero is gated
/// under compute gating; a missing one is skipped under compute skipping, else gated under
/// compute gating; both missing, the MAC does not exist.
void split_macs(const workload::Einsum& e, const Sparsity& s, bool timeloop, const double* below,
                Result& r) {
  std::int64_t macs = r.macs;
  int operands[2], count = 0;
  for (int t = 0; t < e.num_tensors(); ++t) {
    if (e.tensors[t].is_output) continue;
    macs -= share_down(macs, below[t], timeloop);
    if (count < 2) operands[count] = t;
    ++count;
  }
  r.actual_macs = macs, r.gated_macs = r.skipped_macs = 0;
  if (count != 2) return;
  double nonzero[2], missing[2], zero[2];  // each operand's states
  for (int i = 0; i < 2; ++i) {
    const int t = operands[i], other = operands[1 - i];
    double density = expected_density(s, e, t, 1);
    if (timeloop) density = std::round(1e6 * density) / 1e6;  // as Timeloop rounds it
    nonzero[i] = below[other] > 0 ? std::min(1.0, density / (1 - below[other])) : density;
    bool compressed = false;  // at the innermost level that keeps it
    for (int l = 0; l < static_cast<int>(r.levels.size()); ++l)
      if (r.levels[l].tensors[t].kept) {
        compressed = (s.compressed[l] >> t) & 1u;
        break;
      }
    missing[i] = compressed ? 1 - nonzero[i] : 0;
    zero[i] = compressed ? 0 : 1 - nonzero[i];
  }
  const double stored_zero = nonzero[0] * zero[1] + zero[0] * nonzero[1] + zero[0] * zero[1];
  const double one_missing =
      missing[0] * (nonzero[1] + zero[1]) + missing[1] * (nonzero[0] + zero[0]);
  const double none = missing[0] * missing[1];
  double gated = s.compute_gating ? stored_zero : 0, skipped = 0;
  if (s.compute_skipping)
    skipped = one_missing;
  else if (s.compute_gating)
    gated += one_missing;
  const double total = static_cast<double>(macs);
  r.skipped_macs = floor_count(total * skipped, timeloop);
  r.gated_macs = floor_count(total * gated, timeloop);
  r.actual_macs = macs - r.skipped_macs - r.gated_macs - floor_count(total * none, timeloop);
}

/// A level that stores a tensor uncompressed under the next level keeping it, which stores it
/// compressed, decompresses what it is filled with and compresses what it sends back (the
/// parent's updates, shared over the level's instances).
void count_compression(const workload::Einsum& e, const Sparsity& s,
                       FixedVector<LevelStats, kMaxLevels>& levels) {
  const int count = static_cast<int>(levels.size());
  for (int t = 0; t < e.num_tensors(); ++t)
    for (int l = 0; l < count; ++l) {
      TensorStats& ts = levels[l].tensors[t];
      if (!ts.kept || ((s.compressed[l] >> t) & 1u)) continue;
      int p = l + 1;
      while (p < count && !levels[p].tensors[t].kept) ++p;
      if (p == count || !((s.compressed[p] >> t) & 1u)) continue;
      ts.decompressions = ts.fills;
      const std::int64_t instances = std::max<std::int64_t>(levels[l].used_instances, 1);
      ts.compressions = levels[p].tensors[t].updates *
                        std::max<std::int64_t>(levels[p].used_instances, 1) / instances;
    }
}

}  // namespace

void sparse_levels(const workload::Einsum& e, const mapping::Mapping& m, const Sparsity& s,
                   bool timeloop, FixedVector<LevelStats, kMaxLevels>& levels, double* below) {
  apply_formats(e, s, timeloop, levels);
  apply_features(e, m, s, timeloop, levels, below);
  count_compression(e, s, levels);
}

std::int64_t stored_words(const workload::Einsum& e, const Sparsity& s, int l, int t,
                          std::int64_t tile_words) {
  if (tile_words <= 0 || !((s.compressed[l] >> t) & 1u)) return tile_words;
  return occupancy(s.density(t), e.tensor_size(t), tile_words).most;
}

void sparse_macs(const workload::Einsum& e, const arch::Arch& a, const Sparsity& s, bool timeloop,
                 const double* below, Result& r) {
  split_macs(e, s, timeloop, below, r);
  // The steps that run: the dense ones in proportion to the MACs that take a cycle.
  const std::int64_t busy = r.actual_macs + r.gated_macs;
  if (busy < r.macs)
    r.compute_cycles = static_cast<std::int64_t>(
        std::ceil(static_cast<double>(r.compute_cycles) * static_cast<double>(busy) /
                  static_cast<double>(r.macs)));
  r.cycles = r.compute_cycles;
  r.mac_energy_pj = static_cast<double>(r.actual_macs) * a.compute.mac_energy_pj +
                    static_cast<double>(r.gated_macs) * a.compute.gated_mac_pj +
                    static_cast<double>(r.skipped_macs) * a.compute.skipped_mac_pj;
}

}  // namespace outpace::model
