// GET /v1/exchanges and GET /v1/intervals: what each exchange is (from the exchanges
// table), whether its plugin runs on this host (the plugin registry is the truth for that),
// and which intervals it serves (exchange_intervals).
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
namespace mdp::plugins {
class PluginRegistry;
}

namespace mdp::service {

struct ExchangeSummary {
  std::string id;
  std::string name;
  std::string plugin_version;
  std::string abi;
  // "loaded", "failed" (the plugin did not load here; `status_reason` says why) or
  // "disabled" (known from the database but not enabled on this host).
  std::string status;
  std::optional<std::string> status_reason;
  std::size_t interval_count = 0;
  bool candles_supported = false;  // this host can fetch candles from it now
  bool symbols_supported = false;  // its plugin can list symbols (the syncer's source)
  std::optional<std::int64_t> last_successful_sync_ms;
};

struct ExchangeIntervals {
  std::string exchange;
  std::vector<domain::ExchangeInterval> intervals;  // catalogue order
};

class ExchangeInfoService {
 public:
  // Both must outlive the service.
  ExchangeInfoService(storage::Database& database, const plugins::PluginRegistry& plugins)
      : database_(database), plugins_(plugins) {}

  // Every exchange the database knows plus any configured plugin it does not (yet), by id.
  // Throws StoreUnavailable.
  std::vector<ExchangeSummary> exchanges() const;

  // Supported intervals per exchange, by exchange id. Throws StoreUnavailable.
  std::vector<ExchangeIntervals> intervals() const;

 private:
  storage::Database& database_;
  const plugins::PluginRegistry& plugins_;
};

}  // namespace mdp::service
