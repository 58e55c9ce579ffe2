// `outpace map` and `outpace mapspace` as a user runs them: output, JSON and exit codes, and the
// optima proven under Timeloop's counting against timeloop-model's figures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "cli/cli_support.hpp"

namespace {

using namespace outpace::cli_testing;

const std::string kTinyGemm = std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/tiny_gemm.yaml";

TEST(Cli, MapExhaustiveProvesOptimalityAndWritesJson) {
  const Outcome r =
      run("map --arch toy --problem " + kTinyGemm + " --strategy exhaustive --threads 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  json j = parse(r.out);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["schema"], "outpace.map/1");
  EXPECT_EQ(j["proven_optimal"], true);
  EXPECT_EQ(j["objective"], "edp");
  EXPECT_TRUE(j["mapping"].is_array()) << r.out;
  EXPECT_TRUE(j["lower_bound"].is_number()) << r.out;
  ASSERT_TRUE(j["search"].is_object()) << r.out;
  EXPECT_EQ(j["search"]["strategy"], "exhaustive");
  EXPECT_EQ(j["search"]["threads"], 2);
  EXPECT_EQ(j["valid"], true);
}

TEST(Cli, MapIsDeterministicForASeedAndThreadCount) {
  const std::string args =
      "map --arch toy --problem " + kTinyGemm + " --strategy annealing --threads 2 --seed 7";
  const Outcome a = run(args), b = run(args);
  ASSERT_EQ(a.exit_code, 0) << a.out;
  // Everything but the search statistics (wall time) is the same.
  EXPECT_EQ(a.out.substr(0, a.out.find("search:")), b.out.substr(0, b.out.find("search:")));
}

TEST(Cli, MapTextShowsTheLoopNestReportAndSearch) {
  const Outcome r = run("map --arch toy --problem " + kTinyGemm + " --strategy exhaustive");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* text :
       {"MainMemory: keeps", "pJ/MAC", "search: exhaustive, objective edp", "proven optimal: yes"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
}

TEST(Cli, MapStoppedByABudgetSaysWhichAndThatItIsNotProven) {
  const Outcome r =
      run("map --arch toy --problem " + kTinyGemm + " --strategy exhaustive --max-evaluations 100");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("proven optimal: no (stopped early: the evaluation budget); lower bound"),
            std::string::npos)
      << r.out;
  const Outcome s = run("map --arch toy --problem " + kTinyGemm +
                        " --strategy exhaustive --max-steps 100 --json");
  ASSERT_EQ(s.exit_code, 0) << s.out;
  const auto j = nlohmann::json::parse(s.out);
  EXPECT_EQ(j["search"]["stopped_by"], "steps");
  EXPECT_FALSE(j["proven_optimal"].get<bool>());
  // The budget is counted in batches of at most 4,096 steps (docs/mapper.md).
  EXPECT_LE(j["search"]["steps"].get<std::int64_t>(), 100 + 4096);
}

TEST(Cli, MapRejectsBadOptionsWithTheRule) {
  const Outcome objective =
      run("map --arch toy --problem " + kTinyGemm + " --objective speed", true);
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_NE(objective.out.find("--objective: unknown objective 'speed' (energy, delay, edp, ed2p, "
                               "energy,delay, delay,energy or energy^A*delay^B)"),
            std::string::npos)
      << objective.out;
  const Outcome layer = run("map --arch eyeriss --layer resnet50.nope", true);
  EXPECT_EQ(layer.exit_code, 2);
  EXPECT_NE(layer.out.find("--layer: unknown layer 'resnet50.nope'"), std::string::npos)
      << layer.out;
  const Outcome limit = run("map --arch toy --problem " + kTinyGemm + " --time-limit soon", true);
  EXPECT_EQ(limit.exit_code, 2);
  EXPECT_NE(limit.out.find("--time-limit: 'soon' is not a duration (e.g. 30s, 2m, 500ms)"),
            std::string::npos)
      << limit.out;
}

TEST(Cli, MapOfAZooLayer) {
  const Outcome r =
      run("map --arch eyeriss --layer resnet50.conv3_1b --max-evaluations 2000 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(parse(r.out)["layer"], "resnet50.conv3_1b") << r.out;
  // The block's name maps its 3x3 conv.
  const Outcome block =
      run("map --arch eyeriss --layer resnet50.conv3_1 --max-evaluations 2000 --json");
  ASSERT_EQ(block.exit_code, 0) << block.out;
  EXPECT_EQ(parse(block.out)["layer"], "resnet50.conv3_1b") << block.out;
}

// DLRM's top_fc1 has K = 479, a prime: without residual tiles K cannot spread over the PEs.
TEST(Cli, MapImperfectTriesResidualTiles) {
  const Outcome r = run("map --arch eyeriss --layer dlrm.top_fc1 --imperfect --threads 2 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  json j = parse(r.out);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["proven_optimal"], true);
  EXPECT_EQ(j["proven_space"], "residual");
  EXPECT_EQ(j["search"]["padded_bounds"], "N=1080 K=480");
  EXPECT_EQ(j["search"]["residual_tiles"], true);
  EXPECT_EQ(j["valid"], true);
  const Outcome text = run("map --arch eyeriss --layer dlrm.top_fc1 --imperfect --threads 2");
  EXPECT_NE(
      text.out.find(
          "proven optimal: yes (the best of the whole constrained space, every residual "
          "factorization included)\n  residual tiles: every residual factorization searched (first "
          "padded bounds N=1080 K=480, together and each alone); the best mapping has residual "
          "tiles"),
      std::string::npos)
      << text.out;
  const Outcome excluded = run(
      "map --arch toy --problem " + kTinyGemm + " --imperfect --timeloop-mapping out.yaml", true);
  EXPECT_EQ(excluded.exit_code, 2);
  EXPECT_NE(excluded.out.find("--timeloop-mapping excludes --imperfect"), std::string::npos)
      << excluded.out;
}

TEST(Cli, MapReadsTimeloopFilesAndWritesAMappingTimeloopReads) {
  const std::string dir =
      std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/toy_1pe_conv1d/";
  const std::string files = dir + "ERT.yaml " + dir + "problem.yaml " + dir + "arch.yaml";
  const std::string written = ::testing::TempDir() + "outpace_map_timeloop_mapping.yaml";
  const Outcome found = run("map --timeloop " + files +
                            " --strategy exhaustive --json --timeloop-mapping " + written);
  ASSERT_EQ(found.exit_code, 0) << found.out;
  json map = parse(found.out);
  ASSERT_FALSE(map.is_discarded()) << found.out;
  EXPECT_EQ(map["proven_optimal"], true) << found.out;
  // The written file, read back as Timeloop's mapping, evaluates to the same figures.
  const Outcome again = run("eval --json --timeloop " + files + " " + written);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  json eval = parse(again.out);
  ASSERT_FALSE(eval.is_discarded()) << again.out;
  for (const char* key : {"energy_pj", "cycles"}) {
    EXPECT_TRUE(map[key].is_number()) << key;
    EXPECT_EQ(map[key], eval[key]) << key;
  }
}

// map --mapping-out writes Outpace's own format; eval --mapping reads it back to the same figures,
// level by level, for a problem file and for a zoo layer (eval --layer as in map).
// Under Timeloop's counting link transfers depend on the mesh positions, so the search walks
// every assignment of the spatial loops to axes. On the 16-PE convolution of bench/timeloop the
// proven optimum spreads C along X and S along Y; timeloop-model v3.0.3 evaluates the mapping
// this search writes (--timeloop-mapping) at 8,360.36 fJ/compute over 225,792 computes, and the
// same factors with S along X and C along Y (the first assignment that fits, which the search
// alone took before) at 8,401.56.
TEST(Cli, MapTimeloopSearchesEveryAxisAssignment) {
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/bench/timeloop/conv16pe/";
  const Outcome r =
      run("map --json --objective energy --threads 2 --timeloop " + dir + "arch.yaml " + dir +
          "problem.yaml " + dir + "constraints.yaml " + dir + "ERT.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json j = parse(r.out);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["proven_optimal"], true);
  // fJ/compute x computes, within the two decimals Timeloop prints.
  EXPECT_NEAR(j["energy_pj"].get<double>(), 8360.36 * 225792 / 1000, 0.01 * 225792 / 1000) << r.out;
}

TEST(Cli, MapThenEvalGiveTheSameFigures) {
  const std::string tiny = std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/tiny_gemm.yaml";
  for (const std::string& layer : {"--problem " + tiny, std::string("--layer dlrm.bot_fc1")}) {
    const std::string written = ::testing::TempDir() + "outpace_map_then_eval.yaml";
    const Outcome found =
        run("map --arch toy " + layer + " --max-evaluations 3000 --json --mapping-out " + written);
    ASSERT_EQ(found.exit_code, 0) << found.out;
    const json map = parse(found.out);
    ASSERT_FALSE(map.is_discarded()) << found.out;
    const Outcome again = run("eval --arch toy " + layer + " --json --mapping " + written);
    ASSERT_EQ(again.exit_code, 0) << again.out;
    const json eval = parse(again.out);
    ASSERT_FALSE(eval.is_discarded()) << again.out;
    for (const char* key : {"valid", "energy_pj", "cycles", "utilization", "levels"}) {
      EXPECT_FALSE(map[key].is_null()) << layer << ": " << key;
      EXPECT_EQ(map[key], eval[key]) << layer << ": " << key;
    }
  }
}

// A Timeloop mapping given to eval --mapping: one error that says what it is and what to use.
TEST(Cli, EvalOfATimeloopMappingSaysToUseTimeloop) {
  const std::string tiny = std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/tiny_gemm.yaml";
  const std::string written = ::testing::TempDir() + "outpace_timeloop_form.yaml";
  ASSERT_EQ(run("map --arch toy --problem " + tiny + " --timeloop-mapping " + written).exit_code,
            0);
  const Outcome r = run("eval --arch toy --problem " + tiny + " --mapping " + written, true);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(": this is a Timeloop mapping (entries of target, type and factors); "
                       "Outpace's own mapping lists {level, temporal, spatial_x, spatial_y, keep "
                       "or bypass} entries (docs/formats.md); read a Timeloop mapping with its "
                       "architecture and problem: outpace eval --timeloop ...\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("unknown key"), std::string::npos) << r.out;
}

TEST(Cli, MapTimeloopNeedsAProblem) {
  const std::string dir =
      std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/toy_1pe_conv1d/";
  const Outcome r = run("map --timeloop " + dir + "arch.yaml " + dir + "ERT.yaml", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--timeloop: no file gives the 'problem:' section"), std::string::npos)
      << r.out;
}

TEST(Cli, MapFollowsAConstraintsFile) {
  const std::string file =
      std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/tiny_gemm_constraints.yaml";
  const Outcome r =
      run("map --arch toy --problem " + kTinyGemm + " --constraints " + file + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  json j = parse(r.out);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  // Levels are listed outermost first: main memory's innermost loop is N, with all of N.
  const json& mapping = j["mapping"];
  ASSERT_TRUE(mapping.is_array()) << r.out;
  const auto level = std::find_if(mapping.begin(), mapping.end(), [](const json& l) {
    return l.value("level", "") == "MainMemory";
  });
  ASSERT_NE(level, mapping.end()) << r.out;
  json temporal = level->value("temporal", json::array());
  ASSERT_FALSE(temporal.empty()) << *level;
  EXPECT_EQ(temporal[0]["dim"], "N") << *level;
  EXPECT_EQ(temporal[0]["factor"], 4) << *level;
}

TEST(Cli, NetListsTheLayersOutpaceSees) {
  const Outcome r = run("net --net resnet50");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // Totals from the zoo's tests (docs/zoo.md): 54 layers, 4,089,184,256 MACs.
  EXPECT_NE(r.out.find("network resnet50: 54 layers, 54 with repeats, 4,089,184,256 MACs"),
            std::string::npos)
      << r.out;
  const Outcome bad = run("net --net nope", true);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(
      bad.out.find("--net: unknown network 'nope'; the built-in ones are alexnet, vgg16, resnet50, "
                   "mobilenet_v2, bert_base, dlrm, gcn_cora"),
      std::string::npos)
      << bad.out;
}

TEST(Cli, MapspaceHistogramReportsTheSpread) {
  const Outcome r = run("mapspace --arch toy --problem " + kTinyGemm + " --histogram 200 --seed 3");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* text : {"quality of uniformly drawn valid mappings: 200 valid of ",
                           "energy pJ  min ", "EDP pJ*cycles  min ", "within the best 5%: "})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  EXPECT_EQ(r.out,
            run("mapspace --arch toy --problem " + kTinyGemm + " --histogram 200 --seed 3").out);
}

TEST(Cli, MapspacePrintsEveryPruningStep) {
  const Outcome r = run("mapspace --arch toy --problem " + kTinyGemm);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* text :
       {"every factorization, order, axis and bypass", "allowed by the constraints",
        "within every fanout and capacity", "distinct (unit loops, equivalent orders/axes)"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
}

}  // namespace
