// Small helpers every repository uses, so SQL is written once with `?` placeholders and
// every value is bound (never concatenated):
// - Query: converts `?` to `$1..$n` for PostgreSQL (Poco's PostgreSQL connector only
//   takes `$n`), checks every text value before it is bound (NUL bytes would be silently
//   truncated by libpq, invalid UTF-8 fails on the server), runs the statement and turns
//   Poco exceptions into DatabaseError / DatabaseUnavailable without SQL text.
// - Rows/Row: typed access to a result (text, optional text, int64).
// - pg_text_array / pg_int_array: one bound parameter carrying a whole column for
//   `unnest($1::text[], …)` bulk statements (PERFORMANCE.md §4).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include "Database.hpp"

namespace mdp::storage::sql {

// "a = ? AND b = ?" -> "a = $1 AND b = $2" for PostgreSQL (skips quoted literals and
// comments); unchanged for SQLite.
std::string placeholders(Dialect dialect, std::string_view sql);

// Throws InvalidValue naming `field` when `value` has a NUL byte or is not valid UTF-8.
void check_text(std::string_view field, std::string_view value);
// Replaces NUL bytes and invalid UTF-8 with '?' and cuts to max_bytes (for free text such
// as error messages that must be stored whatever they contain).
std::string sanitize_text(std::string_view value, std::size_t max_bytes);

// A PostgreSQL array literal {"a","b",NULL} for one text/numeric column; elements are
// checked with check_text and escaped for the array syntax (the literal itself is bound).
std::string pg_text_array(std::string_view field, const std::vector<std::optional<std::string>>& values);
std::string pg_int_array(const std::vector<std::optional<std::int64_t>>& values);

class Row {
 public:
  Row(const Poco::Data::RecordSet& set, std::size_t row) : set_(set), row_(row) {}
  bool is_null(std::size_t col) const;
  std::string text(std::size_t col) const;  // NULL -> error
  std::optional<std::string> opt_text(std::size_t col) const;
  std::int64_t int64(std::size_t col) const;  // NULL -> error
  std::optional<std::int64_t> opt_int64(std::size_t col) const;

 private:
  const Poco::Data::RecordSet& set_;
  std::size_t row_;
};

class Rows {
 public:
  explicit Rows(std::unique_ptr<Poco::Data::RecordSet> set) : set_(std::move(set)) {}
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  Row operator[](std::size_t row) const { return Row(*set_, row); }

 private:
  std::unique_ptr<Poco::Data::RecordSet> set_;
};

class Query {
 public:
  // `context` names the operation in error messages ("symbols.list").
  Query(Lease& lease, std::string_view context, std::string_view sql);
  Query(Poco::Data::Session& session, Dialect dialect, std::string_view context, std::string_view sql);

  Query& text(std::string_view field, const std::string& value);
  Query& opt_text(std::string_view field, const std::optional<std::string>& value);
  Query& int64(std::int64_t value);
  Query& opt_int64(const std::optional<std::int64_t>& value);

  // Runs the statement; returns the number of affected rows.
  std::size_t execute();
  // Runs a statement that returns rows.
  Rows rows();

 private:
  Poco::Data::Session& session_;
  Dialect dialect_;
  Database* db_ = nullptr;  // set when built from a Lease: a lost connection marks it down
  std::string context_;
  std::unique_ptr<Poco::Data::Statement> statement_;
};

// Rethrows the exception in flight (call inside a catch block) as DatabaseError /
// DatabaseUnavailable / InvalidValue, classifying Poco's PostgreSQL and SQLite errors.
// Marks `db` down on connection loss when given.
[[noreturn]] void rethrow_as_storage_error(std::string_view context, Dialect dialect,
                                           Poco::Data::Session* session = nullptr,
                                           Database* db = nullptr);

// Runs a multi-statement script natively (PQexec / sqlite3_exec) on the session, inside
// whatever transaction the session has open. Throws DatabaseError with SQLSTATE.
void execute_script(Poco::Data::Session& session, Dialect dialect, std::string_view context,
                    const std::string& script);

}  // namespace mdp::storage::sql
