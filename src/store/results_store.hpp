#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/config_error.hpp"
#include "mapper/mapper.hpp"
#include "mapping/mapping.hpp"

namespace outpace::store {

/// One layer's search result as the store keeps it: enough to rebuild the report by
/// re-evaluating the mapping.
struct StoredResult {
  std::string budget;  ///< budget_key() of the search that found it
  bool found = false;  ///< false: the search found no valid mapping
  mapping::Mapping mapping;
  mapper::Cost cost;
  mapper::SearchStats stats;
};

/// Search results on disk (an SQLite file), keyed by search_key(). Every result is written in
/// one transaction, so a process killed while writing leaves either the whole row or none.
/// Safe to use from several threads; several processes may share one file.
class ResultsStore {
 public:
  /// Opens the store at `path`, creating the file when it does not exist. A file whose pages
  /// are damaged (SQLite's quick_check) is moved aside to `<path>.corrupt-<n>` (the first free
  /// n) and an empty store is made in its place; warnings() says so. Throws ConfigError naming
  /// the path, before SQLite opens it, when it is a folder or not a regular file (a device such
  /// as /dev/null, a FIFO, a socket); and when it is not an SQLite database, a database without
  /// Outpace's tables, or of another schema version (files Outpace never overwrites);
  /// EnvironmentError naming the path when the file cannot be opened, created or read (permissions,
  /// a read-only or full disk).
  explicit ResultsStore(const std::string& path);
  ~ResultsStore();
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  /// The result stored under `key`, or nothing (also when the row cannot be decoded).
  std::optional<StoredResult> find(const std::string& key) const;
  /// Stores `result` under `key`, replacing what was there, in one transaction. Throws
  /// EnvironmentError naming the path when the file cannot be written.
  void store(const std::string& key, const StoredResult& result);
  /// Number of stored results.
  std::int64_t size() const;
  /// The file's path.
  const std::string& path() const { return path_; }
  /// What opening found and mended (a damaged file moved aside), located at the path.
  const std::vector<Diagnostic>& warnings() const { return warnings_; }

  /// The version of the tables this build reads and writes.
  static constexpr int kSchemaVersion = 2;

 private:
  struct Db;
  std::string path_;
  std::unique_ptr<Db> db_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace outpace::store
