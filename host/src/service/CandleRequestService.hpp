// GET /v1/candles behind the route: names an exchange and a symbol the way API clients do
// (exchange id, canonical or native symbol), resolves them to a plugin adapter and the
// exchange-native symbol, and lets CandleService paginate through the plugin.
//
// thread: const methods, safe from any server thread (CandleService may run a few page
// fetches concurrently per call).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "CallContext.hpp"
#include "CandleService.hpp"

namespace mdp::storage {
class Database;
}
namespace mdp::plugins {
class PluginRegistry;
}

namespace mdp::service {

struct CandleRequest {
  std::string exchange;
  // Exactly one of the two names the symbol; both must be in the stored catalogue, so no
  // unchecked text reaches an upstream URL.
  std::optional<std::string> symbol;         // canonical, e.g. "BTC/USDT:USDT"
  std::optional<std::string> native_symbol;  // the exchange's own, e.g. "BTCUSDT"
  std::string interval;                      // canonical code
  std::int64_t start_ms = 0;                 // inclusive, on open time
  std::optional<std::int64_t> end_ms;        // exclusive; nullopt = now
  // Keep only the first `limit` buckets of [start, end): the range is cut before anything
  // is fetched. nullopt = the whole range (capped by CandleServiceLimits::max_rows).
  std::optional<std::size_t> limit;
  bool include_open = false;
};

struct CandleResult {
  std::string exchange;
  std::string symbol;         // canonical
  std::string native_symbol;
  std::string interval;
  std::int64_t start_ms = 0;  // as requested
  std::int64_t end_ms = 0;    // effective (after the default and `limit`)
  CandleSeries series;
};

using WallClock = std::function<std::int64_t()>;  // UTC ms
std::int64_t system_now_ms();

class CandleRequestService {
 public:
  // database and plugins must outlive the service.
  CandleRequestService(storage::Database& database, const plugins::PluginRegistry& plugins,
                       CandleServiceLimits limits, WallClock clock = system_now_ms)
      : database_(database), plugins_(plugins), candles_(limits), clock_(std::move(clock)) {}

  // Checks, in order: exchange loaded here (NotFound / CapabilityUnavailable), interval
  // supported (RequestRejected listing the supported codes), range (RequestRejected
  // naming start/end), symbol stored (NotFound); then fetches. Also throws
  // CandleQueryError (too many rows or pages), domain::AdapterError, StoreUnavailable.
  CandleResult fetch(const CandleRequest& request, const domain::CallContext& context) const;

  const CandleService& candles() const noexcept { return candles_; }
  // The clock fetch() defaults `end` with (UTC ms): what "in progress" means for callers.
  std::int64_t now_ms() const { return clock_(); }

 private:
  storage::Database& database_;
  const plugins::PluginRegistry& plugins_;
  CandleService candles_;
  WallClock clock_;
};

// End of the first `count` buckets of `interval` opening at or after `start_ms` (the open
// time of bucket count+1). `count` must be >= 1.
std::int64_t end_after_buckets(std::string_view interval, std::int64_t start_ms, std::size_t count);

}  // namespace mdp::service
