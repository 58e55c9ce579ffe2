// Mapping specs: the Eyeriss example equals the hand-built reference mapping and evaluates to
// Timeloop's figures; level order, loop order, keep/bypass and unlisted levels.
#include <gtest/gtest.h>

#include "arch/presets.hpp"
#include "common/eyeriss_alexnet.hpp"
#include "io/spec/arch_spec.hpp"
#include "io/spec/mapping_spec.hpp"
#include "io/spec/problem_spec.hpp"
#include "model/evaluate.hpp"
#include "workload/builders.hpp"

namespace outpace::io {
namespace {

using mapping::Axis;
using mapping::LevelMapping;

const std::string kExamples = std::string(OUTPACE_SOURCE_DIR) + "/examples/";

using testing_cases::keep;

TEST(MappingSpec, EyerissAlexNetExampleIsTheReferenceMapping) {
  const workload::Einsum e = load_problem(kExamples + "problems/alexnet_conv1.yaml");
  const arch::Arch a = load_arch("eyeriss");
  const mapping::Mapping m = load_mapping(kExamples + "mappings/eyeriss_alexnet_conv1.yaml", e, a);
  const mapping::Mapping want = testing_cases::eyeriss_alexnet_mapping(e);
  ASSERT_EQ(m.levels.size(), 5u);
  const char* names[] = {"psum_spad", "weights_spad", "ifmap_spad", "shared_glb", "DRAM"};
  for (int l = 0; l < 5; ++l) EXPECT_EQ(m.levels[l], want.levels[l]) << "level " << names[l];

  const model::Result r = model::evaluate(e, a, m);
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.compute_cycles, 798600);
}

TEST(MappingSpec, ToyGemmExampleIsValid) {
  const workload::Einsum e = load_problem(kExamples + "problems/gemm.yaml");
  const arch::Arch a = load_arch(kExamples + "arch/toy.yaml");
  const mapping::Mapping m = load_mapping(kExamples + "mappings/toy_gemm.yaml", e, a);
  const int M = e.dim_index("M"), N = e.dim_index("N"), K = e.dim_index("K");
  ASSERT_EQ(m.levels.size(), 3u);
  EXPECT_EQ(m.levels[0].temporal, (FixedVector<mapping::TemporalLoop, kMaxDims>{{K, 16}}));
  EXPECT_EQ(m.levels[2].temporal, (FixedVector<mapping::TemporalLoop, kMaxDims>{{N, 4}, {M, 8}}));
  for (int l = 0; l < 3; ++l) EXPECT_EQ(m.levels[l].keep, keep({0, 1, 2})) << "level " << l;
  const model::Result r = model::evaluate(e, a, m);
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.macs, 64 * 64 * 64);
}

TEST(MappingSpec, UnlistedLevelsHaveNoLoopsAndKeepEverything) {
  const workload::Einsum e = workload::gemm("g", 4, 4, 4);
  const arch::Arch a = *arch::preset("toy");
  const mapping::Mapping m = parse_mapping(
      "mapping:\n  - level: MainMemory\n    temporal: 'M=4, N = 4 K=4'\n"
      "  - {level: GlobalBuffer, bypass: [Weights]}\n",
      "m.yaml", e, a);
  EXPECT_EQ(m.levels[2].temporal.size(), 3u);
  EXPECT_EQ(m.levels[2].temporal[1], (mapping::TemporalLoop{e.dim_index("N"), 4}));
  EXPECT_EQ(m.levels[1].keep, keep({e.tensor_index("Inputs"), e.tensor_index("Outputs")}));
  EXPECT_TRUE(m.levels[0].temporal.empty());
  EXPECT_TRUE(m.levels[0].spatial.empty());
  EXPECT_EQ(m.levels[0].keep, keep({0, 1, 2}));
}

// `map --timeloop-mapping` writes Timeloop's form; given to Outpace's own reader it gets one
// error that says which form it is and how to read it, not an unknown-key error per entry.
TEST(MappingSpec, TimeloopMappingIsNamedAsSuch) {
  const workload::Einsum e = workload::gemm("g", 4, 4, 4);
  const arch::Arch a = *arch::preset("toy");
  try {
    parse_mapping("mapping:\n  - {target: MainMemory, type: temporal, factors: M=4 N=4 K=4}\n"
                  "  - {target: GlobalBuffer, type: bypass, bypass: [Weights]}\n",
                  "m.yaml", e, a);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& err) {
    EXPECT_STREQ(err.what(),
                 "m.yaml:2:5: this is a Timeloop mapping (entries of target, type and factors); "
                 "Outpace's own mapping lists {level, temporal, spatial_x, spatial_y, keep or "
                 "bypass} entries (docs/formats.md); read a Timeloop mapping with its "
                 "architecture and problem: outpace eval --timeloop ...");
  }
}

// write_mapping and parse_mapping are inverses: the Eyeriss example's mapping (spatial loops on
// both axes, every level keeping some tensors and bypassing others) written and read back.
TEST(MappingSpec, WrittenMappingReadsBackTheSame) {
  const workload::Einsum e = load_problem(kExamples + "problems/alexnet_conv1.yaml");
  const arch::Arch a = load_arch("eyeriss");
  const mapping::Mapping m = load_mapping(kExamples + "mappings/eyeriss_alexnet_conv1.yaml", e, a);
  const std::string text = write_mapping(e, a, m);
  EXPECT_EQ(parse_mapping(text, "written.yaml", e, a), m) << text;
  EXPECT_NE(text.find("  - level: shared_glb\n    temporal: [P=55]\n    spatial_x: [K=12]\n"
                      "    spatial_y: [S=11]\n    keep: [Inputs, Outputs]\n"),
            std::string::npos)
      << text;
}

// Names YAML would read as something else are quoted.
TEST(MappingSpec, WrittenNamesStayNames) {
  const workload::Einsum e = workload::gemm("g", 2, 2, 2);
  arch::Arch a = *arch::preset("toy");
  a.levels[0].name = "no";      // a boolean in YAML 1.1
  a.levels[1].name = "glb: 1";  // a mapping
  mapping::Mapping m = parse_mapping("mapping: []\n", "m.yaml", e, a);
  m.levels[2].temporal = {{e.dim_index("M"), 2}};
  const std::string text = write_mapping(e, a, m);
  EXPECT_NE(text.find("level: \"no\""), std::string::npos) << text;
  EXPECT_NE(text.find("level: \"glb: 1\""), std::string::npos) << text;
  EXPECT_EQ(parse_mapping(text, "written.yaml", e, a), m) << text;
}

TEST(MappingSpec, FactorProblemsAreLeftToValidate) {
  // Factors that do not multiply to the bounds parse; validate() reports them.
  const workload::Einsum e = workload::gemm("g", 4, 4, 4);
  const arch::Arch a = *arch::preset("toy");
  const mapping::Mapping m =
      parse_mapping("mapping: [{level: MainMemory, temporal: [M=3]}]\n", "m.yaml", e, a);
  const mapping::Violations v = mapping::validate(e, a, m);
  EXPECT_FALSE(v.empty());
}

}  // namespace
}  // namespace outpace::io
