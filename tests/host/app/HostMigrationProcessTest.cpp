// Issue 2, "Done when" (migrations), with the real mdp-host binary on SQLite and PostgreSQL:
// an empty database reaches the latest version of its dialect (the same in both); a second
// start changes nothing in schema_migrations; an applied migration edited on disk stops the
// start with a message naming the file and exit status 70 (docs/operations.md).
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <string>
#include <vector>

#include "HostConfigFile.hpp"
#include "HostProcess.hpp"
#include "IntegrationPaths.hpp"
#include "Migrator.hpp"
#include "ScratchDir.hpp"
#include "TestDatabases.hpp"

namespace mdp::storage {
// Readable parameter names in gtest output.
inline void PrintTo(Dialect dialect, std::ostream* os) { *os << to_string(dialect); }
}  // namespace mdp::storage

namespace mdp::app::integration {
namespace {

constexpr int kExitCannotStart = 70;  // docs/operations.md: "the host cannot start"

std::string dialect_folder(storage::Dialect dialect) {
  return dialect == storage::Dialect::PostgreSQL ? "postgresql" : "sqlite";
}

std::vector<std::int64_t> file_versions(const std::filesystem::path& schema_root, storage::Dialect dialect) {
  std::vector<std::int64_t> versions;
  for (const auto& file : storage::load_migrations(schema_root / dialect_folder(dialect))) {
    versions.push_back(file.version);
  }
  return versions;
}

class HostMigrations : public ::testing::TestWithParam<storage::Dialect> {
 protected:
  void SetUp() override {
    // A private copy of schema/, so the test can edit an applied migration.
    schema_ = work_ / "schema";
    std::filesystem::copy(schema_dir(), schema_, std::filesystem::copy_options::recursive);
    database_ = std::make_unique<HostDatabase>(GetParam(), work_.path());
    HostSettings settings = base_host_settings(work_.path());
    settings["database.url"] = database_->url();
    settings["database.schema_dir"] = schema_.string();
    work_.make_dir("plugins");
    config_ = write_host_config(work_ / "mdp.properties", settings);
  }

  // Starts a host, waits until it serves, stops it with SIGTERM; returns its output.
  std::string start_and_stop(const std::string& name) {
    HostProcess host(host_binary(), {"--config", config_.string(), "--dev"}, work_.path(), {}, name);
    const auto port = host.wait_for_listening_port();
    EXPECT_TRUE(port.has_value()) << name << " did not start listening:\n" << host.output();
    host.signal(SIGTERM);
    const auto status = host.wait_for_exit();
    EXPECT_TRUE(status.has_value()) << name << " did not stop after SIGTERM:\n" << host.output();
    if (status) {
      EXPECT_TRUE(status->exited && status->code == 0) << name << ": " << describe(*status);
    }
    return host.output();
  }

  std::filesystem::path first_migration_file() const {
    const auto files = storage::load_migrations(schema_ / dialect_folder(GetParam()));
    if (files.empty()) throw std::runtime_error("no migration files in the copied schema");
    return files.front().path;
  }

  ScratchDir work_{"mdp-host-migrations"};
  std::filesystem::path schema_;
  std::unique_ptr<HostDatabase> database_;
  std::filesystem::path config_;
};

TEST_P(HostMigrations, EmptyDatabaseReachesTheLatestVersionAndASecondStartChangesNothing) {
  ASSERT_TRUE(database_->migration_rows().empty()) << "the database must start empty";
  const std::string first = start_and_stop("first");
  if (HasFailure()) return;
  const std::vector<std::int64_t> versions = file_versions(schema_, GetParam());
  ASSERT_FALSE(versions.empty());
  EXPECT_NE(first.find("database migrated to version " + std::to_string(versions.back())), std::string::npos)
      << first;
  EXPECT_EQ(database_->applied_versions(), versions);
  // Both dialects carry the same versions, so both reach the same one.
  EXPECT_EQ(file_versions(schema_, storage::Dialect::SQLite), file_versions(schema_, storage::Dialect::PostgreSQL));

  const std::vector<std::string> after_first = database_->migration_rows();
  const std::string second = start_and_stop("second");
  if (HasFailure()) return;
  EXPECT_EQ(second.find("database migrated"), std::string::npos) << "nothing to apply on the second start:\n"
                                                                  << second;
  EXPECT_EQ(database_->migration_rows(), after_first) << "version, name, checksum and applied_at unchanged";
}

TEST_P(HostMigrations, AnEditedAppliedMigrationStopsTheStartNamingTheFile) {
  start_and_stop("first");
  if (HasFailure()) return;
  const std::vector<std::string> applied = database_->migration_rows();
  ASSERT_FALSE(applied.empty());

  const std::filesystem::path edited = first_migration_file();
  write_file(edited, read_file(edited) + "\n-- edited after release\n");

  const CompletedRun run = run_to_completion(host_binary(), {"--config", config_.string(), "--dev"}, work_.path());
  ASSERT_TRUE(run.status.has_value()) << "the host kept running with a tampered migration:\n" << run.stderr_text;
  EXPECT_TRUE(run.status->exited) << describe(*run.status);
  EXPECT_EQ(run.status->code, kExitCannotStart) << run.stderr_text;
  EXPECT_NE(run.stderr_text.find("mdp-host: cannot start: migration file " + edited.string() +
                                 " was changed after it was applied"),
            std::string::npos)
      << run.stderr_text;
  EXPECT_EQ(run.stdout_text.find("listening on"), std::string::npos);
  EXPECT_EQ(run.stderr_text.find("listening on"), std::string::npos) << "it must not serve";
  EXPECT_EQ(database_->migration_rows(), applied) << "the refused start wrote nothing";
}

INSTANTIATE_TEST_SUITE_P(Dialects, HostMigrations,
                         ::testing::Values(storage::Dialect::SQLite, storage::Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<storage::Dialect>& param_info) {
                           return std::string(param_info.param == storage::Dialect::SQLite ? "SQLite" : "PostgreSQL");
                         });

}  // namespace
}  // namespace mdp::app::integration
