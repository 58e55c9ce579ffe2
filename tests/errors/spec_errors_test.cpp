// Bad spec files and the exact messages a user gets for them: file:line:column, the object,
// the bad value and the rule. Every file in this folder is also a seed for the fuzzer.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "arch/presets.hpp"
#include "io/spec/arch_spec.hpp"
#include "io/spec/constraints_spec.hpp"
#include "io/spec/mapping_spec.hpp"
#include "io/spec/problem_spec.hpp"
#include "mapper/constraints.hpp"
#include "workload/builders.hpp"

namespace outpace::io {
namespace {

/// AlexNet conv1 on Eyeriss: what the mapping files here are parsed against.
void load_alexnet_mapping(const std::string& path) {
  workload::ConvShape s;
  s.k = 96, s.c = 3, s.p = s.q = 55, s.r = s.s = 11, s.stride_h = s.stride_w = 4;
  load_mapping(path, workload::conv2d("alexnet.conv1", s), *arch::preset("eyeriss"));
}

/// Loads `file` (relative to the source folder) and checks the full ConfigError text.
void expect_errors(const std::function<void(const std::string&)>& load, const std::string& file,
                   const std::vector<std::string>& expected) {
  std::filesystem::current_path(OUTPACE_SOURCE_DIR);
  std::string want;
  for (const std::string& line : expected) want += (want.empty() ? "" : "\n") + line;
  try {
    load(file);
    ADD_FAILURE() << file << ": expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), want) << file;
    EXPECT_EQ(e.diagnostics().size(), expected.size()) << file;
  }
}

void problem(const std::string& f) { load_problem(f); }

/// Constraints for ResNet-50's conv3_2b shape on Eyeriss, on top of the preset's own.
void constraints(const std::string& f) {
  workload::ConvShape s;
  s.k = s.c = 128, s.p = s.q = 28, s.r = s.s = 3;
  const workload::Einsum e = workload::conv2d("conv", s);
  const arch::Arch a = *arch::preset("eyeriss");
  mapper::Constraints c = mapper::arch_constraints(e, a);
  load_constraints(f, e, a, c);
}
void architecture(const std::string& f) { load_arch(f); }

const std::string kDir = "tests/errors/";
const std::string kLevelKeys =
    "allowed keys are name, class, capacity, word_bits, block_size, width, read_bandwidth, "
    "write_bandwidth, update_bandwidth, instances, mesh_x, energy, area, sparse";

TEST(SpecErrors, YamlSyntaxError) {
  expect_errors(problem, kDir + "yaml_syntax.yaml",
                {"tests/errors/yaml_syntax.yaml:4:7: YAML syntax error: did not find expected ',' "
                 "or '}' (while parsing a flow mapping that starts at line 3, column 11)"});
  expect_errors(architecture, kDir + "yaml_bad_indent.yaml",
                {"tests/errors/yaml_bad_indent.yaml:3:10: YAML syntax error: mapping values are "
                 "not allowed in this context"});
}

TEST(SpecErrors, YamlLimitsAndAliases) {
  expect_errors(problem, kDir + "yaml_too_deep.yaml",
                {"tests/errors/yaml_too_deep.yaml:1:73: lists and mappings are nested more than "
                 "64 deep"});
  expect_errors(problem, kDir + "yaml_alias_bomb.yaml",
                {"tests/errors/yaml_alias_bomb.yaml:6:32: the document has more than 100000 nodes "
                 "once aliases are expanded; a spec should be far smaller"});
  expect_errors(problem, kDir + "yaml_unknown_alias.yaml",
                {"tests/errors/yaml_unknown_alias.yaml:3:9: alias '*shape' does not name a "
                 "complete node anchored before it"});
}

TEST(SpecErrors, DuplicateKeyAndEmptyFile) {
  expect_errors(problem, kDir + "yaml_duplicate_key.yaml",
                {"tests/errors/yaml_duplicate_key.yaml:4:3: key 'name' is given twice (first at "
                 "line 3)"});
  expect_errors(problem, kDir + "yaml_empty.yaml",
                {"tests/errors/yaml_empty.yaml:1:1: the file is empty; expected 'problem:'"});
}

TEST(SpecErrors, MissingFile) {
  expect_errors(problem, kDir + "no_such_problem.yaml",
                {"tests/errors/no_such_problem.yaml: cannot open file: No such file or directory"});
  expect_errors(architecture, kDir + "no_such_arch.yaml",
                {"tests/errors/no_such_arch.yaml: cannot open file: No such file or directory"});
  expect_errors(load_alexnet_mapping, kDir + "no_such_mapping.yaml",
                {"tests/errors/no_such_mapping.yaml: cannot open file: No such file or directory"});
}

TEST(SpecErrors, WrongSectionInFile) {
  expect_errors(problem, "examples/arch/toy.yaml",
                {"examples/arch/toy.yaml:3:1: missing section 'problem:'"});
}

TEST(SpecErrors, ProblemWrongType) {
  expect_errors(problem, kDir + "problem_wrong_type.yaml",
                {"tests/errors/problem_wrong_type.yaml:3:21: problem 'alexnet.conv1': conv2d: K "
                 "must be an integer, got 'ninety-six'",
                 "tests/errors/problem_wrong_type.yaml:3:75: problem 'alexnet.conv1': conv2d: "
                 "stride must be an integer, got a list"});
}

TEST(SpecErrors, ProblemNegativeBound) {
  expect_errors(problem, kDir + "problem_negative_bound.yaml",
                {"tests/errors/problem_negative_bound.yaml:3:19: problem 'mm': dimension 'M' bound "
                 "-4 must be at least 1"});
}

TEST(SpecErrors, ProblemBadAffineIndex) {
  const std::string rule =
      "is not an affine index; write a sum of terms like P, 2*P or P*2 joined by '+'";
  expect_errors(problem, kDir + "problem_bad_affine.yaml",
                {"tests/errors/problem_bad_affine.yaml:6:33: tensor 'Inputs': index '2*P + +R' " + rule,
                 "tests/errors/problem_bad_affine.yaml:7:31: tensor 'Inputs2': index 'P - R' " + rule,
                 "tests/errors/problem_bad_affine.yaml:7:40: tensor 'Inputs2': index '2*X + R' "
                 "uses unknown dimension 'X'; dimensions are R, P, C",
                 "tests/errors/problem_bad_affine.yaml:7:51: tensor 'Inputs2': index 'P*0' has "
                 "coefficient 0 for 'P'; it must be between 1 and 65536"});
}

TEST(SpecErrors, ProblemTwoOutputs) {
  expect_errors(problem, kDir + "problem_two_outputs.yaml",
                {"tests/errors/problem_two_outputs.yaml:7:41: tensor 'Z2': a second output; "
                 "tensor 'Z1' is already the output and an Einsum has exactly one"});
}

TEST(SpecErrors, ProblemTooBig) {
  expect_errors(problem, kDir + "problem_too_big.yaml",
                {"tests/errors/problem_too_big.yaml:2:3: problem 'huge': the bounds multiply to "
                 "4.612e+18 MACs, at most 1125899906842624 (2^50) are supported",
                 "tests/errors/problem_too_big.yaml:2:3: tensor 'Outputs': would hold 4.612e+18 "
                 "elements, at most 1125899906842624 (2^50) are supported"});
}

TEST(SpecErrors, ProblemRulesOfWorkloadCheckArePlacedAtTheTensor) {
  expect_errors(
      problem, kDir + "problem_check.yaml",
      {"tests/errors/problem_check.yaml:6:7: tensor 'A': dimension 'M' appears in more "
       "than one index; each dimension may index a tensor once",
       "tests/errors/problem_check.yaml:8:7: tensor 'Z': index 1 ('2*M') of the output must "
       "be a single dimension with coefficient 1"});
}

TEST(SpecErrors, ArchUnknownKey) {
  expect_errors(architecture, kDir + "arch_unknown_key.yaml",
                {"tests/errors/arch_unknown_key.yaml:11:7: level 'GLB': unknown key 'widht'; " +
                 kLevelKeys});
}

TEST(SpecErrors, ArchUnknownClass) {
  expect_errors(architecture, kDir + "arch_unknown_class.yaml",
                {"tests/errors/arch_unknown_class.yaml:7:14: level 'Flash': class 'NAND' is not "
                 "known; known classes are DRAM, SRAM, regfile, buffer, storage"});
}

TEST(SpecErrors, ArchTechnologyAndOnChipUnboundedAreRefused) {
  expect_errors(architecture, kDir + "arch_unbounded_sram.yaml",
                {"tests/errors/arch_unbounded_sram.yaml:5:15: architecture 'small': technology "
                 "'7nm' is not supported: the built-in energy and area table is for 45nm "
                 "(docs/model.md); leave it out or write 45nm",
                 "tests/errors/arch_unbounded_sram.yaml:12:17: level 'GLB': capacity 'unbounded' "
                 "is for DRAM only: an on-chip level's energy and area follow from its capacity; "
                 "give it in words"});
}

TEST(SpecErrors, ArchWidthNotAMultipleOfWordBits) {
  expect_errors(architecture, kDir + "arch_width.yaml",
                {"tests/errors/arch_width.yaml:11:14: level 'GLB': width 96 is not a multiple of "
                 "word_bits (64)"});
}

TEST(SpecErrors, ArchMeshDoesNotDivideInstances) {
  expect_errors(architecture, kDir + "arch_mesh.yaml",
                {"tests/errors/arch_mesh.yaml:10:15: level 'spad': mesh_x 5 does not divide "
                 "instances (168)"});
}

TEST(SpecErrors, ArchRulesOfArchCheckArePlacedAtTheObject) {
  expect_errors(architecture, kDir + "arch_mesh_parent.yaml",
                {"tests/errors/arch_mesh_parent.yaml:13:5: compute 'MAC': its 2x6 mesh is not a "
                 "whole multiple of the 3x4 mesh of level 'buf' above it"});
}

TEST(SpecErrors, MappingUnknownLevel) {
  expect_errors(load_alexnet_mapping, kDir + "mapping_unknown_level.yaml",
                {"tests/errors/mapping_unknown_level.yaml:2:12: mapping entry #1: unknown level "
                 "'GlobalBuffer'; the architecture's levels are psum_spad, weights_spad, "
                 "ifmap_spad, shared_glb, DRAM"});
}

TEST(SpecErrors, MappingUnknownDimension) {
  expect_errors(load_alexnet_mapping, kDir + "mapping_unknown_dim.yaml",
                {"tests/errors/mapping_unknown_dim.yaml:3:21: level 'DRAM': temporal: unknown "
                 "dimension 'X' in 'X=55'; dimensions are R, S, P, Q, C, K, N"});
}

TEST(SpecErrors, MappingMalformedFactor) {
  const std::string rule = "is malformed; write DIM=N with N a positive integer, e.g. C=3";
  expect_errors(load_alexnet_mapping, kDir + "mapping_bad_factor.yaml",
                {"tests/errors/mapping_bad_factor.yaml:3:15: level 'DRAM': temporal: factor 'C=x' " + rule,
                 "tests/errors/mapping_bad_factor.yaml:3:15: level 'DRAM': temporal: factor 'K' " + rule,
                 "tests/errors/mapping_bad_factor.yaml:4:17: level 'DRAM': spatial_x: factor 'K=0' "
                 "must be between 1 and 2147483648"});
}

TEST(SpecErrors, MappingKeepAndBypassBothGiven) {
  expect_errors(load_alexnet_mapping, kDir + "mapping_keep_and_bypass.yaml",
                {"tests/errors/mapping_keep_and_bypass.yaml:5:13: level 'shared_glb': give 'keep' "
                 "or 'bypass', not both",
                 "tests/errors/mapping_keep_and_bypass.yaml:7:21: level 'psum_spad': keep: unknown "
                 "tensor 'Psums'; tensors are Weights, Inputs, Outputs",
                 "tests/errors/mapping_keep_and_bypass.yaml:8:12: level 'psum_spad' is mapped "
                 "twice (first at line 6)"});
}

TEST(SpecErrors, EveryProblemOfAFileIsReportedAtOnce) {
  const std::string f = "tests/errors/arch_many_errors.yaml:";
  expect_errors(architecture, kDir + "arch_many_errors.yaml",
                {f + "7:18: level 'DRAM': word_bits must be an integer, got 'sixteen'",
                 f + "8:7: level 'GLB': missing key 'capacity'",
                 f + "10:23: level 'GLB': read_bandwidth 0 must be greater than 0 (or 'unbounded')",
                 f + "11:7: level 'GLB': unknown key 'colour'; " + kLevelKeys,
                 f + "14:17: level 'RF': capacity -16 must be at least 1",
                 f + "16:15: level 'RF': mesh_x 3 does not divide instances (8)",
                 f + "17:27: level 'RF': energy: unknown key 'wirte'; allowed keys are read, "
                     "write, update, leak, gated_read, skipped_read, gated_update, "
                     "skipped_update, decompression, compression",
                 f + "19:19: compute 'MAC': operand_bits 1000 must be at most 256"});
}

TEST(SpecErrors, ConstraintsEveryMistakeAtOnce) {
  expect_errors(
      constraints, kDir + "constraints_many_errors.yaml",
      {"tests/errors/constraints_many_errors.yaml:3:20: constraints: min_utilization 2 must be at "
       "most 1",
       "tests/errors/constraints_many_errors.yaml:5:14: level 'GLB': unknown level; the "
       "architecture's levels are psum_spad, weights_spad, ifmap_spad, shared_glb, DRAM",
       "tests/errors/constraints_many_errors.yaml:7:22: level 'DRAM': innermost: unknown "
       "dimension 'Z'; dimensions are R, S, P, Q, C, K, N",
       "tests/errors/constraints_many_errors.yaml:8:17: level 'DRAM': temporal: factor K=5 "
       "does not divide the bound 128",
       "tests/errors/constraints_many_errors.yaml:9:7: level 'DRAM': unknown key 'colour'; "
       "allowed keys are level, keep, bypass, temporal, temporal_max, spatial, spatial_x, "
       "spatial_y, innermost",
       "tests/errors/constraints_many_errors.yaml:11:13: level 'shared_glb': keep: Weights, "
       "which this level of the architecture cannot hold"});
}

}  // namespace
}  // namespace outpace::io
