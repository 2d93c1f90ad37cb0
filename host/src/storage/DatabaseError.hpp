// Errors of the storage layer. Messages never contain SQL text, bound values or passwords:
// they name the operation, and for PostgreSQL the SQLSTATE and its condition name.
#pragma once

#include <stdexcept>
#include <string>

namespace mdp::storage {

// A statement failed for a reason that retrying right away will not fix (constraint
// violation, bad data, schema mismatch, bug). Maps to HTTP 500 / a failed sync run.
class DatabaseError : public std::runtime_error {
 public:
  DatabaseError(const std::string& message, std::string sqlstate = {}, std::string reason = {})
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), reason_(std::move(reason)) {}
  // Five-character SQLSTATE on PostgreSQL (e.g. "23505"); empty on SQLite or when unknown.
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // Short condition name without values, e.g. "unique_violation", "constraint violation".
  const std::string& reason() const noexcept { return reason_; }
  bool is_constraint_violation() const noexcept {
    return sqlstate_.rfind("23", 0) == 0 || reason_ == "constraint violation";
  }

 private:
  std::string sqlstate_;
  std::string reason_;
};

// The database cannot be reached or no session became free in time. Transient: maps to
// HTTP 503 + Retry-After; the caller may try again later.
class DatabaseUnavailable : public DatabaseError {
 public:
  explicit DatabaseUnavailable(const std::string& message, std::string sqlstate = {},
                               std::string reason = {})
      : DatabaseError(message, std::move(sqlstate), std::move(reason)) {}
};

// A value was refused before it reached the database (NUL byte, invalid UTF-8, a
// non-canonical decimal, an unknown enum text...). The message names the field.
class InvalidValue : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Bad database configuration (URL, options). The message says what to fix.
class DatabaseConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Migrations cannot be applied: edited file, unknown recorded version, bad file name...
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace mdp::storage
