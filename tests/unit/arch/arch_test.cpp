// Presets, fanouts, the energy table and the architecture's rules.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace outpace::arch
