// Applies schema/<dialect>/V<version>__<name>.sql in version order at start.
// - Each migration runs in its own transaction together with its schema_migrations row
//   (version, name, checksum = SHA-256 of the file, applied_at), so a failure leaves the
//   database at the previous version.
// - A second run with nothing new changes nothing.
// - An applied migration whose file changed stops the start (MigrationError naming the
//   file): released migrations are never edited; add a new version instead.
// - A recorded version with no file (the database is newer than this binary), or a new file
//   older than an applied version, stops the start too.
// - PostgreSQL: the whole run holds an advisory lock on a dedicated (non-pooled) session,
//   so two hosts starting at once apply each migration exactly once.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "Database.hpp"

namespace mdp::storage {

struct MigrationFile {
  int version = 0;
  std::string name;               // part after "__", without ".sql"
  std::filesystem::path path;
  std::string checksum;           // lowercase hex SHA-256 of the file (CRLF read as LF)
  std::string sql;
};

struct MigrationStatus {
  int current_version = 0;        // highest applied version (0 = empty database)
  int latest_version = 0;         // highest version among the files
  std::vector<int> pending;       // versions not applied yet
  bool up_to_date() const { return pending.empty(); }
};

struct MigrationResult {
  std::vector<int> applied;       // versions applied by this run (empty on a re-run)
  int current_version = 0;
};

// Reads and validates the migration files of one dialect folder (e.g. schema/postgresql).
// Throws MigrationError (bad name, duplicate version, unreadable file, empty folder).
std::vector<MigrationFile> load_migrations(const std::filesystem::path& dialect_dir);

// The schema root to use when none is configured: <exe dir>/../share/mdp/schema when it
// exists, else the source tree's schema/ (developer builds).
std::filesystem::path default_schema_dir(const std::filesystem::path& exe_dir);

class Migrator {
 public:
  // `schema_root` holds postgresql/ and sqlite/ (the repository's schema/ folder).
  Migrator(Database& db, std::filesystem::path schema_root,
           std::chrono::milliseconds lock_timeout = std::chrono::seconds(60));

  // Applies pending migrations. Throws MigrationError (tampered file, unknown recorded
  // version, out-of-order file), DatabaseError / DatabaseUnavailable.
  MigrationResult migrate();

  // Compares files and schema_migrations without changing anything (for /ready).
  MigrationStatus status();

  const std::filesystem::path& dialect_dir() const { return dialect_dir_; }

 private:
  Database& db_;
  std::filesystem::path dialect_dir_;
  std::chrono::milliseconds lock_timeout_;
};

}  // namespace mdp::storage
