#include "arch/presets.hpp"

namespace outpace::arch {

StorageLevel make_level(const std::string& name, MemoryKind kind,
                        std::optional<std::int64_t> capacity_words, int word_bits, int block_size,
                        std::int64_t instances, std::int64_t mesh_x) {
  StorageLevel level;
  level.name = name;
  level.capacity_words = capacity_words;
  level.word_bits = word_bits;
  level.block_size = block_size;
  level.instances = instances;
  level.mesh_x = mesh_x;
  const std::int64_t words = capacity_words.value_or(0);
  level.energy = default_storage_energy(kind, words, word_bits, block_size);
  level.area_um2 = default_storage_area_um2(kind, words, word_bits);
  return level;
}

ComputeUnit make_compute(std::int64_t instances, std::int64_t mesh_x, int operand_bits) {
  ComputeUnit c;
  c.instances = instances;
  c.mesh_x = mesh_x;
  c.operand_bits = operand_bits;
  c.mac_energy_pj = default_mac_energy_pj(operand_bits);
  c.area_um2 = default_mac_area_um2(operand_bits);
  return c;
}

namespace {

Arch base(const std::string& name) {
  Arch a;
  a.name = name;
  a.technology = kDefaultTechnology;
  return a;
}

/// One PE, 8-bit: a 64-word register file, a 256 KiB global buffer, DRAM.
Arch toy() {
  Arch a = base("toy");
  a.levels = {make_level("RegisterFile", MemoryKind::kRegisterFile, 64, 8, 1, 1, 1),
              make_level("GlobalBuffer", MemoryKind::kSram, 262144, 8, 32, 1, 1),
              make_level("MainMemory", MemoryKind::kDram, std::nullopt, 8, 32, 1, 1)};
  a.compute = make_compute(1, 1, 8);
  return a;
}

/// Eyeriss-like (Chen et al., ISCA 2016): 168 PEs on a 14x12 mesh, 16-bit, each PE with
/// scratchpads for partial sums (16 words), weights (192) and inputs (12); a 128 KiB global
/// buffer; DRAM.
Arch eyeriss() {
  Arch a = base("eyeriss");
  StorageLevel psum = make_level("psum_spad", MemoryKind::kRegisterFile, 16, 16, 1, 168, 14);
  StorageLevel weights = make_level("weights_spad", MemoryKind::kRegisterFile, 192, 16, 1, 168, 14);
  StorageLevel ifmap = make_level("ifmap_spad", MemoryKind::kRegisterFile, 12, 16, 1, 168, 14);
  for (StorageLevel* spad : {&psum, &weights, &ifmap}) spad->read_bandwidth = spad->write_bandwidth = 2;
  StorageLevel glb = make_level("shared_glb", MemoryKind::kSram, 65536, 16, 4, 1, 1);
  glb.read_bandwidth = glb.write_bandwidth = 16;
  a.levels = {psum, weights, ifmap, glb,
              make_level("DRAM", MemoryKind::kDram, std::nullopt, 16, 4, 1, 1)};
  a.compute = make_compute(168, 14, 16);
  return a;
}

/// Simba-like (Shao et al., MICRO 2019), one chiplet: 16 PEs (4x4), each with an 8 KiB input
/// buffer and 8 lanes, each lane with a 4 KiB weight buffer, a 128-entry 24-bit accumulation
/// buffer and an 8-wide vector MAC with one weight register per MAC: 1,024 8-bit MACs; a
/// 64 KiB global buffer; DRAM.
Arch simba() {
  Arch a = base("simba");
  a.levels = {make_level("PEWeightRegs", MemoryKind::kRegisterFile, 1, 8, 1, 1024, 32),
              make_level("PEAccuBuffer", MemoryKind::kRegisterFile, 128, 24, 1, 128, 32),
              make_level("PEWeightBuffer", MemoryKind::kSram, 4096, 8, 8, 128, 32),
              make_level("PEInputBuffer", MemoryKind::kSram, 8192, 8, 8, 16, 4),
              make_level("GlobalBuffer", MemoryKind::kSram, 65536, 8, 32, 1, 1),
              make_level("DRAM", MemoryKind::kDram, std::nullopt, 8, 8, 1, 1)};
  a.compute = make_compute(1024, 32, 8);
  return a;
}

/// TPU-like (Jouppi et al., ISCA 2017), scaled to a 32x32 systolic array of 8-bit MACs: a weight
/// register per MAC, 32 accumulator columns of 4,096 32-bit words, a 512 KiB unified buffer,
/// DRAM.
Arch tpu() {
  Arch a = base("tpu");
  a.levels = {make_level("WeightRegs", MemoryKind::kRegisterFile, 1, 8, 1, 1024, 32),
              make_level("Accumulators", MemoryKind::kSram, 4096, 32, 1, 32, 32),
              make_level("UnifiedBuffer", MemoryKind::kSram, 524288, 8, 32, 1, 1),
              make_level("DRAM", MemoryKind::kDram, std::nullopt, 8, 8, 1, 1)};
  a.compute = make_compute(1024, 32, 8);
  return a;
}

}  // namespace

std::vector<std::string> preset_names() { return {"toy", "eyeriss", "simba", "tpu"}; }

std::optional<Arch> preset(const std::string& name) {
  if (name == "toy") return toy();
  if (name == "eyeriss") return eyeriss();
  if (name == "simba") return simba();
  if (name == "tpu") return tpu();
  return std::nullopt;
}

}  // namespace outpace::arch
