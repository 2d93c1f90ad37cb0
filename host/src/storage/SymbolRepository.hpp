// Symbols of every exchange: listing for the API, lookups both ways (canonical <-> native),
// the syncer's snapshot and its one-transaction apply, and the change log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "Database.hpp"
#include "StorageModel.hpp"
#include "SymbolDiff.hpp"

namespace mdp::storage {

struct SymbolCursor {
  std::string exchange;
  std::string symbol;  // canonical; the page continues strictly after (exchange, symbol)
};

struct SymbolQuery {
  std::optional<std::string> exchange;
  std::optional<domain::MarketType> market_type;
  std::vector<domain::SymbolStatus> statuses;  // empty = any
  std::optional<std::string> base;
  std::optional<std::string> quote;
  std::optional<std::string> search;           // case-insensitive substring of symbol or native
  std::size_t limit = 100;                     // clamped to 1..kMaxSymbolPage
  std::optional<SymbolCursor> after;
};

inline constexpr std::size_t kMaxSymbolPage = 1000;

struct SymbolPage {
  std::vector<StoredSymbol> items;       // ordered by (exchange, symbol)
  std::optional<SymbolCursor> next;      // set when more rows follow
};

struct SymbolChangeQuery {
  std::optional<std::string> exchange;
  std::optional<std::string> symbol;     // canonical
  std::optional<std::int64_t> since_ms;  // changed_at >= since
  std::size_t limit = 500;               // clamped to 1..10000
};

class SymbolRepository {
 public:
  explicit SymbolRepository(Database& db) : db_(db) {}

  SymbolPage list(const SymbolQuery& query);
  std::optional<StoredSymbol> find(const std::string& exchange, const std::string& symbol);
  std::optional<StoredSymbol> find_by_native(const std::string& exchange, const std::string& native_symbol);
  // Every stored symbol of one exchange, delisted ones included (input of diff_symbols).
  std::vector<StoredSymbol> load_exchange(const std::string& exchange);

  // Writes a diff in ONE transaction: inserts `added` (first_seen = last_seen = now),
  // updates `changed` (one symbol_changes row per changed tracked field), marks `delisted`
  // (status delisted, delisted_at = now, change row; never deletes), bumps last_seen of
  // `unchanged_seen`. On PostgreSQL each step is one statement with array parameters
  // (unnest), whatever the number of symbols. Throws InvalidValue before writing anything
  // when a value is unusable (NUL, invalid UTF-8, non-canonical decimal, wrong exchange);
  // DatabaseError / DatabaseUnavailable roll everything back. `before_commit`, when set, runs
  // after every write and before the commit: the caller's last word (lock still held? not
  // cancelled?); whatever it throws rolls the whole sync back and propagates.
  SyncCounts apply_sync(const std::string& exchange, const SymbolDiff& diff,
                        std::optional<std::int64_t> sync_run_id, std::int64_t now_ms,
                        const std::function<void()>& before_commit = {});

  // Change log, oldest first.
  std::vector<SymbolChangeRecord> list_changes(const SymbolChangeQuery& query);

 private:
  Database& db_;
};

}  // namespace mdp::storage
