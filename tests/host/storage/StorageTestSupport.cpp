#include "StorageTestSupport.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <unistd.h>

#include "ExchangeRepository.hpp"
#include "Migrator.hpp"
#include "Sql.hpp"

namespace mdp::storage::test {
namespace {
std::string unique_suffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}
}  // namespace

std::filesystem::path source_dir() {
  const char* dir = std::getenv("MDP_SOURCE_DIR");
  if (!dir || !*dir) throw std::runtime_error("MDP_SOURCE_DIR is not set (run the tests through ctest)");
  return dir;
}

std::filesystem::path schema_root() { return source_dir() / "schema"; }

std::string test_database_url() {
  const char* url = std::getenv("MDP_TEST_DATABASE_URL");
  return url && *url ? url : "postgresql://mdp:mdp@127.0.0.1:5432/mdp_test";
}

std::string dialect_name(Dialect dialect) { return std::string(to_string(dialect)); }

TempDir::TempDir() {
  path_ = std::filesystem::temp_directory_path() / ("mdp-storage-test-" + unique_suffix());
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TestDatabase::TestDatabase(Dialect dialect, DatabaseOptions options) : dialect_(dialect) {
  if (dialect == Dialect::SQLite) {
    dir_ = std::make_unique<TempDir>();
    url_ = parse_database_url("sqlite:" + (dir_->path() / "test.db").string());
    db_ = std::make_unique<Database>(url_, options);
    return;
  }
  const DatabaseUrl base = parse_database_url(test_database_url());
  schema_ = "t_" + unique_suffix();
  try {
    Database admin(base, DatabaseOptions{});
    Lease lease = admin.acquire();
    // The schema name is generated above (digits and '_'), never external input.
    sql::execute_script(lease.session(), Dialect::PostgreSQL, "test.create_schema", "CREATE SCHEMA " + schema_);
  } catch (const DatabaseUnavailable& error) {
    throw std::runtime_error("PostgreSQL at " + base.redacted() + " is unreachable (" + error.what() +
                             "): run scripts/test-db to start it and create the test database");
  }
  url_ = base;
  url_.schema = schema_;
  db_ = std::make_unique<Database>(url_, options);
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (dialect_ == Dialect::PostgreSQL && !schema_.empty()) {
    try {
      DatabaseUrl base = url_;
      base.schema.reset();
      Database admin(base, DatabaseOptions{});
      Lease lease = admin.acquire();
      sql::execute_script(lease.session(), Dialect::PostgreSQL, "test.drop_schema",
                          "DROP SCHEMA " + schema_ + " CASCADE");
    } catch (...) {
    }
  }
}

std::unique_ptr<Database> TestDatabase::open_another(DatabaseOptions options) const {
  return std::make_unique<Database>(url_, options);
}

void migrate_and_add_exchange(Database& db, const std::string& exchange) {
  Migrator(db, schema_root()).migrate();
  ExchangeRecord record;
  record.id = exchange;
  record.name = "Exchange " + exchange;
  record.plugin_version = "1.0.0";
  record.abi = "1.0";
  ExchangeRepository(db).upsert(record, 1000);
}

domain::Symbol make_symbol(const std::string& base, const std::string& quote, domain::MarketType type) {
  domain::Symbol s;
  s.exchange = "ex";
  s.market_type = type;
  s.base = base;
  s.quote = quote;
  if (type == domain::MarketType::Spot) {
    s.symbol = base + "/" + quote;
    s.native_symbol = base + quote;
  } else {
    s.symbol = base + "/" + quote + ":" + quote;
    s.native_symbol = base + quote + "_PERP";
    s.settle = quote;
    s.contract_size = "1";
  }
  s.status = domain::SymbolStatus::Trading;
  s.tick_size = "0.01";
  s.lot_step = "0.001";
  s.min_qty = "0.001";
  s.min_notional = "5";
  s.price_max_decimals = 2;
  s.native_status = "TRADING";
  s.listed_at_ms = 1500000000000;
  return s;
}

}  // namespace mdp::storage::test
