// Bad constraints files (map and mapspace --constraints): utilization, levels, tensors,
// dimensions, factors that cannot divide their bound, unknown keys and structure.
#include "reliability/cases.hpp"

namespace outpace::reliability {
namespace {

/// ResNet-50's conv3_2b shape: dimensions R S P Q C K N, C = K = 128.
const std::string kConv =
    "problem:\n  name: conv\n  conv2d: {K: 128, C: 128, P: 28, Q: 28, R: 3, S: 3}\n";

/// A constraints file k.yaml (`text`) for kConv on the Eyeriss-like preset (levels psum_spad,
/// weights_spad, ifmap_spad, shared_glb, DRAM), given to `command` (map or mapspace).
Case with(std::string name, const std::string& command, const std::string& text, std::string line) {
  return {std::move(name),
          {{"k.yaml", text}, {"c.yaml", kConv}},
          command + " --arch eyeriss --problem c.yaml --constraints k.yaml",
          2,
          std::move(line)};
}

/// A Timeloop architecture whose global buffer fans out to 4 x 4 PEs, and a 1-D convolution.
const std::string kTimeloopArch = R"(architecture:
  version: 0.2
  subtree:
  - name: acc
    local:
    - name: MainMemory
      class: DRAM
      attributes: {word-bits: 8, block-size: 32, width: 256}
    subtree:
    - name: chip
      local:
      - name: GlobalBuffer
        class: SRAM
        attributes: {word-bits: 8, block-size: 32, width: 256, depth: 8192}
      subtree:
      - name: pe[0..15]
        local:
        - name: RegisterFile
          class: regfile
          attributes: {word-bits: 8, block-size: 1, width: 8, depth: 64, meshX: 4}
        - name: MACC
          class: intmac
          attributes: {datawidth: 8, meshX: 4}
)";
const std::string kTimeloopProblem = R"(problem:
  instance: {K: 32, R: 3, P: 16}
  shape:
    name: conv1d
    dimensions: [K, R, P]
    data-spaces:
    - {name: Weights, projection: [[[K]], [[R]]]}
    - {name: Inputs, projection: [[[R], [P]]]}
    - {name: Outputs, projection: [[[K]], [[P]]], read-write: true}
)";

/// Timeloop files (arch.yaml, prob.yaml and `constraints`) given to `command`, refused.
Case timeloop(std::string name, const std::string& command,
              std::vector<std::pair<std::string, std::string>> constraints, std::string line) {
  constraints.insert(constraints.begin(),
                     {{"arch.yaml", kTimeloopArch}, {"prob.yaml", kTimeloopProblem}});
  return {std::move(name), std::move(constraints), command, 2, std::move(line)};
}

Case map(std::string name, const std::string& text, std::string line) {
  return with(std::move(name), "map", text, std::move(line));
}

/// A constraints file whose only level entry is shared_glb with `entry` from line 4.
Case glb(std::string name, const std::string& entry, std::string line) {
  return with(std::move(name), "mapspace",
              "constraints:\n  levels:\n    - level: shared_glb\n" + entry, std::move(line));
}

}  // namespace

std::vector<Case> constraints_cases() {
  return {
      // utilization
      map("constraints_utilization_above_one", "constraints:\n  min_utilization: 1.5\n",
          "k.yaml:2:20: constraints: min_utilization 1.5 must be at most 1"),
      map("constraints_utilization_negative", "constraints:\n  min_utilization: -0.1\n",
          "k.yaml:2:20: constraints: min_utilization -0.1 must be at least 0"),
      map("constraints_utilization_word", "constraints:\n  min_utilization: half\n",
          "k.yaml:2:20: constraints: min_utilization must be a finite number, got 'half'"),
      // levels
      map("constraints_unknown_level", "constraints:\n  levels:\n    - level: L9\n",
          "k.yaml:3:14: level 'L9': unknown level; the architecture's levels are psum_spad, "
          "weights_spad, ifmap_spad, shared_glb, DRAM"),
      map("constraints_entry_without_level", "constraints:\n  levels:\n    - keep: [Inputs]\n",
          "k.yaml:3:7: constraints level #1: missing key 'level'"),
      map("constraints_levels_as_mapping", "constraints:\n  levels: {level: shared_glb}\n",
          "k.yaml:2:11: constraints: levels must be a list, got a mapping"),
      // tensors and dimensions
      glb("constraints_keep_unknown_tensor", "      keep: [Input]\n",
          "k.yaml:4:14: level 'shared_glb': keep: unknown tensor 'Input'; tensors are Weights, "
          "Inputs, Outputs"),
      glb("constraints_temporal_unknown_dimension", "      temporal: \"X=2\"\n",
          "k.yaml:4:17: level 'shared_glb': temporal: unknown dimension 'X' in 'X=2'; dimensions "
          "are R, S, P, Q, C, K, N"),
      glb("constraints_spatial_x_unknown_dimension", "      spatial_x: [Z]\n",
          "k.yaml:4:19: level 'shared_glb': spatial_x: unknown dimension 'Z'; dimensions are R, "
          "S, P, Q, C, K, N"),
      glb("constraints_spatial_y_unknown_dimension", "      spatial_y: [K, Y]\n",
          "k.yaml:4:22: level 'shared_glb': spatial_y: unknown dimension 'Y'; dimensions are R, "
          "S, P, Q, C, K, N"),
      glb("constraints_innermost_unknown_dimension", "      innermost: [Z]\n",
          "k.yaml:4:19: level 'shared_glb': innermost: unknown dimension 'Z'; dimensions are R, "
          "S, P, Q, C, K, N"),
      glb("constraints_innermost_twice", "      innermost: [C, C]\n",
          "k.yaml:4:22: level 'shared_glb': innermost: dimension 'C' is given twice"),
      // factors
      glb("constraints_temporal_does_not_divide", "      temporal: \"C=3\"\n",
          "k.yaml:4:17: level 'shared_glb': temporal: factor C=3 does not divide the bound 128"),
      glb("constraints_spatial_does_not_divide", "      spatial: \"K=3\"\n",
          "k.yaml:4:16: level 'shared_glb': spatial: factor K=3 does not divide the bound 128"),
      glb("constraints_spatial_past_bound", "      spatial: \"K=4096\"\n",
          "k.yaml:4:16: level 'shared_glb': spatial: factor K=4096 does not divide the bound 128"),
      glb("constraints_temporal_max_zero", "      temporal_max: \"C=0\"\n",
          "k.yaml:4:21: level 'shared_glb': temporal_max: factor 'C=0' must be between 1 and "
          "2147483648"),
      glb("constraints_factor_malformed", "      temporal: \"C-4\"\n",
          "k.yaml:4:17: level 'shared_glb': temporal: factor 'C-4' is malformed; write DIM=N "
          "with N a positive integer, e.g. C=3"),
      glb("constraints_factor_dimension_twice", "      temporal: \"C=2 C=4\"\n",
          "k.yaml:4:17: level 'shared_glb': temporal: dimension C is given twice (2 and 4); give "
          "one factor per dimension"),
      // keep and bypass (the Eyeriss-like preset's shared_glb holds Inputs and Outputs only)
      glb("constraints_keep_and_bypass", "      keep: [Inputs]\n      bypass: [Inputs]\n",
          "k.yaml:5:15: level 'shared_glb': bypass: Inputs also in keep; a tensor is kept or "
          "bypassed, not both"),
      glb("constraints_keep_what_the_preset_bypasses", "      keep: [Weights]\n",
          "k.yaml:4:13: level 'shared_glb': keep: Weights, which this level of the architecture "
          "cannot hold"),
      glb("constraints_bypass_what_the_preset_keeps", "      bypass: [Outputs]\n",
          "k.yaml:4:15: level 'shared_glb': bypass: Outputs, which this level of the architecture "
          "must hold"),
      map("constraints_outermost_bypass",
          "constraints:\n  levels:\n    - level: DRAM\n      bypass: [Inputs]\n",
          "k.yaml:4:15: level 'DRAM': bypass: Inputs at the outermost level, which must keep every "
          "tensor"),
      map("constraints_level_twice",
          "constraints:\n  levels:\n    - level: shared_glb\n      temporal: \"C=2\"\n"
          "    - level: shared_glb\n      temporal: \"K=2\"\n",
          "k.yaml:5:7: constraints level #2: level 'shared_glb' has an entry already, on line 3; "
          "give one entry per level"),
      // read well, but no mapping can meet them: refused before the search, naming the file
      map("constraints_infeasible_capacity",
          "constraints:\n  levels:\n    - level: psum_spad\n      temporal: \"C=128 K=128\"\n",
          "k.yaml: level 'psum_spad': it must keep Outputs, whose smallest tiles under the fixed "
          "factors (C=128 K=128 at or below it) hold 128 words, more than its capacity of 16; no "
          "mapping can meet this"),
      map("constraints_infeasible_spatial_axis",
          "constraints:\n  levels:\n    - level: shared_glb\n      spatial: \"K=16\"\n",
          "k.yaml: level 'shared_glb': dimension 'K' has the fixed spatial factor 16, larger than "
          "the fanout along X (14) and along Y (12); no mapping can meet this"),
      map("constraints_infeasible_spatial_axes_together",
          "constraints:\n  levels:\n    - level: shared_glb\n      spatial: \"C=8 K=4 P=4\"\n",
          "k.yaml: level 'shared_glb': no choice of axes fits the fixed spatial factors P=4 C=8 "
          "K=4 into its fanout along X (14) and along Y (12); no mapping can meet this"),
      map("constraints_infeasible_temporal_max",
          "constraints:\n  levels:\n    - level: shared_glb\n      temporal: \"P=4\"\n"
          "      temporal_max: \"P=2\"\n",
          "k.yaml: level 'shared_glb': dimension 'P' has the fixed temporal factor 4, above its "
          "temporal_max 2 (set in the constraints or by the --dataflow preset); no mapping can "
          "meet this"),
      with("constraints_infeasible_with_dataflow", "map --dataflow rs",
           "constraints:\n  levels:\n    - level: weights_spad\n      temporal: \"R=3\"\n",
           "k.yaml: level 'weights_spad': dimension 'R' has the fixed temporal factor 3, above its "
           "temporal_max 1 (set in the constraints or by the --dataflow preset); no mapping can "
           "meet this"),
      {"constraints_infeasible_dataflow_one_pe",
       {{"c.yaml", kConv}},
       "map --arch toy --problem c.yaml --dataflow rs",
       2,
       "--dataflow: dimension 'R': no split of its bound 3 over the levels keeps within their "
       "limits (temporal at most 1 at 'RegisterFile', temporal at most 1 at 'GlobalBuffer', "
       "temporal at most 1 at 'MainMemory'; from temporal_max, the spatial axes and fanouts or "
       "the --dataflow preset); no mapping can meet this"},
      {"constraints_bound_no_level_takes",
       {{"k.yaml",
         "constraints:\n  levels:\n    - level: shared_glb\n      temporal_max: \"P=1\"\n"
         "      spatial_x: [K]\n      spatial_y: [K]\n    - level: DRAM\n"
         "      temporal_max: \"P=1\"\n    - level: ifmap_spad\n      temporal_max: \"P=1\"\n"
         "    - level: weights_spad\n      temporal_max: \"P=1\"\n    - level: psum_spad\n"
         "      temporal_max: \"P=1\"\n"},
        {"c.yaml", kConv}},
       "mapspace --arch eyeriss --problem c.yaml --constraints k.yaml",
       2,
       "k.yaml: dimension 'P': no split of its bound 28 over the levels keeps within their "
       "limits (spatial at most 1 at 'shared_glb', temporal at most 1 at 'psum_spad', temporal "
       "at most 1 at 'weights_spad', temporal at most 1 at 'ifmap_spad', temporal at most 1 at "
       "'shared_glb', temporal at most 1 at 'DRAM'; from temporal_max, the spatial axes and "
       "fanouts or the --dataflow preset); no mapping can meet this"},
      // no single rule broken, yet no mapping is valid: M = N = 14 must both spread over the
      // 14 x 12 PEs (no level loops over them); the search covers the space and says why
      {"constraints_no_valid_mapping_exists",
       {{"k.yaml",
         "constraints:\n  levels:\n    - level: psum_spad\n      temporal_max: \"M=1 N=1\"\n"
         "    - level: weights_spad\n      temporal_max: \"M=1 N=1\"\n    - level: ifmap_spad\n"
         "      temporal_max: \"M=1 N=1\"\n    - level: shared_glb\n"
         "      temporal_max: \"M=1 N=1\"\n    - level: DRAM\n      temporal_max: \"M=1 N=1\"\n"},
        {"g.yaml", "problem:\n  name: g\n  gemm: {M: 14, N: 14, K: 4}\n"}},
       "map --arch eyeriss --problem g.yaml --constraints k.yaml --threads 1",
       1,
       "no valid mapping found: none exists in the constrained space"},
      // a whole network where no layer can keep all 168 PEs busy: run says, per search, why
      {"constraints_run_says_why_a_layer_has_no_mapping",
       {{"u.yaml", "constraints:\n  min_utilization: 1.0\n"}},
       "run --net dlrm --arch eyeriss --constraints u.yaml --no-cache --threads 2",
       1,
       "layer top_fc5: no valid mapping found: none exists in the constrained space"},
      {"constraints_no_valid_mapping_not_proven_optimal",
       {{"k.yaml",
         "constraints:\n  levels:\n    - level: psum_spad\n      temporal_max: \"M=1 N=1\"\n"
         "    - level: weights_spad\n      temporal_max: \"M=1 N=1\"\n    - level: ifmap_spad\n"
         "      temporal_max: \"M=1 N=1\"\n    - level: shared_glb\n"
         "      temporal_max: \"M=1 N=1\"\n    - level: DRAM\n      temporal_max: \"M=1 N=1\"\n"},
        {"g.yaml", "problem:\n  name: g\n  gemm: {M: 14, N: 14, K: 4}\n"}},
       "map --arch eyeriss --problem g.yaml --constraints k.yaml --threads 1",
       1,
       "  no valid mapping exists in the constrained space (the search covered it)"},
      // from Timeloop files: the message names the files that hold constraints
      timeloop(
          "constraints_timeloop_infeasible_names_its_file",
          "map --timeloop arch.yaml prob.yaml cons.yaml",
          {{"cons.yaml", "constraints:\n- {target: GlobalBuffer, type: spatial, factors: K=8}\n"}},
          "cons.yaml: level 'GlobalBuffer': dimension 'K' has the fixed spatial factor 8, "
          "larger than the fanout along X (4) and along Y (4); no mapping can meet this"),
      timeloop(
          "constraints_timeloop_infeasible_names_every_file",
          "mapspace --timeloop arch.yaml prob.yaml more.yaml cons.yaml",
          {{"cons.yaml", "constraints:\n- {target: GlobalBuffer, type: spatial, factors: K=8}\n"},
           {"more.yaml",
            "mapspace_constraints:\n- {target: RegisterFile, type: temporal, factors: R=3}\n"}},
          "more.yaml and cons.yaml: level 'GlobalBuffer': dimension 'K' has the fixed spatial "
          "factor 8, larger than the fanout along X (4) and along Y (4); no mapping can meet "
          "this"),
      // unknown keys and structure
      glb("constraints_level_unknown_key", "      kep: [Weights]\n",
          "k.yaml:4:7: level 'shared_glb': unknown key 'kep'; allowed keys are level, keep, "
          "bypass, temporal, temporal_max, spatial, spatial_x, spatial_y, innermost"),
      map("constraints_unknown_key", "constraints:\n  min_util: 0.5\n",
          "k.yaml:2:3: constraints: unknown key 'min_util'; allowed keys are min_utilization, "
          "levels"),
      map("constraints_scalar", "constraints: 3\n",
          "k.yaml:1:14: constraints must be a mapping of keys to values, got '3'"),
      map("constraints_misspelt_root", "constraint:\n  levels: []\n",
          "k.yaml:1:1: unknown section 'constraint'; a spec file holds problem, architecture, "
          "mapping, constraints"),
      map("constraints_duplicate_key",
          "constraints:\n  min_utilization: 0.5\n  min_utilization: 0.6\n",
          "k.yaml:3:3: key 'min_utilization' is given twice (first at line 2)"),
  };
}

}  // namespace outpace::reliability
