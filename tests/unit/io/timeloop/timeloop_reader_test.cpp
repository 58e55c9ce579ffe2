// Timeloop readers on small inline cases: name ranges, ERT paths, the older architecture and ERT
// forms, flat projections, factor spellings, default splits, warnings, and the writer's limits.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/mapping_builder.hpp"
#include "io/timeloop/detail/timeloop_common.hpp"
#include "io/timeloop/timeloop_spec.hpp"
#include "workload/builders.hpp"

namespace outpace::io::timeloop {
namespace {

TEST(TimeloopNames, RangesAndPaths) {
  DiagnosticSink errors;
  const auto pe = parse_ranged_name("PE[0..167]", {}, "subtree", errors);
  ASSERT_TRUE(pe);
  EXPECT_EQ(pe->base, "PE");
  EXPECT_EQ(pe->count, 168);
  EXPECT_EQ(parse_ranged_name("GLB", {}, "x", errors)->count, 1);
  EXPECT_TRUE(errors.ok());
  EXPECT_FALSE(parse_ranged_name("PE[3..1]", {}, "x", errors));
  EXPECT_FALSE(parse_ranged_name("PE[0..]", {}, "x", errors));
  EXPECT_EQ(errors.diagnostics().size(), 2u);
  EXPECT_EQ(component_of_path("system.eyeriss.PE[0..167].mac"), "mac");
  EXPECT_EQ(component_of_path("system.eyeriss.DummyBuffer[0..13]"), "DummyBuffer");
  EXPECT_EQ(component_of_path("DRAM"), "DRAM");
}

// Instances are counts, at most 2^31: a range up to it is read, one past it (or an index past
// 2^63 - 1) is refused by its text, and products of ranges are checked before they can wrap.
TEST(TimeloopNames, RangesUpTo2To31) {
  DiagnosticSink errors;
  EXPECT_EQ(parse_ranged_name("PE[0..2147483647]", {}, "x", errors)->count, 2147483648);
  EXPECT_EQ(
      parse_ranged_name("PE[9223372036854775806..9223372036854775807]", {}, "x", errors)->count, 2);
  EXPECT_TRUE(errors.ok());
  EXPECT_FALSE(parse_ranged_name("PE[0..2147483648]", {}, "x", errors));
  EXPECT_FALSE(parse_ranged_name("PE[0..9223372036854775807]", {}, "x", errors));
  EXPECT_FALSE(parse_ranged_name("PE[0..9223372036854775808]", {}, "x", errors));
  ASSERT_EQ(errors.diagnostics().size(), 3u);
  EXPECT_EQ(errors.diagnostics()[0].message,
            "x: instance range 'PE[0..2147483648]' gives 2147483649 instances; at most 2147483648 "
            "(2^31) are supported");
  EXPECT_EQ(
      errors.diagnostics()[1].message,
      "x: instance range 'PE[0..9223372036854775807]' gives 9223372036854775808 instances; at "
      "most 2147483648 (2^31) are supported");
  EXPECT_EQ(errors.diagnostics()[2].message,
            "x: instance range 'PE[0..9223372036854775808]': the index 9223372036854775808 is past "
            "2^63 - 1; a range gives at most 2147483648 (2^31) instances");

  DiagnosticSink products;
  const Instances one;
  const auto chip = times(one, "Chip[0..1023]", {"Chip", 1024}, {}, "subtree", products);
  ASSERT_TRUE(chip);
  const auto pe = times(*chip, "PE", {"PE", 1}, {}, "subtree", products);  // no range: unchanged
  ASSERT_TRUE(pe);
  const auto mac = times(*pe, "MAC[0..2097151]", {"MAC", 2097152}, {}, "component", products);
  ASSERT_TRUE(mac);
  EXPECT_EQ(mac->count, 2147483648);  // 2^10 x 2^21, exactly the limit
  EXPECT_FALSE(times(*mac, "Lane[0..1]", {"Lane", 2}, {}, "component", products));
  ASSERT_EQ(products.diagnostics().size(), 1u);
  EXPECT_EQ(products.diagnostics()[0].message,
            "component: instance range 'Lane[0..1]' makes 1024 x 2097152 x 2 = 4294967296 "
            "instances (Chip[0..1023] x MAC[0..2097151] x Lane[0..1]); at most 2147483648 (2^31) "
            "are supported");
}

/// Writes each text to its own file in a fresh temporary folder and loads them all.
TimeloopSpec load_texts(const std::vector<std::string>& texts) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("outpace_tl_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    paths.push_back((dir / ("f" + std::to_string(i) + ".yaml")).string());
    std::ofstream(paths.back()) << texts[i];
  }
  TimeloopSpec s = load_timeloop(paths);
  std::filesystem::remove_all(dir);
  return s;
}

// A GEMM-like problem with flat projections and its bounds directly under `problem:`.
const char* kProblem = R"(problem:
  shape:
    name: mm
    dimensions: [M, N, K]
    data-spaces:
      - {name: A, projection: [M, K]}
      - {name: B, projection: [K, N]}
      - {name: Z, projection: [M, N], read-write: true}
  M: 4
  N: 8
  K: 2
)";

// The older form: storage innermost first, keys directly on each entry; a v0.2 ERT.
const char* kArch = R"(arch:
  arithmetic: {name: MACs, instances: 4, meshX: 4, word-bits: 8}
  storage:
    - {name: RF, entries: 16, instances: 4, meshX: 4, word-bits: 8, n_banks: 2}
    - {name: DRAM, technology: DRAM, instances: 1, word-bits: 8, block-size: 4}
ERT:
  version: 0.2
  tables:
    top.PE[0..3].RF:
      read: [{arguments: {address_delta: 0}, energy: 0.5}, {arguments: {address_delta: 1}, energy: 0.7}]
      write: {energy: 0.6}
    top.MACs:
      mac_random: {energy: 0.3}
mapper: {algorithm: random}
)";

const char* kMapping = R"(mapping:
  - {target: DRAM, type: temporal, factors: M1 N=8 K0, permutation: KN}
  - {target: DRAM, type: spatial, factors: M=4}
  - {target: RF, type: datatype, keep: [Z], bypass: [A, B]}
  - {target: RF, type: temporal, factors: M=1, bogus: 1}
)";

TEST(TimeloopReaders, OlderFormsFlatProjectionsAndFactorSpellings) {
  const TimeloopSpec s = load_texts({kProblem, kArch, kMapping});
  ASSERT_TRUE(s.problem && s.arch && s.mapping);
  const workload::Einsum& e = *s.problem;
  EXPECT_EQ(e.bounds, (std::vector<std::int64_t>{4, 8, 2}));
  EXPECT_EQ(e.output_index(), 2);
  const arch::Arch& a = *s.arch;
  ASSERT_EQ(a.num_levels(), 2);
  EXPECT_EQ(a.levels[0].name, "RF");
  EXPECT_EQ(a.levels[0].capacity_words, 16);
  EXPECT_DOUBLE_EQ(a.levels[0].energy.read_pj, 0.7);    // the dearest variant
  EXPECT_DOUBLE_EQ(a.levels[0].energy.update_pj, 0.6);  // update falls back on write
  EXPECT_DOUBLE_EQ(a.compute.mac_energy_pj, 0.3);
  EXPECT_EQ(a.levels[1].block_size, 4);
  const mapping::Mapping& m = *s.mapping;
  const int M = 0, N = 1, K = 2;
  // K0 is the whole bound; the permutation KN is innermost first, M (factor 1) left out.
  EXPECT_EQ(m.levels[1].temporal, (FixedVector<mapping::TemporalLoop, kMaxDims>{{K, 2}, {N, 8}}));
  // No split: every spatial dimension goes along X.
  EXPECT_EQ(m.levels[1].spatial,
            (FixedVector<mapping::SpatialLoop, 2 * kMaxDims>{{M, 4, mapping::Axis::X}}));
  EXPECT_EQ(m.levels[0].keep, 1u << 2);
  EXPECT_EQ(m.levels[1].keep, 7u);
  std::string warnings;
  for (const Diagnostic& w : s.warnings) warnings += w.message + "\n";
  EXPECT_NE(warnings.find("component 'RF': key 'n_banks' is not modelled by Outpace; ignored"),
            std::string::npos) << warnings;
  EXPECT_NE(warnings.find("section 'mapper' is not used by Outpace; ignored"), std::string::npos);
  EXPECT_NE(warnings.find("mapping entry #4: unknown key 'bogus'; ignored"), std::string::npos);
  EXPECT_NE(warnings.find("ERT: no table for level 'DRAM'"), std::string::npos);
}

/// The errors reading `texts` throws, one "file:line:col: message" a line.
std::string errors_of(const std::vector<TimeloopText>& texts) {
  try {
    parse_timeloop(texts);
  } catch (const ConfigError& e) {
    std::string out;
    for (const Diagnostic& d : e.diagnostics()) out += d.str() + "\n";
    return out;
  }
  return "";
}

// Timeloop's mapping regex reads "M=4,N=8" as two factors, and "M=4,2" as a residual factor
// (4 iterations, 2 in the last pass), which Outpace refuses. Inside { } YAML itself cuts a
// value at its comma: Timeloop would read factors 'M=4' and ignore a key '2 N=8'.
TEST(TimeloopReaders, CommasSeparateFactorsResidualFactorsAreRefused) {
  const TimeloopSpec s = parse_timeloop(
      {{kProblem, "p.yaml"},
       {kArch, "a.yaml"},
       {"mapping:\n  - target: DRAM\n    type: temporal\n    factors: M=4,N=8, K=2\n", "m.yaml"}});
  ASSERT_TRUE(s.mapping);
  EXPECT_EQ(s.mapping->levels[1].temporal,
            (FixedVector<mapping::TemporalLoop, kMaxDims>{{0, 4}, {1, 8}, {2, 2}}));
  EXPECT_EQ(errors_of({{kProblem, "p.yaml"},
                       {kArch, "a.yaml"},
                       {R"(mapping:
  - {target: DRAM, type: temporal, factors: M=4,2 N=8, permutation: MNK}
  - {target: DRAM, type: spatial, factors: M=1,N=1}
  - target: RF
    type: temporal
    factors: "K=2, 1"
)",
                        "m.yaml"}}),
            "m.yaml:2:45: mapping entry #1: factors: 'M=4,2 N=8' is cut at its comma (inside { } "
            "a comma ends a value, leaving 'M=4' and a key '2 N=8'), and residual factors such "
            "as 'M=4,2' are not supported; write DIM=N terms separated by spaces, e.g. C=3 M=4\n"
            "m.yaml:3:44: mapping entry #2: factors: 'M=1,N=1' is cut at its comma (inside { } a "
            "comma ends a value, leaving 'M=1' and a key 'N=1'); separate the factors by spaces, "
            "or quote the text\n"
            "m.yaml:6:14: mapping entry #3: factors: residual factor 'K=2, 1' is not supported; "
            "write DIM=N with N a positive integer, e.g. C=3, factors separated by spaces or "
            "commas\n");
}

// Timeloop asserts meshX x meshY = instances, meshY being instances / meshX when not given (and
// the other way round); the message gives the numbers, where the instances come from and the rule.
TEST(TimeloopReaders, AMeshThatDoesNotFitTheInstancesSaysTheNumbers) {
  EXPECT_EQ(errors_of({{R"(architecture:
  version: 0.3
  subtree:
  - name: system
    local:
    - {name: DRAM, class: DRAM, attributes: {width: 64, word-bits: 16}}
    subtree:
    - name: PE[0..5]
      local:
      - {name: Buf, class: SRAM, attributes: {depth: 16, width: 16, instances: 6, meshX: 2, meshY: 2}}
      - {name: RF, class: regfile, attributes: {depth: 16, width: 16, word-bits: 16, meshX: 4}}
      - {name: mac, class: intmac, attributes: {datawidth: 16, meshY: 4}}
)",
                        "a.yaml"}}),
            "a.yaml:10:90: level 'Buf': meshX 2 x meshY 2 = 4, but it has 6 instances (its "
            "'instances'); meshX x meshY must equal the instances\n"
            "a.yaml:11:93: level 'RF': meshX 4 does not divide its 6 instances (from the instance "
            "ranges above it): meshY, not given, would be 6 / 4; meshX x meshY must equal the "
            "instances\n"
            "a.yaml:12:71: compute 'mac': meshY 4 does not divide its 6 instances (from the "
            "instance ranges above it): meshX, not given, would be 6 / 4; meshX x meshY must "
            "equal the instances\n");
}

// A number past a double's range is refused by the rule it breaks, not as "not a number".
TEST(TimeloopReaders, NumbersPastADoublesRangeSayTheRuleTheyBreak) {
  EXPECT_EQ(errors_of({{R"(architecture:
  version: 0.3
  subtree:
  - name: system
    local:
    - {name: DRAM, class: DRAM, attributes: {width: 64, vector-access-energy: -1e400}}
    - name: Buf
      class: SRAM
      attributes: {depth: 16, width: 16, read_bandwidth: 1e400, write_bandwidth: 1e-400}
    - {name: mac, class: intmac, attributes: {datawidth: 16, energy: 1e-400}}
)",
                        "a.yaml"}}),
            "a.yaml:6:79: level 'DRAM': vector-access-energy -1e400 must be at least 0\n"
            "a.yaml:9:58: level 'Buf': read_bandwidth 1e400 must be at most 1e+15\n"
            "a.yaml:9:82: level 'Buf': write_bandwidth 1e-400 must be at least 1e-12\n"
            "a.yaml:10:70: compute 'mac': energy 1e-400 is too close to 0 to be held as a number "
            "(the smallest magnitude held is about 2.2e-308)\n");
}

// A bad word size is the one error of its level: the width is not checked against a stand-in.
TEST(TimeloopReaders, ABadWordSizeIsTheOnlyErrorOfItsLevel) {
  EXPECT_EQ(errors_of({{R"(architecture:
  version: 0.3
  subtree:
  - name: system
    local:
    - {name: DRAM, class: DRAM, attributes: {width: 256, word-bits: 0}}
    - {name: mac, class: intmac, attributes: {datawidth: 16}}
)",
                        "a.yaml"}}),
            "a.yaml:6:69: level 'DRAM': word-bits 0 must be at least 1\n");
}

// Timeloop files name other technologies and leave buffers unsized; Outpace reads them (Timeloop
// does) but says where its 45 nm table stands in for figures the files do not give.
TEST(TimeloopReaders, WarnsWhereTheBuiltInTableStandsIn) {
  const TimeloopSpec s = parse_timeloop({{R"(architecture:
  version: 0.3
  subtree:
  - name: system
    attributes: {technology: 40nm}
    local:
    - {name: DRAM, class: DRAM, attributes: {width: 64, word-bits: 16}}
    - {name: Buf, class: SRAM, attributes: {width: 16, word-bits: 16}}
    - {name: mac, class: intmac, attributes: {datawidth: 16}}
)", "a.yaml"}});
  ASSERT_TRUE(s.arch);
  EXPECT_EQ(s.arch->technology, "40nm");
  std::string warnings;
  for (const Diagnostic& w : s.warnings) warnings += w.str() + "\n";
  EXPECT_EQ(warnings,
            "a.yaml:5:30: technology '40nm' is not modelled: Outpace's energy and area table is "
            "for 45nm; areas, and the energies when no ERT is given, come from it\n"
            "a.yaml:8:7: level 'Buf': no size (entries, depth or sizeKB), so it is unbounded and "
            "Outpace's table gives it the area, and without an ERT or vector-access-energy the "
            "energies, of the smallest SRAM\n");
}

// Cluster sizes as Timeloop reads them (given, or width / (word-bits x block-size)), and what
// timeloop-model charges for the actions an ERT does not give: its built-in estimate,
// SRAMEnergy(rows, cluster width) / cluster size with SRAMEnergy(h, w) = (1 + 5/99.5 (w h / 8192
// - 0.5)) w / 16, or 200 pJ per 16 bits for a DRAM (docs/timeloop-semantics.md, rule 5).
TEST(TimeloopReaders, ClusterSizesAndTimeloopsBuiltInEnergies) {
  const TimeloopSpec s = parse_timeloop({{R"(architecture:
  version: 0.3
  subtree:
  - name: system
    local:
    - {name: DRAM, class: DRAM, attributes: {word-bits: 16, block-size: 2}}
    subtree:
    - name: PE[0..7]
      local:
      - {name: Buf, class: SRAM, attributes: {depth: 256, width: 64, word-bits: 16, block-size: 1}}
      - {name: Reg, class: regfile, attributes: {depth: 4, width: 32, word-bits: 16, cluster-size: 2}}
      - {name: RF, class: regfile, attributes: {depth: 1, word-bits: 8, cluster-size: 8}}
      - {name: mac, class: intmac, attributes: {datawidth: 16}}
ERT:
  version: 0.3
  tables:
  - name: system.PE[0..7].Buf
    actions:
    - {name: read, arguments: null, energy: 2.0}
  - name: system.PE[0..7].Reg
    actions:
    - {name: read, arguments: null, energy: 1.0}
    - {name: write, arguments: null, energy: 3.0}
  - name: system.PE[0..7].RF
    actions:
    - {name: access, arguments: null, energy: 5.0}
  - name: system.PE[0..7].Reg
    actions:
    - {name: write, arguments: null, energy: 4.0}
  - name: system.PE[0..7].mac
    actions:
    - {name: mac_random, arguments: null, energy: 0.5}
)",
                                          "a.yaml"}});
  ASSERT_TRUE(s.arch);
  const arch::Arch& a = *s.arch;
  const arch::StorageLevel &rf = a.levels[0], &reg = a.levels[1], &buf = a.levels[2];
  EXPECT_EQ(rf.cluster_size, 8);
  EXPECT_EQ(rf.block_size, 1);
  EXPECT_EQ(reg.cluster_size, 2);
  EXPECT_EQ(reg.block_size, 1);    // 32 bits / 2 instances / 16 bits
  EXPECT_EQ(buf.cluster_size, 4);  // 64 bits / (16 bits x 1 word)
  EXPECT_EQ(a.levels[3].cluster_size, 1);
  // The ERT's energies as they are; the others Timeloop's estimate for the whole cluster.
  const double buf_estimate = (1 + 5 / 99.5 * (64.0 * 256 / 8192 - 0.5)) * 64 / 16 / 4;
  const double rf_estimate = (1 + 5 / 99.5 * (64.0 * 1 / 8192 - 0.5)) * 64 / 16 / 8;
  EXPECT_DOUBLE_EQ(buf.energy.read_pj, 2.0);
  EXPECT_DOUBLE_EQ(buf.energy.write_pj, buf_estimate);
  EXPECT_DOUBLE_EQ(buf.energy.update_pj, buf_estimate);
  EXPECT_NEAR(buf_estimate, 1.07538, 1e-5);
  EXPECT_DOUBLE_EQ(reg.energy.read_pj, 1.0);  // a second table replaces only what it gives
  EXPECT_DOUBLE_EQ(reg.energy.write_pj, 4.0);
  EXPECT_DOUBLE_EQ(reg.energy.update_pj, 4.0);
  EXPECT_DOUBLE_EQ(rf.energy.read_pj, rf_estimate);
  EXPECT_DOUBLE_EQ(rf.energy.write_pj, rf_estimate);
  EXPECT_DOUBLE_EQ(a.levels[3].energy.read_pj, 200.0 * 32 / 16);  // DRAM: no table
  std::string warnings;
  for (const Diagnostic& w : s.warnings) warnings += w.str() + "\n";
  EXPECT_EQ(warnings,
            "a.yaml:15:3: ERT: no table for level 'DRAM'; it is charged Timeloop's built-in "
            "estimate, 400 pJ per vector access, as timeloop-model does\n"
            "a.yaml:17:5: ERT table 'system.PE[0..7].Buf': no 'write' action; level 'Buf' is "
            "charged Timeloop's built-in estimate, 1.07538 pJ per vector access, as "
            "timeloop-model does\n"
            "a.yaml:24:5: ERT table 'system.PE[0..7].RF': no 'read' or 'write' action; level 'RF' "
            "is charged Timeloop's built-in estimate, 0.487633 pJ per vector access, as "
            "timeloop-model does\n");
}

// The energies of gated and skipped accesses and MACs and of (de)compression, each from the
// first action of timeloop-model's list the table gives (include/model/topology.hpp): a gated
// read falls back to `idle`, a skipped read to `gated_read`, a skipped MAC to `mac_gated`; an
// action the table does not give costs nothing.
TEST(TimeloopReaders, SparseActionsTakeTimeloopsFirstActionPresent) {
  const TimeloopSpec s = parse_timeloop({{R"(architecture:
  version: 0.3
  subtree:
  - name: system
    local:
    - {name: DRAM, class: DRAM, attributes: {word-bits: 16, block-size: 2}}
    - {name: Buf, class: SRAM, attributes: {depth: 256, width: 16, word-bits: 16}}
    - {name: mac, class: intmac, attributes: {datawidth: 16}}
ERT:
  version: 0.3
  tables:
  - name: system.Buf
    actions:
    - {name: read, arguments: null, energy: 2.0}
    - {name: write, arguments: null, energy: 3.0}
    - {name: idle, arguments: null, energy: 0.01}
    - {name: gated_write, arguments: null, energy: 0.02}
    - {name: decompression_count, arguments: null, energy: 0.03}
  - name: system.DRAM
    actions:
    - {name: read, arguments: null, energy: 100.0}
    - {name: gated_read, arguments: null, energy: 0.5}
  - name: system.mac
    actions:
    - {name: mac_random, arguments: null, energy: 1.0}
    - {name: mac_gated, arguments: null, energy: 0.1}
)",
                                          "a.yaml"}});
  ASSERT_TRUE(s.arch);
  const arch::ActionEnergy &buf = s.arch->levels[0].energy, &dram = s.arch->levels[1].energy;
  EXPECT_DOUBLE_EQ(buf.gated_read_pj, 0.01);
  EXPECT_DOUBLE_EQ(buf.skipped_read_pj, 0.01);
  EXPECT_DOUBLE_EQ(buf.gated_update_pj, 0.02);
  EXPECT_DOUBLE_EQ(buf.skipped_update_pj, 0.02);
  EXPECT_DOUBLE_EQ(buf.decompression_pj, 0.03);
  EXPECT_DOUBLE_EQ(buf.compression_pj, 0);
  EXPECT_DOUBLE_EQ(dram.gated_read_pj, 0.5);
  EXPECT_DOUBLE_EQ(dram.skipped_read_pj, 0.5);
  EXPECT_DOUBLE_EQ(dram.gated_update_pj, 0);
  EXPECT_DOUBLE_EQ(s.arch->compute.gated_mac_pj, 0.1);
  EXPECT_DOUBLE_EQ(s.arch->compute.skipped_mac_pj, 0.1);
}

// Cluster sizes Timeloop stops on (an assertion or an exit): one that does not divide the
// instances, one above 1 on a DRAM, and a width that is not word-bits x block-size x cluster-size.
TEST(TimeloopReaders, ClusterSizesTimeloopStopsOnAreErrors) {
  EXPECT_EQ(errors_of({{R"(architecture:
  version: 0.3
  subtree:
  - name: system
    local:
    - {name: DRAM, class: DRAM, attributes: {width: 64, word-bits: 16, block-size: 1}}
    - {name: GLB, class: SRAM, attributes: {depth: 16, width: 64, word-bits: 16, block-size: 1}}
    subtree:
    - name: PE[0..5]
      local:
      - {name: RF, class: regfile, attributes: {depth: 16, word-bits: 16, cluster-size: 4}}
      - {name: Reg, class: regfile, attributes: {depth: 1, width: 64, block-size: 2, cluster-size: 3}}
      - {name: mac, class: intmac, attributes: {datawidth: 16}}
)",
                        "a.yaml"}}),
            "a.yaml:6:7: level 'DRAM': cluster size 4 (width 64 / (word-bits x block-size)) must "
            "be 1 for a DRAM, as Timeloop requires\n"
            "a.yaml:7:7: level 'GLB': cluster size 4 (width 64 / (word-bits x block-size)) must "
            "divide its 1 instance, as Timeloop requires\n"
            "a.yaml:11:9: level 'RF': cluster-size 4 must divide its 6 instances, as Timeloop "
            "requires\n"
            "a.yaml:12:67: level 'Reg': word-bits x block-size x cluster-size = 96 must equal "
            "width 64, as Timeloop requires\n");
}

TEST(TimeloopWriter, RefusesWhatTimeloopCannotSay) {
  const workload::Einsum e = workload::gemm("g", 4, 4, 4);
  arch::Arch a;
  a.levels.resize(1);
  a.levels[0].name = "DRAM";
  // Two temporal loops over M at one level: Timeloop has one factor per dimension and level.
  const mapping::Mapping twice =
      test::MappingBuilder(e, a).level("DRAM").temporal("M", 2).temporal("M", 2).keep_all().build();
  EXPECT_THROW(write_timeloop_mapping(e, a, twice), ConfigError);
  workload::Einsum long_names = e;
  long_names.dim_names[0] = "MM";
  const mapping::Mapping once =
      test::MappingBuilder(long_names, a).level("DRAM").temporal("MM", 4).keep_all().build();
  EXPECT_THROW(write_timeloop_mapping(long_names, a, once), ConfigError);
}

}  // namespace
}  // namespace outpace::io::timeloop
