// Database URLs as configured (MDP_DATABASE_URL / config) and their translation into what
// Poco::Data needs. Only two forms:
//   postgresql://user:pass@host:port/db?sslmode=…&connect_timeout=…&application_name=…
//                                      &schema=…&statement_timeout_ms=…
//   sqlite:relative/or/absolute/path.db   |   sqlite::memory:
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mdp::storage {

enum class Dialect { PostgreSQL, SQLite };

std::string_view to_string(Dialect dialect);

struct DatabaseUrl {
  Dialect dialect = Dialect::SQLite;

  // PostgreSQL parts (percent-decoded).
  std::string host;
  std::uint16_t port = 5432;
  std::string database;
  std::string user;
  std::string password;
  std::optional<std::string> sslmode;
  std::optional<std::string> application_name;
  int connect_timeout_s = 5;
  // Applied per session with set_config(): search_path and statement_timeout.
  std::optional<std::string> schema;
  std::optional<std::int64_t> statement_timeout_ms;

  // SQLite parts.
  std::string sqlite_path;  // as given (relative to the working directory) or ":memory:"
  bool in_memory() const { return dialect == Dialect::SQLite && sqlite_path == ":memory:"; }

  // What Poco's connector takes: libpq "key=value key=value" (PostgreSQL) or the file path.
  std::string connector_string() const;
  // The URL with the password replaced by "***": safe for logs and error messages.
  std::string redacted() const;
};

// Parses and validates a URL. Throws DatabaseConfigError with a message that says what is
// wrong (never echoing the password). Rejects spaces, quotes, backslashes and control
// characters inside PostgreSQL values because Poco 1.11 splits its connection string on
// spaces without quoting.
DatabaseUrl parse_database_url(std::string_view url);

// The embedded default when nothing is configured: sqlite:var/mdp.db under `working_dir`
// (absolute path in the result); creates the var/ folder.
DatabaseUrl default_database_url(const std::filesystem::path& working_dir);

}  // namespace mdp::storage
