// Candle response bodies in the exchanges' exact wire formats, generated deterministically
// (same seed -> same bytes on every machine): a random walk of prices kept as integer ticks
// and printed the way each exchange prints them. The recorded responses in
// ../shared/fixtures show the formats copied here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mdp::bench {

// First open time of every generated body: 2025-11-05T12:00:00Z, on the 1m grid.
inline constexpr std::int64_t kGeneratedStartMs = 1762344000000;
inline constexpr std::int64_t kOneMinuteMs = 60'000;

// Binance USD-M GET /fapi/v1/klines?interval=1m: compact JSON array of 12-field rows
// [openTime,"open","high","low","close","volume",closeTime,"quoteVolume",trades,
//  "takerBuyBase","takerBuyQuote","0"], ascending; BTCUSDT formatting: prices fixed 2
// decimals ("102480.00"), base volumes fixed 3, quote volumes fixed 5.
std::string binance_klines_body(std::size_t rows, std::uint64_t seed);

// Hyperliquid POST /info {"type":"candleSnapshot"}, 1m: compact array of objects with the
// keys in the order the exchange sends them (T,c,h,i,l,n,o,s,t,v), ascending; ETH
// formatting: prices at 5 significant figures (one decimal near 3000, "3012.4", "3012.0"),
// sizes at up to 4 decimals printed shortest ("1234.56", "0.5").
std::string hyperliquid_candle_snapshot_body(std::size_t rows, std::uint64_t seed);

// Coinbase Advanced Trade GET /market/products/{id}/candles?granularity=ONE_MINUTE:
// {"candles":[{"start","low","high","open","close","volume"},...]}, newest first, every
// value a JSON string; BTC-USD formatting: prices up to 2 decimals printed shortest
// ("66312.4", "66312"), volumes up to 8 decimals printed shortest.
std::string coinbase_candles_body(std::size_t rows, std::uint64_t seed);

}  // namespace mdp::bench
