#include "TestDatabases.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>

#include "Database.hpp"
#include "Sql.hpp"
#include "IntegrationPaths.hpp"

namespace mdp::app::integration {
namespace {

// Digits and '_' only: the name goes into CREATE/DROP SCHEMA, which cannot bind it.
std::string unique_schema_name() {
  static std::atomic<int> counter{0};
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count() % 1'000'000'000;
  return "app_it_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(ticks);
}

void run_admin_script(const std::string& context, const std::string& script) {
  const storage::DatabaseUrl base = storage::parse_database_url(test_database_url());
  try {
    storage::Database admin(base);
    storage::Lease lease = admin.acquire();
    storage::sql::execute_script(lease.session(), storage::Dialect::PostgreSQL, context, script);
  } catch (const storage::DatabaseUnavailable& e) {
    throw std::runtime_error("PostgreSQL at " + base.redacted() + " is unreachable (" + e.what() +
                             "): run scripts/test-db to start it and create the test database");
  }
}

}  // namespace

HostDatabase::HostDatabase(storage::Dialect dialect, const std::filesystem::path& work_dir) : dialect_(dialect) {
  if (dialect == storage::Dialect::SQLite) {
    url_ = "sqlite:" + (work_dir / "mdp.db").string();
    return;
  }
  schema_ = unique_schema_name();
  run_admin_script("test.create_schema", "CREATE SCHEMA " + schema_);
  const std::string base = test_database_url();
  url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema_;
}

HostDatabase::~HostDatabase() {
  if (schema_.empty()) return;
  try {
    run_admin_script("test.drop_schema", "DROP SCHEMA " + schema_ + " CASCADE");
  } catch (...) {
  }
}

std::vector<std::string> HostDatabase::migration_rows() const {
  storage::Database db(storage::parse_database_url(url_));
  storage::Lease lease = db.acquire();
  const char* exists = dialect_ == storage::Dialect::PostgreSQL
                           ? "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END"
                           : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
  if (storage::sql::Query(lease, "test.migrations_exist", exists).rows()[0].int64(0) == 0) return {};
  const storage::sql::Rows rows =
      storage::sql::Query(lease, "test.migrations",
                          "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version")
          .rows();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.push_back(std::to_string(rows[i].int64(0)) + "|" + rows[i].text(1) + "|" + rows[i].text(2) + "|" +
                  std::to_string(rows[i].int64(3)));
  }
  return out;
}

std::vector<std::int64_t> HostDatabase::applied_versions() const {
  std::vector<std::int64_t> versions;
  for (const std::string& row : migration_rows()) versions.push_back(std::stoll(row.substr(0, row.find('|'))));
  return versions;
}

}  // namespace mdp::app::integration
