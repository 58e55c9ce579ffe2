// The `outpace` command as a user runs it: output, JSON schema and exit codes.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace nlohmann {
// GoogleTest would print a json value as a container of itself, forever; print its text instead.
inline void PrintTo(const json& j, std::ostream* os) { *os << j.dump(); }
}  // namespace nlohmann

namespace {

using nlohmann::json;

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

/// The command's output parsed as JSON; a discarded value (is_discarded()) when it is not JSON.
json parse(const std::string& text) {
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

/// The object of `tensor` in the level named `level` of an eval or map report (`levels`, then
/// each level's `tensors`, found by `name`); null when there is none.
json tensor_json(const json& report, const std::string& level, const std::string& tensor) {
  for (const json& l : report.value("levels", json::array()))
    if (l.value("name", "") == level)
      for (const json& t : l.value("tensors", json::array()))
        if (t.value("name", "") == tensor) return t;
  return nullptr;
}

TEST(Cli, EvalJsonCarriesTimeloopsCounts) {
  const Outcome r = run("eval " + kAlexNet + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  json j = parse(r.out);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["schema"], "outpace.eval/1");
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["macs"], 105415200);
  EXPECT_EQ(j["cycles"], 798600);
  // Timeloop v3.0.3 on the same mapping (see tests/unit/model/hand_cases_test.cpp).
  json dram_weights = tensor_json(j, "DRAM", "Weights");
  ASSERT_TRUE(dram_weights.is_object()) << "no tensor Weights in level DRAM\n" << r.out;
  EXPECT_EQ(dram_weights["reads"], 1916640) << dram_weights;
  json glb_outputs = tensor_json(j, "shared_glb", "Outputs");
  ASSERT_TRUE(glb_outputs.is_object()) << "no tensor Outputs in level shared_glb\n" << r.out;
  EXPECT_EQ(glb_outputs["reads"], 580800) << glb_outputs;
  EXPECT_EQ(glb_outputs["updates"], 871200) << glb_outputs;
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
  json j = parse(r.out);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["valid"], true) << r.out;
  const json& levels = j["levels"];
  ASSERT_TRUE(levels.is_array()) << r.out;
  EXPECT_TRUE(std::any_of(levels.begin(), levels.end(),
                          [](const json& level) { return level.value("name", "") == "glb"; }))
      << "no level named glb\n" << r.out;
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

TEST(Cli, MapStoppedByABudgetSaysWhichAndThatItIsNotProven) {
  const Outcome r = run("map --arch toy --problem " + kTinyGemm + " --strategy exhaustive --max-evaluations 100");
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
  const Outcome objective = run("map --arch toy --problem " + kTinyGemm + " --objective speed", true);
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_NE(objective.out.find("--objective: unknown objective 'speed' (energy, delay, edp, ed2p, "
                               "energy,delay, delay,energy or energy^A*delay^B)"),
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
  EXPECT_EQ(parse(r.out)["layer"], "resnet50.conv3_1b") << r.out;
  // The block's name maps its 3x3 conv.
  const Outcome block = run("map --arch eyeriss --layer resnet50.conv3_1 --max-evaluations 2000 --json");
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
  EXPECT_NE(text.out.find("proven optimal: yes (the best of the whole constrained space, every residual "
                          "factorization included)\n  residual tiles: every residual factorization searched (first "
                          "padded bounds N=1080 K=480, together and each alone); the best mapping has residual "
                          "tiles"),
            std::string::npos)
      << text.out;
  const Outcome excluded =
      run("map --arch toy --problem " + kTinyGemm + " --imperfect --timeloop-mapping out.yaml", true);
  EXPECT_EQ(excluded.exit_code, 2);
  EXPECT_NE(excluded.out.find("--timeloop-mapping excludes --imperfect"), std::string::npos) << excluded.out;
}

TEST(Cli, MapReadsTimeloopFilesAndWritesAMappingTimeloopReads) {
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/toy_1pe_conv1d/";
  const std::string files = dir + "ERT.yaml " + dir + "problem.yaml " + dir + "arch.yaml";
  const std::string written = ::testing::TempDir() + "outpace_map_timeloop_mapping.yaml";
  const Outcome found = run("map --timeloop " + files + " --strategy exhaustive --json --timeloop-mapping " + written);
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
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/tests/golden/timeloop/toy_1pe_conv1d/";
  const Outcome r = run("map --timeloop " + dir + "arch.yaml " + dir + "ERT.yaml", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("--timeloop: no file gives the 'problem:' section"), std::string::npos) << r.out;
}

TEST(Cli, MapFollowsAConstraintsFile) {
  const std::string file = std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/tiny_gemm_constraints.yaml";
  const Outcome r = run("map --arch toy --problem " + kTinyGemm + " --constraints " + file + " --json");
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

// ---- run: a whole network ----

// DLRM on the toy preset: 10 layers, 9 distinct (top_fc4 has bot_fc2's shape; `outpace net
// --net dlrm` lists them), each proven optimal in well under a second.
const std::string kDlrmToy = "run --net dlrm --arch toy --threads 2";

/// A fresh file path in the test's temporary folder (no store, no log beside it).
std::string fresh(const std::string& name) {
  const std::string path = testing::TempDir() + name;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
  return path;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The CSV without its `source` column (search, cache or =layer), which says how a row was
/// obtained rather than what it is.
std::string without_source(const std::string& csv) {
  std::string out, line;
  std::istringstream in(csv);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream fields(line);
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    if (cells.size() > 11) cells.erase(cells.begin() + 11);
    for (const std::string& c : cells) out += c + ",";
    out += "\n";
  }
  return out;
}

TEST(Cli, RunPrintsTheLayerTableAndWritesJsonAndCsv) {
  const std::string cache = fresh("run_outputs.sqlite"), json_path = fresh("run.json"),
                    csv = fresh("run.csv");
  const Outcome r = run(kDlrmToy + " --cache " + cache + " --json " + json_path + " --csv " + csv);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* text : {"network dlrm on toy, objective edp: 10 layers (10 with repeats)",
                           "layer        op              shape                repeat       MACs  energy uJ",
                           "top_fc4      fc              M=1 N=256 K=512           1    131,072",
                           "=bot_fc2", "total                                                 10  2,461,824",
                           "9 distinct searches (identical layers mapped once): 9 searched, 0 from the results "
                           "cache; 9 of 9 proven optimal\n"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  const std::string text = read_text(json_path);
  json j = parse(text);
  ASSERT_FALSE(j.is_discarded()) << text;
  EXPECT_EQ(j["schema"], "outpace.run/1");
  EXPECT_EQ(j["network"], "dlrm");
  EXPECT_EQ(j["totals"]["searches"], 9);
  EXPECT_EQ(j["totals"]["proven_optimal"], 9);
  EXPECT_EQ(j["totals"]["macs"], 2461824);
  // top_fc4 has bot_fc2's shape, so it shares bot_fc2's search; every layer has its map report.
  const json& layers = j["layers"];
  ASSERT_TRUE(layers.is_array()) << text;
  bool saw_top_fc4 = false;
  for (const json& layer : layers) {
    const std::string name = layer.value("name", "");
    if (name == "top_fc4") {
      saw_top_fc4 = true;
      EXPECT_EQ(layer.value("same_as", ""), "bot_fc2");
    }
    ASSERT_TRUE(layer.contains("report")) << name;
    const json& report = layer["report"];
    EXPECT_EQ(report.value("schema", ""), "outpace.map/1") << name;
    EXPECT_TRUE(report.contains("mapping") && report["mapping"].is_array()) << name;
  }
  EXPECT_TRUE(saw_top_fc4) << text;
  const std::string c = read_text(csv);
  EXPECT_EQ(c.substr(0, c.find('\n')),
            "layer,op,shape,repeat,macs,energy_pj,energy_per_mac_pj,cycles,utilization,energy_share,"
            "proven_optimal,source,failure");
  EXPECT_EQ(std::count(c.begin(), c.end(), '\n'), 11) << c;
  EXPECT_NE(c.find("\ntop_fc4,fc,M=1 N=256 K=512,1,131072,"), std::string::npos) << c;
}

TEST(Cli, RunTakesASecondRunFromTheCacheWithTheSameResults) {
  const std::string cache = fresh("run_twice.sqlite"), first = fresh("first.csv"), second = fresh("second.csv");
  ASSERT_EQ(run(kDlrmToy + " --cache " + cache + " --csv " + first).exit_code, 0);
  const Outcome again = run(kDlrmToy + " --cache " + cache + " --csv " + second, true);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("0 searched, 9 from the results cache; 9 of 9 proven optimal"), std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("[9/9] "), std::string::npos) << "a progress line per search on stderr\n" << again.out;
  EXPECT_EQ(without_source(read_text(first)), without_source(read_text(second)));
  const Outcome uncached = run(kDlrmToy + " --cache " + cache + " --no-cache", true);
  EXPECT_EQ(uncached.exit_code, 2) << "--cache and --no-cache exclude each other\n" << uncached.out;
  const Outcome nothing = run(kDlrmToy + " --no-cache");
  EXPECT_NE(nothing.out.find("9 searched, 0 from the results cache"), std::string::npos) << nothing.out;
}

TEST(Cli, RunRefusesACacheThatIsNotOne) {
  const std::string cache = fresh("not_a_cache.sqlite");
  std::ofstream(cache) << "name,value\nthis,is a CSV file\n";
  const Outcome r = run(kDlrmToy + " --cache " + cache, true);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(cache + ": not an Outpace results store: the file is not an SQLite database"),
            std::string::npos)
      << r.out;
}

/// Starts `outpace` with `args`, reads its progress lines (stderr is not a terminal, so one
/// line per finished search) until `lines` have come, then kills it with SIGKILL.
void kill_after_progress_lines(const std::vector<std::string>& args, int lines) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    dup2(fds[1], STDERR_FILENO);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    close(fds[0]);
    std::vector<char*> argv = {const_cast<char*>(OUTPACE_BIN)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(OUTPACE_BIN, argv.data());
    _exit(127);
  }
  close(fds[1]);
  int seen = 0;
  char c;
  while (seen < lines && read(fds[0], &c, 1) == 1) seen += c == '\n';
  kill(child, SIGKILL);
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_EQ(seen, lines) << "the run ended before it was killed";
  EXPECT_TRUE(WIFSIGNALED(status)) << "the run ended before it was killed";
}

// A run killed with SIGKILL after some searches were stored leaves a cache that the next run
// reads without error and that gives exactly what a run without a cache gives. DLRM on Eyeriss
// takes a few seconds with one thread, long enough to be killed in the middle.
TEST(Cli, RunKilledMidwayLeavesACacheThatGivesTheSameResults) {
  const std::string cache = fresh("killed_run.sqlite"), rerun = fresh("rerun.csv"), clean = fresh("clean.csv");
  kill_after_progress_lines({"run", "--net", "dlrm", "--arch", "eyeriss", "--threads", "1", "--time-limit", "0",
                             "--cache", cache},
                            3);
  const Outcome again = run("run --net dlrm --arch eyeriss --threads 2 --time-limit 0 --cache " + cache +
                            " --csv " + rerun);
  ASSERT_EQ(again.exit_code, 0) << again.out;
  const std::size_t at = again.out.find(" from the results cache");
  ASSERT_NE(at, std::string::npos) << again.out;
  const int reused = std::stoi(again.out.substr(again.out.rfind(' ', at - 1) + 1));
  EXPECT_GE(reused, 3) << "the searches finished before the kill were stored\n" << again.out;
  ASSERT_EQ(run("run --net dlrm --arch eyeriss --threads 2 --time-limit 0 --no-cache --csv " + clean).exit_code, 0);
  EXPECT_EQ(without_source(read_text(rerun)), without_source(read_text(clean)));
}


}  // namespace
