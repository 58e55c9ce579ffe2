// The built-in 45 nm energy and area table. Sources (see docs/model.md, "Energy table"):
//  [H14] M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014:
//        8-bit int add 0.03 pJ / 36 um^2, 8-bit int mult 0.2 pJ / 282 um^2, 32-bit int add
//        0.1 pJ / 137 um^2, 32-bit int mult 3.1 pJ / 3495 um^2; 64-bit SRAM read 10 pJ (8 KB),
//        20 pJ (32 KB), 100 pJ (1 MB); DRAM 1.3-2.6 nJ per 64-bit access.
//  [M07] K. Mistry et al., "A 45nm logic technology ...", IEDM 2007: 6T SRAM cell 0.346 um^2.
#include "arch/energy_table.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace outpace::arch {

namespace {

constexpr double kSramPj64[][2] = {{8.0 * 1024, 10.0}, {32.0 * 1024, 20.0}, {1024.0 * 1024, 100.0}};
constexpr double kDramPjPer64Bits = 1300.0;  // low end of [H14]'s 1.3-2.6 nJ
constexpr double kSramCellUm2 = 0.346;       // [M07]
constexpr double kArrayOverhead = 1.5;       // periphery (decoders, sense amps): an assumption

/// 64-bit access energy of an SRAM of this many bytes: log-log interpolation of [H14]'s three
/// points, extended below 8 KB with the slope of the first segment.
double sram_pj_per_64_bits(double bytes) {
  bytes = std::max(bytes, 1.0);
  int seg = bytes < kSramPj64[1][0] ? 0 : 1;
  const double x0 = std::log(kSramPj64[seg][0]), y0 = std::log(kSramPj64[seg][1]);
  const double x1 = std::log(kSramPj64[seg + 1][0]), y1 = std::log(kSramPj64[seg + 1][1]);
  return std::exp(y0 + (std::log(bytes) - x0) * (y1 - y0) / (x1 - x0));
}

}  // namespace

ActionEnergy default_storage_energy(MemoryKind kind, std::int64_t capacity_words, int word_bits,
                                    int block_size) {
  const double bits = static_cast<double>(word_bits) * block_size;
  double per_64;
  if (kind == MemoryKind::kDram) {
    per_64 = kDramPjPer64Bits;
  } else {
    per_64 = sram_pj_per_64_bits(static_cast<double>(capacity_words) * word_bits / 8.0);
  }
  const double access = per_64 * bits / 64.0;
  ActionEnergy e;
  e.read_pj = e.write_pj = e.update_pj = access;
  return e;
}

double default_storage_area_um2(MemoryKind kind, std::int64_t capacity_words, int word_bits) {
  if (kind == MemoryKind::kDram) return 0;
  return static_cast<double>(capacity_words) * word_bits * kSramCellUm2 * kArrayOverhead;
}

double default_mac_energy_pj(int operand_bits) {
  // [H14]: multiply energy grows with the square of the width (0.2 pJ at 8 bits, 3.1 at 32),
  // add energy linearly (0.03 pJ at 8 bits); the accumulator is twice the operand width.
  const double scale = operand_bits / 8.0;
  return 0.2 * scale * scale + 0.03 * 2 * scale;
}

double default_mac_area_um2(int operand_bits) {
  const double scale = operand_bits / 8.0;
  return 282.0 * scale * scale + 36.0 * 2 * scale;
}

std::optional<MemoryKind> memory_kind_from_class(const std::string& cls) {
  std::string c;
  for (char ch : cls) c += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (c.find("dram") != std::string::npos) return MemoryKind::kDram;
  if (c.find("regfile") != std::string::npos || c.find("_rf") != std::string::npos ||
      c == "rf" || c.find("reg") != std::string::npos)
    return MemoryKind::kRegisterFile;
  if (c.find("sram") != std::string::npos || c == "storage" || c.find("buffer") != std::string::npos)
    return MemoryKind::kSram;
  return std::nullopt;
}

}  // namespace outpace::arch
