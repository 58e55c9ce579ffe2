// The `outpace` command as a user runs it: output, JSON schema and exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

struct Outcome {
  int exit_code;
  std::string out;  ///< standard output, then standard error
};

Outcome run(const std::string& args, bool with_stderr = false) {
  const std::string cmd = std::string(OUTPACE_BIN) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  std::FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string example(const std::string& path) { return std::string(OUTPACE_SOURCE_DIR) + "/examples/" + path; }

const std::string kAlexNet = "--arch eyeriss --problem " + example("problems/alexnet_conv1.yaml") +
                             " --mapping " + example("mappings/eyeriss_alexnet_conv1.yaml");

/// The JSON member text of one level's tensor, e.g. the object after "name": "Weights" that
/// follows "name": "DRAM"; the writer prints one member per line, so substrings are stable.
std::string tensor_json(const std::string& json, const std::string& level, const std::string& tensor) {
  const std::size_t at_level = json.find("\"name\": \"" + level + "\"");
  const std::size_t at_tensor = json.find("\"name\": \"" + tensor + "\"", at_level);
  return json.substr(at_tensor, json.find('}', at_tensor) - at_tensor);
}

TEST(Cli, EvalJsonCarriesTimeloopsCounts) {
  const Outcome r = run("eval " + kAlexNet + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"schema\": \"outpace.eval/1\""), std::string::npos);
  EXPECT_NE(r.out.find("\"valid\": true"), std::string::npos);
  EXPECT_NE(r.out.find("\"macs\": 105415200"), std::string::npos);
  EXPECT_NE(r.out.find("\"cycles\": 798600"), std::string::npos);
  // Timeloop v3.0.3 on the same mapping (see tests/unit/model/hand_cases_test.cpp).
  const std::string dram_weights = tensor_json(r.out, "DRAM", "Weights");
  EXPECT_NE(dram_weights.find("\"reads\": 1916640,"), std::string::npos) << dram_weights;
  const std::string glb_outputs = tensor_json(r.out, "shared_glb", "Outputs");
  EXPECT_NE(glb_outputs.find("\"reads\": 580800,"), std::string::npos) << glb_outputs;
  EXPECT_NE(glb_outputs.find("\"updates\": 871200,"), std::string::npos) << glb_outputs;
}

TEST(Cli, EvalTextShowsLoopNestAndTable) {
  const Outcome r = run("eval " + kAlexNet);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("spatial_y S in [0:11)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("utilization   0.7857 (132 of 168 MACs busy)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1,916,640"), std::string::npos) << r.out;
}

TEST(Cli, InvalidMappingListsEveryReasonAndExitsOne) {
  const std::string path = testing::TempDir() + "bad_mapping.yaml";
  std::ofstream(path) << "mapping:\n  - level: shared_glb\n    spatial_x: [K=16]\n";
  const Outcome r = run("eval --arch eyeriss --problem " + example("problems/alexnet_conv1.yaml") +
                    " --mapping " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("level 'shared_glb': spatial X factors multiply to 16, fanout X is 14"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dimension 'K': factors multiply to 16, the bound is 96"), std::string::npos)
      << r.out;
}

TEST(Cli, BadInputExitsTwoWithLocatedMessage) {
  const std::string path = testing::TempDir() + "bad_problem.yaml";
  std::ofstream(path) << "problem:\n  name: x\n  gemm: {M: 4, N: -1, K: 2}\n";
  const Outcome r = run("eval --arch toy --problem " + path + " --mapping " + path, true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find(path + ":3:"), std::string::npos) << r.out;
}

TEST(Cli, EvalReadsTimeloopFilesInAnyOrder) {
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/eyeriss_rs_conv2d/";
  const Outcome r = run("eval --json --timeloop " + dir + "ERT.yaml " + dir + "mapping.yaml " + dir +
                        "problem.yaml " + dir + "arch.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"valid\": true"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"name\": \"glb\""), std::string::npos) << r.out;
}

TEST(Cli, TimeloopWithoutAMappingSaysWhichSectionIsMissing) {
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/eyeriss_rs_conv2d/";
  const Outcome r = run("eval --timeloop " + dir + "arch.yaml " + dir + "problem.yaml", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--timeloop: no file gives the 'mapping:' section"), std::string::npos) << r.out;
}

TEST(Cli, UnknownOptionExitsTwo) { EXPECT_EQ(run("eval --nope").exit_code, 2); }


// ---- map and mapspace ----

const std::string kTinyGemm = std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/tiny_gemm.yaml";

TEST(Cli, MapExhaustiveProvesOptimalityAndWritesJson) {
  const Outcome r = run("map --arch toy --problem " + kTinyGemm + " --strategy exhaustive --threads 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* member : {"\"schema\": \"outpace.map/1\"", "\"proven_optimal\": true", "\"objective\": \"edp\"",
                             "\"mapping\": [", "\"lower_bound\": ", "\"search\": {", "\"strategy\": \"exhaustive\"",
                             "\"threads\": 2", "\"valid\": true"})
    EXPECT_NE(r.out.find(member), std::string::npos) << member << "\n" << r.out;
}

TEST(Cli, MapIsDeterministicForASeedAndThreadCount) {
  const std::string args = "map --arch toy --problem " + kTinyGemm + " --strategy annealing --threads 2 --seed 7";
  const Outcome a = run(args), b = run(args);
  ASSERT_EQ(a.exit_code, 0) << a.out;
  // Everything but the search statistics (wall time) is the same.
  EXPECT_EQ(a.out.substr(0, a.out.find("search:")), b.out.substr(0, b.out.find("search:")));
}

TEST(Cli, MapTextShowsTheLoopNestReportAndSearch) {
  const Outcome r = run("map --arch toy --problem " + kTinyGemm + " --strategy exhaustive");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* text : {"MainMemory: keeps", "pJ/MAC", "search: exhaustive, objective edp",
                           "proven optimal: yes"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
}

TEST(Cli, MapStoppedByABudgetSaysItIsNotProven) {
  const Outcome r = run("map --arch toy --problem " + kTinyGemm + " --strategy exhaustive --max-evaluations 100");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("proven optimal: no (stopped early: a budget or Ctrl-C); lower bound"), std::string::npos) << r.out;
}

TEST(Cli, MapRejectsBadOptionsWithTheRule) {
  const Outcome objective = run("map --arch toy --problem " + kTinyGemm + " --objective speed", true);
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_NE(objective.out.find("--objective: unknown objective 'speed' (energy, delay, edp, ed2p, "
                               "energy,delay, delay,energy, energy^A*delay^B)"),
            std::string::npos)
      << objective.out;
  const Outcome layer = run("map --arch eyeriss --layer resnet50.nope", true);
  EXPECT_EQ(layer.exit_code, 2);
  EXPECT_NE(layer.out.find("--layer: unknown layer 'resnet50.nope'"), std::string::npos) << layer.out;
  const Outcome limit = run("map --arch toy --problem " + kTinyGemm + " --time-limit soon", true);
  EXPECT_EQ(limit.exit_code, 2);
  EXPECT_NE(limit.out.find("--time-limit: 'soon' is not a duration (e.g. 30s, 2m, 500ms)"), std::string::npos)
      << limit.out;
}

TEST(Cli, MapOfAZooLayer) {
  const Outcome r = run("map --arch eyeriss --layer resnet50.conv3_1b --max-evaluations 2000 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"layer\": \"resnet50.conv3_1b\""), std::string::npos) << r.out;
}

TEST(Cli, MapReadsTimeloopFilesAndWritesAMappingTimeloopReads) {
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/toy_1pe_conv1d/";
  const std::string files = dir + "ERT.yaml " + dir + "problem.yaml " + dir + "arch.yaml";
  const std::string written = ::testing::TempDir() + "outpace_map_timeloop_mapping.yaml";
  const Outcome found = run("map --timeloop " + files + " --strategy exhaustive --json --timeloop-mapping " + written);
  ASSERT_EQ(found.exit_code, 0) << found.out;
  EXPECT_NE(found.out.find("\"proven_optimal\": true"), std::string::npos) << found.out;
  // The written file, read back as Timeloop's mapping, evaluates to the same figures.
  const Outcome again = run("eval --json --timeloop " + files + " " + written);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  for (const char* key : {"\"energy_pj\": ", "\"cycles\": "}) {
    const auto value = [&](const std::string& json) {
      const std::size_t at = json.find(key);
      return json.substr(at, json.find('\n', at) - at);
    };
    EXPECT_EQ(value(found.out), value(again.out)) << key;
  }
}

TEST(Cli, MapTimeloopNeedsAProblem) {
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/toy_1pe_conv1d/";
  const Outcome r = run("map --timeloop " + dir + "arch.yaml " + dir + "ERT.yaml", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--timeloop: no file gives the 'problem:' section"), std::string::npos) << r.out;
}

TEST(Cli, MapFollowsAConstraintsFile) {
  const std::string file = std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/tiny_gemm_constraints.yaml";
  const Outcome r = run("map --arch toy --problem " + kTinyGemm + " --constraints " + file + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Levels are listed outermost first: main memory's innermost loop is N, with all of N.
  const std::size_t level = r.out.find("\"level\": \"MainMemory\"");
  ASSERT_NE(level, std::string::npos) << r.out;
  const std::size_t dim = r.out.find("\"dim\": ", level);
  const std::string want_dim = "\"dim\": \"N\"", want_factor = "\"factor\": 4\n";
  EXPECT_EQ(r.out.substr(dim, want_dim.size()), want_dim) << r.out.substr(level, 200);
  EXPECT_EQ(r.out.substr(r.out.find("\"factor\": ", dim), want_factor.size()), want_factor)
      << r.out.substr(level, 200);
}

TEST(Cli, NetListsTheLayersOutpaceSees) {
  const Outcome r = run("net --net resnet50");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Totals from the zoo's tests (docs/zoo.md): 54 layers, 4,089,184,256 MACs.
  EXPECT_NE(r.out.find("network resnet50: 54 layers, 54 with repeats, 4,089,184,256 MACs"), std::string::npos)
      << r.out;
  const Outcome bad = run("net --net nope", true);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("--net: unknown network 'nope'; the built-in ones are alexnet, vgg16, resnet50, "
                         "mobilenet_v2, bert_base, dlrm, gcn_cora"),
            std::string::npos)
      << bad.out;
}

TEST(Cli, MapspaceHistogramReportsTheSpread) {
  const Outcome r = run("mapspace --arch toy --problem " + kTinyGemm + " --histogram 200 --seed 3");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* text : {"quality of uniformly drawn valid mappings: 200 valid of ", "energy pJ  min ",
                           "EDP pJ*cycles  min ", "within the best 5%: "})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  EXPECT_EQ(r.out, run("mapspace --arch toy --problem " + kTinyGemm + " --histogram 200 --seed 3").out);
}

TEST(Cli, MapspacePrintsEveryPruningStep) {
  const Outcome r = run("mapspace --arch toy --problem " + kTinyGemm);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* text : {"every factorization, order, axis and bypass", "allowed by the constraints",
                           "within every fanout and capacity", "distinct (unit loops, equivalent orders/axes)"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
}

}  // namespace
