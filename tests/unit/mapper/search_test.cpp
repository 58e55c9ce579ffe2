// Every strategy: valid results, never better than the proven optimum, and the same result for
// the same seed and thread count.
#include "mapper/search.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "arch/presets.hpp"
#include "mapper/mapper.hpp"
#include "small_cases.hpp"
#include "workload/builders.hpp"

namespace outpace::mapper {
namespace {

TEST(Search, StrategiesAreDeterministicAndNeverBeatTheOptimum) {
  const workload::Einsum e = testing::conv1d(3, 8, 4);
  const arch::Arch a = testing::small_arch(8, 64);
  const Constraints c = unconstrained(e, a);
  const MapSpace space(e, a, c);
  MapperOptions opt;
  opt.threads = 2;
  const MapperResult best = map_layer(space, opt);
  ASSERT_TRUE(best.found && best.stats.proven_optimal);
  for (const std::string& name : strategy_names()) {
    opt.strategy = name;
    opt.seed = 11;
    const MapperResult first = map_layer(space, opt), second = map_layer(space, opt);
    ASSERT_TRUE(first.found) << name;
    EXPECT_TRUE(first.result.valid) << name;
    EXPECT_FALSE(first.cost < best.cost) << name << ": below the proven optimum";
    EXPECT_EQ(first.cost, second.cost) << name;
    EXPECT_EQ(first.mapping, second.mapping) << name;
    EXPECT_EQ(first.stats.proven_optimal, name == "exhaustive") << name;
  }
}

// Progress comes from the calling thread while the search runs, never after it returns; the
// evaluations grow, the best never goes below the bound, and the phases are the strategy's.
TEST(Search, ProgressIsReportedWhileTheSearchRuns) {
  workload::ConvShape shape;
  shape.c = shape.k = 64, shape.p = shape.q = 28, shape.r = shape.s = 3;
  const workload::Einsum e = workload::conv2d("conv", shape);
  const arch::Arch a = *arch::preset("eyeriss");
  const Constraints c = unconstrained(e, a);
  const MapSpace space(e, a, c);
  MapperOptions opt;
  opt.threads = 2;
  opt.strategy = "random";
  opt.max_evaluations = 30000;
  opt.progress_every_s = 0.001;
  std::vector<SearchProgress> seen;
  const std::thread::id caller = std::this_thread::get_id();
  bool other_thread = false;
  opt.progress = [&](const SearchProgress& p) {
    other_thread = other_thread || std::this_thread::get_id() != caller;
    seen.push_back(p);
  };
  const MapperResult r = map_layer(space, opt);
  const std::size_t calls = seen.size();
  ASSERT_GE(calls, 1u) << "the search took " << r.stats.seconds << " s";
  EXPECT_FALSE(other_thread);
  for (std::size_t i = 0; i < calls; ++i) {
    EXPECT_EQ(seen[i].phase, "random");
    EXPECT_LE(seen[i].evaluations, 30000u);
    if (i > 0) {
      EXPECT_GE(seen[i].evaluations, seen[i - 1].evaluations);
    }
    EXPECT_GE(seen[i].best, seen[i].lower_bound);
  }
  EXPECT_EQ(seen.size(), calls);  // nothing after map_layer returned
  EXPECT_LE(r.stats.evaluated, 30000u);
}

TEST(Search, ObjectivesParseAndOrder) {
  EXPECT_EQ(objective_name(*parse_objective("edp")), "edp");
  EXPECT_EQ(objective_name(*parse_objective("energy^1*delay^2")), "ed2p");
  EXPECT_EQ(objective_name(*parse_objective("energy^2*delay^0.5")), "energy^2*delay^0.5");
  EXPECT_FALSE(parse_objective("speed"));
  EXPECT_FALSE(parse_objective("energy^0*delay^0"));
  // Lexicographic: energy first, cycles break ties.
  const Objective lex = *parse_objective("energy,delay");
  EXPECT_TRUE(cost_of(lex, 10, 5) < cost_of(lex, 10, 6));
  EXPECT_TRUE(cost_of(lex, 9, 100) < cost_of(lex, 10, 1));
  // EDP: 10 x 5 < 6 x 9; ties on the product fall to energy.
  const Objective edp = *parse_objective("edp");
  EXPECT_TRUE(cost_of(edp, 10, 5) < cost_of(edp, 6, 9));
  EXPECT_TRUE(cost_of(edp, 5, 10) < cost_of(edp, 10, 5));
}

}  // namespace
}  // namespace outpace::mapper
