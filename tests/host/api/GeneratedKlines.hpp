// A deterministic Binance USD-M klines responder for FakeExchangeServer: any symbol, any
// fixed interval, any [startTime, endTime] and limit, like the real endpoint. Each bucket's
// values follow from its open time, so a test can compute every expected row exactly.
// `high` is sent with a trailing zero ("…​.250"): the API must serve the canonical "…​.25".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "FakeExchangeServer.hpp"

namespace mdp::api::test {

struct ExpectedCandle {
  std::int64_t open_time = 0;
  std::int64_t close_time = 0;
  std::string open, high, low, close, volume, quote_volume;
  std::int64_t trades = 0;
};

// Bucket length of a fixed Binance interval code ("1m" … "1w"); 0 for anything else.
std::int64_t interval_ms(std::string_view code);

ExpectedCandle expected_candle(std::int64_t open_time_ms, std::int64_t interval_length_ms);

// The klines body for one request (parameters as Binance reads them).
fake::FakeResponse generated_klines(const fake::RecordedRequest& request);

// Routes GET /fapi/v1/klines to generated_klines.
fake::RouteId serve_generated_klines(fake::FakeExchangeServer& exchange);

}  // namespace mdp::api::test
