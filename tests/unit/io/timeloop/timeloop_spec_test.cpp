// Timeloop specs: the inputs under inputs/ (written for these tests with the settings of
// the public Timeloop/Accelergy exercises: the toy 1-D convolution and the Eyeriss-like AlexNet
// conv1) read into Outpace's types, evaluated, and compared
// with timeloop-model's own figures for them (timeloop-model.stats.txt of those runs, quoted
// in each test).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "io/timeloop/timeloop_spec.hpp"
#include "model/evaluate.hpp"

namespace outpace::io {
namespace {

const std::string kInputs = std::string(OUTPACE_SOURCE_DIR) + "/tests/unit/io/timeloop/inputs/";
const std::string kB = kInputs + "eyeriss_alexnet1/";
const std::string kA = kInputs + "toy_conv1d/";

std::vector<std::string> case_b_files() {
  return {kB + "eyeriss_like.yaml", kB + "components/smartbuffer_RF.yaml",
          kB + "components/smartbuffer_SRAM.yaml", kB + "AlexNet_layer1.yaml",
          kB + "map_ref2022.yaml", kB + "ERT.yaml"};
}

/// Per-instance reads, fills, updates of one level and tensor as timeloop-model prints them.
struct Expected {
  const char* level;
  const char* tensor;
  std::int64_t reads, fills, updates;
};

void expect_counts(const TimeloopSpec& s, const model::Result& r, const std::vector<Expected>& want) {
  for (const Expected& w : want) {
    const int l = s.arch->level_index(w.level), t = s.problem->tensor_index(w.tensor);
    ASSERT_GE(l, 0) << w.level;
    ASSERT_GE(t, 0) << w.tensor;
    const model::TensorStats& ts = r.levels[l].tensors[t];
    const std::int64_t n = r.levels[l].used_instances;
    EXPECT_TRUE(ts.kept) << w.level << " " << w.tensor;
    EXPECT_EQ(ts.reads, w.reads * n) << w.level << " " << w.tensor << " reads";
    EXPECT_EQ(ts.fills, w.fills * n) << w.level << " " << w.tensor << " fills";
    EXPECT_EQ(ts.updates, w.updates * n) << w.level << " " << w.tensor << " updates";
  }
}

TEST(TimeloopSpec, EyerissAlexNetReadsTheExerciseFiles) {
  const TimeloopSpec s = load_timeloop(case_b_files());
  ASSERT_TRUE(s.problem && s.arch && s.mapping);
  const workload::Einsum& e = *s.problem;
  EXPECT_EQ(e.dim_names, (std::vector<std::string>{"C", "M", "R", "S", "N", "P", "Q"}));
  EXPECT_EQ(e.macs(), 105415200);
  const workload::Tensor& in = e.tensors[e.tensor_index("Inputs")];
  ASSERT_EQ(in.dims.size(), 4u);  // N, C, R + 4P, S + 4Q
  EXPECT_EQ(in.dims[2].terms[1], (workload::Term{e.dim_index("P"), 4}));
  EXPECT_TRUE(e.tensors[e.output_index()].name == "Outputs");

  const arch::Arch& a = *s.arch;
  ASSERT_EQ(a.num_levels(), 6);
  const char* inner_first[] = {"psum_spad", "weights_spad", "ifmap_spad", "DummyBuffer",
                               "shared_glb", "DRAM"};
  for (int l = 0; l < 6; ++l) EXPECT_EQ(a.levels[l].name, inner_first[l]);
  EXPECT_EQ(a.levels[0].capacity_words, 16);
  EXPECT_EQ(a.levels[0].instances, 168);
  EXPECT_EQ(a.levels[0].mesh_x, 14);
  EXPECT_EQ(a.levels[3].instances, 14);  // DummyBuffer[0..13]
  EXPECT_EQ(a.levels[4].capacity_words, 65536);  // 16384 deep x 4 words
  EXPECT_EQ(a.levels[4].block_size, 4);
  EXPECT_FALSE(a.levels[5].capacity_words.has_value());
  EXPECT_EQ(a.compute.instances, 168);
  EXPECT_EQ(a.compute.mesh_x, 14);
  EXPECT_EQ(a.technology, "45nm");
  // ERT: the most expensive variant of read / write; mac_random for the MAC.
  EXPECT_DOUBLE_EQ(a.levels[4].energy.read_pj, 74.144);
  EXPECT_DOUBLE_EQ(a.levels[4].energy.write_pj, 75.215);
  EXPECT_DOUBLE_EQ(a.levels[4].energy.update_pj, 75.215);
  EXPECT_DOUBLE_EQ(a.levels[5].energy.read_pj, 512);
  EXPECT_DOUBLE_EQ(a.compute.mac_energy_pj, 2.2);

  const mapping::Mapping& m = *s.mapping;
  const int M = e.dim_index("M"), S = e.dim_index("S"), C = e.dim_index("C"), Q = e.dim_index("Q");
  EXPECT_EQ(m.levels[5].temporal, (FixedVector<mapping::TemporalLoop, kMaxDims>{{C, 3}, {Q, 55}}));
  EXPECT_EQ(m.levels[4].spatial,
            (FixedVector<mapping::SpatialLoop, 2 * kMaxDims>{{M, 12, mapping::Axis::X}}));
  EXPECT_EQ(m.levels[3].spatial,
            (FixedVector<mapping::SpatialLoop, 2 * kMaxDims>{{S, 11, mapping::Axis::Y}}));
  EXPECT_EQ(m.levels[3].keep, 0u);
  EXPECT_EQ(m.levels[0].keep, 1u << e.output_index());
}

// Source: timeloop-model v3.0.3's stats (timeloop-model.stats.txt) on these settings
// (timeloop-model eyeriss_like.yaml components/*.yaml AlexNet_layer1.yaml map_ref2022.yaml
// ERT.yaml): Energy 859.79 uJ, 8156.20 fJ/compute, cycles 798600.
TEST(TimeloopSpec, EyerissAlexNetMatchesTimeloop) {
  const TimeloopSpec s = load_timeloop(case_b_files());
  const model::Result r = model::evaluate(*s.problem, *s.arch, *s.mapping);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.cycles, 798600);
  expect_counts(s, r, {{"psum_spad", "Outputs", 774400, 48400, 798600},
                       {"weights_spad", "Weights", 798600, 14520, 0},
                       {"ifmap_spad", "Inputs", 798600, 37455, 0},
                       {"shared_glb", "Inputs", 412005, 412005, 0},
                       {"shared_glb", "Outputs", 580800, 0, 871200},
                       {"DRAM", "Weights", 1916640, 0, 0},
                       {"DRAM", "Inputs", 412005, 0, 0},
                       {"DRAM", "Outputs", 0, 0, 290400}});
  EXPECT_NEAR(r.energy_pj, 859.79e6, 859.79e6 * 1e-3);
  EXPECT_NEAR(r.energy_per_mac_pj(), 8.156, 8.156 * 1e-3);
}

// Source: timeloop-model v3.0.3's stats (timeloop-model.stats.txt) on these settings
// (timeloop-model 3level.arch.yaml conv1d+oc.prob.yaml conv1d+oc-3level.map.yaml ERT.yaml).
TEST(TimeloopSpec, ToyConv1dMatchesTimeloopCounts) {
  const TimeloopSpec s = load_timeloop({kA + "3level.arch.yaml", kA + "conv1d+oc.prob.yaml",
                                        kA + "conv1d+oc-3level.map.yaml", kA + "ERT.yaml"});
  const model::Result r = model::evaluate(*s.problem, *s.arch, *s.mapping);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.cycles, 1536);
  expect_counts(s, r, {{"RegisterFile", "Weights", 1536, 96, 0},
                       {"RegisterFile", "Inputs", 1536, 288, 0},
                       {"RegisterFile", "Outputs", 1024, 0, 1536},
                       {"GlobalBuffer", "Weights", 96, 96, 0},
                       {"GlobalBuffer", "Inputs", 288, 18, 0},
                       {"GlobalBuffer", "Outputs", 0, 0, 512},
                       {"MainMemory", "Weights", 96, 0, 0},
                       {"MainMemory", "Inputs", 18, 0, 0},
                       {"MainMemory", "Outputs", 0, 0, 512}});
  EXPECT_DOUBLE_EQ(s.arch->compute.mac_energy_pj, 0.561);

  // timeloop-model: 47.51 nJ, 30.93 pJ/MAC (30930.22 fJ/compute). It charges
  // ceil(scalar accesses per instance / block size) vector accesses per level, data space and
  // action (src/model/buffer.cpp, ComputeVectorAccesses), which kTimeloopOptions reproduces.
  const model::Result tl = model::evaluate(*s.problem, *s.arch, *s.mapping, model::kTimeloopOptions);
  EXPECT_NEAR(tl.energy_pj / 1536, 30.93022, 1e-4);
  // Outpace's own rule divides by the block size (docs/model.md): the 18 Inputs words read from
  // MainMemory (block 32) cost 18/32 of a vector access (896 pJ less), and the buffer's 18 input
  // fills 42.13 pJ less.
  EXPECT_NEAR(r.energy_pj, tl.energy_pj - 896.0 - 42.13, 0.05);
}

TEST(TimeloopSpec, WrittenMappingReadsBackEqual) {
  const TimeloopSpec s = load_timeloop(case_b_files());
  const std::string text = write_timeloop_mapping(*s.problem, *s.arch, *s.mapping);
  const std::filesystem::path tmp =
      std::filesystem::temp_directory_path() / ("outpace_tl_map_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(tmp) << text;
  std::vector<std::string> files = case_b_files();
  files[4] = tmp.string();
  const TimeloopSpec back = load_timeloop(files);
  std::filesystem::remove(tmp);
  ASSERT_TRUE(back.mapping.has_value()) << text;
  for (int l = 0; l < s.arch->num_levels(); ++l)
    EXPECT_EQ(back.mapping->levels[l], s.mapping->levels[l]) << s.arch->levels[l].name << "\n" << text;
}

}  // namespace
}  // namespace outpace::io
