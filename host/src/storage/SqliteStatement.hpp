// One SQLite statement compiled once and executed many times with re-bound values, for write
// loops inside one transaction (apply_sync writes thousands of rows). Poco::Data's Statement
// compiles its SQL again on every execute (sqlite3_prepare_v2 was half of apply_sync's time);
// this holds the sqlite3_stmt of the lease's connection instead. Values are checked like
// sql::Query's (no NUL, valid UTF-8) and errors are classified the same way (busy/locked ->
// DatabaseUnavailable, constraint -> DatabaseError "constraint violation"), without SQL text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "Database.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mdp::storage::sql {

class SqliteStatement {
 public:
  // Compiles `sql` (with `?` placeholders) on the lease's SQLite connection. `context` names
  // the operation in error messages ("symbols.sync.insert").
  SqliteStatement(Lease& lease, std::string_view context, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Bind the next placeholder (left to right), as sql::Query does.
  SqliteStatement& text(std::string_view field, const std::string& value);
  SqliteStatement& opt_text(std::string_view field, const std::optional<std::string>& value);
  SqliteStatement& int64(std::int64_t value);
  SqliteStatement& opt_int64(const std::optional<std::int64_t>& value);

  // Runs the statement with the values bound since the last execute and returns the number
  // of rows it changed; the statement is then reset for the next set of values.
  std::size_t execute();

 private:
  void check_bind(int rc);
  [[noreturn]] void fail(int rc) const;

  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  std::string context_;
  int next_ = 1;  // index of the next placeholder
};

}  // namespace mdp::storage::sql
