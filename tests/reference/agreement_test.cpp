// The acceptance test of the analytical model: on thousands of random small cases, every count
// model::evaluate reports equals the brute-force simulator's.
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "model/evaluate.hpp"
#include "reference/compare.hpp"
#include "reference/minimize.hpp"
#include "reference/random_cases.hpp"
#include "reference/simulator.hpp"

namespace outpace::reference {
namespace {

constexpr int kCases = 10000;            ///< random cases per run
constexpr std::int64_t kMaxMacs = 2000;  ///< keeps the simulator fast
constexpr int kMaxReported = 5;          ///< disagreements printed in full

/// Problems with the case itself: a generator or minimizer bug, reported like a disagreement.
std::vector<std::string> case_problems(const Case& c) {
  std::vector<std::string> problems;
  for (const std::string& e : workload::check(c.einsum)) problems.push_back("einsum: " + e);
  for (const std::string& e : arch::check(c.arch)) problems.push_back("arch: " + e);
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

/// The differences between the model and the simulator on a case with fixed capacities.
std::vector<std::string> differences(const Case& c) {
  return compare(c,
                 simulate(c.einsum, c.arch, c.mapping,
                          {.multicast_identical_only = c.options.multicast_identical_only,
                           .reset_on_stride_change = c.options.reset_on_stride_change}),
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

/// Runs one case; returns the differences (empty when the model agrees with the simulator).
std::vector<std::string> check_case(std::mt19937_64& rng, Case& c) {
  if (std::vector<std::string> problems = case_problems(c); !problems.empty()) return problems;
  c.options.multicast_identical_only = std::bernoulli_distribution(0.3)(rng);
  c.options.reset_on_stride_change = std::bernoulli_distribution(0.3)(rng);
  const SimResult sim = simulate(c.einsum, c.arch, c.mapping,
                                 {.multicast_identical_only = c.options.multicast_identical_only,
                           .reset_on_stride_change = c.options.reset_on_stride_change});
  if (std::vector<std::string> problems = self_check(c, sim); !problems.empty()) return problems;
  if (std::bernoulli_distribution(0.25)(rng)) set_random_capacities(rng, c, sim);
  return compare(c, sim, model::evaluate(c.einsum, c.arch, c.mapping, c.options));
}

TEST(Agreement, ModelEqualsSimulatorOnRandomCases) {
  std::mt19937_64 rng(20240611);
  int agreed = 0, reported = 0;
  for (int i = 0; i < kCases; ++i) {
    Case c = random_case(rng, kMaxMacs);
    const std::vector<std::string> diffs = check_case(rng, c);
    if (diffs.empty()) {
      ++agreed;
      continue;
    }
    if (reported++ >= kMaxReported) continue;
    ADD_FAILURE() << report(i, c, diffs);
  }
  std::cout << "simulator agreement: " << agreed << " cases\n";
  EXPECT_EQ(agreed, kCases) << (kCases - agreed) << " cases disagree";
}

}  // namespace
}  // namespace outpace::reference
