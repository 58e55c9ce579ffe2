// The results store on SQLite; the only file that includes sqlite3.h.
#include "store/results_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "common/config_error.hpp"
#include "common/environment_error.hpp"
#include "store/search_key.hpp"
#include "store/stored_mapping.hpp"

namespace outpace::store {

namespace {

constexpr const char* kCreate =
    "CREATE TABLE outpace_schema(version INTEGER NOT NULL);"
    "CREATE TABLE results("
    " key TEXT PRIMARY KEY, budget TEXT NOT NULL, found INTEGER NOT NULL, mapping TEXT NOT NULL,"
    " cost_primary REAL NOT NULL, cost_secondary REAL NOT NULL, strategy TEXT NOT NULL,"
    " threads INTEGER NOT NULL, evaluated INTEGER NOT NULL, valid INTEGER NOT NULL,"
    " pruned REAL NOT NULL, cut INTEGER NOT NULL, seconds REAL NOT NULL,"
    " seconds_to_best REAL NOT NULL, stopped INTEGER NOT NULL, proven INTEGER NOT NULL,"
    " bound_primary REAL NOT NULL, bound_secondary REAL NOT NULL,"
    " steps INTEGER NOT NULL DEFAULT 0, stopped_by TEXT NOT NULL DEFAULT '');";

/// Version 1 to 2: the search's steps and what stopped it (SearchStats). A version-1 row keeps
/// its results; its budget names a time limit, so only its proven results are used again.
constexpr const char* kUpgradeFrom1 =
    "ALTER TABLE results ADD COLUMN steps INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE results ADD COLUMN stopped_by TEXT NOT NULL DEFAULT '';"
    "UPDATE outpace_schema SET version = 2;";

constexpr const char* kColumns =
    "budget, found, mapping, cost_primary, cost_secondary, strategy, threads, evaluated, valid,"
    " pruned, cut, seconds, seconds_to_best, stopped, proven, bound_primary, bound_secondary,"
    " steps, stopped_by";

/// A file that is not a store Outpace may use: the user's mistake, never overwritten.
[[noreturn]] void refuse(const std::string& path, const std::string& message) {
  throw ConfigError({{SourceLocation{path, 0, 0}, message}});
}

/// The machine would not let the store be opened, read or written.
[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw EnvironmentError(SourceLocation{path, 0, 0}, message);
}

/// True for SQLite's "the file's pages are damaged" (extended codes included).
bool is_corruption(int rc) { return (rc & 0xff) == SQLITE_CORRUPT; }

/// A prepared statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  int rc() const { return rc_; }
  sqlite3_stmt* get() const { return stmt_; }
  /// Runs one step; SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return rc_ = sqlite3_step(stmt_); }
  std::string text(int col) const {
    const unsigned char* s = sqlite3_column_text(stmt_, col);
    return s ? reinterpret_cast<const char*>(s) : "";
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

}  // namespace

struct ResultsStore::Db {
  sqlite3* handle = nullptr;
  std::mutex mutex;
  ~Db() { sqlite3_close(handle); }

  /// Runs SQL without results; the SQLite error code.
  int exec(const char* sql) { return sqlite3_exec(handle, sql, nullptr, nullptr, nullptr); }
  std::string error() const { return sqlite3_errmsg(handle); }
};

namespace {

/// The SQLite error of opening or reading the store, thrown as what it means: a file that is
/// not a database is refused, anything else is the environment's failure.
[[noreturn]] void open_failure(const std::string& path, int rc, const std::string& detail) {
  if ((rc & 0xff) == SQLITE_NOTADB)
    refuse(path, "not an Outpace results store: the file is not an SQLite database");
  fail(path, "cannot read or create the results store: " + detail);
}

/// Opens the SQLite file at `path`, creating it when missing.
sqlite3* open_file(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    const std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    open_failure(path, rc, detail);
  }
  sqlite3_busy_timeout(db, 30000);  // another process writing the same file
  return db;
}

/// Makes sure the file holds Outpace's tables at this schema version, creating them in an empty
/// database. Returns SQLite's message when reading the tables finds damaged pages; throws
/// ConfigError for a file that is not a store of this version, EnvironmentError otherwise.
std::string check_schema(sqlite3* db, const std::string& path) {
  if (int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); rc != SQLITE_OK) {
    if (is_corruption(rc)) return sqlite3_errmsg(db);
    open_failure(path, rc, sqlite3_errmsg(db));
  }
  Statement tables(
      db, "SELECT count(*), sum(name = 'outpace_schema') FROM sqlite_master WHERE type = 'table'");
  if (!tables.ok() || tables.step() != SQLITE_ROW) {
    const int rc = tables.rc();
    const std::string detail = sqlite3_errmsg(db);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    if (is_corruption(rc)) return detail;
    open_failure(path, rc, detail);
  }
  const std::int64_t count = tables.integer(0), ours = tables.integer(1);
  if (count == 0) {
    const std::string create = std::string(kCreate) + "INSERT INTO outpace_schema VALUES(" +
                               std::to_string(ResultsStore::kSchemaVersion) + ");COMMIT;";
    if (sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      const std::string detail = sqlite3_errmsg(db);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      fail(path, "cannot create the results store's tables: " + detail);
    }
    return "";
  }
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  if (ours == 0)
    refuse(path,
           "not an Outpace results store: an SQLite database without the table 'outpace_schema'");
  Statement version(db, "SELECT version FROM outpace_schema");
  const std::int64_t v = version.ok() && version.step() == SQLITE_ROW ? version.integer(0) : -1;
  if (v == 1) {
    const std::string upgrade = std::string("BEGIN IMMEDIATE;") + kUpgradeFrom1 + "COMMIT;";
    if (sqlite3_exec(db, upgrade.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      const std::string detail = sqlite3_errmsg(db);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      fail(path, "cannot upgrade the results store from version 1: " + detail);
    }
    return "";
  }
  if (v != ResultsStore::kSchemaVersion)
    refuse(path, "results store schema version " + std::to_string(v) +
                     ", this Outpace reads version " +
                     std::to_string(ResultsStore::kSchemaVersion) +
                     " (delete the file to start a new store)");
  return "";
}

/// The first line of a quick_check report that names a problem (not the "*** in database"
/// header).
std::string first_finding(const std::string& report) {
  std::size_t at = 0;
  while (at < report.size()) {
    const std::size_t end = std::min(report.find('\n', at), report.size());
    if (report.compare(at, 3, "***") != 0 && end > at) return report.substr(at, end - at);
    at = end + 1;
  }
  return report;
}

/// SQLite's quick_check of the whole file: empty when it is sound, else its first finding.
std::string quick_check(sqlite3* db, const std::string& path) {
  Statement check(db, "PRAGMA quick_check");
  const int rc = check.ok() ? check.step() : check.rc();
  if (rc == SQLITE_ROW)
    return check.text(0) == "ok" ? "" : "quick_check: " + first_finding(check.text(0));
  if (is_corruption(rc) || (rc & 0xff) == SQLITE_NOTADB) return sqlite3_errmsg(db);
  fail(path, "cannot read the results store: " + std::string(sqlite3_errmsg(db)));
}

/// Moves a damaged store and its journals to `<path>.corrupt-<n>` (the first n free); the
/// new name.
std::string set_aside(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string aside;
  for (int n = 1; aside.empty() || fs::exists(aside, ec); ++n)
    aside = path + ".corrupt-" + std::to_string(n);
  fs::rename(path, aside, ec);
  if (ec) fail(path, "the results store is damaged and cannot be moved aside: " + ec.message());
  for (const char* journal : {"-wal", "-journal"})
    if (fs::exists(path + journal, ec)) fs::rename(path + journal, aside + journal, ec);
  fs::remove(path + "-shm", ec);  // an index of the write-ahead log, rebuilt from it
  return aside;
}

}  // namespace

namespace {

/// What a path that exists but is not a regular file is ("a character device"), or "" for a
/// regular file or a path with nothing at it. Symbolic links are followed.
std::string not_a_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  switch (fs::status(path, ec).type()) {
    case fs::file_type::directory:
      return "a folder";
    case fs::file_type::character:
      return "a character device, not a regular file";
    case fs::file_type::block:
      return "a block device, not a regular file";
    case fs::file_type::fifo:
      return "a FIFO (named pipe), not a regular file";
    case fs::file_type::socket:
      return "a socket, not a regular file";
    case fs::file_type::unknown:
      return "not a regular file";
    default:
      return "";  // a regular file, or nothing there yet (or a status error SQLite reports)
  }
}

}  // namespace

ResultsStore::ResultsStore(const std::string& path) : path_(path), db_(std::make_unique<Db>()) {
  // Refused before SQLite opens it: SQLite would make its journal beside a device (/dev/null).
  if (const std::string what = not_a_file(path); !what.empty())
    refuse(path, "not an Outpace results store: " + what);
  db_->handle = open_file(path);
  std::string damage = check_schema(db_->handle, path);
  if (damage.empty()) damage = quick_check(db_->handle, path);
  if (!damage.empty()) {
    sqlite3_close(db_->handle);
    db_->handle = nullptr;
    const std::string aside = set_aside(path);
    warnings_.push_back({SourceLocation{path, 0, 0},
                         "the results store is damaged (" + damage + "); moved it to " + aside +
                             " and started an empty store",
                         Severity::kWarning});
    db_->handle = open_file(path);
    if (const std::string again = check_schema(db_->handle, path); !again.empty())
      fail(path, "cannot create the results store: " + again);
  }
  // Write-ahead logging: a killed writer leaves committed rows whole and the rest unseen.
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec("PRAGMA synchronous=NORMAL");
}

ResultsStore::~ResultsStore() = default;

std::optional<StoredResult> ResultsStore::find(const std::string& key) const {
  std::lock_guard<std::mutex> lock(db_->mutex);
  Statement q(db_->handle, std::string("SELECT ") + kColumns + " FROM results WHERE key = ?");
  if (!q.ok()) return std::nullopt;
  sqlite3_bind_text(q.get(), 1, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  if (q.step() != SQLITE_ROW) return std::nullopt;
  StoredResult r;
  r.budget = q.text(0);
  r.found = q.integer(1) != 0;
  if (r.found) {
    std::optional<mapping::Mapping> m = decode_mapping(q.text(2));
    if (!m) return std::nullopt;
    r.mapping = *m;
  }
  r.cost = {q.real(3), q.real(4)};
  mapper::SearchStats& s = r.stats;
  s.strategy = q.text(5);
  s.threads = static_cast<int>(q.integer(6));
  s.evaluated = static_cast<std::uint64_t>(q.integer(7));
  s.valid = static_cast<std::uint64_t>(q.integer(8));
  s.pruned = q.real(9);
  s.cut = static_cast<std::uint64_t>(q.integer(10));
  s.seconds = q.real(11);
  s.seconds_to_best = q.real(12);
  s.stopped = q.integer(13) != 0;
  s.proven_optimal = q.integer(14) != 0;
  s.lower_bound = {q.real(15), q.real(16)};
  s.steps = static_cast<std::uint64_t>(q.integer(17));
  s.stopped_by = q.text(18);
  return r;
}

void ResultsStore::store(const std::string& key, const StoredResult& r) {
  std::lock_guard<std::mutex> lock(db_->mutex);
  if (db_->exec("BEGIN IMMEDIATE") != SQLITE_OK)
    fail(path_, "cannot write the results store: " + db_->error());
  Statement q(db_->handle,
              std::string("INSERT OR REPLACE INTO results (key, ") + kColumns +
                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const std::string mapping = r.found ? encode_mapping(r.mapping) : "";
  const mapper::SearchStats& s = r.stats;
  sqlite3_stmt* st = q.get();
  int i = 0;
  const auto bind_text = [st, &i](const std::string& t) {
    sqlite3_bind_text(st, ++i, t.c_str(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
  };
  bind_text(key);
  bind_text(r.budget);
  sqlite3_bind_int(st, ++i, r.found ? 1 : 0);
  bind_text(mapping);
  sqlite3_bind_double(st, ++i, r.cost.primary);
  sqlite3_bind_double(st, ++i, r.cost.secondary);
  bind_text(s.strategy);
  sqlite3_bind_int(st, ++i, s.threads);
  sqlite3_bind_int64(st, ++i, static_cast<sqlite3_int64>(s.evaluated));
  sqlite3_bind_int64(st, ++i, static_cast<sqlite3_int64>(s.valid));
  sqlite3_bind_double(st, ++i, s.pruned);
  sqlite3_bind_int64(st, ++i, static_cast<sqlite3_int64>(s.cut));
  sqlite3_bind_double(st, ++i, s.seconds);
  sqlite3_bind_double(st, ++i, s.seconds_to_best);
  sqlite3_bind_int(st, ++i, s.stopped ? 1 : 0);
  sqlite3_bind_int(st, ++i, s.proven_optimal ? 1 : 0);
  sqlite3_bind_double(st, ++i, s.lower_bound.primary);
  sqlite3_bind_double(st, ++i, s.lower_bound.secondary);
  sqlite3_bind_int64(st, ++i, static_cast<sqlite3_int64>(s.steps));
  bind_text(s.stopped_by);
  if (!q.ok() || q.step() != SQLITE_DONE || db_->exec("COMMIT") != SQLITE_OK) {
    const std::string detail = db_->error();
    db_->exec("ROLLBACK");
    fail(path_, "cannot write the results store: " + detail);
  }
}

std::int64_t ResultsStore::size() const {
  std::lock_guard<std::mutex> lock(db_->mutex);
  Statement q(db_->handle, "SELECT count(*) FROM results");
  return q.ok() && q.step() == SQLITE_ROW ? q.integer(0) : 0;
}

}  // namespace outpace::store
