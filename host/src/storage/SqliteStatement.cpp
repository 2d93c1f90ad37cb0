#include "SqliteStatement.hpp"

#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

#include "DatabaseError.hpp"
#include "Sql.hpp"

namespace mdp::storage::sql {

SqliteStatement::SqliteStatement(Lease& lease, std::string_view context, std::string_view sql)
    : db_(Poco::Data::SQLite::Utility::dbHandle(lease.session())), context_(context) {
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(statement_);  // null-safe; prepare leaves it null on failure
    statement_ = nullptr;
    fail(rc);
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::text(std::string_view field, const std::string& value) {
  check_text(field, value);
  check_bind(sqlite3_bind_text(statement_, next_++, value.data(), static_cast<int>(value.size()),
                               SQLITE_TRANSIENT));
  return *this;
}

SqliteStatement& SqliteStatement::opt_text(std::string_view field, const std::optional<std::string>& value) {
  if (value) return text(field, *value);
  check_bind(sqlite3_bind_null(statement_, next_++));
  return *this;
}

SqliteStatement& SqliteStatement::int64(std::int64_t value) {
  check_bind(sqlite3_bind_int64(statement_, next_++, static_cast<sqlite3_int64>(value)));
  return *this;
}

SqliteStatement& SqliteStatement::opt_int64(const std::optional<std::int64_t>& value) {
  if (value) return int64(*value);
  check_bind(sqlite3_bind_null(statement_, next_++));
  return *this;
}

std::size_t SqliteStatement::execute() {
  next_ = 1;
  const int rc = sqlite3_step(statement_);
  // reset keeps the compiled program; the next row binds every placeholder again.
  sqlite3_reset(statement_);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) fail(rc);
  return static_cast<std::size_t>(sqlite3_changes(db_));
}

void SqliteStatement::check_bind(int rc) {
  if (rc != SQLITE_OK) fail(rc);
}

void SqliteStatement::fail(int rc) const {
  const int primary = rc & 0xff;
  const std::string where = context_;
  switch (primary) {
    case SQLITE_BUSY: throw DatabaseUnavailable(where + ": SQLite database is busy", {}, "busy");
    case SQLITE_LOCKED: throw DatabaseUnavailable(where + ": SQLite table is locked", {}, "locked");
    case SQLITE_CANTOPEN:
      throw DatabaseUnavailable(where + ": cannot open the SQLite database file", {}, "cannot open");
    case SQLITE_CONSTRAINT:
      throw DatabaseError(where + ": database error (constraint violation)", {}, "constraint violation");
    default: break;
  }
  // sqlite3_errstr names the error class only, never SQL text or bound data.
  const std::string reason = sqlite3_errstr(rc);
  throw DatabaseError(where + ": database error (" + reason + ")", {}, reason);
}

}  // namespace mdp::storage::sql
