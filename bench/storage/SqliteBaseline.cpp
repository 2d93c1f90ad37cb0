#include "SqliteBaseline.hpp"

#include <sqlite3.h>

#include <optional>
#include <stdexcept>

namespace mdp::bench {
namespace {

constexpr const char* kInsert =
    "INSERT INTO symbols (exchange, symbol, native_symbol, market_type, base, quote, settle, tick_size, lot_step, "
    "min_qty, min_notional, contract_size, price_max_decimals, price_max_sig_figs, alias_of, native_status, status, "
    "listed_at, delivery_at, first_seen, last_seen, delisted_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)";

void bind_text(sqlite3_stmt* stmt, int index, std::string_view text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void bind_opt_text(sqlite3_stmt* stmt, int index, const std::optional<std::string>& text) {
  if (text) {
    bind_text(stmt, index, *text);
  } else {
    sqlite3_bind_null(stmt, index);
  }
}

template <class Int>
void bind_opt_int(sqlite3_stmt* stmt, int index, const std::optional<Int>& value) {
  if (value) {
    sqlite3_bind_int64(stmt, index, static_cast<sqlite3_int64>(*value));
  } else {
    sqlite3_bind_null(stmt, index);
  }
}

}  // namespace

SqliteBaseline::SqliteBaseline(const std::filesystem::path& file) {
  if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("sqlite3_open " + file.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA foreign_keys = ON");
  exec("PRAGMA journal_mode = WAL");
  exec("PRAGMA synchronous = NORMAL");
}

SqliteBaseline::~SqliteBaseline() { sqlite3_close(db_); }

void SqliteBaseline::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(std::string(sql) + ": " + message);
  }
}

void SqliteBaseline::clear() { exec("DELETE FROM symbols"); }

std::size_t SqliteBaseline::insert(const std::vector<domain::Symbol>& symbols, std::int64_t now_ms) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, kInsert, -1, &stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db_));
  }
  exec("BEGIN IMMEDIATE");
  std::size_t rows = 0;
  for (const auto& s : symbols) {
    sqlite3_reset(stmt);
    bind_text(stmt, 1, s.exchange);
    bind_text(stmt, 2, s.symbol);
    bind_text(stmt, 3, s.native_symbol);
    bind_text(stmt, 4, domain::to_string(s.market_type));
    bind_text(stmt, 5, s.base);
    bind_text(stmt, 6, s.quote);
    bind_opt_text(stmt, 7, s.settle);
    bind_opt_text(stmt, 8, s.tick_size);
    bind_opt_text(stmt, 9, s.lot_step);
    bind_opt_text(stmt, 10, s.min_qty);
    bind_opt_text(stmt, 11, s.min_notional);
    bind_opt_text(stmt, 12, s.contract_size);
    bind_opt_int(stmt, 13, s.price_max_decimals);
    bind_opt_int(stmt, 14, s.price_max_sig_figs);
    bind_opt_text(stmt, 15, s.alias_of);
    bind_opt_text(stmt, 16, s.native_status);
    bind_text(stmt, 17, domain::to_string(s.status));
    bind_opt_int(stmt, 18, s.listed_at_ms);
    bind_opt_int(stmt, 19, s.delivery_at_ms);
    sqlite3_bind_int64(stmt, 20, now_ms);
    sqlite3_bind_int64(stmt, 21, now_ms);
    sqlite3_bind_int64(stmt, 22, now_ms);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      const std::string message = sqlite3_errmsg(db_);
      sqlite3_finalize(stmt);
      exec("ROLLBACK");
      throw std::runtime_error("insert: " + message);
    }
    ++rows;
  }
  sqlite3_finalize(stmt);
  exec("COMMIT");
  return rows;
}

}  // namespace mdp::bench
