// GET /v1/symbols, /v1/symbols/resolve and /v1/symbols/changes: the canonical symbol
// metadata the syncer stored, listed with a keyset cursor, resolved both ways
// (canonical <-> native), and its change log.
//
// thread: const methods, safe from any server thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "MarketModel.hpp"

namespace mdp::storage {
class Database;
}

namespace mdp::service {

// A symbol as served: the canonical fields plus when we first/last saw it.
struct SymbolInfo : domain::Symbol {
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;
  std::optional<std::int64_t> delisted_at_ms;
  std::int64_t updated_at_ms = 0;
};

// Where a listing continues: strictly after (exchange, symbol) in that order.
struct SymbolPosition {
  std::string exchange;
  std::string symbol;
};

struct SymbolFilter {
  std::optional<std::string> exchange;
  std::optional<domain::MarketType> market_type;
  std::vector<domain::SymbolStatus> statuses;  // empty = any status
  std::optional<std::string> base;             // exact, case-sensitive
  std::optional<std::string> quote;            // exact, case-sensitive
  std::optional<std::string> search;           // case-insensitive substring of symbol or native
  std::size_t limit = 100;                     // 1..kMaxSymbolsPerPage
  std::optional<SymbolPosition> after;
};

inline constexpr std::size_t kMaxSymbolsPerPage = 1000;

struct SymbolListing {
  std::vector<SymbolInfo> symbols;      // ordered by (exchange, symbol)
  std::optional<SymbolPosition> next;   // set when more rows follow
};

struct SymbolChange {
  std::int64_t id = 0;
  std::string exchange;
  std::string symbol;
  std::string field;
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  std::int64_t changed_at_ms = 0;
  std::optional<std::int64_t> sync_run_id;
};

struct SymbolChangeFilter {
  std::optional<std::string> exchange;
  std::optional<std::string> symbol;     // canonical; needs `exchange`
  std::optional<std::int64_t> since_ms;  // changed_at >= since
  std::size_t limit = 500;               // 1..kMaxChangesPerPage
};

inline constexpr std::size_t kMaxChangesPerPage = 5000;

struct SymbolChangeLog {
  std::vector<SymbolChange> changes;  // oldest first (changed_at, id)
  bool has_more = false;              // more rows match beyond `limit`
};

class SymbolService {
 public:
  explicit SymbolService(storage::Database& database) : database_(database) {}

  // Throws NotFound for an exchange filter naming no known exchange, RequestRejected,
  // StoreUnavailable.
  SymbolListing list(const SymbolFilter& filter) const;

  // nullopt when the exchange has no such symbol; NotFound when the exchange is unknown.
  std::optional<SymbolInfo> find(const std::string& exchange, const std::string& symbol) const;
  std::optional<SymbolInfo> find_by_native(const std::string& exchange, const std::string& native_symbol) const;

  // Throws NotFound for an unknown exchange or (with `symbol`) unknown symbol.
  SymbolChangeLog changes(const SymbolChangeFilter& filter) const;

 private:
  void require_exchange(const std::string& exchange) const;

  storage::Database& database_;
};

}  // namespace mdp::service
