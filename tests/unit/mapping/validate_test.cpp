// Every structural rule of a mapping, with the exact sentence it produces.
#include <gtest/gtest.h>

#include "arch/presets.hpp"
#include "common/mapping_builder.hpp"
#include "mapping/mapping.hpp"
#include "workload/builders.hpp"

namespace outpace::mapping {
namespace {

std::vector<std::string> messages(const workload::Einsum& e, const arch::Arch& a, const Mapping& m) {
  std::vector<std::string> out;
  for (const Violation& v : validate(e, a, m).items) out.push_back(describe(v, e, a));
  return out;
}

TEST(Validate, ReportsEveryRuleBroken) {
  const workload::Einsum e = workload::gemm("g", 4, 4, 4);
  const arch::Arch a = *arch::preset("eyeriss");  // GLB fanout: 14 x 12
  const Mapping m = test::MappingBuilder(e, a)
                        .level("psum_spad").temporal("M", 2).temporal("M", 1).keep_all()
                        .level("weights_spad").keep_all()
                        .level("ifmap_spad").keep_all()
                        .level("shared_glb").spatial_x("N", 16).spatial_y("K", 13).keep_all()
                        .level("DRAM").keep("Inputs", "Weights")
                        .build();
  EXPECT_EQ(messages(e, a, m),
            (std::vector<std::string>{
                "level 'psum_spad', dimension 'M': more than one temporal loop; give each "
                "dimension one factor per level",
                "level 'shared_glb': spatial X factors multiply to 16, fanout X is 14",
                "level 'shared_glb': spatial Y factors multiply to 13, fanout Y is 12",
                "dimension 'M': factors multiply to 2, the bound is 4",
                "dimension 'N': factors multiply to 16, past the bound 4 by more than a residual "
                "(a loop's last iteration would never run)",
                "dimension 'K': factors multiply to 13, past the bound 4 by more than a residual "
                "(a loop's last iteration would never run)",
                "level 'DRAM': the outermost level must keep every tensor, tensor 'Outputs' is "
                "bypassed"}));
}

// Residual tiles (imperfect factorization): M = 5 as 2 x 3 leaves the last iteration of the
// outer loop one M; 3 x 3 would leave its last iteration nothing (2 x 3 >= 5). Timeloop's
// counting rules (allow_residual = false) need factors that multiply to the bound.
TEST(Validate, ResidualFactorsNeedEveryLastIterationToRun) {
  const workload::Einsum e = workload::gemm("g", 5, 1, 1);
  const arch::Arch a = *arch::preset("toy");
  // M = inner x outer, every tensor kept everywhere.
  auto split_m = [&](std::int64_t inner, std::int64_t outer) {
    return test::MappingBuilder(e, a)
        .level("RegisterFile").temporal("M", inner).keep_all()
        .level("GlobalBuffer").keep_all()
        .level("MainMemory").temporal("M", outer).keep_all()
        .build();
  };
  Mapping m = split_m(2, 3);
  EXPECT_TRUE(validate(e, a, m).empty());
  EXPECT_TRUE(has_residual(e, m));
  EXPECT_EQ(describe(validate(e, a, m, false).items[0], e, a),
            "dimension 'M': factors multiply to 6, the bound is 5");
  m = split_m(3, 3);
  EXPECT_EQ(messages(e, a, m),
            std::vector<std::string>{"dimension 'M': factors multiply to 9, past the bound 5 by "
                                     "more than a residual (a loop's last iteration would never "
                                     "run)"});
  m = split_m(5, 1);
  EXPECT_FALSE(has_residual(e, m));
}

TEST(Validate, WrongLevelCount) {
  const workload::Einsum e = workload::gemm("g", 4, 4, 4);
  const arch::Arch a = *arch::preset("toy");
  Mapping m;
  m.levels.resize(2);
  EXPECT_EQ(messages(e, a, m),
            std::vector<std::string>{"mapping has 2 levels, the architecture has 3"});
}

}  // namespace
}  // namespace outpace::mapping
