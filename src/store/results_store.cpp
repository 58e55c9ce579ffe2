// The results store on SQLite; the only file that includes sqlite3.h.
#include "store/results_store.hpp"

#include <sqlite3.h>

#include <mutex>

#include "common/config_error.hpp"
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
    " bound_primary REAL NOT NULL, bound_secondary REAL NOT NULL);";

constexpr const char* kColumns =
    "budget, found, mapping, cost_primary, cost_secondary, strategy, threads, evaluated, valid,"
    " pruned, cut, seconds, seconds_to_best, stopped, proven, bound_primary, bound_secondary";

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw ConfigError({{SourceLocation{path, 0, 0}, message}});
}

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

/// The rule an SQLite error on opening breaks, for the message.
std::string open_error(int rc, const std::string& detail) {
  if (rc == SQLITE_NOTADB)
    return "not an Outpace results store: the file is not an SQLite database";
  return "cannot read or create the results store: " + detail;
}

/// Makes sure the file holds Outpace's tables at this schema version, creating them in an empty
/// database; throws ConfigError otherwise.
void check_schema(sqlite3* db, const std::string& path) {
  if (int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr); rc != SQLITE_OK)
    fail(path, open_error(rc, sqlite3_errmsg(db)));
  Statement tables(
      db, "SELECT count(*), sum(name = 'outpace_schema') FROM sqlite_master WHERE type = 'table'");
  if (!tables.ok() || tables.step() != SQLITE_ROW) {
    const int rc = tables.rc();
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    fail(path, open_error(rc, sqlite3_errmsg(db)));
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
    return;
  }
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  if (ours == 0)
    fail(path,
         "not an Outpace results store: an SQLite database without the table 'outpace_schema'");
  Statement version(db, "SELECT version FROM outpace_schema");
  const std::int64_t v = version.ok() && version.step() == SQLITE_ROW ? version.integer(0) : -1;
  if (v != ResultsStore::kSchemaVersion)
    fail(path, "results store schema version " + std::to_string(v) +
                   ", this Outpace reads version " + std::to_string(ResultsStore::kSchemaVersion) +
                   " (delete the file to start a new store)");
}

}  // namespace

ResultsStore::ResultsStore(const std::string& path) : path_(path), db_(std::make_unique<Db>()) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_->handle,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) fail(path, open_error(rc, db_->handle ? db_->error() : "out of memory"));
  sqlite3_busy_timeout(db_->handle, 30000);  // another process writing the same file
  check_schema(db_->handle, path);
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
  return r;
}

void ResultsStore::store(const std::string& key, const StoredResult& r) {
  std::lock_guard<std::mutex> lock(db_->mutex);
  if (db_->exec("BEGIN IMMEDIATE") != SQLITE_OK)
    fail(path_, "cannot write the results store: " + db_->error());
  Statement q(db_->handle, std::string("INSERT OR REPLACE INTO results (key, ") + kColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
