// Bad architecture specs: classes, capacities, word bits, widths, bandwidths, instances and
// meshes, energies, areas, technology, the compute section and unknown keys.
#include "reliability/cases.hpp"

namespace outpace::reliability {
namespace {

const std::string kGemm = "problem:\n  name: tiny_gemm\n  gemm: {M: 8, N: 4, K: 6}\n";

/// An architecture file a.yaml, `body` after its first two lines ("architecture:", "  name: t"),
/// given to `map` with a small GEMM; the architecture is refused before any search.
Case arch(std::string name, const std::string& body, std::string line) {
  return {std::move(name),
          {{"a.yaml", "architecture:\n  name: t\n" + body}, {"g.yaml", kGemm}},
          "map --arch a.yaml --problem g.yaml",
          2,
          std::move(line)};
}

/// Levels DRAM (lines 4-5) and RF (lines 6-7, class regfile), then `rf` for RF from line 8.
Case rf(std::string name, const std::string& rf, std::string line) {
  return arch(std::move(name),
              "  levels:\n    - name: DRAM\n      class: DRAM\n    - name: RF\n"
              "      class: regfile\n" +
                  rf,
              std::move(line));
}

/// Levels DRAM and RF (capacity 64, lines 4-8), then `compute` from line 9.
Case compute(std::string name, const std::string& compute, std::string line) {
  return rf(std::move(name), "      capacity: 64\n" + compute, std::move(line));
}

}  // namespace

std::vector<Case> arch_cases() {
  return {
      // classes and names
      arch("arch_unknown_class",
           "  levels:\n    - name: DRAM\n      class: DRAM\n    - name: RF\n      class: flipflop\n"
           "      capacity: 64\n",
           "a.yaml:7:14: level 'RF': class 'flipflop' is not known; known classes are DRAM, SRAM, "
           "regfile, buffer, storage"),
      // sparse features: their shape when read, their tensors when evaluated with a layer
      rf("arch_sparse_gating_not_a_list", "      capacity: 64\n      sparse: {gating: 3}\n",
         "a.yaml:9:24: level 'RF': sparse: gating must be a list of {target, condition}, got '3'"),
      rf("arch_sparse_condition_empty",
         "      capacity: 64\n      sparse:\n        gating: [{target: Weights, condition: []}]\n",
         "a.yaml:10:47: level 'RF': sparse: gating: condition must name at least one tensor"),
      {"arch_sparse_unknown_tensor",
       {{"a.yaml",
         "architecture:\n  name: t\n  levels:\n    - name: DRAM\n      class: DRAM\n"
         "    - name: RF\n      class: regfile\n      capacity: 64\n      sparse:\n"
         "        skipping: [{target: Weights, condition: [Q]}]\n"},
        {"g.yaml", kGemm},
        {"m.yaml", "mapping:\n  - level: DRAM\n    temporal: [M=8, N=4, K=6]\n"}},
       "eval --arch a.yaml --problem g.yaml --mapping m.yaml",
       2,
       "a.yaml:10:20: level 'RF': sparse: skipping: condition: 'Q' is no tensor of layer "
       "'tiny_gemm' (Inputs, Weights, Outputs)"},
      rf("arch_level_name_twice",
         "      capacity: 64\n    - name: DRAM\n      class: SRAM\n"
         "      capacity: 64\n",
         "a.yaml:9:13: level 'DRAM': name used twice (first at line 4)"),
      rf("arch_level_without_name", "      capacity: 64\n    - class: regfile\n      capacity: 8\n",
         "a.yaml:9:7: level #3: missing key 'name'"),
      // capacities
      rf("arch_regfile_without_capacity", "", "a.yaml:6:7: level 'RF': missing key 'capacity'"),
      rf("arch_capacity_zero", "      capacity: 0\n",
         "a.yaml:8:17: level 'RF': capacity 0 must be at least 1"),
      rf("arch_capacity_unbounded_on_chip", "      capacity: unbounded\n",
         "a.yaml:8:17: level 'RF': capacity 'unbounded' is for DRAM only: an on-chip level's "
         "energy and area follow from its capacity; give it in words"),
      rf("arch_capacity_past_2_50", "      capacity: 2000000000000000\n",
         "a.yaml:8:17: level 'RF': capacity 2000000000000000 must be at most 1125899906842624"),
      arch("arch_dram_negative_capacity",
           "  levels:\n    - name: DRAM\n      class: DRAM\n      capacity: -1\n",
           "a.yaml:6:17: level 'DRAM': capacity -1 must be at least 1"),
      // word bits, widths, block sizes
      rf("arch_word_bits_zero", "      capacity: 64\n      word_bits: 0\n",
         "a.yaml:9:18: level 'RF': word_bits 0 must be at least 1"),
      rf("arch_word_bits_too_many", "      capacity: 64\n      word_bits: 5000\n",
         "a.yaml:9:18: level 'RF': word_bits 5000 must be at most 4096"),
      arch("arch_word_bits_fraction",
           "  levels:\n    - name: DRAM\n      class: DRAM\n      word_bits: 16.5\n",
           "a.yaml:6:18: level 'DRAM': word_bits must be an integer, got '16.5'"),
      rf("arch_width_not_multiple", "      capacity: 64\n      word_bits: 16\n      width: 40\n",
         "a.yaml:10:14: level 'RF': width 40 is not a multiple of word_bits (16)"),
      rf("arch_width_and_block_size", "      capacity: 64\n      width: 32\n      block_size: 2\n",
         "a.yaml:9:14: level 'RF': give 'block_size' or 'width', not both"),
      rf("arch_block_size_too_large", "      capacity: 64\n      block_size: 70000\n",
         "a.yaml:9:19: level 'RF': block_size 70000 must be at most 65536"),
      // bandwidths
      rf("arch_read_bandwidth_zero", "      capacity: 64\n      read_bandwidth: 0\n",
         "a.yaml:9:23: level 'RF': read_bandwidth 0 must be greater than 0 (or 'unbounded')"),
      rf("arch_read_bandwidth_negative", "      capacity: 64\n      read_bandwidth: -2\n",
         "a.yaml:9:23: level 'RF': read_bandwidth -2 must be greater than 0 (or 'unbounded')"),
      arch("arch_empty_level_list", "  levels: []\n",
           "a.yaml:3:11: architecture 't': levels must be a list of storage levels, outermost "
           "first; got an empty list"),
      rf("arch_write_bandwidth_below_1e_18", "      capacity: 64\n      write_bandwidth: 1e-19\n",
         "a.yaml:9:24: level 'RF': write_bandwidth 1e-19 must be a decimal of at most 18 "
         "significant digits, at least 1e-18"),
      rf("arch_write_bandwidth_19_digits",
         "      capacity: 64\n      write_bandwidth: 0.1234567890123456789\n",
         "a.yaml:9:24: level 'RF': write_bandwidth 0.1234567890123456789 must be a decimal of at "
         "most 18 significant digits, at least 1e-18"),
      rf("arch_update_bandwidth_word", "      capacity: 64\n      update_bandwidth: fast\n",
         "a.yaml:9:25: level 'RF': update_bandwidth must be a positive number or 'unbounded', "
         "got 'fast'"),
      rf("arch_read_bandwidth_nan", "      capacity: 64\n      read_bandwidth: .nan\n",
         "a.yaml:9:23: level 'RF': read_bandwidth must be a positive number or 'unbounded', got "
         "'.nan'"),
      // past a double's range: the rule the number breaks, not "must be a number"
      rf("arch_read_bandwidth_past_double", "      capacity: 64\n      read_bandwidth: 1e400\n",
         "a.yaml:9:23: level 'RF': read_bandwidth 1e400 must be at most 1e+15"),
      rf("arch_read_bandwidth_negative_past_double",
         "      capacity: 64\n      read_bandwidth: -1e400\n",
         "a.yaml:9:23: level 'RF': read_bandwidth -1e400 must be greater than 0 (or 'unbounded')"),
      rf("arch_write_bandwidth_below_double", "      capacity: 64\n      write_bandwidth: 1e-400\n",
         "a.yaml:9:24: level 'RF': write_bandwidth 1e-400 must be a decimal of at most 18 "
         "significant digits, at least 1e-18"),
      rf("arch_area_below_double", "      capacity: 64\n      area: 1e-400\n",
         "a.yaml:9:13: level 'RF': area 1e-400 is too close to 0 to be held as a number (the "
         "smallest magnitude held is about 2.2e-308)"),
      // instances and meshes
      rf("arch_instances_zero", "      capacity: 64\n      instances: 0\n",
         "a.yaml:9:18: level 'RF': instances 0 must be at least 1"),
      arch("arch_instances_trailing_underscore",
           "  levels:\n    - name: DRAM\n      class: DRAM\n      instances: 1_000_\n",
           "a.yaml:6:18: level 'DRAM': instances must be an integer, got '1_000_'"),
      rf("arch_mesh_x_does_not_divide", "      capacity: 64\n      instances: 6\n      mesh_x: 4\n",
         "a.yaml:10:15: level 'RF': mesh_x 4 does not divide instances (6)"),
      rf("arch_mesh_not_multiple_of_parent",
         "      capacity: 64\n      instances: 4\n      mesh_x: 4\n  compute:\n    instances: 6\n"
         "    mesh_x: 6\n",
         "a.yaml:12:5: compute 'MAC': its 6x1 mesh is not a whole multiple of the 4x1 mesh of "
         "level 'RF' above it"),
      rf("arch_fewer_macs_than_instances",
         "      capacity: 64\n      instances: 4\n  compute:\n    instances: 2\n",
         "a.yaml:11:5: compute 'MAC': its 2x1 mesh is not a whole multiple of the 4x1 mesh of "
         "level 'RF' above it"),
      // energies and areas
      rf("arch_energy_negative", "      capacity: 64\n      energy: {read: -1}\n",
         "a.yaml:9:22: level 'RF': energy: read -1 must be at least 0"),
      rf("arch_energy_unknown_action", "      capacity: 64\n      energy: {red: 1}\n",
         "a.yaml:9:16: level 'RF': energy: unknown key 'red'; allowed keys are read, write, "
         "update, leak, gated_read, skipped_read, gated_update, skipped_update, decompression, "
         "compression"),
      arch("arch_leak_infinite",
           "  levels:\n    - name: DRAM\n      class: DRAM\n      energy: {leak: 1e400}\n",
           "a.yaml:6:22: level 'DRAM': energy: leak 1e400 must be at most 1e+15"),
      arch("arch_energy_scalar",
           "  levels:\n    - name: DRAM\n      class: DRAM\n      energy: 3\n",
           "a.yaml:6:15: level 'DRAM': energy must be a mapping of keys to values, got '3'"),
      rf("arch_area_negative", "      capacity: 64\n      area: -5\n",
         "a.yaml:9:13: level 'RF': area -5 must be at least 0"),
      // technology
      arch("arch_technology_7nm",
           "  technology: 7nm\n  levels:\n    - name: DRAM\n      class: DRAM\n",
           "a.yaml:3:15: architecture 't': technology '7nm' is not supported: the built-in energy "
           "and area table is for 45nm (docs/model.md); leave it out or write 45nm"),
      // the compute section
      compute("arch_compute_instances_zero", "  compute:\n    instances: 0\n",
              "a.yaml:10:16: compute 'MAC': instances 0 must be at least 1"),
      compute("arch_compute_operand_bits_512", "  compute:\n    operand_bits: 512\n",
              "a.yaml:10:19: compute 'MAC': operand_bits 512 must be at most 256"),
      compute("arch_compute_energy_negative", "  compute:\n    energy: -1\n",
              "a.yaml:10:13: compute 'MAC': energy -1 must be at least 0"),
      compute("arch_compute_mesh_x_does_not_divide",
              "  compute:\n    instances: 6\n    mesh_x: 4\n",
              "a.yaml:11:13: compute 'MAC': mesh_x 4 does not divide instances (6)"),
      compute("arch_compute_unknown_key", "  compute:\n    macs: 4\n",
              "a.yaml:10:5: compute 'MAC': unknown key 'macs'; allowed keys are name, instances, "
              "mesh_x, operand_bits, energy, area, gating, skipping, gated_energy, "
              "skipped_energy"),
      // unknown keys and structure
      rf("arch_level_unknown_key", "      capacity: 64\n      widht: 16\n",
         "a.yaml:9:7: level 'RF': unknown key 'widht'; allowed keys are name, class, capacity, "
         "word_bits, block_size, width, read_bandwidth, write_bandwidth, update_bandwidth, "
         "instances, mesh_x, energy, area, sparse"),
      compute("arch_unknown_key", "  speed: 3\n",
              "a.yaml:9:3: architecture 't': unknown key 'speed'; allowed keys are name, "
              "technology, levels, compute"),
      arch("arch_missing_levels", "", "a.yaml:2:3: architecture 't': missing key 'levels'"),
      {"arch_nine_levels",
       {{"a.yaml",
         "architecture:\n  name: t\n  levels:\n    - {name: L1, class: DRAM}\n"
         "    - {name: L2, class: SRAM, capacity: 64}\n    - {name: L3, class: SRAM, capacity: "
         "64}\n"
         "    - {name: L4, class: SRAM, capacity: 64}\n    - {name: L5, class: SRAM, capacity: "
         "64}\n"
         "    - {name: L6, class: SRAM, capacity: 64}\n    - {name: L7, class: SRAM, capacity: "
         "64}\n"
         "    - {name: L8, class: SRAM, capacity: 64}\n    - {name: L9, class: SRAM, capacity: "
         "64}\n"},
        {"g.yaml", kGemm}},
       "mapspace --arch a.yaml --problem g.yaml",
       2,
       "a.yaml:4:5: architecture 't': levels: 9 levels, at most 8 are supported"},
      {"arch_is_a_list",
       {{"a.yaml", "architecture: [1, 2]\n"}, {"g.yaml", kGemm}},
       "eval --arch a.yaml --problem g.yaml --mapping g.yaml",
       2,
       "a.yaml:1:15: architecture must be a mapping of keys to values, got a list"},
  };
}

}  // namespace outpace::reliability
