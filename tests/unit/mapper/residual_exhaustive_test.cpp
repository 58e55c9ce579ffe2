// The exhaustive search of the residual map space (MapperOptions::imperfect) against brute-force
// enumeration of every mapping of small cases, the residual bounds against the model, and the
// residual cursor against the perfect one on factors that divide their bounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "mapper/mapper.hpp"
#include "mapper/residual_bound.hpp"
#include "mapper/residual_cursor.hpp"
#include "mapper/tiling_cursor.hpp"
#include "model/evaluate.hpp"
#include "small_cases.hpp"

namespace outpace::mapper {
namespace {

using testing::conv1d;
using testing::four_levels;
using testing::small_arch;

/// Every way to give dimension d four factors (RF temporal, Buffer spatial, Buffer temporal,
/// DRAM temporal), each from 1 to its bound (a loop past the bound never runs its last
/// iteration), that the model's validation accepts for that dimension: the factors reach the
/// bound and every loop runs its last iteration.
std::vector<std::array<std::int64_t, 4>> all_factor_choices(const workload::Einsum& e,
                                                            const arch::Arch& a, int d) {
  std::vector<std::array<std::int64_t, 4>> out;
  const std::int64_t bound = e.bounds[d];
  for (std::int64_t f0 = 1; f0 <= bound; ++f0)
    for (std::int64_t f1 = 1; f1 <= bound; ++f1)
      for (std::int64_t f2 = 1; f2 <= bound; ++f2)
        for (std::int64_t f3 = 1; f3 <= bound; ++f3) {
          mapping::Mapping m;
          m.levels.resize(3);
          const auto dim = static_cast<std::int8_t>(d);
          m.levels[0].temporal.push_back({dim, f0});
          m.levels[1].spatial.push_back({dim, f1, mapping::Axis::X});
          m.levels[1].temporal.push_back({dim, f2});
          m.levels[2].temporal.push_back({dim, f3});
          bool ok = true;
          for (const mapping::Violation& v : mapping::validate(e, a, m).items)
            ok = ok && !(v.index == d && (v.kind == mapping::ViolationKind::kFactorProduct ||
                                          v.kind == mapping::ViolationKind::kWastedIteration));
          if (ok) out.push_back({f0, f1, f2, f3});
        }
  return out;
}

/// Every permutation of the dimensions whose factor is above 1.
std::vector<std::vector<int>> permutations(const std::vector<int>& dims) {
  std::vector<int> p = dims;
  std::vector<std::vector<int>> out;
  do out.push_back(p);
  while (std::next_permutation(p.begin(), p.end()));
  return out;
}

/// Calls visit on every mapping of the three-level small architecture (every factor choice per
/// dimension, keep choice of the space, order of every level, axis of every spatial loop) that
/// the model finds valid, with its result. Written without the residual cursor.
void brute_force(const MapSpace& space,
                 const std::function<void(const mapping::Mapping&, const model::Result&)>& visit) {
  const workload::Einsum& e = space.einsum();
  const int dims = e.num_dims();
  std::vector<std::vector<std::array<std::int64_t, 4>>> choices(dims);
  for (int d = 0; d < dims; ++d) choices[d] = all_factor_choices(e, space.arch(), d);
  std::vector<std::size_t> pick(dims, 0);
  while (true) {
    std::int64_t f[4][kMaxDims];
    for (int d = 0; d < dims; ++d)
      for (int s = 0; s < 4; ++s) f[s][d] = choices[d][pick[d]][s];
    std::vector<int> loops[3], spread;
    for (int d = 0; d < dims; ++d) {
      if (f[0][d] > 1) loops[0].push_back(d);
      if (f[2][d] > 1) loops[1].push_back(d);
      if (f[3][d] > 1) loops[2].push_back(d);
      if (f[1][d] > 1) spread.push_back(d);
    }
    for (const KeepChoice& keep : space.keep_choices())
      for (const auto& o0 : permutations(loops[0]))
        for (const auto& o1 : permutations(loops[1]))
          for (const auto& o2 : permutations(loops[2]))
            for (std::uint32_t y = 0; y < (1u << spread.size()); ++y) {
              mapping::Mapping m;
              m.levels.resize(3);
              const std::vector<int>* orders[3] = {&o0, &o1, &o2};
              const int slot_of[3] = {0, 2, 3};
              for (int l = 0; l < 3; ++l) {
                for (int d : *orders[l])
                  m.levels[l].temporal.push_back({static_cast<std::int8_t>(d), f[slot_of[l]][d]});
                m.levels[l].keep = keep[l];
              }
              for (std::size_t i = 0; i < spread.size(); ++i)
                m.levels[1].spatial.push_back(
                    {static_cast<std::int8_t>(spread[i]), f[1][spread[i]],
                     (y >> i) & 1u ? mapping::Axis::Y : mapping::Axis::X});
              const model::Result r = model::evaluate(e, space.arch(), m);
              if (r.valid && space.meets_utilization(static_cast<double>(r.used_macs))) visit(m, r);
            }
    int d = 0;
    while (d < dims && ++pick[d] == choices[d].size()) pick[d++] = 0;
    if (d == dims) return;
  }
}

/// The figures of every valid mapping of the brute-force enumeration.
std::vector<model::Result> brute_force_results(const MapSpace& space) {
  std::vector<model::Result> out;
  brute_force(space, [&](const mapping::Mapping&, const model::Result& r) { out.push_back(r); });
  return out;
}

/// The least cost among them.
Cost least_cost(const std::vector<model::Result>& results, const Objective& objective) {
  Cost best{__builtin_inf(), __builtin_inf()};
  for (const model::Result& r : results) best = std::min(best, cost_of(objective, r));
  return best;
}

Objective objective_named(int i) {
  Objective o;
  if (i == 1) o.delay_exp = 0;   // energy
  if (i == 2) o.energy_exp = 0;  // delay
  return o;                      // 0: EDP
}

// Random small 1-D convolutions (bounds 1 to 5, capacities that cut some tiles), each objective:
// the residual search, on one and on two threads, proves the brute-force optimum.
TEST(ResidualExhaustive, ProvesTheBruteForceOptimumOnRandomSmallCases) {
  std::mt19937_64 rng(7);
  for (int c = 0; c < 4; ++c) {
    std::uniform_int_distribution<std::int64_t> bound(1, 5), rf(2, 12);
    const workload::Einsum e = conv1d(bound(rng) % 3 + 1, bound(rng), bound(rng) % 4 + 1);
    const arch::Arch a = small_arch(rf(rng), 64);
    // One keep choice (a smaller brute force): the Buffer keeps every tensor, the RF a random set.
    Constraints cons = unconstrained(e, a);
    cons.levels[1].keep = 7;
    cons.levels[0].keep = static_cast<std::uint32_t>(rng() % 8);
    cons.levels[0].bypass = 7 & ~cons.levels[0].keep;
    const MapSpace space(e, a, cons);
    const std::vector<model::Result> all = brute_force_results(space);
    for (int o = 0; o < 3; ++o) {
      MapperOptions opt;
      opt.imperfect = true;
      opt.objective = objective_named(o);
      const Cost best = least_cost(all, opt.objective);
      for (int threads : {1, 2}) {
        opt.threads = threads;
        const MapperResult r = map_layer(space, opt);
        const std::string what = "case " + std::to_string(c) + " bounds " +
                                 std::to_string(e.bounds[0]) + "," + std::to_string(e.bounds[1]) +
                                 "," + std::to_string(e.bounds[2]) + " objective " +
                                 std::to_string(o) + " threads " + std::to_string(threads);
        ASSERT_TRUE(r.found) << what;
        EXPECT_TRUE(r.stats.proven_optimal && r.stats.residual_space) << what;
        EXPECT_EQ(r.cost, best) << what;
        EXPECT_EQ(cost_of(opt.objective, model::evaluate(e, a, r.mapping)), r.cost) << what;
      }
    }
  }
}

// Small matrix products (the top level's order bound applies to both operands), the buffer
// keeping every tensor or bypassing the weights, each objective: the residual search proves the
// brute-force optimum on two threads.
TEST(ResidualExhaustive, ProvesTheBruteForceOptimumOnSmallMatrixProducts) {
  for (const auto& bounds : std::vector<std::array<std::int64_t, 3>>{{3, 5, 2}, {5, 2, 4}})
    for (const std::uint32_t buffer_keep : {7u, 5u}) {
      const workload::Einsum e = workload::gemm("g", bounds[0], bounds[1], bounds[2]);
      const arch::Arch a = small_arch(6, 12);
      Constraints cons = unconstrained(e, a);
      cons.levels[1].keep = buffer_keep;
      cons.levels[1].bypass = 7 & ~buffer_keep;
      cons.levels[0].keep = 3;
      cons.levels[0].bypass = 4;
      const MapSpace space(e, a, cons);
      const std::vector<model::Result> all = brute_force_results(space);
      for (int o = 0; o < 3; ++o) {
        MapperOptions opt;
        opt.imperfect = true;
        opt.threads = 2;
        opt.objective = objective_named(o);
        const MapperResult r = map_layer(space, opt);
        ASSERT_TRUE(r.found);
        EXPECT_TRUE(r.stats.proven_optimal && r.stats.residual_space);
        EXPECT_EQ(r.cost, least_cost(all, opt.objective))
            << bounds[0] << "," << bounds[1] << "," << bounds[2] << " keep " << buffer_keep
            << " objective " << o;
      }
    }
}

// P = 5 over 2 x 2 PEs with the RF holding little: residual tiles win, and the proof covers them.
TEST(ResidualExhaustive, ResidualOptimumBeatsThePerfectOne) {
  const workload::Einsum e = conv1d(2, 5, 3);
  const arch::Arch a = small_arch(6, 64);
  Constraints cons = unconstrained(e, a);
  cons.levels[1].keep = 7;
  cons.levels[0].keep = 1;  // the RF keeps the weights only
  cons.levels[0].bypass = 6;
  const MapSpace space(e, a, cons);
  MapperOptions opt;
  opt.threads = 2;
  const MapperResult perfect = map_layer(space, opt);
  opt.imperfect = true;
  const MapperResult residual = map_layer(space, opt);
  ASSERT_TRUE(perfect.found && residual.found);
  EXPECT_EQ(residual.cost, least_cost(brute_force_results(space), opt.objective));
  EXPECT_LT(residual.cost, perfect.cost);
  EXPECT_TRUE(residual.stats.residual);
}

/// The tiling of a mapping.
Tiling tiling_of(const mapping::Mapping& m, int levels, int dims) {
  Tiling t = Tiling::unit(levels, dims);
  for (int l = 0; l < levels; ++l) {
    t.keep[l] = m.levels[l].keep;
    for (const auto& loop : m.levels[l].temporal) t.temporal[l][loop.dim] = loop.factor;
    for (const auto& loop : m.levels[l].spatial) t.spatial[l][loop.dim] = loop.factor;
  }
  return t;
}

/// Checks the residual bounds of a valid mapping against the model's result: with its temporal
/// factors chosen up to each level, complete with the orders known from each level up, and
/// complete whatever the orders. True when the last raised it above the compulsory counts.
bool check_mapping_bounds(const MapSpace& space, const mapping::Mapping& m,
                          const model::Result& r) {
  if (::testing::Test::HasFailure()) return false;  // one failing mapping says enough
  const Tiling t = tiling_of(m, space.levels(), space.dims());
  const ResidualBasis basis = residual_basis(space, t);
  const int top = space.levels() - 1;
  Bound full = residual_bound(space, t, basis, top);
  EXPECT_EQ(full.cycles, static_cast<double>(r.compute_cycles));
  // Only the temporal factors up to level `decided` chosen, the others 1.
  for (int decided = -1; decided < top; ++decided) {
    std::int64_t rem[kMaxDims];
    const Tiling partial = testing::undecided(space, t, decided, rem);
    Bound b = residual_bound(space, partial, basis, decided);
    if (decided >= 0) b.energy_pj += partial_pj(space, partial, decided);
    EXPECT_LE(b.cycles, full.cycles) << "decided " << decided;
    EXPECT_LE(b.energy_pj, r.energy_pj * (1 + 1e-12)) << "decided " << decided;
  }
  // The orders of the levels from `known` up given, the others not.
  const OrderBasis moves = order_basis(space, t, top);
  Order orders[kMaxLevels];
  const Order* given[kMaxLevels] = {};
  for (int l = 0; l <= top; ++l)
    for (const mapping::TemporalLoop& loop : m.levels[l].temporal) orders[l].push_back(loop.dim);
  for (int known = top; known >= 0; --known) {
    given[known] = &orders[known];
    EXPECT_LE(full.energy_pj + orders_pj(space, t, moves, given), r.energy_pj * (1 + 1e-12))
        << "orders known from level " << known;
  }
  full.energy_pj += top_order_pj(space, t, moves);
  EXPECT_LE(full.energy_pj, r.energy_pj * (1 + 1e-12))
      << "tiling of mapping with " << r.cycles << " cycles";
  const double compulsory = basis.energy_pj + basis.leak_pj_per_cycle * full.cycles;
  return full.energy_pj > compulsory * (1 + 1e-9);
}

/// Checks the residual bounds of every valid mapping of the brute force against the model;
/// returns how many mappings there were and how many of them the top level's order bound raised
/// above the compulsory counts.
std::pair<int, int> check_bounds(const MapSpace& space) {
  int checked = 0, raised = 0;
  brute_force(space, [&](const mapping::Mapping& m, const model::Result& r) {
    raised += check_mapping_bounds(space, m, r) ? 1 : 0;
    ++checked;
  });
  return {checked, raised};
}

// Every valid mapping of the brute force costs at least the residual bound of its tiling (its
// spatial basis alone and complete), and the complete bound's cycles are the model's compute
// cycles.
TEST(ResidualExhaustive, BoundsHoldForEveryResidualMapping) {
  for (const auto& bounds :
       std::vector<std::array<std::int64_t, 3>>{{3, 5, 2}, {2, 4, 3}, {1, 7, 3}}) {
    const workload::Einsum e = conv1d(bounds[0], bounds[1], bounds[2]);
    const arch::Arch a = small_arch(8, 64);
    Constraints cons = unconstrained(e, a);
    cons.levels[1].keep = 7;
    cons.levels[0].keep = 5;  // the RF keeps the weights and the outputs
    cons.levels[0].bypass = 2;
    EXPECT_GT(check_bounds(MapSpace(e, a, cons)).first, 100);
  }
}

// The same on small matrix products, whose operands have only plain dimensions (the top level's
// order bound applies to both), with the buffer keeping every tensor or bypassing the weights,
// and a buffer that cuts some tiles; the order bound raises some tilings above the compulsory
// counts.
TEST(ResidualExhaustive, BoundsHoldForEveryResidualMatrixProduct) {
  int raised = 0;
  for (const auto& bounds :
       std::vector<std::array<std::int64_t, 3>>{{3, 5, 2}, {4, 3, 3}, {5, 2, 4}})
    for (const std::uint32_t buffer_keep : {7u, 5u}) {
      const workload::Einsum e = workload::gemm("g", bounds[0], bounds[1], bounds[2]);
      const arch::Arch a = small_arch(6, 12);
      Constraints cons = unconstrained(e, a);
      cons.levels[1].keep = buffer_keep;
      cons.levels[1].bypass = 7 & ~buffer_keep;
      cons.levels[0].keep = 3;  // the RF keeps the operands
      cons.levels[0].bypass = 4;
      const auto [checked, up] = check_bounds(MapSpace(e, a, cons));
      EXPECT_GT(checked, 100);
      raised += up;
    }
  EXPECT_GT(raised, 100);
}

// Matrix products on four levels, the operands kept by the register files only (their loops
// above pass two fanouts, so some cuts split a dimension's blocks) or the inputs by the middle
// buffer too: every tiling of the residual cursor with a few random orders of its levels, the
// bounds against the model; the order bounds raise some.
TEST(ResidualExhaustive, BoundsHoldOnFourLevels) {
  std::mt19937_64 rng(5);
  int checked = 0, raised = 0;
  for (const auto& bounds : std::vector<std::array<std::int64_t, 3>>{{3, 5, 4}, {5, 3, 6}})
    for (const std::uint32_t mid_keep : {4u, 5u}) {
      const workload::Einsum e = workload::gemm("g", bounds[0], bounds[1], bounds[2]);
      const arch::Arch a = four_levels(4, 12, 40);
      Constraints cons = unconstrained(e, a);
      cons.levels[0].keep = 3, cons.levels[0].bypass = 4;
      cons.levels[1].keep = mid_keep, cons.levels[1].bypass = 7 & ~mid_keep;
      cons.levels[2].keep = 4, cons.levels[2].bypass = 3;
      const MapSpace space(e, a, cons, false);
      for (int k = 0; k < static_cast<int>(space.keep_choices().size()); ++k) {
        ResidualCursor cursor(space, k);
        while (const Tiling* t = cursor.next()) {
          int choice[kMaxLevels];
          for (int round = 0; round < 3; ++round) {
            for (int l = 0; l < space.levels(); ++l) {
              const auto& orders = space.orders(l, t->temporal_dims(l, space.dims()));
              choice[l] = static_cast<int>(rng() % orders.size());
            }
            const mapping::Mapping m = space.build(*t, choice);
            const model::Result r = model::evaluate(e, a, m);
            if (!r.valid) continue;
            raised += check_mapping_bounds(space, m, r) ? 1 : 0;
            ++checked;
          }
        }
      }
    }
  EXPECT_GT(checked, 1000);
  EXPECT_GT(raised, 100);
}

/// The tilings of a keep choice whose factors multiply to the bounds, as (temporal, spatial)
/// factor lists.
std::set<std::vector<std::int64_t>> key_set(const MapSpace& space,
                                            const std::vector<Tiling>& tilings, bool perfect_only) {
  std::set<std::vector<std::int64_t>> out;
  for (const Tiling& t : tilings) {
    std::vector<std::int64_t> key;
    bool perfect = true;
    for (int d = 0; d < space.dims(); ++d) {
      std::int64_t product = 1;
      for (int l = 0; l < space.levels(); ++l) {
        key.insert(key.end(), {t.temporal[l][d], t.spatial[l][d]});
        product *= t.temporal[l][d] * t.spatial[l][d];
      }
      perfect = perfect && product == space.einsum().bounds[d];
    }
    if (perfect || !perfect_only) out.insert(key);
  }
  return out;
}

// The residual space contains the perfect one: its tilings whose factors divide the bounds are
// exactly the perfect cursor's, and no tiling comes twice.
TEST(ResidualExhaustive, PerfectTilingsAreTheResidualOnesThatDivide) {
  const workload::Einsum e = conv1d(3, 12, 4);
  const arch::Arch a = small_arch(16, 128);
  const Constraints cons = unconstrained(e, a);
  const MapSpace space(e, a, cons);
  for (int k = 0; k < static_cast<int>(space.keep_choices().size()); ++k) {
    std::vector<Tiling> perfect, residual;
    TilingCursor pc(space, k);
    while (const Tiling* t = pc.next()) perfect.push_back(*t);
    ResidualCursor rc(space, k);
    while (const Tiling* t = rc.next()) residual.push_back(*t);
    EXPECT_EQ(key_set(space, residual, false).size(), residual.size()) << "keep choice " << k;
    EXPECT_EQ(key_set(space, residual, true), key_set(space, perfect, false))
        << "keep choice " << k;
    EXPECT_GT(residual.size(), perfect.size());
  }
}

}  // namespace
}  // namespace outpace::mapper
