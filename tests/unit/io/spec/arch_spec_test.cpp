// Architecture specs: the example files equal the built-in presets field by field; defaults,
// widths, "unbounded" and energy overrides.
#include <gtest/gtest.h>

#include "arch/energy_table.hpp"
#include "arch/presets.hpp"
#include "io/spec/arch_spec.hpp"

namespace outpace::io {
namespace {

const std::string kExamples = std::string(OUTPACE_SOURCE_DIR) + "/examples/arch/";

void expect_same_arch(const arch::Arch& got, const arch::Arch& want) {
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.technology, want.technology);
  ASSERT_EQ(got.num_levels(), want.num_levels());
  for (int l = 0; l < want.num_levels(); ++l) {
    const arch::StorageLevel &g = got.levels[l], &w = want.levels[l];
    const std::string at = "level " + std::to_string(l) + " (" + w.name + ")";
    EXPECT_EQ(g.name, w.name) << at;
    EXPECT_EQ(g.capacity_words, w.capacity_words) << at;
    EXPECT_EQ(g.word_bits, w.word_bits) << at;
    EXPECT_EQ(g.block_size, w.block_size) << at;
    EXPECT_EQ(g.read_bandwidth, w.read_bandwidth) << at;
    EXPECT_EQ(g.write_bandwidth, w.write_bandwidth) << at;
    EXPECT_EQ(g.update_bandwidth, w.update_bandwidth) << at;
    EXPECT_EQ(g.instances, w.instances) << at;
    EXPECT_EQ(g.mesh_x, w.mesh_x) << at;
    EXPECT_DOUBLE_EQ(g.energy.read_pj, w.energy.read_pj) << at;
    EXPECT_DOUBLE_EQ(g.energy.write_pj, w.energy.write_pj) << at;
    EXPECT_DOUBLE_EQ(g.energy.update_pj, w.energy.update_pj) << at;
    EXPECT_DOUBLE_EQ(g.energy.leak_pj_per_cycle, w.energy.leak_pj_per_cycle) << at;
    EXPECT_DOUBLE_EQ(g.area_um2, w.area_um2) << at;
  }
  EXPECT_EQ(got.compute.name, want.compute.name);
  EXPECT_EQ(got.compute.instances, want.compute.instances);
  EXPECT_EQ(got.compute.mesh_x, want.compute.mesh_x);
  EXPECT_EQ(got.compute.operand_bits, want.compute.operand_bits);
  EXPECT_DOUBLE_EQ(got.compute.mac_energy_pj, want.compute.mac_energy_pj);
  EXPECT_DOUBLE_EQ(got.compute.area_um2, want.compute.area_um2);
}

TEST(ArchSpec, EyerissExampleEqualsPreset) {
  expect_same_arch(load_arch(kExamples + "eyeriss.yaml"), *arch::preset("eyeriss"));
}

TEST(ArchSpec, ToyExampleEqualsPreset) {
  expect_same_arch(load_arch(kExamples + "toy.yaml"), *arch::preset("toy"));
}

TEST(ArchSpec, PresetNamesNeedNoFile) {
  for (const std::string& name : arch::preset_names())
    expect_same_arch(load_arch(name), *arch::preset(name));
}

TEST(ArchSpec, UnknownPresetNameListsThePresets) {
  try {
    load_arch("eyeris");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "eyeris: no such file, and no built-in architecture has this name; "
                           "built-in ones are toy, eyeriss, simba, tpu");
  }
}

TEST(ArchSpec, LevelsAreStoredInnermostFirstWithDefaults) {
  const arch::Arch a = parse_arch(
      "architecture:\n"
      "  levels:\n"
      "    - {name: Mem, class: DRAM, capacity: unbounded}\n"
      "    - {name: Buf, class: SRAM, capacity: 1024, word_bits: 8, width: 64,\n"
      "       read_bandwidth: 4.5, update_bandwidth: unbounded}\n"
      "    - {name: Regs, class: regfile, capacity: 4, instances: 16, energy: {read: 0.5, leak: 0.01},\n"
      "       area: 12}\n",
      "a.yaml");
  EXPECT_EQ(a.name, "architecture");
  EXPECT_EQ(a.technology, "45nm");
  ASSERT_EQ(a.num_levels(), 3);
  EXPECT_EQ(a.levels[0].name, "Regs");
  EXPECT_EQ(a.levels[2].name, "Mem");
  EXPECT_EQ(a.levels[2].capacity_words, std::nullopt);
  EXPECT_EQ(a.levels[1].block_size, 8);
  EXPECT_EQ(a.levels[1].read_bandwidth, arch::Bandwidth::fraction(9, 2));  // 4.5
  EXPECT_EQ(a.levels[1].write_bandwidth, arch::kUnbounded);
  EXPECT_EQ(a.levels[1].update_bandwidth, arch::kUnbounded);
  EXPECT_EQ(a.levels[0].update_bandwidth, std::nullopt);
  EXPECT_EQ(a.levels[0].instances, 16);
  EXPECT_EQ(a.levels[0].mesh_x, 16);  // all along X by default
  const arch::ActionEnergy table =
      arch::default_storage_energy(arch::MemoryKind::kRegisterFile, 4, 16, 1);
  EXPECT_EQ(a.levels[0].energy.read_pj, 0.5);
  EXPECT_DOUBLE_EQ(a.levels[0].energy.write_pj, table.write_pj);
  EXPECT_EQ(a.levels[0].energy.leak_pj_per_cycle, 0.01);
  EXPECT_EQ(a.levels[0].area_um2, 12);
  // No compute section: one MAC per innermost instance, at its word width.
  EXPECT_EQ(a.compute.instances, 16);
  EXPECT_EQ(a.compute.mesh_x, 16);
  EXPECT_EQ(a.compute.operand_bits, 16);
  EXPECT_DOUBLE_EQ(a.compute.mac_energy_pj, arch::default_mac_energy_pj(16));
}

TEST(ArchSpec, ComputeOverrides) {
  const arch::Arch a = parse_arch(
      "architecture:\n  name: x\n  technology: 45nm\n  levels: [{name: M, class: DRAM}]\n"
      "  compute: {name: PE, instances: 4, mesh_x: 2, operand_bits: 8, energy: 0.25, area: 100}\n",
      "x.yaml");
  EXPECT_EQ(a.technology, "45nm");
  EXPECT_EQ(a.compute.name, "PE");
  EXPECT_EQ(a.compute.instances, 4);
  EXPECT_EQ(a.compute.mesh_x, 2);
  EXPECT_EQ(a.compute.operand_bits, 8);
  EXPECT_EQ(a.compute.mac_energy_pj, 0.25);
  EXPECT_EQ(a.compute.area_um2, 100);
}

TEST(ArchSpec, TypeErrorsOfferUnbounded) {
  try {
    parse_arch("architecture:\n  levels:\n    - {name: B, class: SRAM, capacity: lots, "
               "read_bandwidth: fast, write_bandwidth: -1}\n",
               "u.yaml");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(),
                 "u.yaml:3:40: level 'B': capacity must be a positive integer or 'unbounded', got "
                 "'lots'\n"
                 "u.yaml:3:62: level 'B': read_bandwidth must be a positive number or "
                 "'unbounded', got 'fast'\n"
                 "u.yaml:3:85: level 'B': write_bandwidth -1 must be greater than 0 (or 'unbounded')");
  }
}

}  // namespace
}  // namespace outpace::io
