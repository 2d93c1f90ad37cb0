// How GET /v1/candles answers: a JSON document (exchange, symbol, interval, range, candles)
// or CSV (one header row, one record per candle, the same values: times as UTC ms, prices
// and volumes as exact decimal text, empty field for null, closed as true/false).
#pragma once

#include <string>

#include "CandleRequestService.hpp"

namespace mdp::api {

// Appends the JSON document to `out` (one buffer, hand-written appender).
void write_candles_json(std::string& out, const service::CandleResult& result);
// Appends the CSV (header + rows) to `out`.
void write_candles_csv(std::string& out, const service::CandleResult& result);
// "candles_binance_futures_BTC-USDT-USDT_1h_1704067200000_1706745600000.csv": only
// [A-Za-z0-9._-] survive, so the name is safe inside a quoted Content-Disposition value.
std::string candles_csv_filename(const service::CandleResult& result);
// Keeps [A-Za-z0-9._-], replaces every other byte by '-'.
std::string filename_safe(std::string_view text);

}  // namespace mdp::api
