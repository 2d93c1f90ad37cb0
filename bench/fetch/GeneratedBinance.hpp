// Binance USD-M responses generated on demand, in the exchange's exact wire format, for the
// fetch and scale benchmarks (issue 11 targets 3 and 5): klines for any symbol, interval and
// time range, and an exchangeInfo with any number of symbols. Deterministic: the same
// request gives the same bytes, and a candle's values depend only on its symbol, interval
// and open time, so overlapping pages agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mdp::bench {

struct KlinesQuery {
  std::string symbol;
  std::string interval;                 // Binance code: 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M
  std::optional<std::int64_t> start_ms;  // inclusive, on open time
  std::optional<std::int64_t> end_ms;    // inclusive, on open time
  std::optional<std::int64_t> limit;     // default 500, 1..1500
};

struct GeneratedBody {
  int status = 200;
  std::string body;
  std::size_t rows = 0;
  int weight = 1;  // Binance's request weight for this call
};

// GET /fapi/v1/klines as Binance answers it: rows by open time within [startTime, endTime],
// ascending, at most `limit`; without startTime the newest rows up to endTime (or now); no
// row opens after `now_ms` (the last one may still be in progress). Errors as Binance sends
// them: 400 {"code":-1120,...} for an unknown interval, -1130 for a bad limit, -1121 for an
// empty or malformed symbol. Weight by limit: <100 → 1, <500 → 2, ≤1000 → 5, else 10.
GeneratedBody binance_klines(const KlinesQuery& query, std::int64_t now_ms);

// GET /fapi/v1/exchangeInfo with `symbols` TRADING perpetuals: BTCUSDT first, then
// S0001USDT, S0002USDT, …; REQUEST_WEIGHT 2400 per minute; compact JSON.
std::string binance_exchange_info(std::size_t symbols, std::int64_t now_ms);

}  // namespace mdp::bench
