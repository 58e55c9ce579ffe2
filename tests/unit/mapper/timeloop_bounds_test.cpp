// The bounds under Timeloop's counting (model::kTimeloopOptions): on random valid mappings of
// random Einsums and architectures (clusters, blocks, fanouts, bypass), no bound of the mapping's
// partial tilings, of its tiling, or of its tiling with some of its own orders fixed exceeds its
// evaluation; and on small spaces the exhaustive search under that counting proves the optimum
// that enumerating every mapping finds.
#include <gtest/gtest.h>

#include <bit>
#include <random>

#include "mapper/bounds.hpp"
#include "mapper/genome.hpp"
#include "mapper/mapper.hpp"
#include "model/evaluate.hpp"
#include "reference/random_cases.hpp"
#include "small_cases.hpp"

namespace outpace::mapper {
namespace {

constexpr model::Options kTimeloop = model::kTimeloopOptions;

/// Index of `order` among the space's orders of level l for this tiling.
int order_index(const MapSpace& space, const Tiling& t, int l, const Order& order) {
  const std::vector<Order>& all = space.orders(l, t.temporal_dims(l, space.dims()));
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] == order) return static_cast<int>(i);
  return -1;
}

/// The mapping's order choice per level (false when a level's order is not among the space's).
bool choice_of(const MapSpace& space, const Tiling& t, const mapping::Mapping& m, int* choice) {
  for (int l = 0; l < space.levels(); ++l) {
    Order order;
    for (const auto& loop : m.levels[l].temporal)
      if (loop.factor > 1) order.push_back(static_cast<std::int8_t>(loop.dim));
    choice[l] = order_index(space, t, l, order);
    if (choice[l] < 0) return false;
  }
  return true;
}

void expect_below(const Bound& b, const model::Result& r, const char* what, int at) {
  EXPECT_LE(b.energy_pj, r.energy_pj * (1 + 1e-12)) << what << " " << at;
  EXPECT_LE(b.cycles, static_cast<double>(r.cycles)) << what << " " << at;
}

/// Every bound of the mapping, on a basis for Timeloop's counting, against its evaluation.
void check_mapping(const MapSpace& space, const mapping::Mapping& m, const model::Result& r) {
  const Genome g = genome_of(space, m);
  const SpatialBasis basis = spatial_basis(space, g.tiling, kTimeloop);
  expect_below(ordered_lower_bound(space, g.tiling, &basis), r, "ordered", 0);
  expect_below(space_lower_bound(space, kTimeloop), r, "space", 0);
  for (int decided = -1; decided < space.levels(); ++decided) {
    std::int64_t rem[kMaxDims];
    const Tiling partial = testing::undecided(space, g.tiling, decided, rem);
    const SpatialBasis b = spatial_basis(space, partial, kTimeloop);
    expect_below(tiling_bound(space, partial, rem, decided, b), r, "decided", decided);
  }
  int choice[kMaxLevels] = {};
  ASSERT_TRUE(choice_of(space, g.tiling, m, choice));
  for (int l = 0; l < space.levels(); ++l)
    expect_below(level_order_bound(space, g.tiling, l, choice[l], basis), r, "level", l);
  for (int from = 0; from <= space.levels(); ++from)
    for (bool exact : {false, true})
      expect_below(partial_lower_bound(space, g.tiling, choice, from, exact, &basis), r,
                   exact ? "from exact" : "from", from);
}

/// Gives every level a random cluster size among the divisors of its instances.
void random_clusters(std::mt19937_64& rng, arch::Arch& a) {
  for (arch::StorageLevel& level : a.levels) {
    std::vector<std::int64_t> divisors;
    for (std::int64_t d = 1; d <= level.instances; ++d)
      if (level.instances % d == 0) divisors.push_back(d);
    const std::size_t pick =
        std::uniform_int_distribution<std::size_t>(0, divisors.size() - 1)(rng);
    level.cluster_size = divisors[pick];
  }
}

TEST(TimeloopBounds, NeverExceedAnEvaluationUnderTimeloopsCounting) {
  std::mt19937_64 rng(20270314);
  int checked = 0;
  for (int i = 0; i < 600 && !::testing::Test::HasFailure(); ++i) {
    const workload::Einsum e = i % 2 == 0 ? reference::random_window_einsum(rng, 2000)
                                          : reference::random_einsum(rng, 2000);
    arch::Arch a = reference::random_arch(rng);
    if (a.levels.size() > 4 || a.levels.back().instances > 1 ||
        e.num_dims() > static_cast<int>(kMaxDims) ||
        e.num_tensors() > static_cast<int>(kMaxTensors))
      continue;
    reference::set_random_costs(rng, a);
    random_clusters(rng, a);
    const Constraints constraints = unconstrained(e, a);  // the space keeps a reference
    const MapSpace space(e, a, constraints, false);
    if (!space.can_sample()) continue;
    for (int draw = 0; draw < 400 && !::testing::Test::HasFailure(); ++draw) {
      mapping::Mapping m = space.sample(rng);
      // Link transfers depend on the axes: half the draws spread on random ones.
      if (draw % 2 == 1)
        for (mapping::LevelMapping& level : m.levels)
          for (mapping::SpatialLoop& loop : level.spatial)
            loop.axis = rng() % 2 ? mapping::Axis::Y : mapping::Axis::X;
      const model::Result r = model::evaluate(e, a, m, kTimeloop);
      if (!r.valid) continue;
      check_mapping(space, m, r);
      ++checked;
    }
  }
  // A guard against a degenerate draw, not a derived figure.
  EXPECT_GT(checked, 10000);
  RecordProperty("valid_mappings_checked", checked);
}

/// Moves `choice` to the next combination below `count` per level; false after the last.
bool next_choice(int levels, const int* count, int* choice) {
  for (int l = 0; l < levels; ++l) {
    if (++choice[l] < count[l]) return true;
    choice[l] = 0;
  }
  return false;
}

/// The least cost of every mapping of the space (every tiling, every order, every axis of every
/// spatial loop; the model refuses the axes that break a fanout), by enumeration; with
/// `first_axes` only the axes of the space's tilings.
Cost brute_force(const MapSpace& space, const Objective& obj, bool first_axes = false) {
  Cost best{1e300, 1e300};
  const int levels = space.levels();
  for (int k = 0; k < static_cast<int>(space.keep_choices().size()); ++k)
    space.for_each_tiling(k, [&](Tiling t) {
      int count[kMaxLevels], choice[kMaxLevels] = {}, axes[kMaxLevels] = {}, subsets[kMaxLevels];
      std::uint32_t spread[kMaxLevels] = {};
      for (int l = 0; l < levels; ++l) {
        count[l] = static_cast<int>(space.orders(l, t.temporal_dims(l, space.dims())).size());
        for (int d = 0; d < space.dims(); ++d)
          if (t.spatial[l][d] > 1) spread[l] |= 1u << d;
        subsets[l] = first_axes ? 1 : 1 << std::popcount(spread[l]);
      }
      do {
        if (!first_axes)
          for (int l = 0; l < levels; ++l) {  // subset axes[l] of the spread dimensions on Y
            t.on_y[l] = 0;
            int bit = 0;
            for (int d = 0; d < space.dims(); ++d)
              if ((spread[l] >> d) & 1u) t.on_y[l] |= ((axes[l] >> bit++) & 1u) << d;
          }
        do {
          const model::Result r =
              model::evaluate(space.einsum(), space.arch(), space.build(t, choice), kTimeloop);
          if (r.valid) best = std::min(best, cost_of(obj, r));
        } while (next_choice(levels, count, choice));
      } while (next_choice(levels, subsets, axes));
      return true;
    });
  return best;
}

TEST(TimeloopBounds, ExhaustiveSearchFindsTheBruteForceOptimum) {
  using testing::conv1d;
  using testing::small_arch;
  struct Case {
    workload::Einsum einsum;
    arch::Arch arch;
  };
  std::vector<Case> cases = {{conv1d(3, 4, 2), small_arch(8, 64)},
                             {conv1d(2, 6, 3), small_arch(6, 24)},
                             {conv1d(3, 8, 2), small_arch(12, 48)},
                             {workload::gemm("g", 4, 2, 3), small_arch(4, 20)}};
  cases[2].arch.levels[0].cluster_size = 4;  // all 4 PEs' register files in one cluster
  cases[2].arch.levels[1].block_size = 4;
  for (const char* objective : {"energy", "delay", "edp"})
    for (const Case& c : cases) {
      const Objective obj = *parse_objective(objective);
      const Constraints constraints =
          unconstrained(c.einsum, c.arch);  // the space keeps a reference
      const MapSpace space(c.einsum, c.arch, constraints, false);
      const Cost best = brute_force(space, obj);
      MapperOptions opt;
      opt.objective = obj;
      opt.threads = 2;
      opt.model = kTimeloop;
      const MapperResult found = map_layer(space, opt);
      ASSERT_TRUE(found.found);
      EXPECT_TRUE(found.stats.proven_optimal);
      EXPECT_EQ(found.cost, best) << c.einsum.name << " " << objective;
      EXPECT_GT(found.stats.pruned + static_cast<double>(found.stats.cut), 0)
          << c.einsum.name << " " << objective;
    }
}

}  // namespace
}  // namespace outpace::mapper
