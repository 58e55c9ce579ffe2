#include "mapper/timeloop_bounds.hpp"

#include <algorithm>

#include "mapper/keeper_moves.hpp"

namespace outpace::mapper::bounds_detail {

double charged_share(const arch::StorageLevel& level, double used, const model::Options& options) {
  if (!options.cluster_energy || used <= 0) return 1;
  const double clusters =
      static_cast<double>(level.instances / std::max<std::int64_t>(level.cluster_size, 1));
  return std::min(used, clusters) / used;
}

void add_timeloop_tensor(const MapSpace& s, const Tiling& t, const SpatialBasis& b, int ti,
                         Traffic& tr) {
  const workload::Tensor& tensor = s.einsum().tensors[ti];
  bool innermost = true;
  for (int l = 0; l < s.levels(); ++l) {
    if (!((t.keep[l] >> ti) & 1u)) continue;
    const double first = b.used[l] * distinct_points(tensor, b.served[l]);
    if (innermost) {  // serves the MACs at every step, as the exact rules count
      const double per_step = b.steps * first;
      // A sliding output's distinct words are not known here: its first reads are not elided.
      (tensor.is_output ? tr.updates[l] : tr.reads[l]) += per_step;
    } else {
      (tensor.is_output ? tr.updates[l] : tr.reads[l]) += first;
    }
    if (l < s.levels() - 1 && !tensor.is_output) tr.fills[l] += first;
    innermost = false;
  }
}

}  // namespace outpace::mapper::bounds_detail
