// Bad Timeloop files (eval and map --timeloop): architecture, problem, mapping, ERT, mapspace
// constraints and the file list. Each case changes one piece of text of a valid set of files:
// the toy 1-D convolution of the public Timeloop exercises on its 3-level design.
#include "reliability/cases.hpp"

namespace outpace::reliability {
namespace {

const std::string kArch = R"(architecture:
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
      - name: pe
        local:
        - name: RegisterFile
          class: regfile
          attributes: {word-bits: 8, block-size: 1, width: 8, depth: 64}
        - name: MACC
          class: intmac
          attributes: {datawidth: 8}
)";

const std::string kProblem = R"(problem:
  instance: {K: 32, R: 3, P: 16}
  shape:
    name: conv1d
    dimensions: [K, R, P]
    data-spaces:
    - {name: Weights, projection: [[[K]], [[R]]]}
    - {name: Inputs, projection: [[[R], [P]]]}
    - {name: Outputs, projection: [[[K]], [[P]]], read-write: true}
)";

const std::string kMapping = R"(mapping:
- {target: MainMemory, type: temporal, factors: K=1 R=1 P=1, permutation: PRK}
- {target: GlobalBuffer, type: temporal, factors: K=16 R=1 P=16, permutation: PRK}
- {target: RegisterFile, type: temporal, factors: K=2 R=3 P=1, permutation: RPK}
)";

const std::string kErt = R"(ERT:
  version: 0.3
  tables:
  - name: acc.MainMemory
    actions:
    - {name: read, energy: 2048}
    - {name: write, energy: 2048}
  - name: acc.chip.pe.MACC
    actions:
    - {name: mac_random, energy: 0.561}
)";

const std::string kConstraints =
    "constraints:\n- {target: GlobalBuffer, type: temporal, factors: K=16}\n";

const std::string kEval = "eval --timeloop arch.yaml prob.yaml map.yaml ert.yaml";
const std::string kMap = "map --timeloop arch.yaml prob.yaml cons.yaml ert.yaml";

/// The valid files with the first `from` in `file` replaced by `to`, run with `command`.
Case changed(std::string name, const std::string& file, const std::string& from,
             const std::string& to, std::string line, const std::string& command = kEval) {
  std::vector<std::pair<std::string, std::string>> files = {{"arch.yaml", kArch},
                                                            {"prob.yaml", kProblem},
                                                            {"map.yaml", kMapping},
                                                            {"ert.yaml", kErt},
                                                            {"cons.yaml", kConstraints}};
  bool replaced = false;
  for (auto& [path, text] : files)
    if (path == file && text.find(from) != std::string::npos) {
      text.replace(text.find(from), from.size(), to);
      replaced = true;
    }
  // A slip in the table itself fails its case with this line instead of testing nothing.
  if (!replaced) line = "(table error: '" + from + "' is not in " + file + ")";
  return {std::move(name), std::move(files), command, 2, std::move(line)};
}

}  // namespace

std::vector<Case> timeloop_cases() {
  return {
      // architecture
      changed("timeloop_unknown_class", "arch.yaml", "class: regfile", "class: flipflop",
              "arch.yaml:19:18: component 'RegisterFile': class 'flipflop' is not known; a "
              "storage class contains DRAM, SRAM, regfile, smartbuffer or storage, a compute "
              "class contains mac or compute"),
      changed("timeloop_backwards_range", "arch.yaml", "- name: pe", "- name: pe[3..1]",
              "arch.yaml:16:15: subtree: bad instance range 'pe[3..1]': the last index (1) is "
              "below the first (3)"),
      // instance ranges past 2^31 (docs/timeloop.md, "Instances"), alone or multiplied
      changed("timeloop_range_past_limit", "arch.yaml", "- name: pe", "- name: pe[0..4294967296]",
              "arch.yaml:16:15: subtree: instance range 'pe[0..4294967296]' gives 4294967297 "
              "instances; at most 2147483648 (2^31) are supported"),
      changed("timeloop_range_index_past_int64", "arch.yaml", "- name: pe",
              "- name: pe[0..99999999999999999999]",
              "arch.yaml:16:15: subtree: instance range 'pe[0..99999999999999999999]': the index "
              "99999999999999999999 is past 2^63 - 1; a range gives at most 2147483648 (2^31) "
              "instances"),
      changed("timeloop_range_product_past_limit", "arch.yaml",
              "chip\n      local:\n      - name: GlobalBuffer\n        class: SRAM\n"
              "        attributes: {word-bits: 8, block-size: 32, width: 256, depth: 8192}\n"
              "      subtree:\n      - name: pe\n",
              "chip[0..65535]\n      local:\n      - name: GlobalBuffer\n        class: SRAM\n"
              "        attributes: {word-bits: 8, block-size: 32, width: 256, depth: 8192}\n"
              "      subtree:\n      - name: pe[0..65535]\n",
              "arch.yaml:16:15: subtree: instance range 'pe[0..65535]' makes 65536 x 65536 = "
              "4294967296 instances (chip[0..65535] x pe[0..65535]); at most 2147483648 (2^31) are "
              "supported"),
      changed("timeloop_component_range_product_past_limit", "arch.yaml",
              "- name: pe\n        local:\n        - name: RegisterFile",
              "- name: pe[0..65535]\n        local:\n        - name: RegisterFile[0..32768]",
              "arch.yaml:18:17: component: instance range 'RegisterFile[0..32768]' makes 65536 x "
              "32769 = 2147549184 instances (pe[0..65535] x RegisterFile[0..32768]); at most "
              "2147483648 (2^31) are supported"),
      changed("timeloop_width_not_multiple", "arch.yaml", "block-size: 1, width: 8,",
              "block-size: 1, width: 12,",
              "arch.yaml:20:60: level 'RegisterFile': width 12 is not a multiple of word-bits x "
              "block-size (8)"),
      changed("timeloop_depth_word", "arch.yaml", "depth: 64", "depth: sixty",
              "arch.yaml:20:70: level 'RegisterFile': depth must be an integer, got 'sixty'"),
      changed("timeloop_mesh_does_not_divide", "arch.yaml",
              "pe\n        local:\n        - name: RegisterFile\n          class: regfile\n"
              "          attributes: {word-bits: 8, block-size: 1, width: 8, depth: 64}",
              "pe[0..5]\n        local:\n        - name: RegisterFile\n          class: regfile\n"
              "          attributes: {word-bits: 8, block-size: 1, width: 8, depth: 64, meshX: 4}",
              "arch.yaml:20:81: level 'RegisterFile': meshX 4 does not divide its 6 instances "
              "(from the instance ranges above it): meshY, not given, would be 6 / 4; meshX x "
              "meshY must equal the instances"),
      changed("timeloop_read_bandwidth_past_double", "arch.yaml", "width: 256, depth: 8192}",
              "width: 256, depth: 8192, read_bandwidth: 1e400}",
              "arch.yaml:14:93: level 'GlobalBuffer': read_bandwidth 1e400 must be at most 1e+15"),
      changed("timeloop_tag", "arch.yaml", "version: 0.2", "version: !!float 0.2",
              "arch.yaml:2:12: YAML tag '!!float' is not supported: a spec holds plain values, "
              "lists and mappings without tags"),
      // problem
      changed("timeloop_missing_bound", "prob.yaml", "instance: {K: 32, R: 3, P: 16}",
              "instance: {K: 32, R: 3}",
              "prob.yaml:2:13: problem instance: missing the bound of dimension 'P'"),
      changed("timeloop_negative_bound", "prob.yaml", "P: 16}", "P: -16}",
              "prob.yaml:2:30: problem instance: P -16 must be at least 1"),
      changed("timeloop_no_read_write", "prob.yaml", ", read-write: true", "",
              "prob.yaml:4:5: problem shape: exactly one data space must be read-write (the "
              "output); found 0"),
      changed("timeloop_two_read_write", "prob.yaml", "[[[R], [P]]]}",
              "[[[R], [P]]], read-write: true}",
              "prob.yaml:4:5: problem shape: exactly one data space must be read-write (the "
              "output); found 2"),
      changed("timeloop_shape_by_name", "prob.yaml", "  shape:\n    name: conv1d\n",
              "  shape: cnn-layer\n  unused:\n    name: conv1d\n",
              "prob.yaml:3:10: problem: shape 'cnn-layer' is a reference to a shape file; Outpace "
              "reads only a shape written out under 'shape:'"),
      changed("timeloop_projection_unknown_dimension", "prob.yaml", "[[[R], [P]]]", "[[[R], [X]]]",
              "prob.yaml:8:42: data space 'Inputs': projection #1: unknown dimension 'X'; "
              "dimensions are K, R, P"),
      // mapping
      changed("timeloop_factor_product", "map.yaml", "K=16 R=1 P=16", "K=8 R=1 P=16",
              "map.yaml:2:1: mapping: the factors of dimension 'K' multiply to 16, but its bound "
              "in the problem is 32"),
      changed("timeloop_residual_factor", "map.yaml", "K=16 R=1 P=16", "K=16,2 R=1 P=16",
              "map.yaml:3:51: mapping entry #2: factors: 'K=16,2 R=1 P=16' is cut at its comma "
              "(inside { } a comma ends a value, leaving 'K=16' and a key '2 R=1 P=16'), and "
              "residual factors such as 'K=16,2' are not supported; write DIM=N terms separated "
              "by spaces, e.g. C=3 M=4"),
      changed("timeloop_skew_directive", "map.yaml", "type: temporal, factors: K=1",
              "type: skew, factors: K=1",
              "map.yaml:2:30: mapping entry #1: type 'skew' is not supported; types are temporal, "
              "spatial, bypass and datatype"),
      changed("timeloop_mapping_unknown_level", "map.yaml", "target: MainMemory", "target: Cache",
              "map.yaml:2:12: mapping entry #1: target: unknown level 'Cache'; the architecture's "
              "levels are MainMemory, GlobalBuffer, RegisterFile"),
      changed("timeloop_mapping_unknown_dimension", "map.yaml", "K=2 R=3 P=1", "K=2 R=3 P=1 Z=1",
              "map.yaml:4:51: mapping entry #3: factors: unknown dimension 'Z' in 'Z=1'; "
              "dimensions are K, R, P"),
      changed("timeloop_permutation_unknown_dimension", "map.yaml", "permutation: RPK",
              "permutation: RPZ",
              "map.yaml:4:77: mapping entry #3: permutation: unknown dimension 'Z' in 'RPZ'; "
              "dimensions are K, R, P"),
      changed("timeloop_keep_and_bypass", "map.yaml", "permutation: RPK}",
              "permutation: RPK}\n- {target: GlobalBuffer, type: bypass, keep: [Inputs], bypass: "
              "[Inputs]}",
              "map.yaml:5:65: mapping entry #4: data space 'Inputs' is in both keep and bypass"),
      changed("timeloop_bypass_unknown_data_space", "map.yaml", "permutation: RPK}",
              "permutation: RPK}\n- {target: GlobalBuffer, type: bypass, bypass: [Psums]}",
              "map.yaml:5:49: mapping entry #4: bypass: unknown data space 'Psums'; data spaces "
              "are Weights, Inputs, Outputs"),
      // ERT
      changed("timeloop_ert_energy_word", "ert.yaml", "energy: 2048}\n    - {name: write",
              "energy: lots}\n    - {name: write",
              "ert.yaml:6:28: ERT action 'read': energy must be a finite number, got 'lots'"),
      changed("timeloop_ert_energy_negative", "ert.yaml", "energy: 0.561", "energy: -0.561",
              "ert.yaml:10:34: ERT action 'mac_random': energy -0.561 must be at least 0"),
      // files and sections
      changed("timeloop_section_twice", "ert.yaml", "ERT:", "problem: {}\nERT:",
              "ert.yaml:1:1: section 'problem' is given twice (first at prob.yaml:1:1)"),
      changed("timeloop_no_mapping_section", "map.yaml", "", "",
              "--timeloop: no file gives the 'mapping:' section",
              "eval --timeloop arch.yaml prob.yaml ert.yaml"),
      changed("timeloop_missing_file", "map.yaml", "", "",
              "nothere.yaml: cannot open file: No such file or directory",
              "eval --timeloop arch.yaml prob.yaml map.yaml nothere.yaml"),
      // mapspace constraints (map --timeloop)
      changed("timeloop_constraint_does_not_divide", "cons.yaml", "K=16", "K=5",
              "cons.yaml:2:51: constraints entry #1: factors: factor K=5 does not divide the "
              "bound 32 of dimension 'K'",
              kMap),
      changed("timeloop_constraint_unknown_type", "cons.yaml", "type: temporal", "type: skew",
              "cons.yaml:2:32: constraints entry #1: type 'skew' is not supported; types are "
              "temporal, spatial, bypass (or datatype, dataspace), utilization and "
              "max_overbooked_proportion",
              kMap),
      changed("timeloop_constraint_unknown_target", "cons.yaml", "target: GlobalBuffer",
              "target: Cache",
              "cons.yaml:2:12: constraints entry #1: target: unknown level 'Cache'; the "
              "architecture's levels are MainMemory, GlobalBuffer, RegisterFile",
              kMap),
      changed("timeloop_constraint_bypass_outermost", "cons.yaml",
              "target: GlobalBuffer, type: temporal, factors: K=16}",
              "target: MainMemory, type: bypass, bypass: [Inputs]}",
              "cons.yaml:2:47: constraints entry #1: bypass: level 'MainMemory' is the outermost "
              "level; it must keep every data space, 'Inputs' included",
              kMap),
      changed("timeloop_constraint_utilization_not_innermost", "cons.yaml",
              "type: temporal, factors: K=16}", "type: utilization, min: 0.5}",
              "cons.yaml:2:12: constraints entry #1: a utilization constraint must target the "
              "innermost level 'RegisterFile' (it counts the whole MAC array), not "
              "'GlobalBuffer'",
              kMap),
      changed("timeloop_constraint_spatial_without_fanout", "cons.yaml", "type: temporal",
              "type: spatial",
              "cons.yaml:2:12: constraints entry #1: level 'GlobalBuffer' has no spatial fanout "
              "(each instance has one child), so it takes no spatial constraint",
              kMap),
      changed("timeloop_constraint_conflict", "cons.yaml", "factors: K=16}",
              "factors: K=16}\n- {target: GlobalBuffer, type: temporal, factors: K=8}",
              "cons.yaml:3:51: constraints entry #2: factors: temporal factor K=8 at level "
              "'GlobalBuffer' conflicts with 16 given at cons.yaml:2:51",
              kMap),
      changed("timeloop_constraint_malformed_factor", "cons.yaml", "K=16", "K=x",
              "cons.yaml:2:51: constraints entry #1: factors: factor 'K=x' is malformed; write "
              "DIM=N, DIM<=N or DIM>=N with N an integer, e.g. C=3",
              kMap),
      changed("timeloop_constraint_residual_factor", "cons.yaml", "K=16", "\"K=16,2\"",
              "cons.yaml:2:51: constraints entry #1: factors: residual factor 'K=16,2' is not "
              "supported (Timeloop would drop its ',2' without a word); write DIM=N, DIM<=N or "
              "DIM>=N with N an integer, e.g. C=3",
              kMap),
  };
}

}  // namespace outpace::reliability
