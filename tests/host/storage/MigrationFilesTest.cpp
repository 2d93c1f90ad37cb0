#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

#include "DatabaseError.hpp"
#include "Migrator.hpp"

using namespace mdp::storage;

namespace {
std::filesystem::path schema_root() {
  const char* dir = std::getenv("MDP_SOURCE_DIR");
  if (!dir) throw std::runtime_error("MDP_SOURCE_DIR is not set (run through ctest)");
  return std::filesystem::path(dir) / "schema";
}

// table -> column names, read from the CREATE TABLE statements of one dialect's files.
std::map<std::string, std::set<std::string>> declared_columns(const std::filesystem::path& dir) {
  std::map<std::string, std::set<std::string>> out;
  const std::regex table(R"re(CREATE TABLE (\w+) \(([\s\S]*?)\n\);)re");
  const std::regex column(R"re(^\s+"?(\w+)"?\s+(TEXT|BIGINT|INTEGER|NUMERIC|BOOLEAN))re");
  for (const auto& file : load_migrations(dir)) {
    for (std::sregex_iterator it(file.sql.begin(), file.sql.end(), table), end; it != end; ++it) {
      std::set<std::string>& columns = out[(*it)[1]];
      std::istringstream body((*it)[2].str());
      for (std::string line; std::getline(body, line);) {
        std::smatch m;
        if (std::regex_search(line, m, column)) columns.insert(m[1]);
      }
    }
  }
  return out;
}
}  // namespace

TEST(MigrationFiles, BothDialectsHaveTheSameVersionsAndNames) {
  const auto pg = load_migrations(schema_root() / "postgresql");
  const auto lite = load_migrations(schema_root() / "sqlite");
  ASSERT_EQ(pg.size(), lite.size());
  for (std::size_t i = 0; i < pg.size(); ++i) {
    EXPECT_EQ(pg[i].version, lite[i].version);
    EXPECT_EQ(pg[i].name, lite[i].name);
  }
  EXPECT_EQ(pg.front().version, 1);
  EXPECT_EQ(pg.front().name, "canonical_metadata");
  EXPECT_EQ(pg.front().checksum.size(), 64u);
}

TEST(MigrationFiles, BothDialectsDeclareTheSameTablesAndColumns) {
  const auto pg = declared_columns(schema_root() / "postgresql");
  const auto lite = declared_columns(schema_root() / "sqlite");
  EXPECT_EQ(pg, lite);
  for (const char* table : {"exchanges", "intervals", "exchange_intervals", "symbols", "symbol_changes",
                            "sync_runs", "api_clients"}) {
    EXPECT_TRUE(pg.count(table)) << table;
  }
  EXPECT_EQ(pg.at("symbols").size(), 24u);
}

TEST(MigrationFiles, RejectsBadNamesAndDuplicateVersions) {
  const auto dir = std::filesystem::temp_directory_path() / ("mdp-migr-files-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "V0001__a.sql") << "SELECT 1;";
  std::ofstream(dir / "README.md") << "ignored";
  EXPECT_EQ(load_migrations(dir).size(), 1u);
  std::ofstream(dir / "V1__b.sql") << "SELECT 1;";
  try {
    load_migrations(dir);
    ADD_FAILURE() << "duplicate version accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("same version"), std::string::npos);
  }
  std::filesystem::remove(dir / "V1__b.sql");
  std::ofstream(dir / "2_bad.sql") << "SELECT 1;";
  try {
    load_migrations(dir);
    ADD_FAILURE() << "bad name accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("2_bad.sql"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
  EXPECT_THROW(load_migrations(dir), MigrationError);
}

TEST(MigrationFiles, ChecksumIgnoresCarriageReturns) {
  const auto dir = std::filesystem::temp_directory_path() / ("mdp-migr-crlf-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / "b");
  std::ofstream(dir / "a" / "V0001__x.sql", std::ios::binary) << "SELECT 1;\nSELECT 2;\n";
  std::ofstream(dir / "b" / "V0001__x.sql", std::ios::binary) << "SELECT 1;\r\nSELECT 2;\r\n";
  EXPECT_EQ(load_migrations(dir / "a")[0].checksum, load_migrations(dir / "b")[0].checksum);
  std::filesystem::remove_all(dir);
}
