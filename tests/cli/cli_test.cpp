// The `outpace` command as a user runs it: output, JSON schema and exit codes.
#include <fcntl.h>
#include <gtest/gtest.h>
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

#include "cli/cli_support.hpp"

namespace {

using namespace outpace::cli_testing;

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

// The Sparseloop exercise's single-PE gating dot product in Outpace's own files (sparse
// features in the architecture, --density): timeloop-model v3.0.3 counts 4 MACs, 16 cycles and
// 13.75 pJ on the exercise's files, 12 of B's 16 reads gated. Outpace's own rules take the
// output's gated reads down, ⌊15 x 0.75⌋ = 11 where Timeloop takes ⌈11.25⌉ = 12 (docs/model.md,
// "Sparse model"): one read moves from gated (0.00441 pJ) to actual (0.42018), 14.16259 pJ.
TEST(Cli, EvalWithDensitiesAndTheArchitecturesSparseFeatures) {
  const std::string dir = std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/sparse/";
  const std::string files = "--arch " + dir + "one_pe.yaml --problem " + dir +
                            "dot.yaml --mapping " + dir + "dot_mapping.yaml";
  const Outcome r = run("eval " + files + " --density A=0.25 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json j = parse(r.out);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["actual_macs"], 4);
  EXPECT_EQ(j["cycles"], 16);
  EXPECT_NEAR(j["energy_pj"].get<double>(), 13.74682 + 0.42018 - 0.00441, 1e-6);
  EXPECT_EQ(tensor_json(j, "Buffer", "B")["gated_reads"], 12);
  EXPECT_EQ(tensor_json(j, "Buffer", "Z")["gated_reads"], 11);
  // Without densities every tensor is dense: nothing is gated, the dense figures (35.44 pJ).
  const json dense = parse(run("eval " + files + " --json").out);
  EXPECT_EQ(dense["actual_macs"], 16);
  EXPECT_NEAR(dense["energy_pj"].get<double>(), 35.44, 0.005);
  // A density of a tensor the layer does not have is refused, naming the layer's tensors.
  const Outcome bad = run("eval " + files + " --density W=0.3", true);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("--density: 'W' is no tensor of layer 'dot' (A, B, Z)"), std::string::npos)
      << bad.out;
}

TEST(Cli, UnknownOptionExitsTwo) { EXPECT_EQ(run("eval --nope").exit_code, 2); }

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
