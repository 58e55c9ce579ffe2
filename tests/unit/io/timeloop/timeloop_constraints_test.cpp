// Timeloop's mapspace constraints read into mapper::Constraints: small texts read with
// parse_timeloop, each field checked against what timeloop-mapper v3.0.3 makes of the entry.
// timeloop_exercise_constraints_test.cpp reads the Eyeriss-like exercise's own files.
#include "io/timeloop/timeloop_constraints.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "unit/io/timeloop/constraints_test_support.hpp"

namespace outpace::io {
namespace {

// 16 PEs on a 4 x 4 mesh under GLB: GLB fans out 4 along X and 4 along Y; RF feeds one MAC.
// Levels, innermost first: RF (0), GLB (1), DRAM (2).
const char* kArch = R"(architecture:
  version: 0.3
  subtree:
  - name: system
    local:
    - {name: DRAM, class: DRAM, attributes: {width: 64, word-bits: 16}}
    subtree:
    - name: chip
      local:
      - {name: GLB, class: SRAM, attributes: {depth: 1024, width: 64, word-bits: 16}}
      subtree:
      - name: PE[0..15]
        local:
        - {name: RF, class: regfile, attributes: {depth: 16, width: 16, word-bits: 16, meshX: 4}}
        - {name: mac, class: intmac, attributes: {datawidth: 16, meshX: 4}}
)";

// The same with the 4 PEs in one row: GLB fans out 4 along X only.
const char* kRowArch = R"(architecture:
  version: 0.3
  subtree:
  - name: system
    local:
    - {name: DRAM, class: DRAM, attributes: {width: 64, word-bits: 16}}
    subtree:
    - name: chip
      local:
      - {name: GLB, class: SRAM, attributes: {depth: 1024, width: 64, word-bits: 16}}
      subtree:
      - name: PE[0..3]
        local:
        - {name: RF, class: regfile, attributes: {depth: 16, width: 16, word-bits: 16}}
        - {name: mac, class: intmac, attributes: {datawidth: 16}}
)";

// Dimensions K (32), R (3), P (16); data spaces Weights, Inputs, Outputs.
const char* kProblem = R"(problem:
  shape:
    name: Conv1D_OC
    dimensions: [K, R, P]
    data-spaces:
    - {name: Weights, projection: [[[K]], [[R]]]}
    - {name: Inputs, projection: [[[R], [P]]]}
    - {name: Outputs, projection: [[[K]], [[P]]], read-write: true}
  instance: {K: 32, R: 3, P: 16}
)";

constexpr int K = 0, R = 1, P = 2;
constexpr int RF = 0, GLB = 1, DRAM = 2;
constexpr std::uint32_t kWeights = 1, kInputs = 2, kOutputs = 4;
using Factors = std::vector<std::int64_t>;

/// What reading `text` (with the problem and `arch`) gives.
struct Read {
  mapper::Constraints c;
  std::string errors, warnings;  // one message a line, "line:column: message"
};

Read read(const std::string& text, const char* arch = kArch) {
  const TimeloopSpec spec =
      parse_timeloop({{arch, "arch.yaml"}, {kProblem, "prob.yaml"}, {text, "c.yaml"}});
  DiagnosticSink sink;
  Read r;
  r.c = read_timeloop_constraints(spec, sink);
  r.errors = lines(sink, Severity::kError);
  r.warnings = lines(sink, Severity::kWarning);
  return r;
}

TEST(TimeloopConstraints, NothingGivenIsUnconstrained) {
  const Read r = read("mapspace_constraints: {targets: []}\n");
  EXPECT_EQ(r.errors, "");
  ASSERT_EQ(r.c.levels.size(), 3u);
  for (const mapper::LevelConstraints& lc : r.c.levels) {
    EXPECT_EQ(lc.temporal_fixed, (Factors{0, 0, 0}));
    EXPECT_EQ(lc.keep | lc.bypass, 0u);
    EXPECT_EQ(lc.spatial_x, ~0u);
    EXPECT_TRUE(lc.innermost.empty());
  }
  EXPECT_EQ(r.c.min_utilization, 0);
}

TEST(TimeloopConstraints, TemporalFactorsAndPermutation) {
  // R=0 is the whole bound (3); K and P are fixed; RKP is innermost first.
  const Read r = read(R"(mapspace_constraints:
  targets:
  - {target: RF, type: temporal, factors: K=2 R=0 P=1, permutation: RKP}
  - {target: DRAM, type: temporal, factors: "K4,P=1"}
)");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.warnings, "");
  EXPECT_EQ(r.c.levels[RF].temporal_fixed, (Factors{2, 3, 1}));
  EXPECT_EQ(r.c.levels[RF].innermost, order({R, K, P}));
  EXPECT_EQ(r.c.levels[DRAM].temporal_fixed, (Factors{4, 0, 1}));  // R free
  EXPECT_EQ(r.c.levels[GLB].temporal_fixed, (Factors{0, 0, 0}));
  EXPECT_EQ(r.c.levels[RF].spatial_fixed, (Factors{0, 0, 0}));
}

TEST(TimeloopConstraints, MaximumAndMinimumFactors) {
  // K<=4 is a maximum; default_max_factor covers the dimensions without one; P>=2 (a minimum)
  // and a factor above the bound are ignored with a warning, as Timeloop does.
  const Read r = read(R"(mapspace_constraints:
  - {target: GLB, type: temporal, factors: K<=4 P>=2 R=7, default_max_factor: 8}
)");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.c.levels[GLB].temporal_max, (Factors{4, 8, 8}));
  EXPECT_EQ(r.c.levels[GLB].temporal_fixed, (Factors{0, 0, 0}));
  EXPECT_EQ(r.warnings,
            "2:44: mapspace_constraints entry #1: factors: minimum factor 'P>=2' is not modelled "
            "by Outpace; ignored\n"
            "2:44: mapspace_constraints entry #1: factors: factor R=7 is larger than the bound 3 "
            "of dimension 'R'; ignored, as Timeloop does\n");
}

TEST(TimeloopConstraints, SpatialSplitPutsThePermutationsFirstLoopsAlongX) {
  // KPR with split 1: K along X, P along Y; R has spatial factor 1, so it goes on neither.
  const Read r = read(R"(mapspace_constraints:
  - {target: GLB, type: spatial, factors: R=1 K=4, permutation: KPR, split: 1}
)");
  EXPECT_EQ(r.errors, "");
  const mapper::LevelConstraints& g = r.c.levels[GLB];
  EXPECT_EQ(g.spatial_fixed, (Factors{4, 1, 0}));
  EXPECT_EQ(g.spatial_x, 1u << K);
  EXPECT_EQ(g.spatial_y, 1u << P);
  EXPECT_TRUE(g.innermost.empty());  // a spatial permutation says nothing of temporal order
}

TEST(TimeloopConstraints, SpatialSplitWithAPartialPermutation) {
  // Permutation K on a 2D fanout: K is at position 0, R and P anywhere in positions 1-2.
  // split 1: K on X, R and P on Y. split 2: K on X, R and P on either axis.
  const Read one = read(
      "mapspace_constraints:\n"
      "  - {target: GLB, type: spatial, permutation: K, split: 1}\n");
  EXPECT_EQ(one.c.levels[GLB].spatial_x, 1u << K);
  EXPECT_EQ(one.c.levels[GLB].spatial_y, (1u << R) | (1u << P));
  const Read two = read(
      "mapspace_constraints:\n"
      "  - {target: GLB, type: spatial, permutation: K, split: 2}\n");
  EXPECT_EQ(two.c.levels[GLB].spatial_x, 7u);
  EXPECT_EQ(two.c.levels[GLB].spatial_y, (1u << R) | (1u << P));
  // A split of 999 (the v0.4 exercises' way to say "all") puts everything along X.
  const Read all = read(
      "mapspace_constraints:\n"
      "  - {target: GLB, type: spatial, split: 999, factors: P=1}\n");
  EXPECT_EQ(all.c.levels[GLB].spatial_x, (1u << K) | (1u << R));
  EXPECT_EQ(all.c.levels[GLB].spatial_y, 0u);
}

TEST(TimeloopConstraints, SpatialWithoutSplitLeavesBothAxes) {
  // Timeloop tries every split then: only dimensions fixed at factor 1 lose their axes.
  const Read r = read(
      "mapspace_constraints:\n"
      "  - {target: GLB, type: spatial, factors: R=1, permutation: PK}\n");
  EXPECT_EQ(r.c.levels[GLB].spatial_x, ~(1u << R));
  EXPECT_EQ(r.c.levels[GLB].spatial_y, ~(1u << R));
}

TEST(TimeloopConstraints, OneDimensionalFanoutWithoutPermutationUsesProblemOrder) {
  // Timeloop's canonical order (K, R, P) on a 1D fanout: split 1 puts K on X, R and P on Y
  // (where the fanout is 1, so they cannot spread).
  const Read r = read(
      "mapspace_constraints:\n"
      "  - {target: GLB, type: spatial, split: 1}\n",
      kRowArch);
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.c.levels[GLB].spatial_x, 1u << K);
  EXPECT_EQ(r.c.levels[GLB].spatial_y, (1u << R) | (1u << P));
}

TEST(TimeloopConstraints, KeepBypassAndUtilization) {
  const Read r = read(R"(architecture_constraints:
  targets:
  - {target: RF, type: bypass, keep: [Outputs], bypass: [Inputs, Weights]}
  - {target: GLB, type: datatype, keep: [Inputs]}
  - {target: GLB, type: dataspace, bypass: Weights}
  - {target: DRAM, type: bypassing, keep: [Weights, Inputs, Outputs]}
  - {target: RF, type: utilization, min: 0.5}
)");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.c.levels[RF].keep, kOutputs);
  EXPECT_EQ(r.c.levels[RF].bypass, kInputs | kWeights);
  EXPECT_EQ(r.c.levels[GLB].keep, kInputs);
  EXPECT_EQ(r.c.levels[GLB].bypass, kWeights);
  EXPECT_EQ(r.c.levels[DRAM].bypass, 0u);
  EXPECT_DOUBLE_EQ(r.c.min_utilization, 0.5);
}

TEST(TimeloopConstraints, OuterPermutationPartAfterTheSeparator) {
  // K_P on three dimensions: K innermost, P outermost, so R between them: the whole order.
  const Read full = read(
      "mapspace_constraints:\n"
      "  - {target: DRAM, type: temporal, permutation: K_P}\n");
  EXPECT_EQ(full.c.levels[DRAM].innermost, order({K, R, P}));
  // _P alone leaves K and R unordered: only the inner part (none) is kept, with a warning.
  const Read part = read(
      "mapspace_constraints:\n"
      "  - {target: DRAM, type: temporal, permutation: _P}\n");
  EXPECT_TRUE(part.c.levels[DRAM].innermost.empty());
  EXPECT_EQ(part.warnings,
            "2:49: mapspace_constraints entry #1: permutation: the outermost loops "
            "(after '_') are not modelled by Outpace; only the innermost ones are "
            "kept\n");
}

TEST(TimeloopConstraints, SectionForms) {
  // mapspace: a named list (constraints: rs -> constraints_rs), target by level number and
  // by `name`, the nested form {name, constraints: [{type, attributes}]}, v0.4 lists.
  const Read r = read(R"(mapspace:
  template: uber
  constraints: rs
  constraints_rs:
  - {target: 0, type: temporal, factors: P=1}
  - name: GLB
    constraints:
    - type: temporal
      attributes: {factors: [K=2, R=1], permutation: [P, K]}
constraints:
  version: 0.4
  targets:
  - {target: DRAM, type: dataspace, keep: [Weights]}
)");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.warnings, "");
  EXPECT_EQ(r.c.levels[RF].temporal_fixed, (Factors{0, 0, 1}));
  EXPECT_EQ(r.c.levels[GLB].temporal_fixed, (Factors{2, 1, 0}));
  EXPECT_EQ(r.c.levels[GLB].innermost, order({P, K}));
  EXPECT_EQ(r.c.levels[DRAM].keep, kWeights);
}

TEST(TimeloopConstraints, SplitSitsBesideTypeNotUnderAttributes) {
  // Timeloop reads the settings under `attributes:` but `split` only beside `type`.
  const Read r = read(R"(mapspace:
  targets:
  - name: GLB
    constraints:
    - {type: spatial, split: 1, attributes: {permutation: KPR}}
    - {type: temporal, factors: K=2, attributes: {permutation: PK, split: 1}}
)");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.c.levels[GLB].spatial_x, 1u << K);
  EXPECT_EQ(r.c.levels[GLB].innermost, order({P, K}));
  EXPECT_EQ(r.c.levels[GLB].temporal_fixed[K], 0);
  EXPECT_EQ(r.warnings,
            "6:24: mapspace entry #1 constraint #2: unknown key 'factors'; ignored\n"
            "6:68: mapspace entry #1 constraint #2: attributes: unknown key 'split'; ignored\n");
}

TEST(TimeloopConstraints, TimeloopReadsOneSectionOfEachKind) {
  // arch_constraints wins over architecture_constraints, mapspace over mapspace_constraints.
  const Read r = read(R"(architecture_constraints:
  - {target: RF, type: temporal, factors: K=1}
arch_constraints:
  - {target: RF, type: temporal, factors: K=2}
mapspace_constraints:
  - {target: GLB, type: temporal, factors: K=1}
mapspace:
  - {target: GLB, type: temporal, factors: K=4}
)");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.c.levels[RF].temporal_fixed[K], 2);
  EXPECT_EQ(r.c.levels[GLB].temporal_fixed[K], 4);
  EXPECT_EQ(r.warnings,
            "1:1: section 'architecture_constraints' is ignored: Timeloop reads only "
            "'arch_constraints' (at c.yaml:3:1) when both are given\n"
            "5:1: section 'mapspace_constraints' is ignored: Timeloop reads only 'mapspace' (at "
            "c.yaml:7:1) when both are given\n");
}

TEST(TimeloopConstraints, ArchitectureConstraintsChild) {
  // Timeloop prefers `architecture: constraints:` to the root sections; the entry-list form
  // reads it from the architecture entry.
  const TimeloopSpec spec = parse_timeloop({{kArch, "arch.yaml"}, {kProblem, "prob.yaml"}});
  DiagnosticSink yaml_errors;
  std::optional<YamlNode> root = parse_yaml(R"(architecture:
  constraints:
    targets:
    - {target: GLB, type: temporal, factors: P=4}
arch_constraints: [{target: GLB, type: temporal, factors: P=2}]
)",
                                            "c.yaml", yaml_errors);
  ASSERT_TRUE(root);
  DiagnosticSink sink;
  const mapper::Constraints c =
      read_timeloop_constraints(root->entries, *spec.problem, *spec.arch, sink);
  EXPECT_EQ(lines(sink, Severity::kError), "");
  EXPECT_EQ(c.levels[GLB].temporal_fixed[P], 4);
  EXPECT_EQ(lines(sink, Severity::kWarning),
            "5:1: section 'arch_constraints' is ignored: Timeloop reads only "
            "'architecture: constraints' (at c.yaml:2:3) when both are given\n");
}

TEST(TimeloopConstraints, UnmodelledKeysAndTypesAreWarnings) {
  const Read r = read(R"(mapspace_constraints:
  - {target: GLB, type: spatial, factors: K<=2, no_multicast_no_reduction: [Inputs], bogus: 1}
  - {target: GLB, type: max_overbooked_proportion, proportion: 0.1}
  - {target: GLB, type: temporal, split: 2}
)");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.warnings,
            "2:43: mapspace_constraints entry #1: factors: maximum spatial factor 'K<=2' is not "
            "modelled by Outpace (the fanout bounds spatial factors); ignored\n"
            "2:49: mapspace_constraints entry #1: key 'no_multicast_no_reduction' is not modelled "
            "by Outpace; ignored\n"
            "2:86: mapspace_constraints entry #1: unknown key 'bogus'; ignored\n"
            "3:25: mapspace_constraints entry #2: type 'max_overbooked_proportion' is not "
            "modelled by Outpace (buffers are never overbooked); ignored\n"
            "4:42: mapspace_constraints entry #3: 'split' has no meaning for a temporal "
            "constraint; ignored\n");
}

TEST(TimeloopConstraints, SameSettingTwiceIsFineAConflictIsNot) {
  const Read same = read(R"(arch_constraints:
  - {target: GLB, type: temporal, factors: K=2, permutation: KP}
  - {target: GLB, type: bypass, keep: [Inputs]}
mapspace_constraints:
  - {target: GLB, type: temporal, factors: K=2, permutation: KP}
  - {target: GLB, type: bypass, keep: [Inputs]}
)");
  EXPECT_EQ(same.errors, "");
  EXPECT_EQ(same.c.levels[GLB].temporal_fixed[K], 2);
  const Read clash = read(R"(arch_constraints:
  - {target: GLB, type: temporal, factors: K=2, permutation: KP}
  - {target: GLB, type: bypass, keep: [Inputs]}
mapspace_constraints:
  - {target: GLB, type: temporal, factors: K=4, permutation: PK}
  - {target: GLB, type: bypass, bypass: [Inputs]}
)");
  EXPECT_EQ(clash.errors,
            "5:44: mapspace_constraints entry #1: factors: temporal factor K=4 at level 'GLB' "
            "conflicts with 2 given at c.yaml:2:44\n"
            "5:62: mapspace_constraints entry #1: permutation: level 'GLB' already has another "
            "temporal permutation, given at c.yaml:2:62\n"
            "6:42: mapspace_constraints entry #2: bypass: data space 'Inputs' is kept at level "
            "'GLB' by the constraint at c.yaml:3:40\n");
}

TEST(TimeloopConstraints, FixedFactorsThatCannotMultiplyToTheBound) {
  // R (bound 3) fixed at 3 twice: 9 does not divide 3.
  const Read r = read(R"(mapspace_constraints:
  - {target: RF, type: temporal, factors: R=3}
  - {target: GLB, type: temporal, factors: R=3}
)");
  EXPECT_EQ(r.errors,
            "3:44: constraints: the exact factors of dimension 'R' over all levels "
            "multiply to more than its bound 3\n");
}

TEST(TimeloopConstraints, EveryFactorFixedButNotTheBound) {
  // K (bound 32) fixed at every slot it has: 2 x 2 x 2 in time, 1 across the GLB's fanout.
  const Read r = read(R"(mapspace_constraints:
  - {target: RF, type: temporal, factors: K=2}
  - {target: GLB, type: temporal, factors: K=2}
  - {target: GLB, type: spatial, factors: K=1}
  - {target: DRAM, type: temporal, factors: K=2}
)");
  EXPECT_EQ(r.errors,
            "5:45: constraints: the exact factors of dimension 'K' over all levels "
            "multiply to 8, but every level fixes it and its bound is 32\n");
}

// Timeloop's constraint regex takes "K=2,P=4" as two factors and drops the ",2" of "K=16,2"
// (a residual factor, which only its mappings read); Outpace refuses the residual. Inside { }
// YAML cuts the value at the comma, leaving a key '2'.
TEST(TimeloopConstraints, CommasSeparateFactorsResidualFactorsAreRefused) {
  const Read ok =
      read("mapspace_constraints:\n- target: GLB\n  type: temporal\n  factors: K=2,P=4\n");
  EXPECT_EQ(ok.errors, "");
  EXPECT_EQ(ok.c.levels[GLB].temporal_fixed, (Factors{2, 0, 4}));
  const Read r = read(R"(mapspace_constraints:
  - {target: GLB, type: temporal, factors: K=16,2}
  - target: RF
    type: temporal
    factors: "P=4, 2 R=3"
)");
  EXPECT_EQ(r.errors,
            "2:44: mapspace_constraints entry #1: factors: 'K=16,2' is cut at its comma (inside "
            "{ } a comma ends a value, leaving 'K=16' and a key '2'), and residual factors such "
            "as 'K=16,2' are not supported; write DIM=N terms separated by spaces, e.g. C=3 M=4\n"
            "5:14: mapspace_constraints entry #2: factors: residual factor 'P=4, 2' is not "
            "supported (Timeloop would drop its ', 2' without a word); write DIM=N, DIM<=N or "
            "DIM>=N with N an integer, e.g. C=3\n");
  EXPECT_EQ(r.warnings, "");
}

TEST(TimeloopConstraints, NeedsTheProblemAndTheArchitecture) {
  const TimeloopSpec spec =
      parse_timeloop({{kArch, "arch.yaml"}, {"mapspace_constraints: []\n", "c.yaml"}});
  DiagnosticSink sink;
  const mapper::Constraints c = read_timeloop_constraints(spec, sink);
  EXPECT_TRUE(c.levels.empty());
  EXPECT_EQ(lines(sink, Severity::kError),
            "1:1: section 'mapspace_constraints': reading constraints needs the "
            "problem and the architecture; no file gives 'problem:'\n");
}

}  // namespace
}  // namespace outpace::io
