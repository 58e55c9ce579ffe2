#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "arch/arch.hpp"

namespace outpace::arch {

/// The kinds of memory the built-in energy table knows.
enum class MemoryKind { kRegisterFile, kSram, kDram };

/// Energy and area of one storage instance from the built-in 45 nm table (docs/model.md cites
/// the published figures behind it). `capacity_words` is ignored for DRAM.
ActionEnergy default_storage_energy(MemoryKind kind, std::int64_t capacity_words, int word_bits,
                                    int block_size);
/// Area of one storage instance in square micrometres (0 for off-chip DRAM).
double default_storage_area_um2(MemoryKind kind, std::int64_t capacity_words, int word_bits);
/// Energy of one integer multiply-accumulate with operands of this many bits.
double default_mac_energy_pj(int operand_bits);
/// Area of one integer multiply-accumulate unit.
double default_mac_area_um2(int operand_bits);
/// The memory kind a class name means ("DRAM", "SRAM", "regfile", ...), if known.
std::optional<MemoryKind> memory_kind_from_class(const std::string& cls);
/// Name of the technology node the built-in table describes.
inline constexpr const char* kDefaultTechnology = "45nm";

}  // namespace outpace::arch
