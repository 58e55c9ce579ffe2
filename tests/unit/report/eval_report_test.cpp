// The text report of one evaluation on hand-made results: the level table keeps its usual
// widths while figures fit and grows a column to its widest cell plus two spaces when one does
// not; cycles past 2^63 - 1 are said to be so, and a violation is listed once.
#include "report/eval_report.hpp"

#include <gtest/gtest.h>

#include "arch/presets.hpp"
#include "workload/builders.hpp"

namespace outpace::report {
namespace {

/// DRAM over a 4-word RF over one MAC, for a GEMM (Inputs, Weights, Outputs).
arch::Arch two_levels() {
  arch::Arch a;
  a.name = "ov";
  a.levels.push_back(arch::make_level("RF", arch::MemoryKind::kRegisterFile, 4, 16, 1, 1, 1));
  a.levels.push_back(arch::make_level("DRAM", arch::MemoryKind::kDram, std::nullopt, 16, 1, 1, 1));
  a.compute = arch::make_compute(1, 1, 16);
  a.compute.name = "MAC";
  return a;
}

/// A result whose every kept tensor has the given counts at both levels; energies of 1 nJ each.
model::Result result_with(std::int64_t tile, std::int64_t reads, std::int64_t fills,
                          std::int64_t updates) {
  model::Result r;
  r.valid = true;
  r.macs = r.actual_macs = r.compute_cycles = r.cycles = 64;
  r.used_macs = 1;
  r.utilization = 1;
  r.mac_energy_pj = 1000;
  r.energy_pj = 7000;
  for (int l = 0; l < 2; ++l) {
    model::LevelStats level;
    level.used_instances = 1;
    for (int t = 0; t < 3; ++t)
      level.tensors.push_back({.kept = true,
                               .tile_words = tile,
                               .reads = reads,
                               .fills = fills,
                               .updates = updates,
                               .energy_pj = 1000});
    r.levels.push_back(level);
  }
  return r;
}

/// The report from its table's header on.
std::string table_of(const model::Result& r) {
  static const workload::Einsum e = workload::gemm("mm", 4, 4, 4);
  static const arch::Arch a = two_levels();
  const mapping::Mapping m;
  const std::string text = report_text({e, a, m, r});
  return text.substr(text.find("level  "));
}

// clang-format off: the tables are written out line by line.
TEST(EvalReport, FiguresThatFitKeepTheUsualWidths) {
  // Widths 16, 6, then two spaces, 10, 9, 15, 15, 15, 14 and 8; 7,000 pJ prints in pJ.
  EXPECT_EQ(table_of(result_with(16, 1234, 56, 0)),
            "level             inst  tensor         tile          reads          fills        "
            "updates     energy pJ   share\n"
            "DRAM                 1  Inputs           16          1,234             56             "
            " 0      1000.000   14.3%\n"
            "DRAM                 1  Weights          16          1,234             56             "
            " 0      1000.000   14.3%\n"
            "DRAM                 1  Outputs          16          1,234             56             "
            " 0      1000.000   14.3%\n"
            "RF                   1  Inputs           16          1,234             56             "
            " 0      1000.000   14.3%\n"
            "RF                   1  Weights          16          1,234             56             "
            " 0      1000.000   14.3%\n"
            "RF                   1  Outputs          16          1,234             56             "
            " 0      1000.000   14.3%\n"
            "MAC                  1  (MACs)                                                        "
            "        1000.000   14.3%\n");
}

TEST(EvalReport, WideFiguresWidenTheirColumns) {
  // tile 1,073,741,824 (13 wide) and reads 1,125,899,906,842,624 (25) pass their columns (9, 15):
  // those become 15 and 27 wide; fills and updates (one character) keep 15.
  EXPECT_EQ(table_of(result_with(std::int64_t{1} << 30, std::int64_t{1} << 50, 1, 0)),
            "level             inst  tensor               tile                  reads          "
            "fills        updates     energy pJ   share\n"
            "DRAM                 1  Inputs      1,073,741,824  1,125,899,906,842,624              "
            "1              0      1000.000   14.3%\n"
            "DRAM                 1  Weights     1,073,741,824  1,125,899,906,842,624              "
            "1              0      1000.000   14.3%\n"
            "DRAM                 1  Outputs     1,073,741,824  1,125,899,906,842,624              "
            "1              0      1000.000   14.3%\n"
            "RF                   1  Inputs      1,073,741,824  1,125,899,906,842,624              "
            "1              0      1000.000   14.3%\n"
            "RF                   1  Weights     1,073,741,824  1,125,899,906,842,624              "
            "1              0      1000.000   14.3%\n"
            "RF                   1  Outputs     1,073,741,824  1,125,899,906,842,624              "
            "1              0      1000.000   14.3%\n"
            "MAC                  1  (MACs)                                                        "
            "                      1000.000   14.3%\n");
}

// clang-format on

TEST(EvalReport, CyclesPastTheLimitAreSaidToBeAndViolationsComeOnce) {
  model::Result r = result_with(1, 1, 1, 0);
  r.valid = false;
  const auto cycles = static_cast<std::int64_t>(mapping::Quantity::kCycles);
  // The RF's read port, then the DRAM's read and write ports: the same sentence twice.
  r.violations.add({mapping::ViolationKind::kOverflow, 0, -1, cycles, 0});
  r.violations.add({mapping::ViolationKind::kOverflow, 1, -1, cycles, 0});
  r.violations.add({mapping::ViolationKind::kOverflow, 1, -1, cycles, 0});
  const workload::Einsum e = workload::gemm("mm", 4, 4, 4);
  const arch::Arch a = two_levels();
  const mapping::Mapping m;
  const std::string text = report_text({e, a, m, r});
  EXPECT_NE(text.find("  mapping is INVALID:\n"
                      "    - level 'RF': cycles pass 2^63 - 1: too large to count exactly; use "
                      "smaller bounds, coefficients or factors\n"
                      "    - level 'DRAM': cycles pass 2^63 - 1: too large to count exactly; use "
                      "smaller bounds, coefficients or factors\n"
                      "  energy "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  cycles        past 2^63 - 1 at levels 'RF' and 'DRAM' (compute 64)\n"
                      "  utilization   unknown (1 of 1 MACs busy)\n"),
            std::string::npos)
      << text;
  const std::string json = report_json({e, a, m, r});
  EXPECT_NE(json.find("\"violations\": [\n"
                      "    \"level 'RF': cycles pass 2^63 - 1: too large to count exactly; use "
                      "smaller bounds, coefficients or factors\",\n"
                      "    \"level 'DRAM': cycles pass 2^63 - 1: too large to count exactly; use "
                      "smaller bounds, coefficients or factors\"\n"
                      "  ]"),
            std::string::npos)
      << json;
  // One level alone, and compute cycles (the steps) past the limit too.
  model::Result one = result_with(1, 1, 1, 0);
  one.valid = false;
  one.violations.add({mapping::ViolationKind::kOverflow, 1, -1, cycles, 0});
  one.violations.add({mapping::ViolationKind::kOverflow, -1, -1,
                      static_cast<std::int64_t>(mapping::Quantity::kSteps), 0});
  EXPECT_NE(report_text({e, a, m, one})
                .find("  cycles        past 2^63 - 1 at level 'DRAM' (compute past 2^63 - 1)\n"),
            std::string::npos);
}

}  // namespace
}  // namespace outpace::report
