// Timeloop's sparse specs: the problem's densities and `sparse_optimizations`, read into a
// model::Sparsity, then evaluated: a single-PE gating dot product written for this test like the
// Sparseloop exercise's gives timeloop-model v3.0.3's figures for it; bad specs are refused with
// their place.
#include <gtest/gtest.h>

#include <string>

#include "io/timeloop/timeloop_spec.hpp"
#include "model/evaluate.hpp"

namespace outpace::io {
namespace {

/// One PE: a 64-word buffer (3 reads and 1 write a cycle) over a MAC, its energy table (0.42018
/// pJ a read or write, 0.00441 idle, 0.5608 a MAC), a dot product over K = 16 with A
/// fixed-structured at 0.25, and the buffer looping over K.
const std::string kDotProduct = R"(architecture:
  version: 0.3
  subtree:
  - name: PE
    local:
    - name: Buffer
      class: storage
      subclass: regfile
      attributes: {depth: 64, width: 8, datawidth: 8, block_size: 1, read_bandwidth: 3, write_bandwidth: 1}
    - name: MAC
      class: compute
      subclass: intmac
      attributes: {datawidth: 8}
ERT:
  version: 0.3
  tables:
  - name: PE.Buffer
    actions:
    - {name: read, arguments: null, energy: 0.42018}
    - {name: write, arguments: null, energy: 0.42018}
    - {name: idle, arguments: null, energy: 0.00441}
  - name: PE.MAC
    actions:
    - {name: mac_random, arguments: null, energy: 0.5608}
    - {name: mac_gated, arguments: null, energy: 0.05}
problem:
  shape:
    name: DotProduct
    dimensions: [K, M]
    data-spaces:
    - {name: A, projection: [[[K]]]}
    - {name: B, projection: [[[K]]]}
    - {name: Z, projection: [[[M]]], read-write: True}
  instance:
    M: 1
    K: 16
    densities:
      A: {distribution: fixed-structured, density: 0.25}
mapping:
- {target: Buffer, type: temporal, factors: K=16 M=1, permutation: KM}
)";

// The buffer gates B on A and Z on A: timeloop-model v3.0.3 on the exercise's files counts B 4
// reads and 12 gated, Z 3 reads and 12 gated, 4 updates and 12 gated, 4 MACs (the 12 with a zero
// A do not exist, so mac_gated is never charged), 16 cycles and 13.75 pJ.
TEST(TimeloopSparse, GatingDotProductGivesTimeloopsFigures) {
  const TimeloopSpec s = parse_timeloop({{kDotProduct + R"(sparse_optimizations:
  targets:
  - name: Buffer
    action-optimization:
    - {type: gating, target: B, condition-on: [A]}
    - {type: gating, target: Z, condition-on: [A]}
)",
                                          "dot.yaml"}});
  ASSERT_TRUE(s.sparsity);
  ASSERT_EQ(s.sparsity->densities.size(), 3u);
  EXPECT_EQ(s.sparsity->densities[0].kind, model::DensityKind::kFixedStructured);
  EXPECT_EQ(s.sparsity->densities[0].density, 0.25);
  EXPECT_EQ(s.sparsity->densities[1].kind, model::DensityKind::kDense);
  ASSERT_EQ(s.sparsity->safs.size(), 2u);
  model::Options o = model::kTimeloopOptions;
  o.sparsity = &*s.sparsity;
  const model::Result r = model::evaluate(*s.problem, *s.arch, *s.mapping, o);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.levels[0].tensors[1].gated_reads, 12);    // B
  EXPECT_EQ(r.levels[0].tensors[2].gated_updates, 12);  // Z
  EXPECT_EQ(r.actual_macs, 4);
  EXPECT_EQ(r.cycles, 16);
  EXPECT_NEAR(r.energy_pj, 13.75, 0.005);
}

// commonDensity applies to every data space; `hypergeometric` is the uniform model; a format on
// a data space marks it compressed at that level (with a warning that metadata is not
// modelled); the compute unit's skipping.
TEST(TimeloopSparse, CommonDensityFormatsAndComputeSkipping) {
  std::string text = kDotProduct;
  const std::string densities =
      "    densities:\n      A: {distribution: fixed-structured, density: 0.25}\n";
  text.replace(text.find(densities), densities.size(),
               "    commonDensity: {distribution: hypergeometric, density: 0.5}\n");
  const TimeloopSpec s = parse_timeloop({{text + R"(sparse_optimizations:
  targets:
  - name: Buffer
    representation-format:
      data-spaces:
      - name: B
        ranks:
        - format: UOP
        - format: CP
  - name: MAC
    compute-optimization:
    - type: skipping
)",
                                          "dot.yaml"}});
  ASSERT_TRUE(s.sparsity);
  for (int t = 0; t < 3; ++t) {
    EXPECT_EQ(s.sparsity->densities[t].kind, model::DensityKind::kUniform);
    EXPECT_EQ(s.sparsity->densities[t].density, 0.5);
  }
  EXPECT_EQ(s.sparsity->compressed[0], 2u);
  EXPECT_TRUE(s.sparsity->compute_skipping);
  EXPECT_FALSE(s.sparsity->compute_gating);
  bool warned = false;
  for (const Diagnostic& w : s.warnings)
    warned = warned || w.message.find("metadata") != std::string::npos;
  EXPECT_TRUE(warned);
}

// Two features on one target at one level: the first is modelled, with a warning.
TEST(TimeloopSparse, ASecondFeatureOnATargetIsWarnedAbout) {
  const TimeloopSpec s = parse_timeloop({{kDotProduct + R"(sparse_optimizations:
  targets:
  - name: Buffer
    action-optimization:
    - {type: gating, target: B, condition-on: [A]}
    - {type: skipping, target: B, condition-on: [A, Z]}
)",
                                          "dot.yaml"}});
  ASSERT_TRUE(s.sparsity);
  ASSERT_EQ(s.sparsity->safs.size(), 1u);
  EXPECT_EQ(s.sparsity->safs[0].kind, model::SafKind::kGating);
  ASSERT_FALSE(s.warnings.empty());
  EXPECT_EQ(s.warnings.back().str(),
            "dot.yaml:46:32: target 'Buffer': action-optimization: target: a second "
            "feature on 'B' at this level; only the first is modelled (Timeloop takes the one "
            "that finds more accesses ineffectual)");
}

/// The message of the first error parsing `text`, or "" when it parses.
std::string first_error(const std::string& text) {
  try {
    (void)parse_timeloop({{text, "dot.yaml"}});
  } catch (const ConfigError& e) {
    return e.diagnostics().front().str();
  }
  return "";
}

// Bad specs name the file, the line and column, the value and the rule.
TEST(TimeloopSparse, BadSpecsAreRefusedWithTheirPlace) {
  std::string banded = kDotProduct;
  banded.replace(banded.find("fixed-structured, density: 0.25"), 31, "banded, density: 0.25");
  EXPECT_EQ(first_error(banded),
            "dot.yaml:38:25: problem instance: densities: A: distribution: 'banded' is not "
            "modelled; the distributions are fixed-structured and hypergeometric");
  EXPECT_EQ(first_error(kDotProduct + R"(sparse_optimizations:
  targets:
  - name: Buffer
    action-optimization:
    - {type: gating, target: Q, condition-on: [A]}
)"),
            "dot.yaml:45:30: target 'Buffer': action-optimization: target: 'Q' is no data space "
            "of the problem (A, B, Z)");
  EXPECT_EQ(first_error(kDotProduct + R"(sparse_optimizations:
  targets:
  - name: Bufer
)"),
            "dot.yaml:43:11: target 'Bufer': name: 'Bufer' is no storage level or compute unit of "
            "the architecture");
  EXPECT_EQ(first_error(kDotProduct + R"(sparse_optimizations:
  targets:
  - name: Buffer
    action-optimization:
    - {type: position-skipping, target: B, condition-on: [A]}
)"),
            "dot.yaml:45:14: target 'Buffer': action-optimization: type: 'position-skipping' is "
            "not modelled; the types are gating and skipping");
}

}  // namespace
}  // namespace outpace::io
