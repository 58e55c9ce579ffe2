#include "mapper/quality.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "mapping/mapping.hpp"

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

InvalidTally tally_invalid(const MapSpace& space, std::uint64_t draws, std::uint64_t seed,
                           const model::Options& options) {
  InvalidTally tally;
  std::mt19937_64 rng(seed);
  std::vector<std::pair<int, int>> keys;  // (rule, level) of tally.rules[i], -1 for utilization
  for (; tally.draws < draws && space.can_sample(); ++tally.draws) {
    const model::Result r =
        model::evaluate(space.einsum(), space.arch(), space.sample(rng), options);
    std::pair<int, int> key;
    std::string text;
    if (!r.valid && r.violations.empty()) {
      key = {-2, -1};
      text = "a rule of the model";
    } else if (!r.valid) {
      const mapping::Violation& v = r.violations.items[0];
      key = {static_cast<int>(v.kind), v.level};
      text = mapping::describe(v, space.einsum(), space.arch());
    } else if (!space.meets_utilization(static_cast<double>(r.used_macs))) {
      key = {-1, -1};
      text = "only " + std::to_string(r.used_macs) + " of the " +
             std::to_string(space.arch().compute.instances) +
             " MACs busy, fewer than min_utilization asks";
    } else {
      ++tally.valid;
      continue;
    }
    const auto at = std::find(keys.begin(), keys.end(), key);
    if (at == keys.end()) {
      keys.push_back(key);
      tally.rules.emplace_back(1, text);
    } else {
      ++tally.rules[static_cast<std::size_t>(at - keys.begin())].first;
    }
  }
  std::stable_sort(tally.rules.begin(), tally.rules.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  return tally;
}

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

}  // namespace outpace::mapper
