// The results store: what is stored is read back whole, a file that is not a store is refused
// with a message naming it, a writer killed mid-run leaves only whole rows, a damaged file is
// set aside and rebuilt, and a folder or disk that refuses writes is an EnvironmentError.
#include "store/results_store.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "common/config_error.hpp"
#include "common/environment_error.hpp"
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

// A level's cluster size and charging per used cluster change the energy, so they are in the key;
// only when used, so that the keys of everything else stay as they were.
TEST(SearchKey, ClusterSizesAndClusterEnergyAreInTheKey) {
  const workload::Einsum e = workload::gemm("g", 4, 4, 4);
  arch::Arch a;
  a.levels.resize(1);
  a.levels[0].name = "DRAM";
  const mapper::Constraints c = mapper::unconstrained(e, a);
  mapper::MapperOptions o;
  const std::string plain = search_key(e, a, c, o);
  EXPECT_EQ(plain.find("cluster"), std::string::npos) << plain;
  o.model.cluster_energy = true;
  const std::string charged = search_key(e, a, c, o);
  a.levels[0].cluster_size = 2;
  const std::string clustered = search_key(e, a, c, o);
  EXPECT_NE(charged, plain);
  EXPECT_NE(clustered, charged);
  EXPECT_NE(clustered.find("cluster 2"), std::string::npos) << clustered;
}

// Link transfers change the counts, so they are in the key too (only when on).
TEST(SearchKey, LinkTransfersAreInTheKey) {
  const workload::Einsum e = workload::gemm("g", 4, 4, 4);
  arch::Arch a;
  a.levels.resize(1);
  a.levels[0].name = "DRAM";
  mapper::MapperOptions o;
  o.model.multicast_identical_only = true;
  auto key = [&] { return search_key(e, a, mapper::unconstrained(e, a), o); };
  const std::string without = key();
  EXPECT_EQ(without.find("link_transfers"), std::string::npos) << without;
  o.model.link_transfers = true;
  EXPECT_NE(key(), without);
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
    EXPECT_EQ(std::string(e.what()), path + ": not an Outpace results store: a folder");
  }
}

// A path that is not a regular file is refused before SQLite opens it, so that nothing (a
// journal) is made beside it: a device, a FIFO, a socket.
TEST(ResultsStore, RefusesWhatIsNotARegularFile) {
  if (std::filesystem::is_character_file("/dev/null")) {
    try {
      ResultsStore store("/dev/null");
      FAIL() << "opened /dev/null as a results store";
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()),
                "/dev/null: not an Outpace results store: a character device, not a regular file");
    }
  }
  const std::string fifo = fresh_path("a_fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    ResultsStore store(fifo);
    FAIL() << "opened a FIFO as a results store";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              fifo + ": not an Outpace results store: a FIFO (named pipe), not a regular file");
  }
  EXPECT_FALSE(std::filesystem::exists(fifo + "-journal"));
  std::filesystem::remove(fifo);

  const std::string socket_path = fresh_path("a_socket");
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof addr.sun_path);
  std::copy(socket_path.begin(), socket_path.end(), addr.sun_path);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  try {
    ResultsStore store(socket_path);
    FAIL() << "opened a socket as a results store";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              socket_path + ": not an Outpace results store: a socket, not a regular file");
  }
  ::close(fd);
  std::filesystem::remove(socket_path);
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
  sql(path, "UPDATE outpace_schema SET version = 3;");
  EXPECT_EQ(open_error(path),
            path +
                ": results store schema version 3, this Outpace reads version 2 (delete the "
                "file to start a new store)");
}

TEST(ResultsStore, AVersionOneStoreIsUpgradedAndKeepsItsResults) {
  const std::string path = fresh_path("version1.sqlite");
  {
    ResultsStore store(path);
    store.store("k", sample_result(1));
  }
  // Version 1's table: the same without the two columns version 2 added.
  sql(path,
      "ALTER TABLE results DROP COLUMN steps; ALTER TABLE results DROP COLUMN stopped_by;"
      "UPDATE outpace_schema SET version = 1;");
  {
    ResultsStore store(path);
    const std::optional<StoredResult> found = store.find("k");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->stats.evaluated, sample_result(1).stats.evaluated);
    EXPECT_EQ(found->stats.steps, 0u);
    StoredResult next = sample_result(2);
    next.stats.steps = 77;
    next.stats.stopped_by = "steps";
    store.store("k2", next);
  }
  ResultsStore store(path);
  ASSERT_TRUE(store.find("k2").has_value());
  EXPECT_EQ(store.find("k2")->stats.steps, 77u);
  EXPECT_EQ(store.find("k2")->stats.stopped_by, "steps");
  EXPECT_EQ(store.size(), 2);
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

/// The bytes of a file.
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Writes 4096 bytes of garbage over page `page` (1-based, 4096-byte pages) of a closed store.
void damage_page(const std::string& path, int page) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(page - 1) * 4096);
  file << std::string(4096, '\xde');
}

// A closed store's pages are 1 the schema, 2 outpace_schema, 3 the results table, 4 its key
// index. Garbage over page 3 is found by quick_check when the store opens: the damaged file is
// moved, byte for byte, to <path>.corrupt-1, an empty store works in its place, and the warning
// names both files. Damaged again, it goes to .corrupt-2 (the first free name).
TEST(ResultsStore, ADamagedStoreIsSetAsideAndRebuilt) {
  const std::string path = fresh_path("damaged.sqlite");
  for (const char* n : {".corrupt-1", ".corrupt-2"}) std::filesystem::remove(path + n);
  {
    ResultsStore store(path);
    EXPECT_TRUE(store.warnings().empty());
    for (int i = 0; i < 3; ++i) store.store("key " + std::to_string(i), sample_result(i));
  }
  damage_page(path, 3);
  const std::string damaged = file_bytes(path);
  const std::string finding = "(quick_check: Page 3: btreeInitPage() returns error code 11)";
  {
    ResultsStore store(path);
    ASSERT_EQ(store.warnings().size(), 1u);
    EXPECT_EQ(store.warnings()[0].str(), path + ": the results store is damaged " + finding +
                                             "; moved it to " + path +
                                             ".corrupt-1 and started an empty store");
    EXPECT_EQ(store.warnings()[0].severity, Severity::kWarning);
    EXPECT_EQ(store.size(), 0);
    store.store("k", sample_result(7));
    expect_same(*store.find("k"), sample_result(7));
  }
  EXPECT_EQ(file_bytes(path + ".corrupt-1"), damaged);
  damage_page(path, 3);
  ResultsStore again(path);
  ASSERT_EQ(again.warnings().size(), 1u);
  EXPECT_EQ(again.warnings()[0].message, "the results store is damaged " + finding +
                                             "; moved it to " + path +
                                             ".corrupt-2 and started an empty store");
}

// A sound store opens without a warning and keeps its rows (quick_check finds nothing).
TEST(ResultsStore, ASoundStoreOpensWithoutAWarning) {
  const std::string path = fresh_path("sound.sqlite");
  { ResultsStore(path).store("k", sample_result(1)); }
  ResultsStore store(path);
  EXPECT_TRUE(store.warnings().empty());
  EXPECT_EQ(store.size(), 1);
}

/// The message of the EnvironmentError opening the store at `path` throws, or what happened.
std::string environment_error(const std::string& path) {
  try {
    ResultsStore store(path);
  } catch (const EnvironmentError& e) {
    return e.what();
  } catch (const ConfigError& e) {
    return std::string("ConfigError: ") + e.what();
  }
  return "opened";
}

// In a folder the user may not write, no store can be created, and an existing one cannot be
// used (SQLite needs its journal beside it): an EnvironmentError, not the user's input. Root
// may write anyway, so the test skips itself there.
TEST(ResultsStore, AReadOnlyFolderIsAnEnvironmentError) {
  namespace fs = std::filesystem;
  const std::string folder = testing::TempDir() + "read_only_folder";
  fs::remove_all(folder);
  fs::create_directories(folder);
  { ResultsStore(folder + "/existing.sqlite").store("k", sample_result(1)); }
  fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
  if (access(folder.c_str(), W_OK) == 0) {
    fs::permissions(folder, fs::perms::owner_all);
    GTEST_SKIP() << "running as root: a read-only folder is writable anyway";
  }
  const std::string created = environment_error(folder + "/new.sqlite");
  const std::string existing = environment_error(folder + "/existing.sqlite");
  fs::permissions(folder, fs::perms::owner_all);
  EXPECT_EQ(created, folder +
                         "/new.sqlite: cannot read or create the results store: unable to open "
                         "database file");
  EXPECT_EQ(existing, folder +
                          "/existing.sqlite: cannot read or create the results store: attempt "
                          "to write a readonly database");
}

/// In a child process: opens the store at `path`, stores rows until a write fails, and writes
/// the EnvironmentError's message to `message_path`. Exits 0 after such a failure, 1 on another
/// exception, 2 when every write succeeded.
[[noreturn]] void store_until_full(const std::string& path, const std::string& message_path) {
  try {
    ResultsStore store(path);
    for (int i = 0; i < 100000; ++i) store.store("key " + std::to_string(i), sample_result(i));
  } catch (const EnvironmentError& e) {
    std::ofstream(message_path) << e.what();
    _exit(0);
  } catch (...) {
    _exit(1);
  }
  _exit(2);
}

// A file size limit of 64 KiB stands for a full disk (it works without privileges): writing
// past it fails with EFBIG, which SQLite reports as an I/O error; the store throws an
// EnvironmentError naming the file, and every row written before is whole.
TEST(ResultsStore, AWriteThatFailsIsAnEnvironmentErrorAndKeepsWholeRows) {
  const std::string path = fresh_path("full.sqlite"), message = fresh_path("full_message.txt");
  { ResultsStore create(path); }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);  // fail the write instead of killing the process
    const rlimit limit{64 * 1024, 64 * 1024};
    setrlimit(RLIMIT_FSIZE, &limit);
    store_until_full(path, message);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "1: another exception; 2: no write failed";
  EXPECT_EQ(file_bytes(message), path + ": cannot write the results store: disk I/O error");
  ResultsStore store(path);
  const std::int64_t rows = store.size();
  EXPECT_GT(rows, 0) << "nothing was stored before the limit";
  for (int i = 0; i < rows; ++i)
    expect_same(*store.find("key " + std::to_string(i)), sample_result(i));
}

/// Without privileges: a new user namespace (this user as its root) with its own mount
/// namespace; false when the machine does not allow one.
bool enter_user_namespace() {
  const std::string uid = std::to_string(getuid()), gid = std::to_string(getgid());
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return false;
  std::ofstream("/proc/self/setgroups") << "deny";
  std::ofstream("/proc/self/uid_map") << "0 " << uid << " 1";
  std::ofstream("/proc/self/gid_map") << "0 " << gid << " 1";
  return true;
}

// A real full disk: a 64 KiB tmpfs, mounted in a user and mount namespace of a child process.
// Many machines forbid that (containers, hardened kernels): the test then skips, and the file
// size limit above stands in for it.
TEST(ResultsStore, AFullTmpfsIsAnEnvironmentError) {
  const std::string folder = fresh_path("tmpfs_mount"), message = fresh_path("tmpfs_message.txt");
  std::filesystem::create_directories(folder);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (unshare(CLONE_NEWNS) != 0 && !enter_user_namespace()) _exit(77);
    mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    if (mount("tmpfs", folder.c_str(), "tmpfs", 0, "size=64k") != 0) _exit(77);
    store_until_full(folder + "/results.sqlite", message);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77)
    GTEST_SKIP() << "cannot mount a tmpfs here (no mount namespace allowed); the file size limit "
                    "test stands in for a full disk";
  ASSERT_EQ(WEXITSTATUS(status), 0) << "1: another exception; 2: no write failed";
  const std::string text = file_bytes(message);
  EXPECT_TRUE(text == folder +
                          "/results.sqlite: cannot write the results store: database or disk "
                          "is full" ||
              text == folder +
                          "/results.sqlite: cannot read or create the results store: "
                          "database or disk is full")
      << text;
}

}  // namespace
}  // namespace outpace::store
