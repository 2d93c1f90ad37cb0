// Databases for the process tests, as the URL a host is configured with: a SQLite file in a
// scratch directory, or a fresh schema in the PostgreSQL test database (created here, dropped
// when the object goes). PostgreSQL being unreachable is a failure with a hint, never a skip.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "DatabaseUrl.hpp"

namespace mdp::app::integration {

class HostDatabase {
 public:
  HostDatabase(storage::Dialect dialect, const std::filesystem::path& work_dir);
  ~HostDatabase();
  HostDatabase(const HostDatabase&) = delete;
  HostDatabase& operator=(const HostDatabase&) = delete;

  // What database.url gets (PostgreSQL: the test URL with ?schema=<fresh schema>).
  const std::string& url() const noexcept { return url_; }
  storage::Dialect dialect() const noexcept { return dialect_; }

  // schema_migrations as "version|name|checksum|applied_at" rows, by version; empty when the
  // table does not exist yet.
  std::vector<std::string> migration_rows() const;
  std::vector<std::int64_t> applied_versions() const;

 private:
  storage::Dialect dialect_;
  std::string url_;
  std::string schema_;  // PostgreSQL only
};

}  // namespace mdp::app::integration
