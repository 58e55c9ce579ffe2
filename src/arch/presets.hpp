#pragma once

#include <optional>
#include <string>
#include <vector>

#include "arch/arch.hpp"
#include "arch/energy_table.hpp"

namespace outpace::arch {

/// A storage level with energy and area from the built-in table.
StorageLevel make_level(const std::string& name, MemoryKind kind,
                        std::optional<std::int64_t> capacity_words, int word_bits, int block_size,
                        std::int64_t instances, std::int64_t mesh_x);
/// A MAC array with energy and area from the built-in table.
ComputeUnit make_compute(std::int64_t instances, std::int64_t mesh_x, int operand_bits);

/// Names of the built-in architectures: toy, eyeriss, simba, tpu.
std::vector<std::string> preset_names();
/// The built-in architecture with this name, if there is one.
std::optional<Arch> preset(const std::string& name);

}  // namespace outpace::arch
