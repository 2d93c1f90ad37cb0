#include "BenchDatabase.hpp"

#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "BenchSymbols.hpp"
#include "ExchangeRepository.hpp"
#include "Migrator.hpp"
#include "Sql.hpp"

namespace mdp::bench {
namespace {

std::string unique_suffix() {
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  return std::to_string(::getpid()) + "_" + std::to_string(ticks % 1'000'000'007);
}

}  // namespace

std::filesystem::path bench_schema_root() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return storage::default_schema_dir(ec ? std::filesystem::current_path() : exe.parent_path());
}

std::unique_ptr<BenchDatabase> BenchDatabase::postgresql(const std::string& url) {
  std::unique_ptr<BenchDatabase> out(new BenchDatabase);
  const storage::DatabaseUrl base = storage::parse_database_url(url);
  out->schema_ = "bench_" + unique_suffix();  // digits and '_' only: safe to splice below
  try {
    storage::Database admin(base, storage::DatabaseOptions{});
    storage::Lease lease = admin.acquire();
    storage::sql::execute_script(lease.session(), storage::Dialect::PostgreSQL, "bench.create_schema",
                                 "CREATE SCHEMA " + out->schema_);
  } catch (const storage::DatabaseUnavailable& error) {
    throw std::runtime_error("PostgreSQL at " + base.redacted() + " is unreachable (" + error.what() +
                             "): run scripts/test-db");
  }
  out->url_ = base;
  out->url_.schema = out->schema_;
  out->db_ = std::make_unique<storage::Database>(out->url_, storage::DatabaseOptions{});
  out->migrate();
  return out;
}

std::unique_ptr<BenchDatabase> BenchDatabase::sqlite() {
  std::unique_ptr<BenchDatabase> out(new BenchDatabase);
  out->folder_ = std::filesystem::temp_directory_path() / ("mdp-bench-" + unique_suffix());
  std::filesystem::create_directories(out->folder_);
  out->url_ = storage::parse_database_url("sqlite:" + (out->folder_ / "bench.db").string());
  out->db_ = std::make_unique<storage::Database>(out->url_, storage::DatabaseOptions{});
  out->migrate();
  return out;
}

BenchDatabase::~BenchDatabase() {
  db_.reset();
  std::error_code ec;
  if (!folder_.empty()) std::filesystem::remove_all(folder_, ec);
  if (schema_.empty()) return;
  try {
    storage::DatabaseUrl base = url_;
    base.schema.reset();
    storage::Database admin(base, storage::DatabaseOptions{});
    storage::Lease lease = admin.acquire();
    storage::sql::execute_script(lease.session(), storage::Dialect::PostgreSQL, "bench.drop_schema",
                                 "DROP SCHEMA " + schema_ + " CASCADE");
  } catch (...) {
    // A schema left behind costs nothing but space; never throw from a destructor.
  }
}

void BenchDatabase::execute(const std::string& sql) {
  storage::Lease lease = db_->acquire();
  storage::sql::execute_script(lease.session(), url_.dialect, "bench.execute", sql);
}

void BenchDatabase::migrate() {
  storage::Migrator(*db_, bench_schema_root()).migrate();
  storage::ExchangeRecord record;
  record.id = kBenchExchange;
  record.name = "Benchmark exchange";
  record.plugin_version = "0";
  record.abi = "1.0";
  storage::ExchangeRepository(*db_).upsert(record, 1000);
}

}  // namespace mdp::bench
