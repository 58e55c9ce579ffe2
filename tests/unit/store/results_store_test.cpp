// The results store: what is stored is read back whole, a file that is not a store is refused
// with a message naming it, and a writer killed mid-run leaves only whole rows.
#include "store/results_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/config_error.hpp"
#include "common/mapping_builder.hpp"
#include "store/search_key.hpp"
#include "store/stored_mapping.hpp"
#include "workload/builders.hpp"

namespace outpace::store {
namespace {

/// A fresh path in the test's temporary folder, with no store at it.
std::string fresh_path(const std::string& name) {
  const std::string path = testing::TempDir() + name;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path + suffix);
  return path;
}

/// A two-level mapping with every kind of loop, distinct per `n`, on a GEMM's dimensions M N K
/// (indices 0 1 2) and tensors Inputs Weights Outputs (0 1 2).
mapping::Mapping sample_mapping(int n) {
  return test::MappingBuilder(workload::gemm("g", 8, 8, 8))
      .level("inner").temporal("M", 2 + n).temporal("K", 3).spatial_y("N", 4)
      .keep("Inputs", "Outputs")
      .level("outer").temporal("N", 7).spatial_x("M", 2).keep_all()
      .build();
}

StoredResult sample_result(int n) {
  StoredResult r;
  r.budget = "threads 1 time 0x0p+0 evaluations 0";
  r.found = true;
  r.mapping = sample_mapping(n);
  r.cost = {1234.5 + n, 0.25};
  r.stats.strategy = "exhaustive";
  r.stats.threads = 1;
  r.stats.evaluated = 1000 + static_cast<std::uint64_t>(n);
  r.stats.valid = 900;
  r.stats.pruned = 1e20;
  r.stats.cut = 17;
  r.stats.seconds = 1.5;
  r.stats.seconds_to_best = 0.5;
  r.stats.stopped = false;
  r.stats.proven_optimal = true;
  r.stats.lower_bound = {1000, 0};
  return r;
}

void expect_same(const StoredResult& a, const StoredResult& b) {
  EXPECT_EQ(a.budget, b.budget);
  EXPECT_EQ(a.found, b.found);
  EXPECT_EQ(a.mapping, b.mapping);
  EXPECT_EQ(a.cost, b.cost);
  EXPECT_EQ(a.stats.strategy, b.stats.strategy);
  EXPECT_EQ(a.stats.threads, b.stats.threads);
  EXPECT_EQ(a.stats.evaluated, b.stats.evaluated);
  EXPECT_EQ(a.stats.valid, b.stats.valid);
  EXPECT_EQ(a.stats.pruned, b.stats.pruned);
  EXPECT_EQ(a.stats.cut, b.stats.cut);
  EXPECT_EQ(a.stats.seconds, b.stats.seconds);
  EXPECT_EQ(a.stats.seconds_to_best, b.stats.seconds_to_best);
  EXPECT_EQ(a.stats.stopped, b.stats.stopped);
  EXPECT_EQ(a.stats.proven_optimal, b.stats.proven_optimal);
  EXPECT_EQ(a.stats.lower_bound, b.stats.lower_bound);
}

TEST(MappingText, RoundTripsEveryLoopAndKeep) {
  const mapping::Mapping m = sample_mapping(3);
  EXPECT_EQ(encode_mapping(m), "5|t 0 5 2 3|s 1 4 Y;7|t 1 7|s 0 2 X");
  const auto back = decode_mapping(encode_mapping(m));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, m);
}

TEST(MappingText, RejectsWhatItDidNotWrite) {
  for (const char* bad : {"", "x|t|s", "5|t 0|s", "5|t 0 5|s 1 4 Z", "5|s|t", "5|t 0 5", "5 6|t|s"})
    EXPECT_FALSE(decode_mapping(bad).has_value()) << "'" << bad << "'";
  EXPECT_TRUE(decode_mapping("0|t|s").has_value());  // one level, no loops, nothing kept
}

TEST(ResultsStore, RoundTripsAResultAndReplacesIt) {
  const std::string path = fresh_path("round_trip.sqlite");
  {
    ResultsStore store(path);
    EXPECT_FALSE(store.find("k").has_value());
    store.store("k", sample_result(1));
    store.store("not found", StoredResult{"b", false, {}, {}, {}});
  }
  ResultsStore store(path);  // reopened: the rows are on disk
  EXPECT_EQ(store.size(), 2);
  auto r = store.find("k");
  ASSERT_TRUE(r.has_value());
  expect_same(*r, sample_result(1));
  store.store("k", sample_result(2));
  EXPECT_EQ(store.size(), 2);
  expect_same(*store.find("k"), sample_result(2));
  const auto none = store.find("not found");
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->found);
  EXPECT_EQ(none->budget, "b");
}

TEST(ResultsStore, RefusesAFileThatIsNotADatabase) {
  const std::string path = fresh_path("not_a_store.sqlite");
  std::ofstream(path) << "these are not the rows you are looking for\n" << std::string(200, 'x');
  try {
    ResultsStore store(path);
    FAIL() << "opened a text file as a results store";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": not an Outpace results store: the file is not an SQLite database");
  }
}

TEST(ResultsStore, RefusesAFolder) {
  const std::string path = fresh_path("a_folder");
  std::filesystem::create_directories(path);
  try {
    ResultsStore store(path);
    FAIL() << "opened a folder as a results store";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": cannot read or create the results store: unable to open database file");
  }
}

/// Runs SQL on the file directly, as another program would.
void sql(const std::string& path, const std::string& statements) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, statements.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

/// The message of the ConfigError opening the store at `path` throws, or "" if it opens.
std::string open_error(const std::string& path) {
  try {
    ResultsStore store(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ResultsStore, RefusesAnotherProgramsDatabase) {
  const std::string path = fresh_path("foreign.sqlite");
  sql(path, "CREATE TABLE results(key TEXT, value TEXT);");
  EXPECT_EQ(
      open_error(path),
      path +
          ": not an Outpace results store: an SQLite database without the table 'outpace_schema'");
}

TEST(ResultsStore, RefusesAnotherSchemaVersion) {
  const std::string path = fresh_path("newer.sqlite");
  { ResultsStore create(path); }
  sql(path, "UPDATE outpace_schema SET version = 2;");
  EXPECT_EQ(open_error(path),
            path +
                ": results store schema version 2, this Outpace reads version 1 (delete the "
                "file to start a new store)");
}

TEST(ResultsStore, ARowThatDoesNotDecodeIsNotFound) {
  const std::string path = fresh_path("garbled.sqlite");
  {
    ResultsStore store(path);
    store.store("k", sample_result(1));
  }
  sql(path, "UPDATE results SET mapping = '5|t 0|s';");
  ResultsStore store(path);
  EXPECT_FALSE(store.find("k").has_value());
}

// A child process stores results as fast as it can and is killed with SIGKILL at several
// moments; every row the parent reads back afterwards is whole (equal to what was stored).
TEST(ResultsStore, AWriterKilledMidRunLeavesOnlyWholeRows) {
  const std::string path = fresh_path("killed.sqlite");
  { ResultsStore create(path); }
  for (int round = 0; round < 4; ++round) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ResultsStore store(path);
      for (int i = 0;; ++i) store.store("key " + std::to_string(i % 5000), sample_result(i % 5000));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + 40 * round));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
  }
  ResultsStore store(path);
  const std::int64_t rows = store.size();
  EXPECT_GT(rows, 0) << "the writer stored nothing before it was killed";
  int seen = 0;
  for (int i = 0; i < 5000; ++i)
    if (auto r = store.find("key " + std::to_string(i))) {
      ++seen;
      expect_same(*r, sample_result(i));
    }
  EXPECT_EQ(seen, rows);
}

}  // namespace
}  // namespace outpace::store
