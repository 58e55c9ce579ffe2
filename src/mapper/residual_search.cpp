#include "mapper/residual_search.hpp"

#include <algorithm>

namespace outpace::mapper {

namespace {

std::int64_t divisor_count(std::int64_t n) {
  std::int64_t count = 0;
  for (std::int64_t i = 1; i * i <= n; ++i)
    if (n % i == 0) count += i * i == n ? 1 : 2;
  return count;
}

}  // namespace

std::int64_t padded_bound(std::int64_t bound) {
  std::int64_t best = bound, most = divisor_count(bound);
  for (std::int64_t b = bound + 1; b <= bound + bound / 8; ++b)
    if (const std::int64_t n = divisor_count(b); n > most) best = b, most = n;
  return best;
}

mapping::Mapping fit_to_bounds(const workload::Einsum& einsum, mapping::Mapping m) {
  // Every factor in nest order, outermost first: levels from the outermost, each with its
  // temporal loops (stored innermost first) and then its spatial loops.
  std::vector<std::int64_t*> nest[kMaxDims];
  for (int l = static_cast<int>(m.levels.size()) - 1; l >= 0; --l) {
    mapping::LevelMapping& lm = m.levels[l];
    for (std::size_t i = lm.temporal.size(); i-- > 0;) nest[lm.temporal[i].dim].push_back(&lm.temporal[i].factor);
    for (mapping::SpatialLoop& s : lm.spatial) nest[s.dim].push_back(&s.factor);
  }
  for (int d = 0; d < einsum.num_dims(); ++d) {
    const std::int64_t bound = einsum.bounds[d];
    for (std::size_t i = 0; i < nest[d].size(); ++i) {
      std::int64_t inner = 1;
      for (std::size_t j = i + 1; j < nest[d].size(); ++j) inner *= *nest[d][j];
      std::int64_t& f = *nest[d][i];
      if ((f - 1) * inner >= bound) f = (bound + inner - 1) / inner;
    }
  }
  for (mapping::LevelMapping& lm : m.levels) {  // factors of 1 are no loops
    const auto unit = [](const auto& loop) { return loop.factor == 1; };
    lm.temporal.resize(static_cast<std::size_t>(std::remove_if(lm.temporal.begin(), lm.temporal.end(), unit) - lm.temporal.begin()));
    lm.spatial.resize(static_cast<std::size_t>(std::remove_if(lm.spatial.begin(), lm.spatial.end(), unit) - lm.spatial.begin()));
  }
  return m;
}

}  // namespace outpace::mapper
