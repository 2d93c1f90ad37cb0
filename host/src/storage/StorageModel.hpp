// Plain records the repositories return (no Poco, no SQL): stored rows with the
// bookkeeping the domain types do not carry (ids, first/last seen, timestamps).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "MarketModel.hpp"

namespace mdp::storage {

// A symbol as stored: the domain fields plus bookkeeping. Times are UTC ms.
struct StoredSymbol : domain::Symbol {
  std::int64_t id = 0;
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;
  std::optional<std::int64_t> delisted_at_ms;
  std::int64_t updated_at_ms = 0;
};

enum class ExchangeStatus { Loaded, Failed, Disabled };
std::string_view to_string(ExchangeStatus status);
std::optional<ExchangeStatus> exchange_status_from_string(std::string_view text);

struct ExchangeRecord {
  std::string id;
  std::string name;
  std::string plugin_version;
  std::string abi;
  ExchangeStatus status = ExchangeStatus::Loaded;
  std::optional<std::string> status_reason;
  std::int64_t updated_at_ms = 0;
  std::optional<std::int64_t> last_successful_sync_ms;  // filled by list()/find()
};

enum class SyncOutcome { Running, Succeeded, Failed, Skipped };
std::string_view to_string(SyncOutcome outcome);
std::optional<SyncOutcome> sync_outcome_from_string(std::string_view text);

struct SyncCounts {
  std::int64_t added = 0;
  std::int64_t changed = 0;   // symbols with at least one changed field (delistings excluded)
  std::int64_t delisted = 0;
};

struct SyncRun {
  std::int64_t id = 0;
  std::string exchange;
  std::int64_t started_at_ms = 0;
  std::optional<std::int64_t> finished_at_ms;
  SyncOutcome outcome = SyncOutcome::Running;
  SyncCounts counts;
  std::optional<std::string> error;
};

// One row of the change log.
struct SymbolChangeRecord {
  std::int64_t id = 0;
  std::string exchange;
  std::string symbol;
  std::string field;  // status, tick_size, lot_step, min_qty, min_notional, contract_size
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
  std::int64_t changed_at_ms = 0;
  std::optional<std::int64_t> sync_run_id;
};

}  // namespace mdp::storage
