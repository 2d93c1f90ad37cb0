// sql::SqliteStatement (compiled once, executed per row with re-bound values) on a real SQLite
// file: values land as bound, the statement runs inside the lease's transaction, value checks
// and error classification match sql::Query's.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "Database.hpp"
#include "DatabaseError.hpp"
#include "Sql.hpp"
#include "SqliteStatement.hpp"
#include "StorageTestSupport.hpp"

using namespace mdp::storage;
using namespace mdp::storage::test;

namespace {

class SqliteStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<TestDatabase>(Dialect::SQLite);
    Lease lease = db().acquire();
    sql::execute_script(lease.session(), Dialect::SQLite, "test.schema",
                        "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT, n INTEGER)");
  }
  Database& db() { return tdb_->db(); }

  std::int64_t count() {
    Lease lease = db().acquire();
    return sql::Query(lease, "test.count", "SELECT count(*) FROM t").rows()[0].int64(0);
  }

  std::unique_ptr<TestDatabase> tdb_;
};

constexpr const char* kInsert = "INSERT INTO t (k, v, n) VALUES (?, ?, ?)";

TEST_F(SqliteStatementTest, OneStatementWritesEveryRowWithItsOwnValues) {
  Lease lease = db().acquire();
  Transaction tx(lease);
  sql::SqliteStatement insert(lease, "test.insert", kInsert);
  EXPECT_EQ(insert.text("k", "a").text("v", "one").int64(1).execute(), 1u);
  EXPECT_EQ(insert.text("k", "b").opt_text("v", std::nullopt).opt_int64(std::nullopt).execute(), 1u);
  EXPECT_EQ(insert.text("k", "c").opt_text("v", std::string("three")).opt_int64(-3).execute(), 1u);
  tx.commit();

  const sql::Rows rows = sql::Query(lease, "test.read", "SELECT k, v, n FROM t ORDER BY k").rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].text(0), "a");
  EXPECT_EQ(rows[0].opt_text(1), "one");
  EXPECT_EQ(rows[0].opt_int64(2), 1);
  EXPECT_EQ(rows[1].opt_text(1), std::nullopt);
  EXPECT_EQ(rows[1].opt_int64(2), std::nullopt);
  EXPECT_EQ(rows[2].opt_text(1), "three");
  EXPECT_EQ(rows[2].opt_int64(2), -3);
}

TEST_F(SqliteStatementTest, ExecuteReturnsTheRowsItChanged) {
  Lease lease = db().acquire();
  sql::SqliteStatement insert(lease, "test.insert", kInsert);
  insert.text("k", "a").text("v", "x").int64(1).execute();
  insert.text("k", "b").text("v", "x").int64(2).execute();
  sql::SqliteStatement update(lease, "test.update", "UPDATE t SET n = ? WHERE v = ?");
  EXPECT_EQ(update.int64(5).text("v", "x").execute(), 2u);
  EXPECT_EQ(update.int64(6).text("v", "nothing").execute(), 0u);
}

TEST_F(SqliteStatementTest, RunsInsideTheLeasesTransaction) {
  {
    Lease lease = db().acquire();
    Transaction tx(lease);
    sql::SqliteStatement insert(lease, "test.insert", kInsert);
    insert.text("k", "a").text("v", "x").int64(1).execute();
  }  // rolled back
  EXPECT_EQ(count(), 0);
}

TEST_F(SqliteStatementTest, ConstraintViolationIsADatabaseErrorAndTheStatementStaysUsable) {
  Lease lease = db().acquire();
  sql::SqliteStatement insert(lease, "test.insert", kInsert);
  insert.text("k", "a").text("v", "x").int64(1).execute();
  try {
    insert.text("k", "a").text("v", "secret-value").int64(2).execute();
    FAIL() << "duplicate key accepted";
  } catch (const DatabaseUnavailable&) {
    FAIL() << "a constraint violation is not transient";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.is_constraint_violation()) << e.what();
    EXPECT_NE(std::string(e.what()).find("test.insert"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret-value"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("INSERT"), std::string::npos) << e.what();
  }
  EXPECT_EQ(insert.text("k", "b").text("v", "y").int64(3).execute(), 1u);
  EXPECT_EQ(count(), 2);
}

TEST_F(SqliteStatementTest, NulByteAndInvalidUtf8AreRefusedBeforeBinding) {
  Lease lease = db().acquire();
  sql::SqliteStatement insert(lease, "test.insert", kInsert);
  EXPECT_THROW(insert.text("k", std::string("a\0b", 3)), InvalidValue);
  sql::SqliteStatement other(lease, "test.insert", kInsert);
  EXPECT_THROW(other.text("k", "\xff"), InvalidValue);
  EXPECT_EQ(count(), 0);
}

TEST_F(SqliteStatementTest, BadSqlIsADatabaseErrorWithoutTheSqlText) {
  Lease lease = db().acquire();
  try {
    sql::SqliteStatement bad(lease, "test.bad", "INSERT INTO no_such_table VALUES (?)");
    FAIL() << "statement on a missing table compiled";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("test.bad"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
  }
}

}  // namespace
