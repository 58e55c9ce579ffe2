// The bounds on convolutions with two-dimensional sliding windows (strides, dilations,
// depthwise), where the brute-force cases of mapspace_test.cpp are too small to reach: on random
// valid mappings, no bound of any partial tiling of the mapping, nor the order-aware bound of
// its tiling, exceeds its evaluation.
#include <gtest/gtest.h>

#include <random>

#include "mapper/bounds.hpp"
#include "mapper/genome.hpp"
#include "model/evaluate.hpp"
#include "small_cases.hpp"

namespace outpace::mapper {
namespace {

workload::Einsum random_conv(std::mt19937_64& rng, int i) {
  std::uniform_int_distribution<int> small(1, 3), big(2, 6);
  workload::ConvShape s;
  s.r = small(rng), s.s = small(rng), s.p = big(rng), s.q = big(rng), s.c = small(rng) + 1, s.k = small(rng) + 1;
  s.stride_h = small(rng) == 1 ? 2 : 1, s.dilation_w = small(rng) == 1 ? 2 : 1;
  return i % 3 == 0 ? workload::depthwise_conv2d("dw", s) : workload::conv2d("conv", s);
}

/// Fractional ports that bind the cycles, where the model divides exactly and a floating-point
/// quotient rounds up past a whole number (21 / 0.7): the bounds must stay below.
void limit_ports(arch::Arch& a, int i) {
  static const char* const kPorts[] = {"0.7", "0.3", "1.3", "0.1", "2.1", "0.35"};
  auto port = [&](int k) { return *arch::Bandwidth::parse(kPorts[(i + k) % 6]); };
  a.levels[0].read_bandwidth = port(0);
  a.levels[1].write_bandwidth = port(1);
  a.levels[1].read_bandwidth = port(2);
  if (i % 4 == 1) a.levels[1].update_bandwidth = port(3);
  a.levels[2].read_bandwidth = port(4);
}

/// Every bound of the mapping's tiling (and of its partial tilings) against its evaluation.
void check_mapping(const MapSpace& space, const mapping::Mapping& m, const model::Result& r) {
  const Genome g = genome_of(space, m);
  const Bound ordered = ordered_lower_bound(space, g.tiling);
  EXPECT_LE(ordered.energy_pj, r.energy_pj * (1 + 1e-12));
  EXPECT_LE(ordered.cycles, static_cast<double>(r.cycles));
  for (int decided = -1; decided < space.levels(); ++decided) {
    std::int64_t rem[kMaxDims];
    const Tiling partial = testing::undecided(space, g.tiling, decided, rem);
    const Bound b = tiling_bound(space, partial, rem, decided);
    EXPECT_LE(b.energy_pj, r.energy_pj * (1 + 1e-12)) << "decided " << decided;
    EXPECT_LE(b.cycles, static_cast<double>(r.cycles)) << "decided " << decided;
  }
}

TEST(Bounds, NeverExceedAnEvaluationOnSlidingWindows) {
  std::mt19937_64 rng(20261126);
  int checked = 0;
  for (int i = 0; i < 60 && !::testing::Test::HasFailure(); ++i) {
    const workload::Einsum e = random_conv(rng, i);
    arch::Arch a = testing::small_arch(4 + 4 * (i % 4), 64 + 64 * (i % 3));
    if (i % 2 == 1) limit_ports(a, i);
    const Constraints c = unconstrained(e, a);
    const MapSpace space(e, a, c);
    for (int draw = 0; draw < 4000 && !::testing::Test::HasFailure(); ++draw) {
      const mapping::Mapping m = space.sample(rng);
      const model::Result r = model::evaluate(e, a, m);
      if (!r.valid) continue;
      check_mapping(space, m, r);
      ++checked;
    }
  }
  // A guard against a degenerate draw, not a derived figure.
  EXPECT_GT(checked, 5000);
  RecordProperty("valid_mappings_checked", checked);
}

}  // namespace
}  // namespace outpace::mapper
