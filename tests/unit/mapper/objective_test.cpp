// Objectives: the exponents of a weighted product are refused by name and range outside 0 or
// [0.01, 4], and no finite figures give an infinite or NaN cost.
#include "mapper/objective.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "common/config_error.hpp"

namespace outpace::mapper {
namespace {

/// The messages parse_objective throws for `text`, one per line; empty when it throws nothing.
std::string refusal(const std::string& text) {
  try {
    (void)parse_objective(text);
  } catch (const ConfigError& e) {
    std::string out;
    for (const Diagnostic& d : e.diagnostics()) out += d.str() + "\n";
    return out;
  }
  return "";
}

TEST(Objective, ExponentsWithinTheRangeParse) {
  EXPECT_EQ(objective_name(*parse_objective("energy^0.01*delay^4")), "energy^0.01*delay^4");
  EXPECT_EQ(objective_name(*parse_objective("energy^4*delay^0")), "energy^4*delay^0");
  EXPECT_EQ(objective_name(*parse_objective("energy^0*delay^1")), "delay");
  EXPECT_EQ(objective_exponent_rule(), "each exponent is 0 or from 0.01 to 4, not both 0");
}

TEST(Objective, ExponentsOutsideTheRangeAreRefusedByName) {
  // Both exponents past 4: one message each; scaled to a largest of 1 they give EDP.
  EXPECT_EQ(
      refusal("energy^1000*delay^1000"),
      "--objective: the energy exponent 1000 in 'energy^1000*delay^1000' is out of range: each "
      "exponent is 0 or from 0.01 to 4, not both 0 (only their ratio ranks mappings: 'edp' "
      "ranks them the same way)\n"
      "--objective: the delay exponent 1000 in 'energy^1000*delay^1000' is out of range: each "
      "exponent is 0 or from 0.01 to 4, not both 0 (only their ratio ranks mappings: 'edp' "
      "ranks them the same way)\n");
  // Below 0.01 every cost would round to 1.
  EXPECT_EQ(refusal("energy^1e-320*delay^1e-320"),
            "--objective: the energy exponent 1e-320 in 'energy^1e-320*delay^1e-320' is out of "
            "range: each exponent is 0 or from 0.01 to 4, not both 0 (only their ratio ranks "
            "mappings: 'edp' ranks them the same way)\n"
            "--objective: the delay exponent 1e-320 in 'energy^1e-320*delay^1e-320' is out of "
            "range: each exponent is 0 or from 0.01 to 4, not both 0 (only their ratio ranks "
            "mappings: 'edp' ranks them the same way)\n");
  // 2 : 8 is 0.25 : 1.
  EXPECT_EQ(
      refusal("energy^2*delay^8"),
      "--objective: the delay exponent 8 in 'energy^2*delay^8' is out of range: each exponent "
      "is 0 or from 0.01 to 4, not both 0 (only their ratio ranks mappings: "
      "'energy^0.25*delay^1' ranks them the same way)\n");
  // A ratio past 400 has no equivalent in range; a negative or infinite exponent none either.
  EXPECT_EQ(
      refusal("energy^0.001*delay^1"),
      "--objective: the energy exponent 0.001 in 'energy^0.001*delay^1' is out of range: each "
      "exponent is 0 or from 0.01 to 4, not both 0\n");
  EXPECT_EQ(refusal("energy^-1*delay^1"),
            "--objective: the energy exponent -1 in 'energy^-1*delay^1' is out of range: each "
            "exponent is 0 or from 0.01 to 4, not both 0\n");
  EXPECT_EQ(refusal("energy^1*delay^1e400"),
            "--objective: the delay exponent 1e400 in 'energy^1*delay^1e400' is out of range: each "
            "exponent is 0 or from 0.01 to 4, not both 0\n");
  // Not a weighted product at all: nothing, for the caller's "unknown objective".
  EXPECT_FALSE(parse_objective("energy^nan*delay^1"));
  EXPECT_FALSE(parse_objective("energy^x*delay^1"));
}

TEST(Objective, CostsStayFiniteAndOrdered) {
  const Objective widest{4, 4, Objective::Lexicographic::kNo};
  // The largest figures the model gives (energy below 1e45 pJ, cycles below 2^63): finite.
  const Cost big = cost_of(widest, 1e44, 9.2e18);
  EXPECT_TRUE(std::isfinite(big.primary)) << big.primary;
  EXPECT_TRUE(cost_of(widest, 1e43, 9.2e18) < big);
  // Past a double's range the product is held at the largest double, still above the rest.
  const Cost held = cost_of(widest, 1e300, 1e18);
  EXPECT_EQ(held.primary, std::numeric_limits<double>::max());
  EXPECT_TRUE(big < held);
  // A zero factor makes the product 0, even when the other one is past the range (not NaN).
  EXPECT_EQ(cost_of(widest, 0, 1e300).primary, 0);
  EXPECT_EQ(cost_of(widest, 1e300, 0).primary, 0);
  // The smallest exponents still tell mappings apart.
  const Objective smallest{0.01, 0.01, Objective::Lexicographic::kNo};
  EXPECT_TRUE(cost_of(smallest, 1000, 1000) < cost_of(smallest, 1001, 1000));
}

}  // namespace
}  // namespace outpace::mapper
