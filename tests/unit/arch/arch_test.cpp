// Presets, fanouts, the energy table and the architecture's rules.
#include <gtest/gtest.h>

#include <limits>

#include "arch/bandwidth.hpp"
#include "arch/presets.hpp"

namespace outpace::arch {
namespace {

TEST(Presets, AllValidWithTheirPublishedShapes) {
  for (const std::string& name : preset_names()) {
    const auto a = preset(name);
    ASSERT_TRUE(a) << name;
    EXPECT_TRUE(check(*a).empty()) << name;
  }
  const Arch eyeriss = *preset("eyeriss");
  EXPECT_EQ(eyeriss.compute.instances, 168);
  EXPECT_EQ(eyeriss.fanout_x(3), 14);  // shared_glb over the 14 x 12 PE array
  EXPECT_EQ(eyeriss.fanout_y(3), 12);
  EXPECT_EQ(*eyeriss.levels[3].capacity_words * eyeriss.levels[3].word_bits / 8, 128 * 1024);
  EXPECT_EQ(preset("simba")->compute.instances, 1024);
  EXPECT_EQ(preset("tpu")->compute.instances, 1024);
  EXPECT_FALSE(preset("nope"));
}

TEST(EnergyTable, ReproducesItsSources) {
  // Horowitz (ISSCC 2014): 64-bit reads of 8 KB, 32 KB and 1 MB SRAMs cost 10, 20 and 100 pJ.
  EXPECT_NEAR(default_storage_energy(MemoryKind::kSram, 1024, 64, 1).read_pj, 10.0, 1e-9);
  EXPECT_NEAR(default_storage_energy(MemoryKind::kSram, 4096, 64, 1).read_pj, 20.0, 1e-9);
  EXPECT_NEAR(default_storage_energy(MemoryKind::kSram, 131072, 64, 1).read_pj, 100.0, 1e-9);
  // DRAM: 1.3 nJ per 64 bits, so a 16-bit word costs 325 pJ.
  EXPECT_NEAR(default_storage_energy(MemoryKind::kDram, 0, 16, 1).read_pj, 325.0, 1e-9);
  // 8-bit MAC: 0.2 pJ multiply + 0.06 pJ 16-bit add.
  EXPECT_NEAR(default_mac_energy_pj(8), 0.26, 1e-12);
}

TEST(Check, MeshesMustDivide) {
  Arch a = *preset("eyeriss");
  a.levels[0].mesh_x = 5;
  a.levels[3].mesh_x = 0;
  EXPECT_EQ(check(a),
            (std::vector<Violation>{
                {Subject::kLevel, 0, "level 'psum_spad': meshX 5 must divide instances (168)"},
                {Subject::kLevel, 3, "level 'shared_glb': meshX 0 must divide instances (1)"}}));
}

TEST(Check, ClusterSizesMustDivideTheInstances) {
  Arch a = *preset("eyeriss");
  a.levels[0].cluster_size = 12;  // 168 psum_spads in 14 clusters of 12
  EXPECT_TRUE(check(a).empty());
  a.levels[0].cluster_size = 5;
  a.levels[3].cluster_size = 0;
  EXPECT_EQ(
      check(a),
      (std::vector<Violation>{
          {Subject::kLevel, 0, "level 'psum_spad': cluster size 5 must divide instances (168)"},
          {Subject::kLevel, 3, "level 'shared_glb': cluster size 0 must divide instances (1)"}}));
}

// Bandwidths are exact fractions of the decimal written (docs/formats.md).
TEST(Bandwidth, ParsesDecimalsExactly) {
  EXPECT_EQ(Bandwidth::parse("0.7"), Bandwidth::fraction(7, 10));
  EXPECT_EQ(Bandwidth::parse("+4."), Bandwidth(4));
  EXPECT_EQ(Bandwidth::parse("2.50e-3"), Bandwidth::fraction(1, 400));
  EXPECT_EQ(Bandwidth::parse("1e-15"), Bandwidth::fraction(1, 1'000'000'000'000'000));
  EXPECT_EQ(Bandwidth::parse("1e15"), Bandwidth(std::int64_t{1'000'000'000'000'000}));
  EXPECT_EQ(Bandwidth::parse(".5"), Bandwidth::fraction(1, 2));
  EXPECT_EQ(Bandwidth::parse("000.0"), Bandwidth::fraction(0, 1));
  for (const char* bad : {"", ".", "1e", "1.2.3", "-1", "0x10", "1e-19", "1e19", "inf", "nan",
                          "1234567890.1234567890", "1 "})
    EXPECT_EQ(Bandwidth::parse(bad), std::nullopt) << bad;
}

TEST(Bandwidth, CyclesAreExactCeilings) {
  const Bandwidth b = *Bandwidth::parse("0.7");
  EXPECT_EQ(b.cycles(21), 30);  // 21 / 0.7 = 30 exactly (floating point gives 30.000000000000004)
  EXPECT_EQ(b.cycles(22), 32);  // 31.43 -> 32
  EXPECT_EQ(b.cycles(0), 0);
  EXPECT_EQ(kUnbounded.cycles(std::int64_t{1} << 62), 0);
  EXPECT_EQ(Bandwidth::parse("1e-15")->cycles(21), std::int64_t{21'000'000'000'000'000});
  EXPECT_EQ(Bandwidth::parse("1e-15")->cycles(10'000), std::nullopt);  // 10^19 > 2^63 - 1
}

TEST(Bandwidth, PrintsTheExactDecimal) {
  EXPECT_EQ(Bandwidth::fraction(7, 20).text(), "0.35");
  EXPECT_EQ(Bandwidth::parse("0.7")->halved(), Bandwidth::fraction(7, 20));
  EXPECT_EQ(Bandwidth(16).text(), "16");
  EXPECT_EQ(Bandwidth::fraction(1, 3).text(), "1/3");
  EXPECT_EQ(kUnbounded.text(), "unbounded");
}

}  // namespace
}  // namespace outpace::arch
