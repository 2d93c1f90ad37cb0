#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "Interval.hpp"
#include "Migrator.hpp"
#include "Sql.hpp"
#include "StorageTestSupport.hpp"

using namespace mdp::storage;
using namespace mdp::storage::test;

namespace {

class MigratorTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    try {
      db_ = std::make_unique<TestDatabase>(GetParam());
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }
  Database& db() { return db_->db(); }
  std::unique_ptr<TestDatabase> db_;
};

std::int64_t count(Database& db, const std::string& query) {
  Lease lease = db.acquire();
  return sql::Query(lease, "test.count", query).rows()[0].int64(0);
}

std::map<std::string, std::set<std::string>> live_columns(Database& db) {
  Lease lease = db.acquire();
  const char* query =
      db.dialect() == Dialect::PostgreSQL
          ? "SELECT table_name::text, column_name::text FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY 1, 2"
          : "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
            "WHERE m.type = 'table' ORDER BY 1, 2";
  sql::Rows rows = sql::Query(lease, "test.columns", query).rows();
  std::map<std::string, std::set<std::string>> out;
  for (std::size_t i = 0; i < rows.size(); ++i) out[rows[i].text(0)].insert(rows[i].text(1));
  return out;
}

}  // namespace

TEST_P(MigratorTest, EmptyDatabaseReachesLatestVersionAndSecondRunIsANoOp) {
  Migrator migrator(db(), schema_root());
  const MigrationStatus before = migrator.status();
  EXPECT_EQ(before.current_version, 0);
  EXPECT_FALSE(before.up_to_date());

  const MigrationResult first = migrator.migrate();
  const int latest = load_migrations(schema_root() / dialect_name(GetParam())).back().version;
  EXPECT_EQ(first.current_version, latest);
  EXPECT_EQ(first.applied.front(), 1);
  EXPECT_TRUE(migrator.status().up_to_date());
  const auto applied_at = count(db(), "SELECT MAX(applied_at) FROM schema_migrations");

  const MigrationResult second = Migrator(db(), schema_root()).migrate();
  EXPECT_TRUE(second.applied.empty());
  EXPECT_EQ(second.current_version, latest);
  EXPECT_EQ(count(db(), "SELECT COUNT(*) FROM schema_migrations"), static_cast<std::int64_t>(first.applied.size()));
  EXPECT_EQ(count(db(), "SELECT MAX(applied_at) FROM schema_migrations"), applied_at);
  EXPECT_EQ(count(db(), "SELECT COUNT(*) FROM intervals"), 15);
}

TEST_P(MigratorTest, SeedsTheCanonicalIntervalCatalogue) {
  Migrator(db(), schema_root()).migrate();
  Lease lease = db().acquire();
  sql::Rows rows = sql::Query(lease, "test.intervals",
                              "SELECT code, duration_ms, CASE WHEN calendar_month THEN 1 ELSE 0 END "
                              "FROM intervals ORDER BY sort_order")
                       .rows();
  const auto& catalogue = mdp::domain::interval_catalogue();
  ASSERT_EQ(rows.size(), catalogue.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].text(0), catalogue[i].code);
    EXPECT_EQ(rows[i].int64(1), catalogue[i].duration_ms);
    EXPECT_EQ(rows[i].int64(2) == 1, catalogue[i].calendar_month);
  }
}

TEST_P(MigratorTest, EditedAppliedMigrationRefusesToStartNamingTheFile) {
  TempDir dir;
  std::filesystem::copy(schema_root(), dir.path() / "schema", std::filesystem::copy_options::recursive);
  Migrator(db(), dir.path() / "schema").migrate();
  const auto file = dir.path() / "schema" / dialect_name(GetParam()) / "V0001__canonical_metadata.sql";
  std::ofstream(file, std::ios::app) << "\n-- someone edited this after release\n";
  try {
    Migrator(db(), dir.path() / "schema").migrate();
    FAIL() << "tampered migration accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("V0001__canonical_metadata.sql"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("changed after it was applied"), std::string::npos) << e.what();
  }
}

TEST_P(MigratorTest, DatabaseNewerThanBinaryRefusesToStart) {
  Migrator(db(), schema_root()).migrate();
  {
    Lease lease = db().acquire();
    sql::Query(lease, "test.fake_version",
               "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, 'future', 'x', 1)")
        .execute();
  }
  try {
    Migrator(db(), schema_root()).migrate();
    FAIL() << "unknown recorded version accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("V9999"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("newer than this binary"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Migrator(db(), schema_root()).status(), MigrationError);
}

TEST_P(MigratorTest, FailingMigrationLeavesThePreviousVersion) {
  TempDir dir;
  std::filesystem::copy(schema_root(), dir.path() / "schema", std::filesystem::copy_options::recursive);
  const auto folder = dir.path() / "schema" / dialect_name(GetParam());
  std::ofstream(folder / "V0900__broken.sql") << "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;\n";
  try {
    Migrator(db(), dir.path() / "schema").migrate();
    FAIL() << "broken migration accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("V0900__broken.sql"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("THIS IS NOT SQL"), std::string::npos) << e.what();
  }
  const MigrationStatus status = Migrator(db(), dir.path() / "schema").status();
  EXPECT_EQ(status.pending, std::vector<int>{900});
  EXPECT_EQ(count(db(), "SELECT COUNT(*) FROM schema_migrations WHERE version = 900"), 0);
  // The half-created table was rolled back with the failed migration.
  const char* probe = GetParam() == Dialect::PostgreSQL
                          ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
                            "AND table_name = 'half_done'"
                          : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'";
  EXPECT_EQ(count(db(), probe), 0);
}

TEST_P(MigratorTest, OutOfOrderNewFileIsRefused) {
  TempDir dir;
  std::filesystem::copy(schema_root(), dir.path() / "schema", std::filesystem::copy_options::recursive);
  const auto folder = dir.path() / "schema" / dialect_name(GetParam());
  std::ofstream(folder / "V0005__later.sql") << "CREATE TABLE later_t (x INTEGER);\n";
  Migrator(db(), dir.path() / "schema").migrate();
  std::ofstream(folder / "V0003__forgotten.sql") << "CREATE TABLE forgotten_t (x INTEGER);\n";
  try {
    Migrator(db(), dir.path() / "schema").migrate();
    FAIL() << "out-of-order migration accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("V0003__forgotten.sql"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(BothDialects, MigratorTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param_info) { return dialect_name(param_info.param); });

// Both dialects end with the same tables and columns (the live schemas, not just the files).
TEST(MigratorParity, SameTablesAndColumnsInBothDialects) {
  try {
    TestDatabase pg(Dialect::PostgreSQL);
    TestDatabase lite(Dialect::SQLite);
    EXPECT_EQ(Migrator(pg.db(), schema_root()).migrate().current_version,
              Migrator(lite.db(), schema_root()).migrate().current_version);
    const auto pg_columns = live_columns(pg.db());
    const auto lite_columns = live_columns(lite.db());
    EXPECT_EQ(pg_columns, lite_columns);
    EXPECT_TRUE(pg_columns.count("schema_migrations"));
  } catch (const std::runtime_error& e) {
    FAIL() << e.what();
  }
}

// Two hosts starting at once against one PostgreSQL: each migration is applied exactly once.
TEST(MigratorPostgres, ConcurrentStartsApplyOnce) {
  try {
    TestDatabase pg(Dialect::PostgreSQL);
    auto other = pg.open_another();
    MigrationResult a, b;
    std::string error_a, error_b;
    auto run = [](Database& db, MigrationResult& out, std::string& error) {
      try {
        out = Migrator(db, schema_root()).migrate();
      } catch (const std::exception& e) {
        error = e.what();
      }
    };
    std::thread t1(run, std::ref(pg.db()), std::ref(a), std::ref(error_a));
    std::thread t2(run, std::ref(*other), std::ref(b), std::ref(error_b));
    t1.join();
    t2.join();
    EXPECT_EQ(error_a, "");
    EXPECT_EQ(error_b, "");
    EXPECT_EQ(a.current_version, b.current_version);
    EXPECT_EQ(a.applied.size() + b.applied.size(), load_migrations(schema_root() / "postgresql").size());
    EXPECT_EQ(count(pg.db(), "SELECT COUNT(*) FROM intervals"), 15);
  } catch (const std::runtime_error& e) {
    FAIL() << e.what();
  }
}
