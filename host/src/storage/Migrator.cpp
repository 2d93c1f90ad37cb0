#include "Migrator.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "Sql.hpp"

namespace mdp::storage {
namespace {

// Applied-migration bookkeeping; created by the migrator itself (not by V0001) so it exists
// before the first migration runs. Same columns in both dialects.
constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " checksum TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

// Fixed key of the migration advisory lock ("mdp-migr" as bytes), distinct from NamedLock keys.
constexpr std::int64_t kMigrationLockKey = 0x6d64702d6d696772LL;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string sha256_hex(const std::string& data) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(data);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

struct Recorded {
  std::string name;
  std::string checksum;
};

std::map<int, Recorded> read_recorded(Poco::Data::Session& session, Dialect dialect) {
  std::map<int, Recorded> out;
  sql::Rows rows = sql::Query(session, dialect, "migrations.read",
                              "SELECT version, name, checksum FROM schema_migrations ORDER BY version")
                       .rows();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out[static_cast<int>(rows[i].int64(0))] = Recorded{rows[i].text(1), rows[i].text(2)};
  }
  return out;
}

bool migrations_table_exists(Poco::Data::Session& session, Dialect dialect) {
  const char* query = dialect == Dialect::PostgreSQL
                          ? "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END"
                          : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
  sql::Rows rows = sql::Query(session, dialect, "migrations.exists", query).rows();
  return !rows.empty() && rows[0].int64(0) > 0;
}

std::string version_label(int version) {
  std::string digits = std::to_string(version);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return "V" + digits;
}

// Checks files against the recorded rows; returns the files still to apply, in order.
std::vector<const MigrationFile*> plan(const std::vector<MigrationFile>& files,
                                       const std::map<int, Recorded>& recorded) {
  std::map<int, const MigrationFile*> by_version;
  for (const auto& file : files) by_version[file.version] = &file;
  for (const auto& [version, row] : recorded) {
    auto it = by_version.find(version);
    if (it == by_version.end()) {
      throw MigrationError("the database has migration " + version_label(version) + " (" + row.name +
                           ") applied, but this build has no such file: the database is newer than "
                           "this binary (or the schema folder is incomplete); refusing to start");
    }
    if (it->second->checksum != row.checksum) {
      throw MigrationError("migration file " + it->second->path.string() +
                           " was changed after it was applied (checksum differs): applied "
                           "migrations must never be edited; restore the file and add a new version");
    }
  }
  const int highest_applied = recorded.empty() ? 0 : recorded.rbegin()->first;
  std::vector<const MigrationFile*> pending;
  for (const auto& file : files) {
    if (recorded.count(file.version)) continue;
    if (file.version < highest_applied) {
      throw MigrationError("migration file " + file.path.string() + " is older than the applied " +
                           version_label(highest_applied) +
                           " but was never applied: give it a version above the latest applied one");
    }
    pending.push_back(&file);
  }
  return pending;
}

}  // namespace

std::vector<MigrationFile> load_migrations(const std::filesystem::path& dialect_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dialect_dir, ec)) {
    throw MigrationError("migration folder " + dialect_dir.string() + " does not exist");
  }
  std::vector<MigrationFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dialect_dir)) {
    const std::string filename = entry.path().filename().string();
    if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
    // V<digits>__<name>.sql
    std::size_t digits_end = 1;
    while (digits_end < filename.size() && std::isdigit(static_cast<unsigned char>(filename[digits_end]))) {
      ++digits_end;
    }
    const bool ok = filename.size() > 4 && filename[0] == 'V' && digits_end > 1 && digits_end <= 10 &&
                    filename.compare(digits_end, 2, "__") == 0 && filename.size() > digits_end + 2 + 4;
    if (!ok) {
      throw MigrationError("migration file " + entry.path().string() +
                           " is not named V<version>__<name>.sql");
    }
    MigrationFile file;
    file.version = std::stoi(filename.substr(1, digits_end - 1));
    if (file.version <= 0) throw MigrationError("migration file " + entry.path().string() + " has version 0");
    file.name = filename.substr(digits_end + 2, filename.size() - digits_end - 2 - 4);
    file.path = entry.path();
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in.good() && !in.eof()) throw MigrationError("cannot read migration file " + entry.path().string());
    std::string text = buffer.str();
    // Line endings do not change meaning: a checkout with CRLF must not look "edited".
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    file.checksum = sha256_hex(text);
    file.sql = std::move(text);
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(),
            [](const MigrationFile& a, const MigrationFile& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < files.size(); ++i) {
    if (files[i].version == files[i - 1].version) {
      throw MigrationError("migration files " + files[i - 1].path.string() + " and " + files[i].path.string() +
                           " have the same version");
    }
  }
  if (files.empty()) throw MigrationError("no migration files in " + dialect_dir.string());
  return files;
}

std::filesystem::path default_schema_dir(const std::filesystem::path& exe_dir) {
  std::error_code ec;
  const std::filesystem::path installed = exe_dir / ".." / "share" / "mdp" / "schema";
  if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
#ifdef MDP_SOURCE_SCHEMA_DIR
  return std::filesystem::path(MDP_SOURCE_SCHEMA_DIR);
#else
  return installed.lexically_normal();
#endif
}

Migrator::Migrator(Database& db, std::filesystem::path schema_root, std::chrono::milliseconds lock_timeout)
    : db_(db),
      dialect_dir_(std::move(schema_root) / std::string(to_string(db.dialect()))),
      lock_timeout_(lock_timeout) {}

MigrationStatus Migrator::status() {
  const std::vector<MigrationFile> files = load_migrations(dialect_dir_);
  MigrationStatus status;
  status.latest_version = files.back().version;
  Lease lease = db_.acquire();
  // Read-only: never creates the bookkeeping table (that happens under the migration lock).
  std::map<int, Recorded> recorded;
  if (migrations_table_exists(lease.session(), db_.dialect())) {
    recorded = read_recorded(lease.session(), db_.dialect());
  }
  status.current_version = recorded.empty() ? 0 : recorded.rbegin()->first;
  for (const MigrationFile* file : plan(files, recorded)) status.pending.push_back(file->version);
  return status;
}

MigrationResult Migrator::migrate() {
  const std::vector<MigrationFile> files = load_migrations(dialect_dir_);
  const Dialect dialect = db_.dialect();

  auto run = [&](Poco::Data::Session& session, std::mutex* writer) {
    sql::execute_script(session, dialect, "migrations.bookkeeping", kCreateMigrationsTable);
    const auto recorded = read_recorded(session, dialect);
    MigrationResult result;
    result.current_version = recorded.empty() ? 0 : recorded.rbegin()->first;
    for (const MigrationFile* file : plan(files, recorded)) {
      Transaction tx(session, dialect, writer);
      try {
        sql::execute_script(session, dialect, "migration " + file->path.filename().string(), file->sql);
      } catch (const DatabaseUnavailable&) {
        throw;
      } catch (const DatabaseError& error) {
        throw MigrationError(std::string(error.what()) + " (in " + file->path.string() + ")");
      }
      sql::Query(session, dialect, "migrations.record",
                 "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)")
          .int64(file->version)
          .text("name", file->name)
          .text("checksum", file->checksum)
          .int64(now_ms())
          .execute();
      tx.commit();
      result.applied.push_back(file->version);
      result.current_version = file->version;
    }
    return result;
  };

  if (dialect == Dialect::SQLite) {
    Lease lease = db_.acquire();
    return run(lease.session(), &db_.writer_mutex());
  }

  // PostgreSQL: a session-level advisory lock on a session that never goes back to a pool
  // (Poco keeps session state across putBack), held for the whole run and released by
  // closing the session. Polled with pg_try_advisory_lock so a stuck peer cannot hang us.
  DedicatedSession dedicated = db_.open_dedicated();  // the lock ends with it, on every path
  Poco::Data::Session& session = dedicated.session();
  const auto deadline = std::chrono::steady_clock::now() + lock_timeout_;
  for (;;) {
    sql::Rows rows = sql::Query(session, dialect, "migrations.lock",
                                "SELECT CASE WHEN pg_try_advisory_lock(?) THEN 1 ELSE 0 END")
                         .int64(kMigrationLockKey)
                         .rows();
    if (!rows.empty() && rows[0].int64(0) == 1) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      throw DatabaseUnavailable("another host has been applying migrations for longer than " +
                                    std::to_string(lock_timeout_.count()) + " ms",
                                "55P03", "lock_not_available");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return run(session, nullptr);
}

}  // namespace mdp::storage
