#include "Sql.hpp"

#include <cstring>

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/PostgreSQL/SessionHandle.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/SessionPool.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>
#include <libpq-fe.h>
#include <sqlite3.h>

namespace mdp::storage::sql {
namespace {

using Poco::Data::Keywords::bind;

struct SqlStateName {
  const char* code;
  const char* name;
};
// The conditions we expect to see; others are reported by class.
constexpr SqlStateName kSqlStates[] = {
    {"23505", "unique_violation"},       {"23503", "foreign_key_violation"},
    {"23502", "not_null_violation"},     {"23514", "check_violation"},
    {"22P02", "invalid_text_representation"}, {"22003", "numeric_value_out_of_range"},
    {"22021", "character_not_in_repertoire"}, {"40001", "serialization_failure"},
    {"40P01", "deadlock_detected"},      {"42P01", "undefined_table"},
    {"42703", "undefined_column"},       {"42601", "syntax_error"},
    {"57014", "query_canceled"},         {"57P01", "admin_shutdown"},
    {"57P02", "crash_shutdown"},         {"57P03", "cannot_connect_now"},
    {"53300", "too_many_connections"},   {"25P02", "in_failed_sql_transaction"},
    {"55P03", "lock_not_available"},
};

std::string sqlstate_name(const std::string& code) {
  for (const auto& entry : kSqlStates) {
    if (code == entry.code) return entry.name;
  }
  if (code.size() == 5) return "class " + code.substr(0, 2);
  return "unknown";
}

bool is_sqlstate_char(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); }

// With PQERRORS_VERBOSE (set on every session), libpq messages read
// "ERROR:  23505: duplicate key …". Poco 1.11 keeps no SQLSTATE, so take it from there.
std::string sqlstate_from_message(const std::string& text) {
  for (const char* severity : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
    const auto at = text.find(severity);
    if (at == std::string::npos) continue;
    const std::size_t start = at + std::strlen(severity);
    if (start + 6 <= text.size() && text[start + 5] == ':') {
      bool ok = true;
      for (std::size_t i = 0; i < 5; ++i) ok = ok && is_sqlstate_char(text[start + i]);
      if (ok) return text.substr(start, 5);
    }
  }
  return {};
}

PGconn* pg_connection(Poco::Data::Session& session) {
  auto* handle =
      Poco::AnyCast<Poco::Data::PostgreSQL::SessionHandle*>(session.getProperty("handle"));
  return handle ? static_cast<PGconn*>(*handle) : nullptr;
}

bool pg_connection_bad(Poco::Data::Session* session) {
  if (!session) return false;
  try {
    PGconn* conn = pg_connection(*session);
    return conn == nullptr || PQstatus(conn) != CONNECTION_OK;
  } catch (...) {
    return true;
  }
}

bool is_unavailable_sqlstate(const std::string& code) {
  return code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03" ||
         code == "53300" || code == "57014" /* statement_timeout: transient */;
}

// UTF-8 validity (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xF0 && b1 < 0x90) return 0;
    if (b0 == 0xF4 && b1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

void append_array_element(std::string& out, const std::string& value) {
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

std::string placeholders(Dialect dialect, std::string_view sql) {
  if (dialect == Dialect::SQLite) return std::string(sql);
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  enum { Normal, Single, Double, Line, Block } state = Normal;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    switch (state) {
      case Normal:
        if (c == '?') {
          out += '$';
          out += std::to_string(++n);
          continue;
        }
        if (c == '\'') state = Single;
        else if (c == '"') state = Double;
        else if (c == '-' && next == '-') state = Line;
        else if (c == '/' && next == '*') state = Block;
        break;
      case Single:
        if (c == '\'') state = Normal;  // '' re-enters Single on the next quote
        break;
      case Double:
        if (c == '"') state = Normal;
        break;
      case Line:
        if (c == '\n') state = Normal;
        break;
      case Block:
        if (c == '*' && next == '/') {
          out += c;
          out += next;
          ++i;
          state = Normal;
          continue;
        }
        break;
    }
    out += c;
  }
  return out;
}

void check_text(std::string_view field, std::string_view value) {
  for (std::size_t i = 0; i < value.size();) {
    if (value[i] == '\0') {
      throw InvalidValue("value for '" + std::string(field) + "' contains a NUL byte");
    }
    const std::size_t len = utf8_sequence_length(value, i);
    if (len == 0) throw InvalidValue("value for '" + std::string(field) + "' is not valid UTF-8");
    i += len;
  }
}

std::string sanitize_text(std::string_view value, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(value.size(), max_bytes));
  for (std::size_t i = 0; i < value.size();) {
    std::size_t len = value[i] == '\0' ? 0 : utf8_sequence_length(value, i);
    if (len == 0) {
      if (out.size() + 1 > max_bytes) break;
      out += '?';
      ++i;
      continue;
    }
    if (out.size() + len > max_bytes) break;
    out.append(value.substr(i, len));
    i += len;
  }
  return out;
}

std::string pg_text_array(std::string_view field, const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  bool first = true;
  for (const auto& value : values) {
    if (!first) out.push_back(',');
    first = false;
    if (!value) {
      out += "NULL";
      continue;
    }
    check_text(field, *value);
    append_array_element(out, *value);
  }
  out.push_back('}');
  return out;
}

std::string pg_int_array(const std::vector<std::optional<std::int64_t>>& values) {
  std::string out = "{";
  bool first = true;
  for (const auto& value : values) {
    if (!first) out.push_back(',');
    first = false;
    out += value ? std::to_string(*value) : "NULL";
  }
  out.push_back('}');
  return out;
}

bool Row::is_null(std::size_t col) const { return set_.isNull(col, row_); }

std::string Row::text(std::size_t col) const {
  if (is_null(col)) throw DatabaseError("unexpected NULL in column " + std::to_string(col));
  const Poco::Dynamic::Var value = set_.value(col, row_);
  if (value.isString()) return value.extract<std::string>();
  return value.convert<std::string>();
}

std::optional<std::string> Row::opt_text(std::size_t col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

std::int64_t Row::int64(std::size_t col) const {
  if (is_null(col)) throw DatabaseError("unexpected NULL in column " + std::to_string(col));
  try {
    return set_.value(col, row_).convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    throw DatabaseError("column " + std::to_string(col) + " is not an integer");
  }
}

std::optional<std::int64_t> Row::opt_int64(std::size_t col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

std::size_t Rows::size() const { return set_->rowCount(); }

Query::Query(Lease& lease, std::string_view context, std::string_view sql)
    : Query(lease.session(), lease.dialect(), context, sql) {
  db_ = &lease.database();
}

Query::Query(Poco::Data::Session& session, Dialect dialect, std::string_view context,
             std::string_view sql)
    : session_(session),
      dialect_(dialect),
      context_(context),
      statement_(std::make_unique<Poco::Data::Statement>(session)) {
  *statement_ << placeholders(dialect, sql);
}

Query& Query::text(std::string_view field, const std::string& value) {
  check_text(field, value);
  statement_->addBind(bind(value));
  return *this;
}

Query& Query::opt_text(std::string_view field, const std::optional<std::string>& value) {
  if (value) return text(field, *value);
  statement_->addBind(bind(Poco::Nullable<std::string>()));
  return *this;
}

Query& Query::int64(std::int64_t value) {
  statement_->addBind(bind(static_cast<Poco::Int64>(value)));
  return *this;
}

Query& Query::opt_int64(const std::optional<std::int64_t>& value) {
  if (value) return int64(*value);
  statement_->addBind(bind(Poco::Nullable<Poco::Int64>()));
  return *this;
}

std::size_t Query::execute() {
  try {
    return statement_->execute();
  } catch (...) {
    rethrow_as_storage_error(context_, dialect_, &session_, db_);
  }
}

Rows Query::rows() {
  try {
    statement_->execute();
    return Rows(std::make_unique<Poco::Data::RecordSet>(*statement_));
  } catch (...) {
    rethrow_as_storage_error(context_, dialect_, &session_, db_);
  }
}

void rethrow_as_storage_error(std::string_view context, Dialect dialect,
                              Poco::Data::Session* session, Database* db) {
  const std::string where(context);
  try {
    throw;
  } catch (const InvalidValue&) {
    throw;
  } catch (const DatabaseError&) {
    throw;
  } catch (const Poco::Data::SessionPoolExhaustedException&) {
    throw DatabaseUnavailable(where + ": no database session free", {}, "pool exhausted");
  } catch (const Poco::Data::PostgreSQL::ConnectionException& e) {
    if (db) db->mark_down();
    const std::string state = sqlstate_from_message(e.message());
    throw DatabaseUnavailable(where + ": database connection failed", state.empty() ? "08006" : state,
                              "connection_failure");
  } catch (const Poco::Data::PostgreSQL::PostgreSQLException& e) {
    std::string state = sqlstate_from_message(e.message());
    const bool lost = pg_connection_bad(session);
    if (lost || is_unavailable_sqlstate(state)) {
      if (lost) {
        if (db) db->mark_down();
        if (state.empty()) state = "08006";
      }
      const std::string reason = lost ? "connection_failure" : sqlstate_name(state);
      throw DatabaseUnavailable(where + ": database unavailable (SQLSTATE " + state + " " + reason + ")",
                                state, reason);
    }
    const std::string reason = sqlstate_name(state);
    throw DatabaseError(where + ": database error (SQLSTATE " + (state.empty() ? "?????" : state) +
                            " " + reason + ")",
                        state, reason);
  } catch (const Poco::Data::SQLite::DBLockedException&) {
    throw DatabaseUnavailable(where + ": SQLite database is busy", {}, "busy");
  } catch (const Poco::Data::SQLite::TableLockedException&) {
    throw DatabaseUnavailable(where + ": SQLite table is locked", {}, "locked");
  } catch (const Poco::Data::SQLite::CantOpenDBFileException&) {
    throw DatabaseUnavailable(where + ": cannot open the SQLite database file", {}, "cannot open");
  } catch (const Poco::Data::SQLite::ConstraintViolationException&) {
    throw DatabaseError(where + ": database error (constraint violation)", {}, "constraint violation");
  } catch (const Poco::Data::SQLite::SQLiteException& e) {
    throw DatabaseError(where + ": database error (" + std::string(e.className()) + ")", {},
                        e.className());
  } catch (const Poco::Data::ConnectionFailedException&) {
    if (db) db->mark_down();
    throw DatabaseUnavailable(where + ": database connection failed", "08006", "connection_failure");
  } catch (const Poco::Exception& e) {
    (void)dialect;
    throw DatabaseError(where + ": database error (" + std::string(e.className()) + ")", {},
                        e.className());
  } catch (const std::exception&) {
    throw DatabaseError(where + ": internal error in the storage layer", {}, "internal");
  }
}

void execute_script(Poco::Data::Session& session, Dialect dialect, std::string_view context,
                    const std::string& script) {
  check_text(context, script);
  const std::string where(context);
  if (dialect == Dialect::PostgreSQL) {
    PGconn* conn = pg_connection(session);
    PGresult* result = PQexec(conn, script.c_str());
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      PQclear(result);
      return;
    }
    const char* code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    std::string state = code ? code : "";
    PQclear(result);
    if (PQstatus(conn) != CONNECTION_OK) {
      throw DatabaseUnavailable(where + ": database connection lost", state.empty() ? "08006" : state,
                                "connection_failure");
    }
    throw DatabaseError(where + ": database error (SQLSTATE " + state + " " + sqlstate_name(state) + ")",
                        state, sqlstate_name(state));
  }
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    // SQLite's message names the object or token, never bound data (a script has none).
    std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw DatabaseError(where + ": SQLite error: " + sanitize_text(text, 200), {}, sqlite3_errstr(rc));
  }
}

}  // namespace mdp::storage::sql
