#include "mapper/quality.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace outpace::mapper {

QualitySample sample_quality(
    const MapSpace& space, std::uint64_t valid, std::uint64_t max_draws, std::uint64_t seed,
    const model::Options& options,
    const std::function<bool(std::uint64_t draws, std::uint64_t valid)>& progress) {
  QualitySample q;
  std::mt19937_64 rng(seed);
  while (q.energy_pj.size() < valid && q.draws < max_draws && space.can_sample()) {
    if (q.draws > 0 && (q.draws & 0xFF) == 0 && progress &&
        !progress(q.draws, q.energy_pj.size())) {
      q.stopped = true;
      break;
    }
    ++q.draws;
    const model::Result r = model::evaluate(space.einsum(), space.arch(), space.sample(rng), options);
    if (!r.valid || !space.meets_utilization(static_cast<double>(r.used_macs))) continue;
    q.energy_pj.push_back(r.energy_pj);
    q.edp.push_back(r.energy_pj * static_cast<double>(r.cycles));
  }
  std::sort(q.energy_pj.begin(), q.energy_pj.end());
  std::sort(q.edp.begin(), q.edp.end());
  return q;
}

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace outpace::mapper
