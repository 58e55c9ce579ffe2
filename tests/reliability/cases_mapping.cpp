// Bad mapping specs: levels, factors, keep and bypass, unknown keys, a Timeloop mapping given
// as Outpace's, and mappings that read well but break a rule (exit 1, reasons in the report).
#include "reliability/cases.hpp"

namespace outpace::reliability {
namespace {

const std::string kGemm64 = "problem:\n  name: gemm64\n  gemm: {M: 64, N: 64, K: 64}\n";

/// A mapping file m.yaml ("mapping:" then `body` from line 2) evaluated for a 64^3 GEMM on the
/// toy preset (levels RegisterFile, GlobalBuffer, MainMemory).
Case mapping(std::string name, const std::string& body, int exit_code, std::string line,
             Stream stream = Stream::err) {
  return {std::move(name),
          {{"m.yaml", "mapping:\n" + body}, {"g.yaml", kGemm64}},
          "eval --arch toy --problem g.yaml --mapping m.yaml",
          exit_code,
          std::move(line),
          stream};
}

/// A mapping that reads well but breaks a rule: exit 1, the rule on standard output.
Case invalid(std::string name, const std::string& body, std::string line) {
  return mapping(std::move(name), body, 1, std::move(line), Stream::out);
}

}  // namespace

std::vector<Case> mapping_cases() {
  return {
      // levels
      mapping("mapping_unknown_level", "  - level: Cache\n    temporal: [K=64]\n", 2,
              "m.yaml:2:12: mapping entry #1: unknown level 'Cache'; the architecture's levels "
              "are RegisterFile, GlobalBuffer, MainMemory"),
      mapping("mapping_level_twice", "  - level: MainMemory\n  - level: MainMemory\n", 2,
              "m.yaml:3:12: level 'MainMemory' is mapped twice (first at line 2)"),
      mapping("mapping_null", "", 2,
              "m.yaml:1:9: mapping must be a list of {level, temporal, spatial_x, spatial_y, keep "
              "or bypass} entries, got nothing (null)"),
      mapping("mapping_entry_without_level", "  - temporal: [K=64]\n", 2,
              "m.yaml:2:5: mapping entry #1: missing key 'level'"),
      mapping("mapping_not_a_list", "  level: MainMemory\n", 2,
              "m.yaml:2:3: mapping must be a list of {level, temporal, spatial_x, spatial_y, keep "
              "or bypass} entries, got a mapping"),
      mapping("mapping_unknown_key", "  - level: MainMemory\n    temporl: [K=64]\n", 2,
              "m.yaml:3:5: level 'MainMemory': unknown key 'temporl'; allowed keys are level, "
              "temporal, spatial_x, spatial_y, keep, bypass"),
      // factors
      mapping("mapping_unknown_dimension", "  - level: MainMemory\n    temporal: [X=64]\n", 2,
              "m.yaml:3:16: level 'MainMemory': temporal: unknown dimension 'X' in 'X=64'; "
              "dimensions are M, N, K"),
      mapping("mapping_factor_zero", "  - level: MainMemory\n    temporal: [K=0]\n", 2,
              "m.yaml:3:16: level 'MainMemory': temporal: factor 'K=0' must be between 1 and "
              "2147483648"),
      mapping("mapping_factor_past_2_31", "  - level: MainMemory\n    temporal: [K=4294967296]\n",
              2,
              "m.yaml:3:16: level 'MainMemory': temporal: factor 'K=4294967296' must be between 1 "
              "and 2147483648"),
      mapping("mapping_factor_colon", "  - level: MainMemory\n    temporal: [K:64]\n", 2,
              "m.yaml:3:16: level 'MainMemory': temporal: factor 'K:64' is malformed; write DIM=N "
              "with N a positive integer, e.g. C=3"),
      mapping("mapping_factor_negative", "  - level: MainMemory\n    temporal: [K=-4]\n", 2,
              "m.yaml:3:16: level 'MainMemory': temporal: factor 'K=-4' is malformed; write DIM=N "
              "with N a positive integer, e.g. C=3"),
      mapping("mapping_factor_without_value", "  - level: MainMemory\n    temporal: \"K=64 N\"\n",
              2,
              "m.yaml:3:15: level 'MainMemory': temporal: factor 'N' is malformed; write DIM=N "
              "with N a positive integer, e.g. C=3"),
      mapping("mapping_spatial_factor_word", "  - level: MainMemory\n    spatial_x: [K=two]\n", 2,
              "m.yaml:3:17: level 'MainMemory': spatial_x: factor 'K=two' is malformed; write "
              "DIM=N with N a positive integer, e.g. C=3"),
      // keep and bypass
      mapping("mapping_keep_and_bypass",
              "  - level: MainMemory\n    keep: [Inputs]\n    bypass: [Weights]\n", 2,
              "m.yaml:4:13: level 'MainMemory': give 'keep' or 'bypass', not both"),
      mapping("mapping_keep_unknown_tensor", "  - level: MainMemory\n    keep: [Input]\n", 2,
              "m.yaml:3:12: level 'MainMemory': keep: unknown tensor 'Input'; tensors are Inputs, "
              "Weights, Outputs"),
      mapping("mapping_bypass_unknown_tensor", "  - level: MainMemory\n    bypass: [Psums]\n", 2,
              "m.yaml:3:14: level 'MainMemory': bypass: unknown tensor 'Psums'; tensors are "
              "Inputs, Weights, Outputs"),
      // the wrong file or format
      mapping("mapping_is_timeloop_mapping",
              "  - target: MainMemory\n    type: temporal\n    factors: K=64 M=64 N=64\n"
              "    permutation: KMN\n",
              2,
              "m.yaml:2:5: this is a Timeloop mapping (entries of target, type and factors); "
              "Outpace's own mapping lists {level, temporal, spatial_x, spatial_y, keep or "
              "bypass} entries (docs/formats.md); read a Timeloop mapping with its architecture "
              "and problem: outpace eval --timeloop ..."),
      {"mapping_file_without_mapping",
       {{"g.yaml", kGemm64}},
       "eval --arch toy --problem g.yaml --mapping g.yaml",
       2,
       "g.yaml:1:1: missing section 'mapping:'"},
      {"mapping_file_missing",
       {{"g.yaml", kGemm64}},
       "eval --arch toy --problem g.yaml --mapping nothere.yaml",
       2,
       "nothere.yaml: cannot open file: No such file or directory"},
      {"mapping_dimension_of_another_layer",
       {{"m.yaml", "mapping:\n  - level: MainMemory\n    temporal: [K=64, M=64, N=64]\n"}},
       "eval --arch toy --layer resnet50.conv1 --mapping m.yaml",
       2,
       "m.yaml:3:22: level 'MainMemory': temporal: unknown dimension 'M' in 'M=64'; dimensions "
       "are R, S, P, Q, C, K, N"},
      // read well, break a rule
      invalid("mapping_factors_short_of_bound", "  - level: MainMemory\n    temporal: [K=3]\n",
              "    - dimension 'K': factors multiply to 3, the bound is 64"),
      invalid("mapping_spatial_past_fanout", "  - level: RegisterFile\n    spatial_x: [K=64]\n",
              "    - level 'RegisterFile': spatial X factors multiply to 64, fanout X is 1"),
      invalid("mapping_outermost_bypasses",
              "  - level: MainMemory\n    temporal: [K=64, M=64, N=64]\n    bypass: [Weights]\n",
              "    - level 'MainMemory': the outermost level must keep every tensor, tensor "
              "'Weights' is bypassed"),
      invalid("mapping_tiles_past_capacity",
              "  - level: RegisterFile\n    temporal: [K=64, M=64, N=64]\n",
              "    - level 'RegisterFile': tiles need 12288 words, capacity is 64 (over by 12224)"),
  };
}

}  // namespace outpace::reliability
