#include <gtest/gtest.h>

#include <malloc.h>

#include <chrono>
#include <cstddef>
#include <iostream>
#include <thread>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MDP_HAS_ASAN 1
#endif
#endif
#ifndef MDP_HAS_ASAN
#define MDP_HAS_ASAN 0
#endif
#if defined(__SANITIZE_ADDRESS__) || MDP_HAS_ASAN
#include <sanitizer/allocator_interface.h>
#endif

#include "Database.hpp"
#include "Migrator.hpp"
#include "Sql.hpp"
#include "StorageTestSupport.hpp"

using namespace mdp::storage;
using namespace mdp::storage::test;
using namespace std::chrono_literals;

namespace {

class DatabaseTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void open(DatabaseOptions options = {}) {
    try {
      tdb_ = std::make_unique<TestDatabase>(GetParam(), options);
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }
  Database& db() { return tdb_->db(); }
  std::unique_ptr<TestDatabase> tdb_;
};

std::int64_t count(Database& db, const std::string& query) {
  Lease lease = db.acquire();
  return sql::Query(lease, "test.count", query).rows()[0].int64(0);
}

}  // namespace

TEST_P(DatabaseTest, PoolExhaustionWaitsThenFailsWithDatabaseUnavailable) {
  DatabaseOptions options;
  options.max_sessions = 2;
  options.acquire_timeout = 300ms;
  open(options);
  ASSERT_TRUE(tdb_);
  Lease a = db().acquire();
  Lease b = db().acquire();
  EXPECT_EQ(db().stats().in_use, 2u);
  const auto start = std::chrono::steady_clock::now();
  try {
    Lease c = db().acquire();
    FAIL() << "third lease granted from a pool of 2";
  } catch (const DatabaseUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("300 ms"), std::string::npos) << e.what();
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 280ms);
  EXPECT_LT(waited, 3s);

  // A waiter gets the session as soon as one comes back.
  std::thread releaser([lease = std::move(a)]() mutable {
    std::this_thread::sleep_for(100ms);
    Lease dropped = std::move(lease);
  });
  Lease c = db().acquire();
  releaser.join();
  EXPECT_EQ(db().stats().in_use, 2u);
}

TEST_P(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  open();
  ASSERT_TRUE(tdb_);
  {
    Lease lease = db().acquire();
    sql::execute_script(lease.session(), db().dialect(), "test.ddl", "CREATE TABLE tx_probe (x INTEGER)");
  }
  {
    Lease lease = db().acquire();
    Transaction tx(lease);
    sql::Query(lease, "test.insert", "INSERT INTO tx_probe (x) VALUES (?)").int64(1).execute();
  }  // no commit
  EXPECT_EQ(count(db(), "SELECT COUNT(*) FROM tx_probe"), 0);
  {
    Lease lease = db().acquire();
    Transaction tx(lease);
    sql::Query(lease, "test.insert", "INSERT INTO tx_probe (x) VALUES (?)").int64(2).execute();
    tx.commit();
  }
  EXPECT_EQ(count(db(), "SELECT COUNT(*) FROM tx_probe"), 1);
}

TEST_P(DatabaseTest, ErrorsCarryNoSqlTextOrValues) {
  open();
  ASSERT_TRUE(tdb_);
  Migrator(db(), schema_root()).migrate();
  Lease lease = db().acquire();
  try {
    sql::Query(lease, "exchanges.test_insert",
               "INSERT INTO exchanges (id, name, status, updated_at) VALUES (?, ?, ?, ?)")
        .text("id", "ok_id")
        .text("name", "secret-looking-value")
        .text("status", "bogus")
        .int64(1)
        .execute();
    FAIL() << "check constraint not enforced";
  } catch (const DatabaseError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("exchanges.test_insert"), std::string::npos) << message;
    EXPECT_EQ(message.find("INSERT"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret-looking-value"), std::string::npos) << message;
    EXPECT_TRUE(e.is_constraint_violation()) << message;
    if (GetParam() == Dialect::PostgreSQL) {
      EXPECT_EQ(e.sqlstate(), "23514");
      EXPECT_EQ(e.reason(), "check_violation");
    }
  }
  try {
    sql::Query(lease, "test.syntax", "SELEKT nonsense FROM nowhere").rows();
    FAIL();
  } catch (const DatabaseError& e) {
    EXPECT_EQ(std::string(e.what()).find("SELEKT"), std::string::npos) << e.what();
    if (GetParam() == Dialect::PostgreSQL) {
      EXPECT_EQ(e.sqlstate(), "42601");
    }
  }
  // The session is still usable afterwards.
  EXPECT_EQ(sql::Query(lease, "test.after", "SELECT 7").rows()[0].int64(0), 7);
}

TEST_P(DatabaseTest, NamedLockIsExclusiveUntilReleased) {
  open();
  ASSERT_TRUE(tdb_);
  auto other = tdb_->open_another();
  auto lock = db().try_lock("sync:ex");
  ASSERT_TRUE(lock);
  EXPECT_TRUE(lock->still_held());
  if (GetParam() == Dialect::PostgreSQL) {
    EXPECT_FALSE(other->try_lock("sync:ex"));  // another "host"
    EXPECT_EQ(db().stats().in_use, 0u);        // the lock's session is not from the pool
  } else {
    EXPECT_FALSE(db().try_lock("sync:ex"));
  }
  EXPECT_TRUE(db().try_lock("sync:other"));
  lock.reset();
  auto again = GetParam() == Dialect::PostgreSQL ? other->try_lock("sync:ex") : db().try_lock("sync:ex");
  EXPECT_TRUE(again);
}

TEST_P(DatabaseTest, PingAndStats) {
  open();
  ASSERT_TRUE(tdb_);
  EXPECT_TRUE(db().ping());
  EXPECT_EQ(db().stats().in_use, 0u);
  EXPECT_FALSE(db().stats().marked_down);
}

INSTANTIATE_TEST_SUITE_P(BothDialects, DatabaseTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param_info) { return dialect_name(param_info.param); });

TEST(DatabaseSqlite, InMemoryKeepsOneConnectionAndItsData) {
  Database db(parse_database_url("sqlite::memory:"), DatabaseOptions{});
  EXPECT_EQ(db.options().max_sessions, 1u);
  Migrator(db, schema_root()).migrate();
  EXPECT_EQ(count(db, "SELECT COUNT(*) FROM intervals"), 15);
}

TEST(DatabaseSqlite, PragmasAreSetOnEveryConnection) {
  TestDatabase tdb(Dialect::SQLite);
  Lease lease = tdb.db().acquire();
  EXPECT_EQ(sql::Query(lease, "t", "PRAGMA foreign_keys").rows()[0].int64(0), 1);
  EXPECT_EQ(sql::Query(lease, "t", "PRAGMA journal_mode").rows()[0].text(0), "wal");
  EXPECT_EQ(sql::Query(lease, "t", "PRAGMA busy_timeout").rows()[0].int64(0), 5000);
}

TEST(DatabasePostgres, UnreachableServerGivesDatabaseUnavailableAndThenFailsFast) {
  DatabaseOptions options;
  options.probe_interval = 60s;
  Database db(parse_database_url("postgresql://mdp:hunter2@127.0.0.1:1/nowhere?connect_timeout=2"), options);
  EXPECT_FALSE(db.ping());
  try {
    db.acquire();
    FAIL();
  } catch (const DatabaseUnavailable& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(db.stats().marked_down);
  // While marked down, no new connection attempt (each leaks an fd in Poco 1.11) is made.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) EXPECT_THROW(db.acquire(), DatabaseUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(DatabasePostgres, WrongPasswordIsUnavailableWithoutThePasswordAndRetriesAreCapped) {
  DatabaseUrl url = parse_database_url(test_database_url());
  url.password = "definitely-wrong-pw";
  DatabaseOptions options;
  options.probe_interval = 60s;
  Database db(url, options);
  for (int i = 0; i < 20; ++i) {
    try {
      db.acquire();
      FAIL() << "login with a wrong password succeeded";
    } catch (const DatabaseUnavailable& e) {
      EXPECT_EQ(std::string(e.what()).find("definitely-wrong-pw"), std::string::npos) << e.what();
    }
  }
  // The server answers PQping, so the second call tries to log in again; after that the
  // breaker holds further attempts for probe_interval.
  EXPECT_TRUE(db.stats().marked_down);
}

TEST(DatabasePostgres, BrokenSessionIsRepairedOnBorrow) {
  DatabaseOptions options;
  options.max_sessions = 1;
  std::unique_ptr<TestDatabase> tdb;
  try {
    tdb = std::make_unique<TestDatabase>(Dialect::PostgreSQL, options);
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  std::int64_t pid = 0;
  {
    Lease lease = tdb->db().acquire();
    pid = sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0);
  }
  // Kill the pooled backend from another connection, as a server restart would.
  {
    auto killer = tdb->open_another();
    Lease lease = killer->acquire();
    sql::Query(lease, "t", "SELECT CASE WHEN pg_terminate_backend(CAST(? AS INTEGER)) THEN 1 ELSE 0 END")
        .int64(pid)
        .rows();
  }
  std::this_thread::sleep_for(200ms);
  // The dead session fails once (libpq only notices on a round trip); the next borrow
  // validates and reconnects it in place.
  bool failed_once = false;
  try {
    Lease lease = tdb->db().acquire();
    sql::Query(lease, "t", "SELECT 1").rows();
  } catch (const DatabaseUnavailable& e) {
    failed_once = true;
    EXPECT_TRUE(is_connection_loss(e)) << e.what();
  }
  EXPECT_TRUE(failed_once);
  Lease lease = tdb->db().acquire();
  EXPECT_NE(sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0), pid);
  // search_path survived the reconnect (configure_session ran again).
  EXPECT_EQ(sql::Query(lease, "t", "SELECT current_schema()").rows()[0].text(0), tdb->schema());
}

TEST(DatabasePostgres, WithLeaseRetriesAReadOnceAfterConnectionLoss) {
  DatabaseOptions options;
  options.max_sessions = 1;
  std::unique_ptr<TestDatabase> tdb;
  try {
    tdb = std::make_unique<TestDatabase>(Dialect::PostgreSQL, options);
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  std::int64_t pid = 0;
  {
    Lease lease = tdb->db().acquire();
    pid = sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0);
  }
  {
    auto killer = tdb->open_another();
    Lease lease = killer->acquire();
    sql::Query(lease, "t", "SELECT CASE WHEN pg_terminate_backend(CAST(? AS INTEGER)) THEN 1 ELSE 0 END")
        .int64(pid)
        .rows();
  }
  std::this_thread::sleep_for(200ms);
  int calls = 0;
  const std::int64_t value = tdb->db().with_lease(
      [&](Lease& lease) {
        ++calls;
        return sql::Query(lease, "t", "SELECT 42").rows()[0].int64(0);
      },
      true);
  EXPECT_EQ(value, 42);
  EXPECT_EQ(calls, 2);
}

// RELIABILITY D2: after a server-side disconnect of every pooled session, at most one request
// fails; the failure marks the others for validation on their next borrow.
TEST(DatabasePostgres, AtMostOneFailureAfterAllSessionsDie) {
  DatabaseOptions options;
  options.max_sessions = 3;
  std::unique_ptr<TestDatabase> tdb;
  try {
    tdb = std::make_unique<TestDatabase>(Dialect::PostgreSQL, options);
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  std::vector<std::int64_t> pids;
  {
    std::vector<Lease> leases;
    for (int i = 0; i < 3; ++i) leases.push_back(tdb->db().acquire());
    for (auto& lease : leases) pids.push_back(sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0));
  }
  {
    auto killer = tdb->open_another();
    Lease lease = killer->acquire();
    for (auto pid : pids) {
      sql::Query(lease, "t", "SELECT CASE WHEN pg_terminate_backend(CAST(? AS INTEGER)) THEN 1 ELSE 0 END")
          .int64(pid)
          .rows();
    }
  }
  std::this_thread::sleep_for(200ms);
  int failures = 0;
  for (int i = 0; i < 6; ++i) {
    try {
      Lease lease = tdb->db().acquire();
      sql::Query(lease, "t", "SELECT 1").rows();
    } catch (const DatabaseUnavailable&) {
      ++failures;
    }
  }
  EXPECT_LE(failures, 1);
}

// RELIABILITY D10: statement_timeout (from the URL) cancels a long statement; the error is
// DatabaseUnavailable 57014 without the SQL text, and the same session serves the next borrower.
TEST(DatabasePostgres, StatementTimeoutCancelsALongStatementAndTheSessionIsReused) {
  std::unique_ptr<TestDatabase> tdb;
  try {
    tdb = std::make_unique<TestDatabase>(Dialect::PostgreSQL);
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  DatabaseUrl url = tdb->url();
  url.statement_timeout_ms = 300;
  DatabaseOptions options;
  options.max_sessions = 1;
  Database db(url, options);
  std::int64_t pid = 0;
  {
    Lease lease = db.acquire();
    pid = sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0);
    bool canceled = false;
    try {
      sql::Query(lease, "test.long", "SELECT 1 FROM (SELECT pg_sleep(30)) AS s").rows();
    } catch (const DatabaseUnavailable& e) {
      canceled = true;
      EXPECT_EQ(e.sqlstate(), "57014") << e.what();
      EXPECT_EQ(e.reason(), "query_canceled") << e.what();
      EXPECT_EQ(std::string(e.what()).find("pg_sleep"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find(url.password), std::string::npos) << e.what();
    }
    EXPECT_TRUE(canceled) << "pg_sleep(30) was not canceled by statement_timeout";
  }
  EXPECT_FALSE(db.stats().marked_down);
  Lease lease = db.acquire();
  EXPECT_EQ(sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0), pid);
  EXPECT_EQ(sql::Query(lease, "t", "SELECT 7").rows()[0].int64(0), 7);
}

// RELIABILITY D10: a session given back inside a failed transaction is rolled back before the
// next borrower gets it: through Transaction (its destructor) and when the transaction was
// opened behind the pool's back (a raw BEGIN, which Poco's own rollback-on-close ignores).
TEST(DatabasePostgres, ASessionLeftInAFailedTransactionIsRolledBackBeforeReuse) {
  DatabaseOptions options;
  options.max_sessions = 1;
  std::unique_ptr<TestDatabase> tdb;
  try {
    tdb = std::make_unique<TestDatabase>(Dialect::PostgreSQL, options);
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  Database& db = tdb->db();
  std::int64_t pid = 0;
  {
    Lease lease = db.acquire();
    pid = sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0);
    sql::execute_script(lease.session(), db.dialect(), "test.ddl", "CREATE TABLE failed_tx (x INTEGER)");
  }
  {
    Lease lease = db.acquire();
    Transaction tx(lease);
    sql::Query(lease, "t", "INSERT INTO failed_tx (x) VALUES (1)").execute();
    EXPECT_THROW(sql::Query(lease, "t", "SELEKT 1").rows(), DatabaseError);
  }  // neither committed nor rolled back explicitly
  {
    Lease lease = db.acquire();
    EXPECT_EQ(sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0), pid);
    EXPECT_EQ(sql::Query(lease, "t", "SELECT COUNT(*) FROM failed_tx").rows()[0].int64(0), 0);
  }
  {
    Lease lease = db.acquire();
    sql::Query(lease, "t", "BEGIN").execute();
    sql::Query(lease, "t", "INSERT INTO failed_tx (x) VALUES (2)").execute();
    EXPECT_THROW(sql::Query(lease, "t", "SELEKT 1").rows(), DatabaseError);
  }  // given back in state "in failed transaction"
  Lease lease = db.acquire();
  EXPECT_EQ(sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0), pid);
  try {
    EXPECT_EQ(sql::Query(lease, "t", "SELECT COUNT(*) FROM failed_tx").rows()[0].int64(0), 0);
  } catch (const DatabaseError& e) {
    FAIL() << "the next borrower inherited the failed transaction: " << e.what() << " (" << e.sqlstate() << ")";
  }
  // And the next write is its own, committed normally.
  {
    Transaction tx(lease);
    sql::Query(lease, "t", "INSERT INTO failed_tx (x) VALUES (3)").execute();
    tx.commit();
  }
  EXPECT_EQ(sql::Query(lease, "t", "SELECT COUNT(*) FROM failed_tx").rows()[0].int64(0), 1);
}

namespace {

// Bytes the allocator has handed out and not had back (ASan's own allocator under ASan).
std::size_t heap_bytes_in_use() {
#if defined(__SANITIZE_ADDRESS__) || MDP_HAS_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

}  // namespace

// Poco 1.11 never PQfinish()es a connection whose server went away, so each broken session
// the pool drops would keep its PGconn and buffers (≥ 32 KB) for good; Database finishes
// them itself. 40 sessions killed mid-lease must not grow the heap by anything like that.
TEST(DatabasePostgres, ASessionBrokenWhileLeasedIsFinishedNotLeaked) {
  DatabaseOptions options;
  options.max_sessions = 1;
  options.probe_interval = 1ms;  // each kill is a "repeated failure"; do not wait between them
  std::unique_ptr<TestDatabase> tdb;
  std::unique_ptr<Database> killer;
  try {
    tdb = std::make_unique<TestDatabase>(Dialect::PostgreSQL, options);
    killer = tdb->open_another();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  const auto break_one_session = [&] {
    Lease lease = tdb->db().acquire();
    const std::int64_t pid = sql::Query(lease, "t", "SELECT pg_backend_pid()").rows()[0].int64(0);
    {
      Lease kill = killer->acquire();
      sql::Query(kill, "t", "SELECT CASE WHEN pg_terminate_backend(CAST(? AS INTEGER)) THEN 1 ELSE 0 END")
          .int64(pid)
          .rows();
      for (int i = 0; i < 200; ++i) {
        const auto alive = sql::Query(kill, "t", "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = CAST(? AS INTEGER)")
                               .int64(pid)
                               .rows()[0]
                               .int64(0);
        if (alive == 0) break;
        std::this_thread::sleep_for(5ms);
      }
    }
    EXPECT_THROW(sql::Query(lease, "t", "SELECT 1").rows(), DatabaseUnavailable);
  };
  const auto acquire_after_failure = [&] {
    for (int i = 0; i < 100; ++i) {
      try {
        Lease lease = tdb->db().acquire();
        return;
      } catch (const DatabaseUnavailable&) {
        std::this_thread::sleep_for(10ms);  // the breaker's PQping is due in ping_interval
      }
    }
    FAIL() << "the database never answered again";
  };

  for (int i = 0; i < 5; ++i) {  // warm-up: libpq, OpenSSL and Poco caches fill once
    break_one_session();
    acquire_after_failure();
  }
  const std::size_t before = heap_bytes_in_use();
  constexpr int kBroken = 40;
  for (int i = 0; i < kBroken; ++i) {
    break_one_session();
    acquire_after_failure();
  }
  const std::size_t after = heap_bytes_in_use();
  const std::ptrdiff_t growth = static_cast<std::ptrdiff_t>(after) - static_cast<std::ptrdiff_t>(before);
  std::cout << "[figures] heap growth over " << kBroken << " broken sessions: " << growth << " bytes" << std::endl;
  EXPECT_LT(growth, kBroken * 4 * 1024) << "broken sessions are leaking their connections";
}

// The same for the dedicated session under a NamedLock: a lock whose connection the server
// dropped reports itself lost, and ending it finishes the connection instead of leaking it.
TEST(DatabasePostgres, ANamedLockWhoseConnectionDiedIsFinishedNotLeaked) {
  std::unique_ptr<TestDatabase> tdb;
  std::unique_ptr<Database> killer;
  try {
    DatabaseOptions options;
    options.probe_interval = 1ms;
    tdb = std::make_unique<TestDatabase>(Dialect::PostgreSQL, options);
    killer = tdb->open_another();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  const std::string name = "leak-check";
  const std::int64_t key = tdb->db().advisory_key(name);
  const auto lose_one_lock = [&] {
    std::unique_ptr<NamedLock> lock;
    for (int i = 0; i < 100 && !lock; ++i) {
      try {
        lock = tdb->db().try_lock(name);
      } catch (const DatabaseUnavailable&) {
        std::this_thread::sleep_for(10ms);  // marked down by the last kill; the probe follows
      }
    }
    ASSERT_TRUE(lock);
    Lease kill = killer->acquire();
    const char* holder =
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND ((classid::bigint << 32) | objid::bigint) = ?";
    const sql::Rows rows = sql::Query(kill, "t", holder).int64(key).rows();
    ASSERT_EQ(rows.size(), 1u);
    const std::int64_t pid = rows[0].int64(0);
    sql::Query(kill, "t", "SELECT CASE WHEN pg_terminate_backend(CAST(? AS INTEGER)) THEN 1 ELSE 0 END")
        .int64(pid)
        .rows();
    for (int i = 0; i < 200 && lock->still_held(); ++i) std::this_thread::sleep_for(5ms);
    EXPECT_FALSE(lock->still_held());
  };

  for (int i = 0; i < 5; ++i) lose_one_lock();  // warm-up
  const std::size_t before = heap_bytes_in_use();
  constexpr int kLost = 40;
  for (int i = 0; i < kLost; ++i) lose_one_lock();
  const std::ptrdiff_t growth =
      static_cast<std::ptrdiff_t>(heap_bytes_in_use()) - static_cast<std::ptrdiff_t>(before);
  std::cout << "[figures] heap growth over " << kLost << " lost locks: " << growth << " bytes" << std::endl;
  EXPECT_LT(growth, kLost * 4 * 1024) << "dedicated sessions are leaking their connections";
}
