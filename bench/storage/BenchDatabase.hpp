// A throwaway, migrated database for the storage benchmark, with the benchmark's exchange
// row: PostgreSQL = a fresh schema in the database the URL names (dropped afterwards);
// SQLite = a file in a fresh temp folder (removed afterwards). Mirrors what the storage
// tests do (tests/host/storage/StorageTestSupport), without depending on the test tree.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "Database.hpp"

namespace mdp::bench {

class BenchDatabase {
 public:
  // Throws std::runtime_error with a "run scripts/test-db" hint when PostgreSQL is unreachable.
  static std::unique_ptr<BenchDatabase> postgresql(const std::string& url);
  static std::unique_ptr<BenchDatabase> sqlite();
  ~BenchDatabase();
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;

  storage::Database& db() { return *db_; }
  const storage::DatabaseUrl& url() const { return url_; }
  const std::string& schema() const { return schema_; }     // PostgreSQL only
  const std::filesystem::path& folder() const { return folder_; }  // SQLite only

  // Runs SQL (no values: fixed benchmark statements only) outside any transaction.
  void execute(const std::string& sql);

 private:
  BenchDatabase() = default;
  void migrate();

  storage::DatabaseUrl url_;
  std::string schema_;
  std::filesystem::path folder_;
  std::unique_ptr<storage::Database> db_;
};

// The schema root (schema/ of the source tree or the installed copy) for the Migrator.
std::filesystem::path bench_schema_root();

}  // namespace mdp::bench
