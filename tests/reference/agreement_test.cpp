// The acceptance test of the analytical model: on thousands of random small cases, every count
// model::evaluate reports equals the brute-force simulator's, and so do the figures around them
// (cycles exactly; energy, leakage, utilization and area to the relative tolerance compare.cpp
// states), which the simulator derives from its own counts (reference/figures.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "model/evaluate.hpp"
#include "model/imperfect.hpp"
#include "reference/compare.hpp"
#include "reference/minimize.hpp"
#include "reference/random_cases.hpp"
#include "reference/simulator.hpp"

namespace outpace::reference {
namespace {

constexpr int kCases = 10000;              ///< random cases per run
constexpr std::uint64_t kSeed = 20240611;  ///< the generator's seed
constexpr std::int64_t kMaxMacs = 2000;    ///< keeps the simulator fast
constexpr int kMaxReported = 5;            ///< disagreements printed in full

/// The environment variable `name` as a number, or `fallback` when it is not set. A larger
/// sweep runs as OUTPACE_AGREEMENT_CASES=60000 OUTPACE_AGREEMENT_SEED=7 reference_tests.
std::uint64_t from_env(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::stoull(value) : fallback;
}

/// True when the case's options include `option` and it changes some count of the model (so the
/// option was exercised, not only drawn).
bool matters(const Case& c, bool model::Options::*option) {
  if (!(c.options.*option)) return false;
  model::Options without = c.options;
  without.*option = false;
  const model::Result a = model::evaluate(c.einsum, c.arch, c.mapping, c.options);
  const model::Result b = model::evaluate(c.einsum, c.arch, c.mapping, without);
  for (std::size_t l = 0; l < a.levels.size(); ++l)
    for (std::size_t t = 0; t < a.levels[l].tensors.size(); ++t) {
      const model::TensorStats &x = a.levels[l].tensors[t], &y = b.levels[l].tensors[t];
      if (x.reads != y.reads || x.fills != y.fills || x.updates != y.updates) return true;
    }
  return false;
}

/// Problems with the case itself: a generator or minimizer bug, reported like a disagreement.
std::vector<std::string> case_problems(const Case& c) {
  std::vector<std::string> problems;
  for (const std::string& e : workload::check_messages(c.einsum))
    problems.push_back("einsum: " + e);
  for (const std::string& e : arch::check_messages(c.arch)) problems.push_back("arch: " + e);
  for (const mapping::Violation& v : mapping::validate(c.einsum, c.arch, c.mapping).items)
    problems.push_back("mapping: " + mapping::describe(v, c.einsum, c.arch));
  return problems;
}

/// Checks the simulator against an identity it must satisfy on its own: at every level keeping
/// the output, reads = updates - distinct outputs held (the first update of each needs no read).
std::vector<std::string> self_check(const Case& c, const SimResult& sim) {
  std::vector<std::string> problems;
  const int out = c.einsum.output_index();
  for (std::size_t l = 0; l < sim.levels.size(); ++l) {
    const SimTensor& t = sim.levels[l].tensors[out];
    if (t.kept && t.reads != t.updates - t.held_words)
      problems.push_back("simulator: level " + std::to_string(l) + " output reads " +
                         std::to_string(t.reads) + " != updates " + std::to_string(t.updates) +
                         " - held " + std::to_string(t.held_words));
  }
  return problems;
}

/// The simulator's options that count as the model's `options` do.
SimOptions sim_options(const model::Options& options) {
  return {.multicast_identical_only = options.multicast_identical_only,
          .reset_on_stride_change = options.reset_on_stride_change,
          .extrapolate_temporal = options.extrapolate_temporal,
          .link_transfers = options.link_transfers};
}

/// The differences between the model and the simulator on a case with fixed capacities.
std::vector<std::string> differences(const Case& c) {
  return compare(c, simulate(c.einsum, c.arch, c.mapping, sim_options(c.options)),
                 model::evaluate(c.einsum, c.arch, c.mapping, c.options));
}

/// The disagreement as text: the differences and the case, then the smallest case found that
/// still disagrees.
std::string report(int index, const Case& c, const std::vector<std::string>& diffs) {
  std::string text = "case " + std::to_string(index) + " disagrees:\n";
  for (const std::string& d : diffs) text += "  " + d + "\n";
  text += describe_case(c);
  const Case small = minimize(
      c, [](const Case& x) { return case_problems(x).empty() && !differences(x).empty(); });
  text += "minimized:\n";
  for (const std::string& d : differences(small)) text += "  " + d + "\n";
  return text + describe_case(small);
}

/// How often the paths around the counts are taken, so that agreement on them means something.
struct Exercised {
  int bandwidth_bound = 0;  ///< some level's ports need more cycles than the MACs
  int idle = 0;             ///< some instance the spatial loops reach never works
  int leaking = 0;          ///< some leakage is charged

  void add(const SimResult& sim, const model::Result& r) {
    bandwidth_bound += r.cycles > r.compute_cycles ? 1 : 0;
    leaking += std::any_of(r.levels.begin(), r.levels.end(),
                           [](const model::LevelStats& l) { return l.leak_pj > 0; });
    idle += std::any_of(sim.levels.begin(), sim.levels.end(),
                        [](const SimLevel& l) { return l.used_instances < l.reached_instances; });
  }

  /// Checks that each path is taken in at least `floor` cases.
  void expect_at_least(int floor, const char* what) const {
    std::cout << what << ": bandwidth-bound in " << bandwidth_bound << ", idle instances in "
              << idle << ", leakage in " << leaking << "\n";
    EXPECT_GE(bandwidth_bound, floor) << "bandwidth cycles are hardly exercised";
    EXPECT_GE(leaking, floor) << "leakage is hardly exercised";
  }
};

/// Runs one case, each Timeloop option drawn on with probability `option_chance`; returns the
/// differences (empty when the model agrees with the simulator).
std::vector<std::string> check_case(std::mt19937_64& rng, Case& c, double option_chance,
                                    Exercised& exercised) {
  if (std::vector<std::string> problems = case_problems(c); !problems.empty()) return problems;
  c.options.multicast_identical_only = std::bernoulli_distribution(option_chance)(rng);
  c.options.reset_on_stride_change = std::bernoulli_distribution(option_chance)(rng);
  c.options.extrapolate_temporal = std::bernoulli_distribution(option_chance)(rng);
  c.options.link_transfers = std::bernoulli_distribution(option_chance)(rng);
  c.options.whole_vector_accesses = std::bernoulli_distribution(option_chance)(rng);
  const SimResult sim = simulate(c.einsum, c.arch, c.mapping, sim_options(c.options));
  if (std::vector<std::string> problems = self_check(c, sim); !problems.empty()) return problems;
  if (std::bernoulli_distribution(0.25)(rng)) set_random_capacities(rng, c, sim);
  const model::Result r = model::evaluate(c.einsum, c.arch, c.mapping, c.options);
  exercised.add(sim, r);
  return compare(c, sim, r);
}

/// Runs `cases` random cases from `seed`; reports up to kMaxReported disagreements as test
/// failures and checks that every case agrees and that extrapolation changed the counts of at
/// least `min_extrapolated` of them (otherwise the agreement says nothing about that option).
void run_agreement(std::uint64_t seed, int cases, bool windows_only, double option_chance,
                   int min_extrapolated) {
  std::mt19937_64 rng(seed);
  int agreed = 0, reported = 0, extrapolated = 0, linked = 0;
  Exercised exercised;
  for (int i = 0; i < cases; ++i) {
    Case c = random_case(rng, kMaxMacs, windows_only);
    const std::vector<std::string> diffs = check_case(rng, c, option_chance, exercised);
    if (diffs.empty()) {
      ++agreed;
      extrapolated += matters(c, &model::Options::extrapolate_temporal) ? 1 : 0;
      linked += matters(c, &model::Options::link_transfers) ? 1 : 0;
      continue;
    }
    if (reported++ >= kMaxReported) continue;
    ADD_FAILURE() << report(i, c, diffs);
  }
  std::cout << "simulator agreement: " << agreed << " of " << cases << " cases (seed " << seed
            << ", options drawn with p = " << option_chance
            << "); temporal extrapolation changed the counts of " << extrapolated
            << ", link transfers of " << linked << "\n";
  EXPECT_EQ(agreed, cases) << (cases - agreed) << " cases disagree";
  EXPECT_GE(extrapolated, min_extrapolated) << "temporal extrapolation is hardly exercised";
  exercised.expect_at_least(cases / 10, "figures");
}

// Each Timeloop option is drawn in 30% of the cases. Extrapolation changes a count only where an
// inner loop of factor 3 or more moves an overlapping tile (docs/model.md), about 2% of the
// cases it is drawn in (66 of 10,000 cases with the default seed): the floor is a third of that.
TEST(Agreement, ModelEqualsSimulatorOnRandomCases) {
  const int cases = static_cast<int>(from_env("OUTPACE_AGREEMENT_CASES", kCases));
  run_agreement(from_env("OUTPACE_AGREEMENT_SEED", kSeed), cases, false, 0.3, cases / 500);
}

// Convolutions with long rows (random_window_einsum), each Timeloop option drawn in half the
// cases: sliding windows are where extrapolation and the reset change the counts. Extrapolation
// changes them in 50 of the 2,000 cases with the default seed: the floor is a quarter of that.
TEST(Agreement, ModelEqualsSimulatorOnSlidingWindows) {
  const int cases = static_cast<int>(from_env("OUTPACE_AGREEMENT_CASES", kCases)) / 5;
  run_agreement(from_env("OUTPACE_AGREEMENT_SEED", kSeed) + 1, cases, true, 0.5, cases / 160);
}

// Link transfers (docs/timeloop-semantics.md, rule 4) need a sliding window spread over a level's
// children with the window's other term moving above them: convolutions with spatial loops
// drawn often, identical-only multicast and links always on, the other Timeloop rules drawn.
TEST(Agreement, ModelEqualsSimulatorWithLinkTransfers) {
  const int cases = static_cast<int>(from_env("OUTPACE_AGREEMENT_CASES", kCases)) / 5;
  std::mt19937_64 rng(from_env("OUTPACE_AGREEMENT_SEED", kSeed) + 4);
  int agreed = 0, reported = 0, linked = 0;
  for (int i = 0; i < cases; ++i) {
    Case c = random_case(rng, kMaxMacs, true, 0.9);
    c.options = {.multicast_identical_only = true,
                 .reset_on_stride_change = std::bernoulli_distribution(0.5)(rng),
                 .extrapolate_temporal = std::bernoulli_distribution(0.7)(rng),
                 .link_transfers = true};
    std::vector<std::string> diffs = case_problems(c);
    if (diffs.empty()) diffs = differences(c);
    if (diffs.empty()) {
      ++agreed;
      linked += matters(c, &model::Options::link_transfers) ? 1 : 0;
    } else if (reported++ < kMaxReported) {
      ADD_FAILURE() << report(i, c, diffs);
    }
  }
  std::cout << "simulator agreement with link transfers: " << agreed << " of " << cases
            << " cases; the links changed the counts of " << linked << "\n";
  EXPECT_EQ(agreed, cases);
  EXPECT_GE(linked, cases / 200) << "link transfers are hardly exercised";
}

/// Gives each level a random divisor of its instances as its cluster size.
void set_random_clusters(std::mt19937_64& rng, Case& c) {
  for (arch::StorageLevel& level : c.arch.levels) {
    std::vector<std::int64_t> divisors;
    for (std::int64_t d = 1; d <= level.instances; ++d)
      if (level.instances % d == 0) divisors.push_back(d);
    const auto last = static_cast<int>(divisors.size()) - 1;
    level.cluster_size = divisors[std::uniform_int_distribution<int>(0, last)(rng)];
  }
}

/// True when charging per used cluster changes the model's energy (fewer used clusters than
/// used instances at a level with access energy), so the option was exercised, not only drawn.
bool clusters_matter(const Case& c) {
  model::Options without = c.options;
  without.cluster_energy = false;
  return model::evaluate(c.einsum, c.arch, c.mapping, c.options).energy_pj !=
         model::evaluate(c.einsum, c.arch, c.mapping, without).energy_pj;
}

// Timeloop's energy per used cluster (docs/timeloop-semantics.md, rule 5): cases with spatial
// loops at nearly every level, each level with a random divisor of its instances as its cluster
// size, the other Timeloop options drawn in half the cases. Fewer used clusters than used
// instances changes the energy of 297 of the 1,000 cases with the default seed: the floor is
// under a third of that.
TEST(Agreement, ModelEqualsSimulatorWithClusters) {
  const int cases = static_cast<int>(from_env("OUTPACE_AGREEMENT_CASES", kCases)) / 10;
  std::mt19937_64 rng(from_env("OUTPACE_AGREEMENT_SEED", kSeed) + 5);
  int agreed = 0, reported = 0, mattered = 0;
  Exercised exercised;
  for (int i = 0; i < cases; ++i) {
    Case c = random_case(rng, kMaxMacs, false, 0.95);
    set_random_clusters(rng, c);
    c.options.cluster_energy = true;
    const std::vector<std::string> diffs = check_case(rng, c, 0.5, exercised);
    if (diffs.empty()) {
      ++agreed;
      mattered += clusters_matter(c) ? 1 : 0;
    } else if (reported++ < kMaxReported) {
      ADD_FAILURE() << report(i, c, diffs);
    }
  }
  std::cout << "simulator agreement with clusters: " << agreed << " of " << cases
            << " cases; the clusters changed the energy of " << mattered << "\n";
  EXPECT_EQ(agreed, cases) << (cases - agreed) << " cases disagree";
  EXPECT_GE(mattered, cases / 12) << "energy per used cluster is hardly exercised";
}

/// A case where some dimension is spread over the instances of two levels (drawn again until
/// one is): with its bound lowered, some instances never work (a dimension of 5 over 2 x 3).
Case spread_case(std::mt19937_64& rng) {
  for (;;) {
    Case c = random_case(rng, kMaxMacs, false, 0.95);
    for (int d = 0; d < c.einsum.num_dims(); ++d) {
      int levels = 0;
      for (const mapping::LevelMapping& lm : c.mapping.levels)
        for (const mapping::SpatialLoop& sl : lm.spatial) levels += sl.dim == d && sl.factor > 1;
      if (levels >= 2) return c;
    }
  }
}

// Residual tiles (docs/model.md, "Imperfect factorization"): the bounds of random cases lowered
// below the product of their factors, Outpace's own counting rules.
TEST(Agreement, ModelEqualsSimulatorWithResidualTiles) {
  const int cases = static_cast<int>(from_env("OUTPACE_AGREEMENT_CASES", kCases)) / 5;
  std::mt19937_64 rng(from_env("OUTPACE_AGREEMENT_SEED", kSeed) + 2);
  int agreed = 0, reported = 0, residual = 0;
  Exercised exercised;
  for (int i = 0; i < cases; ++i) {
    const bool spread = std::bernoulli_distribution(1.0 / 3)(rng);
    Case c = spread ? spread_case(rng)
                    : random_case(rng, kMaxMacs, std::bernoulli_distribution(0.3)(rng));
    make_imperfect(rng, c);
    residual += mapping::has_residual(c.einsum, c.mapping) ? 1 : 0;
    std::vector<std::string> diffs = case_problems(c);
    if (diffs.empty()) {
      const SimResult sim = simulate(c.einsum, c.arch, c.mapping);
      if (std::bernoulli_distribution(0.25)(rng)) set_random_capacities(rng, c, sim);
      const model::Result r = model::evaluate(c.einsum, c.arch, c.mapping);
      exercised.add(sim, r);
      diffs = compare(c, sim, r);
    }
    if (diffs.empty()) {
      ++agreed;
    } else if (reported++ < kMaxReported) {
      ADD_FAILURE() << report(i, c, diffs);
    }
  }
  std::cout << "simulator agreement with residual tiles: " << agreed << " of " << cases
            << " cases, " << residual << " with residual tiles\n";
  EXPECT_EQ(agreed, cases) << (cases - agreed) << " cases disagree";
  EXPECT_GE(residual, cases / 2) << "residual tiles are hardly exercised";
  exercised.expect_at_least(cases / 10, "figures with residual tiles");
  EXPECT_GE(exercised.idle, cases / 50) << "instances that never work are hardly exercised";
}

// The counting for residual tiles, applied to perfect nests, gives the closed forms' counts (a
// check independent of the simulator, over many more cases): totals, and per instance (every
// instance of a perfect nest counts the same).
TEST(Agreement, ResidualCountingEqualsClosedFormsOnPerfectNests) {
  std::mt19937_64 rng(from_env("OUTPACE_AGREEMENT_SEED", kSeed) + 3);
  int agreed = 0, reported = 0;
  const int cases = static_cast<int>(from_env("OUTPACE_AGREEMENT_CASES", kCases));
  for (int i = 0; i < cases; ++i) {
    const Case c = random_case(rng, 1'000'000, std::bernoulli_distribution(0.3)(rng));
    const model::Result r = model::evaluate(c.einsum, c.arch, c.mapping);
    const model::ImperfectCounts x = model::count_imperfect(c.einsum, c.mapping);
    bool same = x.steps == r.compute_cycles;
    for (int l = 0; l < c.arch.num_levels(); ++l)
      for (int t = 0; t < c.einsum.num_tensors(); ++t) {
        const model::TensorStats& ts = r.levels[l].tensors[t];
        const model::Traffic &sum = x.total[l][t], &one = x.first[l][t];
        const std::int64_t n = r.levels[l].used_instances;
        same = same && ts.tile_words == (ts.kept ? x.tile_words[l][t] : 0) &&
               ts.reads == sum.reads && ts.fills == sum.fills && ts.updates == sum.updates &&
               one.reads * n == sum.reads && one.fills * n == sum.fills &&
               one.updates * n == sum.updates;
      }
    if (same)
      ++agreed;
    else if (reported++ < kMaxReported)
      ADD_FAILURE() << "case " << i << " counts differently\n" << describe_case(c);
  }
  EXPECT_EQ(agreed, cases);
}

}  // namespace
}  // namespace outpace::reference
