// Every strategy: valid results, never better than the proven optimum, and the same result for
// the same seed and thread count.
#include <gtest/gtest.h>

#include "mapper/mapper.hpp"
#include "mapper/search.hpp"
#include "small_cases.hpp"

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
