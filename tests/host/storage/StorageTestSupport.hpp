// Test databases for the storage tests: a temp SQLite file, or a fresh PostgreSQL schema in
// the database named by MDP_TEST_DATABASE_URL (dropped afterwards).
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>

#include "Database.hpp"
#include "MarketModel.hpp"

namespace mdp::storage {
// Readable parameter names in gtest output.
inline void PrintTo(Dialect dialect, std::ostream* os) { *os << to_string(dialect); }
}  // namespace mdp::storage

namespace mdp::storage::test {

std::filesystem::path source_dir();
std::filesystem::path schema_root();  // $MDP_SOURCE_DIR/schema
std::string test_database_url();      // MDP_TEST_DATABASE_URL or the default

// A unique temp folder removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Owns a fresh, empty database of one dialect. For PostgreSQL: CREATE SCHEMA t_<unique> and a
// URL with schema=<it>; throws std::runtime_error with a "run scripts/test-db" hint when the
// server is unreachable (callers turn that into a test failure, never a skip).
class TestDatabase {
 public:
  explicit TestDatabase(Dialect dialect, DatabaseOptions options = {});
  ~TestDatabase();
  Database& db() { return *db_; }
  const DatabaseUrl& url() const { return url_; }
  Dialect dialect() const { return dialect_; }
  // Another Database on the same data (e.g. a second host).
  std::unique_ptr<Database> open_another(DatabaseOptions options = {}) const;
  const std::string& schema() const { return schema_; }

 private:
  Dialect dialect_;
  DatabaseUrl url_;
  std::string schema_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<Database> db_;
};

// Migrated database + an exchange row "ex" (symbols need one).
void migrate_and_add_exchange(Database& db, const std::string& exchange = "ex");

domain::Symbol make_symbol(const std::string& base, const std::string& quote = "USDT",
                           domain::MarketType type = domain::MarketType::Spot);

std::string dialect_name(Dialect dialect);

}  // namespace mdp::storage::test
