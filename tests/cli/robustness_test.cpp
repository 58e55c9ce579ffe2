// The command under hostile input and a failing machine: every file read is bounded, every
// count option has a range, a thread that cannot start and a file that cannot be written are
// environment failures (exit 4) with a message, never a crash; and its manners: --version, help,
// "did you mean" for mistyped names. Each case gives the exact message and exit code.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/version.hpp"

namespace {

using nlohmann::json;

struct Outcome {
  int exit_code = -1;  ///< -1 when killed by a signal
  std::string out;     ///< standard output
  std::string err;     ///< standard error
  double seconds = 0;  ///< wall time
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Starts `outpace` with `args` (no shell), its output going to `prefix`_stdout.txt and
/// _stderr.txt, `in_child` applied first in the child (limits); the child's pid.
pid_t start(const std::vector<std::string>& args, const std::string& prefix,
            const std::function<void()>& in_child) {
  const pid_t child = fork();
  if (child == 0) {
    if (in_child) in_child();
    const int out = open((prefix + "_stdout.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open((prefix + "_stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    std::vector<char*> argv = {const_cast<char*>(OUTPACE_BIN)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(OUTPACE_BIN, argv.data());
    _exit(127);
  }
  return child;
}

/// Waits for the child `start` began; its outcome, timed from `since`.
Outcome finish(pid_t child, const std::string& prefix,
               std::chrono::steady_clock::time_point since) {
  int status = 0;
  waitpid(child, &status, 0);
  Outcome r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(prefix + "_stdout.txt");
  r.err = read_text(prefix + "_stderr.txt");
  return r;
}

/// Runs `outpace` with `args` (no shell), `in_child` applied first in the child (limits).
Outcome run(const std::vector<std::string>& args, const std::function<void()>& in_child = {}) {
  // Per process: ctest runs the tests of this file at the same time, each in its own process.
  const std::string prefix = testing::TempDir() + "robustness_" + std::to_string(getpid());
  const auto since = std::chrono::steady_clock::now();
  return finish(start(args, prefix, in_child), prefix, since);
}

/// Runs `outpace` with `args` (no shell) and sends it SIGINT (Ctrl-C) after `delay_s` seconds;
/// the time is counted from the signal.
Outcome run_interrupted(const std::vector<std::string>& args, double delay_s) {
  const std::string prefix = testing::TempDir() + "robustness_int_" + std::to_string(getpid());
  const pid_t child = start(args, prefix, {});
  usleep(static_cast<useconds_t>(delay_s * 1e6));
  kill(child, SIGINT);
  return finish(child, prefix, std::chrono::steady_clock::now());
}

const std::string kTinyGemm = std::string(OUTPACE_SOURCE_DIR) + "/tests/cli/tiny_gemm.yaml";
const std::string kMoreInfo = "Run with --help for more information.\n";

/// A fresh path in the test's temporary folder: nothing at it, nor a store's journals.
std::string fresh(const std::string& name) {
  const std::string path = testing::TempDir() + name;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove_all(path + suffix);
  return path;
}

// ---- bounded resources: files ----

// /dev/zero never ends: the reader stops one byte past 64 MiB (about 0.2 s) instead of filling
// memory forever. The bound on the time is loose against a loaded machine; a hang breaks it.
TEST(Robustness, ProblemFromDevZeroIsRefusedAtTheSpecFileLimit) {
  const Outcome r =
      run({"eval", "--arch", "toy", "--problem", "/dev/zero", "--mapping", kTinyGemm});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "/dev/zero: the file is larger than the limit of 64 MiB for a spec file\n");
  EXPECT_LT(r.seconds, 3.0);
  const Outcome map = run({"map", "--arch", "toy", "--problem", "/dev/zero"});
  EXPECT_EQ(map.exit_code, 2);
  EXPECT_EQ(map.err, "/dev/zero: the file is larger than the limit of 64 MiB for a spec file\n");
  EXPECT_LT(map.seconds, 3.0);
}

TEST(Robustness, ArchFromDevZeroIsRefusedAtTheSpecFileLimit) {
  const Outcome r = run({"map", "--arch", "/dev/zero", "--problem", kTinyGemm});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "/dev/zero: the file is larger than the limit of 64 MiB for a spec file\n");
  EXPECT_LT(r.seconds, 3.0);
}

// A regular file says its size, so one byte past the limit is refused without being read: a
// sparse file of 64 MiB + 1 byte costs no disk.
TEST(Robustness, SpecFileOneBytePastTheLimitIsRefused) {
  const std::string path = fresh("huge_problem.yaml");
  std::ofstream(path) << "problem:\n";
  std::filesystem::resize_file(path, (std::uintmax_t{64} << 20) + 1);
  const Outcome r = run({"mapspace", "--arch", "toy", "--problem", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, path + ": the file is larger than the limit of 64 MiB for a spec file\n");
}

TEST(Robustness, OnnxModelPastItsLimitIsRefused) {
  const std::string path = fresh("huge_model.onnx");
  std::ofstream(path) << "x";
  std::filesystem::resize_file(path, (std::uintmax_t{1} << 30) + 1);  // sparse: no disk used
  const Outcome r = run({"net", "--net", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, path + ": the file is larger than the limit of 1 GiB for an ONNX model\n");
  std::filesystem::remove(path);
}

// ---- bounded resources: counts ----

TEST(Robustness, ThreadsOutOfRangeAreRefusedAtTheOption) {
  const std::string rule = "is not a whole number from 0 to 1024 (0: one per core)\n";
  for (const char* value : {"100000", "-1", "2x", "18446744073709551616"}) {
    const Outcome map = run({"map", "--arch", "toy", "--problem", kTinyGemm, "--threads", value});
    EXPECT_EQ(map.exit_code, 2) << value;
    EXPECT_EQ(map.err, "--threads: " + std::string(value) + " " + rule + kMoreInfo);
  }
  const Outcome run_cmd = run({"run", "--net", "dlrm", "--arch", "toy", "--threads", "100000"});
  EXPECT_EQ(run_cmd.exit_code, 2);
  EXPECT_EQ(run_cmd.err, "--threads: 100000 " + rule + kMoreInfo);
}

TEST(Robustness, EveryCountOptionHasARange) {
  const std::vector<std::string> space = {"mapspace", "--arch", "toy", "--problem", kTinyGemm};
  const std::vector<std::string> map = {"map", "--arch", "toy", "--problem", kTinyGemm};
  const struct {
    std::vector<std::string> command;
    std::string option, value, message;
  } cases[] = {
      {space, "--histogram", "18446744073709551615",
       "--histogram: 18446744073709551615 is not a whole number from 1 to 1000000\n" + kMoreInfo},
      {space, "--histogram", "0",
       "--histogram: 0 is not a whole number from 1 to 1000000\n" + kMoreInfo},
      {space, "--max-tilings", "0",
       "--max-tilings: 0 is not a whole number from 1 to 10000000000\n" + kMoreInfo},
      {space, "--seed", "-1",
       "--seed: -1 is not a whole number from 0 to 18446744073709551615\n" + kMoreInfo},
      {map, "--max-evaluations", "1000000000001",
       "--max-evaluations: 1000000000001 is not a whole number from 0 to 1000000000000 (0: no "
       "limit)\n" +
           kMoreInfo},
      {map, "--seed", "18446744073709551616",
       "--seed: 18446744073709551616 is not a whole number from 0 to 18446744073709551615\n" +
           kMoreInfo},
      {map, "--time-limit", "169h",
       "--time-limit: '169h' is longer than the limit of 168h (a week); 0 means no limit\n"},
      {map, "--time-limit", "-5s", "--time-limit: '-5s' is not a duration (e.g. 30s, 2m, 500ms)\n"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = c.command;
    args.insert(args.end(), {c.option, c.value});
    const Outcome r = run(args);
    EXPECT_EQ(r.exit_code, 2) << c.option << " " << c.value;
    EXPECT_EQ(r.err, c.message);
    EXPECT_EQ(r.out, "") << "nothing runs with a refused option";
  }
}

// The count of mapspace is bounded by the tilings examined, not only the ones it keeps: with a
// utilization that drops nearly every tiling, --max-tilings 10 still ends at once (before, it
// walked the whole space, minutes to hours, and printed nothing).
TEST(Robustness, MapspaceStopsAtItsLimitWhenTheRulesDropTheTilings) {
  const std::string constraints = fresh("half_busy.yaml");
  std::ofstream(constraints) << "constraints:\n  min_utilization: 0.5\n";
  const Outcome r = run({"mapspace", "--arch", "eyeriss", "--layer", "resnet50.conv3_1b",
                         "--constraints", constraints, "--max-tilings", "10"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(counting stopped at its limit: the last three are partial)"),
            std::string::npos)
      << r.out;
  EXPECT_LT(r.seconds, 5);
}

// --histogram N draws at most 1,000 N mappings (and 10,000,000 in all): with 90% of the 168 PEs
// to keep busy, hardly a draw is valid, and the output says the draws ran out.
TEST(Robustness, MapspaceHistogramStopsAtItsDrawLimit) {
  const std::string constraints = fresh("busy.yaml");
  std::ofstream(constraints) << "constraints:\n  min_utilization: 0.9\n";
  const Outcome r = run({"mapspace", "--arch", "eyeriss", "--layer", "resnet50.conv3_1b",
                         "--constraints", constraints, "--max-tilings", "1", "--histogram", "2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("valid of 2000 drawn\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  (drawing stopped at its limit of 2,000 draws: fewer valid mappings "
                       "than asked)\n"),
            std::string::npos)
      << r.out;
}

// Ctrl-C stops mapspace as it stops map: the count (here of at most 10^10 tilings, minutes of
// work) ends at once and what was counted is printed, marked as stopped by Ctrl-C; no mapping
// is drawn after it. `seconds` is the time from the signal to the end.
TEST(Robustness, CtrlCStopsTheCountOfMapspace) {
  const Outcome r =
      run_interrupted({"mapspace", "--arch", "eyeriss", "--layer", "resnet50.conv3_1b",
                       "--max-tilings", "10000000000", "--histogram", "10"},
                      1.0);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.seconds, 3);
  EXPECT_NE(r.out.find("  (counting stopped by Ctrl-C: the last three are partial)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("(no mappings drawn: stopped by Ctrl-C)\n"), std::string::npos) << r.out;
}

// Ctrl-C while mapspace draws its histogram (here a million valid mappings, about a minute of
// draws at the limit): the quality of what was drawn is printed, marked partial.
TEST(Robustness, CtrlCStopsTheHistogramOfMapspace) {
  const Outcome r =
      run_interrupted({"mapspace", "--arch", "eyeriss", "--layer", "resnet50.conv3_1b",
                       "--max-tilings", "1", "--histogram", "1000000"},
                      1.0);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.seconds, 3);
  EXPECT_NE(r.out.find("quality of uniformly drawn valid mappings: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  (drawing stopped by Ctrl-C: a partial sample)\n"), std::string::npos)
      << r.out;
}

/// The evaluations a map run made, from its JSON (or, without a valid mapping, the text on
/// standard error); -1 when neither says.
long long evaluations(const Outcome& r) {
  const json j = json::parse(r.out, nullptr, false);
  if (!j.is_discarded()) return j["search"]["evaluated"].get<long long>();
  const std::size_t at = r.err.find("evaluated ");
  return at == std::string::npos ? -1 : std::stoll(r.err.substr(at + 10));
}

// Each thread claims an evaluation before it starts one, so no thread overshoots the budget:
// exactly N evaluations with 1, 2 or 3 threads (before, two threads could make N + 1). The layer's
// space is far larger than any N here, so only the budget stops the search.
TEST(Robustness, MaxEvaluationsIsExactWithAnyThreadCount) {
  for (const char* threads : {"1", "2", "3"})
    for (const char* n : {"1", "2", "1000", "4097"}) {
      const Outcome r = run({"map", "--arch", "eyeriss", "--layer", "resnet50.conv3_1b",
                             "--threads", threads, "--max-evaluations", n, "--json"});
      EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
      EXPECT_EQ(evaluations(r), std::stoll(n)) << threads << " threads\n" << r.out << r.err;
    }
  // --imperfect splits the budget over the space and its padded variants (three here), exactly.
  const Outcome imperfect =
      run({"map", "--arch", "eyeriss", "--layer", "dlrm.top_fc1", "--imperfect", "--threads", "3",
           "--max-evaluations", "1001", "--json"});
  EXPECT_EQ(evaluations(imperfect), 1001) << imperfect.out << imperfect.err;
}

// With 1 GB of address space, 1024 threads of 8 MiB stacks cannot all start: the error names
// the thread that failed, after the ones started have stopped; never "terminate called".
TEST(Robustness, AThreadThatCannotStartIsAnEnvironmentError) {
  const auto small_memory = [] {
    const rlimit limit{1'000'000'000, 1'000'000'000};
    setrlimit(RLIMIT_AS, &limit);
  };
  const Outcome r = run({"map", "--arch", "eyeriss", "--layer", "resnet50.conv3_1b", "--threads",
                         "1024", "--max-evaluations", "5000"},
                        small_memory);
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(r.err.starts_with("error: cannot start search thread ")) << r.err;
  EXPECT_TRUE(r.err.ends_with(" of 1024: Resource temporarily unavailable\n")) << r.err;
  EXPECT_EQ(r.out, "");
}

// ---- output files ----

// The paths are checked before any search: ResNet-50 with no time limit would run for minutes.
TEST(Robustness, OutputPathsAreCheckedBeforeAnySearch) {
  const std::string folder = fresh("no_such_folder");
  const std::vector<std::string> long_run = {"run",     "--net",        "resnet50", "--arch",
                                             "eyeriss", "--time-limit", "0",        "--no-cache"};
  std::vector<std::string> args = long_run;
  args.insert(args.end(), {"--json", folder + "/run.json"});
  const Outcome json_out = run(args);
  EXPECT_EQ(json_out.exit_code, 2);
  EXPECT_EQ(json_out.err, "--json: cannot write '" + folder + "/run.json': the folder '" + folder +
                              "' does not exist\n");
  args = long_run;
  args.insert(args.end(), {"--csv", testing::TempDir()});
  const Outcome csv = run(args);
  EXPECT_EQ(csv.exit_code, 2);
  EXPECT_EQ(csv.err, "--csv: cannot write '" + testing::TempDir() + "': it is a folder\n");
  const Outcome map = run({"map", "--arch", "eyeriss", "--layer", "resnet50.conv3_1b",
                           "--time-limit", "0", "--timeloop-mapping", folder + "/m.yaml"});
  EXPECT_EQ(map.exit_code, 2);
  EXPECT_EQ(map.err, "--timeloop-mapping: cannot write '" + folder + "/m.yaml': the folder '" +
                         folder + "' does not exist\n");
}

/// Limits the files the child writes to `bytes` (as a full disk would), and makes writing past
/// it fail with EFBIG instead of killing the process.
std::function<void()> file_size_limit(rlim_t bytes) {
  return [bytes] {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{bytes, bytes};
    setrlimit(RLIMIT_FSIZE, &limit);
  };
}

// DLRM on the toy preset: 9 distinct searches, each proven optimal in well under a second.
const std::vector<std::string> kDlrmToy = {"run", "--net",     "dlrm", "--arch",
                                           "toy", "--threads", "2"};
const std::string kDlrmSummary =
    "9 distinct searches (identical layers mapped once): 9 searched, 0 from the results cache; 9 "
    "of 9 proven optimal\n";

// A report file that cannot be written after the searches is the environment's failure (exit 4),
// not bad input; the text report is printed whole first, and no cut-off file is left behind.
TEST(Robustness, AReportFileThatCannotBeWrittenIsAnEnvironmentFailure) {
  const std::string path = fresh("cut_off.json");
  std::vector<std::string> args = kDlrmToy;
  args.insert(args.end(), {"--no-cache", "--json", path});
  const Outcome r = run(args, file_size_limit(4096));  // the JSON is about 100 KiB
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_TRUE(r.err.ends_with("error: " + path +
                              ": cannot write the file: File too large (the partial file is "
                              "removed)\n"))
      << r.err;
  EXPECT_TRUE(r.out.ends_with(kDlrmSummary)) << r.out;
  EXPECT_FALSE(std::filesystem::exists(path));
}

// ---- the results store never costs a result ----

// The store's writes fail partway (a 40 KiB file size limit stands for a full disk): one
// warning, the searches go on without storing, and the whole report is printed.
TEST(Robustness, ACacheThatCannotBeWrittenCostsNoResult) {
  const std::string cache = fresh("full_disk.sqlite");
  std::vector<std::string> args = kDlrmToy;
  args.insert(args.end(), {"--cache", cache});
  const Outcome r = run(args, file_size_limit(40960));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string warning = cache +
                              ": warning: cannot write the results store: disk I/O error; the "
                              "results of this run are not stored\n";
  const std::size_t at = r.err.find(warning);
  EXPECT_NE(at, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(warning, at + 1), std::string::npos) << "warned more than once\n" << r.err;
  EXPECT_TRUE(r.out.ends_with(kDlrmSummary)) << r.out;
}

// The cache's folder cannot be made (its parent is a file): a warning, and the run goes on.
TEST(Robustness, ACacheThatCannotBeOpenedCostsNoResult) {
  const std::string file = fresh("a_file");
  std::ofstream(file) << "not a folder\n";
  const std::string cache = file + "/outpace/results.sqlite";
  std::vector<std::string> args = kDlrmToy;
  args.insert(args.end(), {"--cache", cache});
  const Outcome r = run(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.starts_with(cache +
                                ": warning: cannot create the folder of the results cache: Not a "
                                "directory; going on without the results cache\n"))
      << r.err;
  EXPECT_TRUE(r.out.ends_with(kDlrmSummary)) << r.out;
}

// A folder the user may not write: the store cannot be created there. Root writes anyway.
TEST(Robustness, ACacheInAReadOnlyFolderCostsNoResult) {
  const std::string folder = fresh("read_only_cache");
  std::filesystem::create_directories(folder);
  std::filesystem::permissions(
      folder, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  if (access(folder.c_str(), W_OK) == 0) {
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all);
    GTEST_SKIP() << "running as root: a read-only folder is writable anyway";
  }
  std::vector<std::string> args = kDlrmToy;
  args.insert(args.end(), {"--cache", folder + "/results.sqlite"});
  const Outcome r = run(args);
  std::filesystem::permissions(folder, std::filesystem::perms::owner_all);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.starts_with(folder +
                                "/results.sqlite: warning: cannot read or create the results "
                                "store: unable to open database file; going on without the "
                                "results cache\n"))
      << r.err;
  EXPECT_TRUE(r.out.ends_with(kDlrmSummary)) << r.out;
}

// Garbage over the results table's first page (page 3 of 4096 bytes): the next run says so,
// naming both files, keeps the damaged file aside, and starts an empty store.
TEST(Robustness, ACorruptedCacheIsSetAsideAndRebuilt) {
  const std::string cache = fresh("corrupted.sqlite");
  std::filesystem::remove(cache + ".corrupt-1");
  std::vector<std::string> args = kDlrmToy;
  args.insert(args.end(), {"--cache", cache});
  ASSERT_EQ(run(args).exit_code, 0);
  {
    std::fstream file(cache, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(2 * 4096);
    file << std::string(4096, '\xde');
  }
  const Outcome r = run(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.starts_with(cache +
                                ": warning: the results store is damaged (quick_check: Page 3: "
                                "btreeInitPage() returns error code 11); moved it to " +
                                cache + ".corrupt-1 and started an empty store\n"))
      << r.err;
  EXPECT_TRUE(r.out.ends_with(kDlrmSummary)) << r.out;
  EXPECT_TRUE(std::filesystem::exists(cache + ".corrupt-1"));
  const Outcome again = run(args);  // the new store holds this run's results
  EXPECT_NE(again.out.find("0 searched, 9 from the results cache"), std::string::npos) << again.out;
  std::filesystem::remove(cache + ".corrupt-1");
}

// ---- manners ----

TEST(Robustness, VersionPrintsTheProjectsVersion) {
  const Outcome r = run({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("outpace ") + outpace::kVersion + "\n");
}

TEST(Robustness, HelpIsTheCommandsHelp) {
  const Outcome top = run({"help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_EQ(top.out, run({"--help"}).out);
  EXPECT_NE(top.out.find("'outpace help <command>' shows a command's options."), std::string::npos)
      << top.out;
  for (const char* command : {"eval", "map", "mapspace", "run", "net"}) {
    const Outcome help = run({"help", command});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_EQ(help.out, run({command, "--help"}).out) << command;
    EXPECT_NE(help.out.find(std::string("outpace ") + command + " [OPTIONS]"), std::string::npos)
        << help.out;
  }
  const Outcome unknown = run({"help", "mapp"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "unknown command 'mapp'; did you mean 'map'? ('outpace help' lists the commands)\n");
}

TEST(Robustness, MistypedNamesGetTheClosestOne) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"map", "--arch", "toy", "--problem", kTinyGemm, "--thread", "2"},
       "map: unknown option '--thread'; did you mean '--threads'? ('outpace help map' lists the "
       "options)\n"},
      {{"run", "--nte", "dlrm"},
       "run: unknown option '--nte'; did you mean '--net'? ('outpace help run' lists the "
       "options)\n"},
      {{"map", "--arch", "toy", "--problem", kTinyGemm, "--frobnicate"},
       "map: unknown option '--frobnicate' ('outpace help map' lists the options)\n"},
      {{"evl"},
       "unknown command 'evl'; did you mean 'eval'? ('outpace help' lists the commands)\n"},
      {{"map", "--arch", "eyerss", "--layer", "resnet50.conv3_1b"},
       "--arch: unknown preset 'eyerss'; did you mean 'eyeriss'? (the presets are toy, eyeriss, "
       "simba, tpu; an architecture file is given by its path)\n"},
      {{"map", "--arch", "eyeriss", "--layer", "resnet50.conv3_1x"},
       "--layer: unknown layer 'resnet50.conv3_1x'; did you mean 'resnet50.conv3_1a'? (written "
       "<network>.<layer>, e.g. resnet50.conv3_1b; docs/zoo.md lists them)\n"},
      {{"map", "--arch", "eyeriss", "--layer", "resnt50.conv3_1b"},
       "--layer: unknown layer 'resnt50.conv3_1b'; did you mean 'resnet50.conv3_1b'? (written "
       "<network>.<layer>, e.g. resnet50.conv3_1b; docs/zoo.md lists them)\n"},
      {{"net", "--net", "resnet5"},
       "--net: unknown network 'resnet5'; did you mean 'resnet50'? (the built-in ones are alexnet, "
       "vgg16, resnet50, mobilenet_v2, bert_base, dlrm, gcn_cora; an ONNX model is given by its "
       "file, model.onnx)\n"},
      {{"map", "--arch", "toy", "--problem", kTinyGemm, "--strategy", "anealing"},
       "--strategy: unknown strategy 'anealing'; the strategies are exhaustive, random, annealing, "
       "genetic; did you mean 'annealing'?\n"},
  };
  for (const auto& c : cases) {
    const Outcome r = run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_EQ(r.err, c.message);
  }
}

// A word far from every name gets no suggestion, only the list.
TEST(Robustness, AFarNameGetsNoSuggestion) {
  const Outcome r = run({"net", "--net", "nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "--net: unknown network 'nope'; the built-in ones are alexnet, vgg16, resnet50, "
            "mobilenet_v2, bert_base, dlrm, gcn_cora, and an ONNX model is given by its file "
            "(model.onnx)\n");
}

}  // namespace
