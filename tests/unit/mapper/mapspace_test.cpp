// The map space against brute-force enumeration of every mapping of small cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "mapper/bounds.hpp"
#include "mapper/factorization.hpp"
#include "mapper/mapper.hpp"
#include "mapper/mapspace.hpp"
#include "mapper/tiling_cursor.hpp"
#include "model/evaluate.hpp"
#include "small_cases.hpp"

namespace outpace::mapper {
namespace {

using testing::conv1d;
using testing::small_arch;

/// One mapping of the brute-force enumeration, with the tiling it was built from.
struct Point {
  mapping::Mapping mapping;
  Tiling tiling;
};

/// Every mapping of the unconstrained space of a 3-level architecture whose middle level fans
/// out: all factorizations over (RF temporal, Buffer spatial, Buffer temporal, DRAM temporal),
/// all orders of the non-unit loops, both axes of every spatial factor, every keep choice of
/// the two inner levels. Written independently of MapSpace.
void brute_force(const workload::Einsum& e, const std::function<void(const Point&)>& visit) {
  const int dims = e.num_dims();
  std::vector<std::vector<std::vector<std::int64_t>>> splits(dims);  // [d] -> 4 factors
  for (int d = 0; d < dims; ++d)
    for_each_factorization(e.bounds[d], std::vector<std::int64_t>(4, e.bounds[d]), [&](const auto& f) {
      splits[d].push_back(f);
      return true;
    });
  std::vector<std::size_t> pick(dims, 0);
  const std::uint32_t all = (1u << e.num_tensors()) - 1;
  while (true) {
    Tiling t{};
    for (int d = 0; d < dims; ++d) {
      const auto& f = splits[d][pick[d]];
      t.temporal[0][d] = f[0], t.spatial[1][d] = f[1], t.temporal[1][d] = f[2], t.temporal[2][d] = f[3];
      t.spatial[0][d] = t.spatial[2][d] = 1;
    }
    std::vector<std::int8_t> spread;
    for (int d = 0; d < dims; ++d)
      if (t.spatial[1][d] > 1) spread.push_back(static_cast<std::int8_t>(d));
    for (std::uint32_t keep0 = 0; keep0 <= all; ++keep0)
      for (std::uint32_t keep1 = 0; keep1 <= all; ++keep1)
        for (std::uint32_t y = 0; y < (1u << spread.size()); ++y) {
          t.keep = {keep0, keep1, all};
          t.on_y[0] = t.on_y[2] = 0, t.on_y[1] = 0;
          for (std::size_t i = 0; i < spread.size(); ++i)
            if ((y >> i) & 1u) t.on_y[1] |= 1u << spread[i];
          const std::vector<Order> o0 = all_orders(t.temporal_dims(0, dims)),
                                   o1 = all_orders(t.temporal_dims(1, dims)),
                                   o2 = all_orders(t.temporal_dims(2, dims));
          for (const Order& a0 : o0)
            for (const Order& a1 : o1)
              for (const Order& a2 : o2) {
                mapping::Mapping m;
                m.levels.resize(3);
                const Order* orders[3] = {&a0, &a1, &a2};
                for (int l = 0; l < 3; ++l) {
                  for (std::int8_t d : *orders[l]) m.levels[l].temporal.push_back({d, t.temporal[l][d]});
                  for (int d = 0; d < dims; ++d)
                    if (t.spatial[l][d] > 1)
                      m.levels[l].spatial.push_back(
                          {d, t.spatial[l][d], (t.on_y[l] >> d) & 1u ? mapping::Axis::Y : mapping::Axis::X});
                  m.levels[l].keep = t.keep[l];
                }
                visit({m, t});
              }
        }
    int d = 0;
    for (; d < dims; ++d) {
      if (++pick[d] < splits[d].size()) break;
      pick[d] = 0;
    }
    if (d == dims) break;
  }
}

double factorial(int n) { return n <= 1 ? 1 : n * factorial(n - 1); }

struct Case {
  workload::Einsum einsum;
  arch::Arch arch;
};

std::vector<Case> cases() {
  return {{conv1d(3, 4, 2), small_arch(8, 64)},
          {conv1d(2, 6, 3), small_arch(6, 24)},
          {workload::gemm("g", 4, 2, 3), small_arch(4, 20)}};
}

TEST(MapSpace, SizesMatchBruteForceCounts) {
  for (const Case& c : cases()) {
    const Constraints cons = unconstrained(c.einsum, c.arch);
    const MapSpace space(c.einsum, c.arch, cons);
    const SpaceSize size = space.size();
    const int dims = c.einsum.num_dims(), tensors = c.einsum.num_tensors();
    // Raw = constrained without constraints: factorizations over 4 slots, D! orders per level,
    // two axes per dimension at the one spatial level, 2^T keep choices per inner level.
    double factorizations = 1;
    for (std::int64_t b : c.einsum.bounds) factorizations *= count_factorizations(b, 4).value();
    const double raw = factorizations * std::pow(factorial(dims), 3) * std::pow(2, dims) *
                       std::pow(2, 2 * tensors);
    EXPECT_DOUBLE_EQ(static_cast<double>(size.raw.value()), raw) << c.einsum.name;
    EXPECT_DOUBLE_EQ(static_cast<double>(size.constrained.value()), raw) << c.einsum.name;
    // Fitting: every brute-force mapping the model finds valid, weighted by the orders of its
    // unit loops and the axes of its unit spatial factors, which the enumeration leaves out.
    double fitting = 0;
    brute_force(c.einsum, [&](const Point& p) {
      if (!model::evaluate(c.einsum, c.arch, p.mapping).valid) return;
      double weight = std::pow(2, dims - static_cast<int>(p.mapping.levels[1].spatial.size()));
      for (const auto& lm : p.mapping.levels) weight *= factorial(dims) / factorial(static_cast<int>(lm.temporal.size()));
      fitting += weight;
    });
    EXPECT_DOUBLE_EQ(static_cast<double>(size.fitting.value()), fitting) << c.einsum.name;
  }
}

TEST(MapSpace, EveryMappingItYieldsIsValid) {
  for (const Case& c : cases()) {
    const Constraints cons = unconstrained(c.einsum, c.arch);
    const MapSpace space(c.einsum, c.arch, cons);
    std::uint64_t n = 0;
    for (int k = 0; k < static_cast<int>(space.keep_choices().size()); ++k)
      space.for_each_tiling(k, [&](const Tiling& t) {
        int choice[kMaxLevels] = {};
        for (int l = 0; l < space.levels(); ++l) {
          const auto& orders = space.orders(l, t.temporal_dims(l, space.dims()));
          choice[l] = static_cast<int>(n % orders.size());
        }
        const model::Result r = model::evaluate(c.einsum, c.arch, space.build(t, choice));
        EXPECT_TRUE(r.valid) << c.einsum.name << " tiling " << n;
        ++n;
        return true;
      });
    EXPECT_EQ(n, space.size().tilings);
  }
}

// A minimum utilization keeps exactly the tilings of the unconstrained space whose spatial
// factors busy enough MACs (small_arch: 4 x 2 = 8), though the walk drops the others as soon
// as their spatial factors are known.
TEST(MapSpace, UtilizationKeepsTheBusyTilingsOfTheUnconstrainedSpace) {
  for (const Case& c : cases())
    for (const double utilization : {0.25, 0.5, 1.0}) {
      const Constraints free = unconstrained(c.einsum, c.arch);
      Constraints busy = free;
      busy.min_utilization = utilization;
      const MapSpace all(c.einsum, c.arch, free), kept(c.einsum, c.arch, busy);
      std::uint64_t expected = 0;
      for (int k = 0; k < static_cast<int>(all.keep_choices().size()); ++k)
        all.for_each_tiling(k, [&](const Tiling& t) {
          expected += kept.meets_utilization(t) ? 1 : 0;
          return true;
        });
      const SpaceSize size = kept.size();
      EXPECT_TRUE(size.complete);
      EXPECT_EQ(size.tilings, expected) << c.einsum.name << " at utilization " << utilization;
    }
}

// When the rules drop every tiling (conv1d(1, 2, 1) has 2 MACs, never the 8 PEs busy that
// utilization 1 asks for), a count still stops at its limit: on the tilings formed, kept or
// not, and on the partial ones examined.
TEST(MapSpace, CountLimitBoundsTheWorkWhateverTheRulesDrop) {
  const workload::Einsum e = conv1d(1, 2, 1);  // 2 MACs: never 8 busy
  const arch::Arch a = small_arch(8, 64);
  Constraints c = unconstrained(e, a);
  c.min_utilization = 1;
  const MapSpace space(e, a, c);
  const SpaceSize all = space.size();
  EXPECT_TRUE(all.complete);
  EXPECT_EQ(all.tilings, 0u);
  EXPECT_GT(all.examined, 3u);
  const SpaceSize some = space.size(1);
  EXPECT_FALSE(some.complete);
  EXPECT_FALSE(some.interrupted);
  EXPECT_LE(some.examined, kExaminedPerTiling);
  EXPECT_LE(some.formed, 1u);
}

// The progress callback comes every 65,536 tilings examined and stops the count when it says
// so; the count is then partial and marked interrupted.
TEST(MapSpace, ProgressCanStopACount) {
  const workload::Einsum e =
      workload::conv2d("c", {.k = 16, .c = 16, .p = 8, .q = 8, .r = 3, .s = 3});
  const arch::Arch a = small_arch(64, 4096);
  const Constraints c = unconstrained(e, a);
  const MapSpace space(e, a, c);
  int calls = 0;
  CountProgress last;
  const SpaceSize size = space.size(UINT64_MAX, [&](const CountProgress& p) {
    last = p;
    return ++calls < 3;
  });
  EXPECT_EQ(calls, 3);
  EXPECT_FALSE(size.complete);
  EXPECT_TRUE(size.interrupted);
  EXPECT_EQ(last.examined, 3u * 65536);
  EXPECT_EQ(size.examined, last.examined);
  EXPECT_EQ(size.tilings, last.tilings);
}

TEST(MapSpace, LowerBoundNeverExceedsAnEvaluation) {
  for (const Case& c : cases()) {
    const Constraints cons = unconstrained(c.einsum, c.arch);
    const MapSpace space(c.einsum, c.arch, cons);
    const Bound whole = space_lower_bound(space);
    brute_force(c.einsum, [&](const Point& p) {
      const model::Result r = model::evaluate(c.einsum, c.arch, p.mapping);
      if (!r.valid) return;
      for (const Bound& b : {ordered_lower_bound(space, p.tiling)}) {
        EXPECT_LE(b.energy_pj, r.energy_pj * (1 + 1e-12)) << c.einsum.name;
        EXPECT_LE(b.cycles, static_cast<double>(r.cycles)) << c.einsum.name;
      }
      EXPECT_LE(whole.energy_pj, r.energy_pj * (1 + 1e-12)) << c.einsum.name;
      EXPECT_LE(whole.cycles, static_cast<double>(r.cycles)) << c.einsum.name;
    });
  }
}

/// Along the cursor's walk, compares the incremental TilingBounds with tiling_bound at every call
/// and with level_order_bound for the outermost level of every complete tiling.
class CompareBounds : public TilingFilter {
 public:
  explicit CompareBounds(const MapSpace& space) : space_(space) {}
  bool cut(const Tiling& partial, const std::int64_t* rem, int decided) override {
    if (decided < 0 || !started_) {
      basis_ = spatial_basis(space_, partial);
      bounds_.reset(basis_);
      started_ = true;
    }
    const Bound a = bounds_(space_, partial, rem, decided), b = tiling_bound(space_, partial, rem, decided);
    EXPECT_NEAR(a.energy_pj, b.energy_pj, 1e-9 * b.energy_pj) << "decided " << decided;
    EXPECT_EQ(a.cycles, b.cycles) << "decided " << decided;
    ++calls;
    return false;
  }
  /// The complete tiling the cursor yields: its bound continues the incremental one, and so do
  /// the bounds with the outermost level's order fixed.
  void complete(const Tiling& t) {
    const int top = space_.levels() - 1;
    const std::int64_t* none = kNothingLeft.data();
    const Bound a = bounds_(space_, t, none, top), b = tiling_bound(space_, t, none, top);
    EXPECT_NEAR(a.energy_pj, b.energy_pj, 1e-9 * b.energy_pj);
    const auto& orders = space_.orders(top, t.temporal_dims(top, space_.dims()));
    for (int o = 0; o < static_cast<int>(orders.size()); ++o) {
      const std::optional<Bound> fast = bounds_.outermost_order(space_, t, orders[o]);
      ASSERT_TRUE(fast.has_value());
      const Bound direct = level_order_bound(space_, t, top, o, basis_);
      EXPECT_NEAR(fast->energy_pj, direct.energy_pj, 1e-9 * direct.energy_pj) << "order " << o;
      EXPECT_EQ(fast->cycles, direct.cycles) << "order " << o;
      ++orders_checked;
    }
  }
  int calls = 0;
  int orders_checked = 0;

 private:
  const MapSpace& space_;
  SpatialBasis basis_;
  TilingBounds bounds_;
  bool started_ = false;
};

TEST(MapSpace, IncrementalTilingBoundsEqualTheDirectOnes) {
  for (const Case& c : cases()) {
    const Constraints cons = unconstrained(c.einsum, c.arch);
    const MapSpace space(c.einsum, c.arch, cons);
    for (int k = 0; k < static_cast<int>(space.keep_choices().size()); ++k) {
      CompareBounds compare(space);
      TilingCursor cursor(space, k, &compare);
      while (const Tiling* t = cursor.next()) compare.complete(*t);
      EXPECT_GT(compare.calls, 0) << c.einsum.name;
      EXPECT_GT(compare.orders_checked, 0) << c.einsum.name;
      if (::testing::Test::HasFailure()) return;
    }
  }
}

TEST(MapSpace, PartialBoundsNeverExceedACompletion) {
  // Every order combination of every tiling: fixing the orders of levels `from` and above, or
  // the order of one level alone, must bound the evaluation of this very completion.
  for (const Case& c : cases()) {
    const Constraints cons = unconstrained(c.einsum, c.arch);
    const MapSpace space(c.einsum, c.arch, cons);
    std::uint64_t checked = 0;
    for (int k = 0; k < static_cast<int>(space.keep_choices().size()); ++k)
      space.for_each_tiling(k, [&](const Tiling& t) {
        int count[kMaxLevels], choice[kMaxLevels] = {};
        for (int l = 0; l < space.levels(); ++l)
          count[l] = static_cast<int>(space.orders(l, t.temporal_dims(l, space.dims())).size());
        // The tiling seen with only the temporal factors of levels up to `decided` known.
        std::vector<Bound> tiling_bounds;
        for (int decided = -1; decided < space.levels(); ++decided) {
          Tiling partial = t;
          std::int64_t rem[kMaxDims];
          for (int d = 0; d < space.dims(); ++d) {
            rem[d] = 1;
            for (int l = decided + 1; l < space.levels(); ++l)
              rem[d] *= partial.temporal[l][d], partial.temporal[l][d] = 1;
          }
          tiling_bounds.push_back(tiling_bound(space, partial, rem, decided));
        }
        while (true) {
          const model::Result r = model::evaluate(c.einsum, c.arch, space.build(t, choice));
          for (const Bound& b : tiling_bounds) {
            EXPECT_LE(b.energy_pj, r.energy_pj * (1 + 1e-12)) << c.einsum.name;
            EXPECT_LE(b.cycles, static_cast<double>(r.cycles)) << c.einsum.name;
          }
          const SpatialBasis basis = spatial_basis(space, t);
          for (int l = 0; l < space.levels(); ++l) {  // this completion's order at one level
            const Bound b = level_order_bound(space, t, l, choice[l], basis);
            EXPECT_LE(b.energy_pj, r.energy_pj * (1 + 1e-12)) << c.einsum.name << " level " << l;
            EXPECT_LE(b.cycles, static_cast<double>(r.cycles)) << c.einsum.name << " level " << l;
          }
          for (int from = 0; from <= space.levels(); ++from)
            for (bool exact : {false, true}) {
              const Bound b = partial_lower_bound(space, t, choice, from, exact);
              EXPECT_LE(b.energy_pj, r.energy_pj * (1 + 1e-12)) << c.einsum.name << " from " << from;
              EXPECT_LE(b.cycles, static_cast<double>(r.cycles)) << c.einsum.name << " from " << from;
              ++checked;
            }
          int l = 0;
          for (; l < space.levels(); ++l) {
            if (++choice[l] < count[l]) break;
            choice[l] = 0;
          }
          if (l == space.levels()) break;
        }
        return !::testing::Test::HasFailure();
      });
    EXPECT_GT(checked, 1000u) << c.einsum.name;
  }
}

TEST(MapSpace, ExhaustiveSearchFindsTheBruteForceOptimum) {
  for (const char* objective : {"energy", "delay", "edp"}) {
    for (const Case& c : cases()) {
      const Objective obj = *parse_objective(objective);
      Cost best{1e300, 1e300};
      brute_force(c.einsum, [&](const Point& p) {
        const model::Result r = model::evaluate(c.einsum, c.arch, p.mapping);
        if (r.valid) best = std::min(best, cost_of(obj, r));
      });
      const Constraints cons = unconstrained(c.einsum, c.arch);
      const MapSpace space(c.einsum, c.arch, cons);
      for (int threads : {1, 2}) {
        MapperOptions opt;
        opt.objective = obj;
        opt.threads = threads;
        const MapperResult found = map_layer(space, opt);
        ASSERT_TRUE(found.found);
        EXPECT_TRUE(found.stats.proven_optimal);
        EXPECT_EQ(found.cost, best) << c.einsum.name << " " << objective << " threads " << threads;
        EXPECT_GT(found.stats.pruned + static_cast<double>(found.stats.cut), 0) << c.einsum.name << " " << objective;
      }
    }
  }
}

}  // namespace
}  // namespace outpace::mapper
