// GET /fapi/v1/klines bodies (and error bodies) through the parsers the plugin runs.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "BinanceParsers.hpp"
#include "FuzzCheck.hpp"
#include "PluginRowChecks.hpp"

namespace {

constexpr std::int64_t kNowMs = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

void parse_with(std::string_view body, std::int64_t interval_ms) {
  std::vector<mdp::sdk::Candle> candles;
  try {
    mdp::binance::parse_klines(body, interval_ms, kNowMs, candles);
  } catch (const mdp::sdk::Error&) {
    return;  // a refusal is the documented outcome for bad input
  }
  mdp::fuzz::check_candles(candles);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = mdp::fuzz::as_text(data, size);
  parse_with(body, 60'000);                          // 1m
  parse_with(body, mdp::binance::kCalendarMonth);  // 1M: calendar arithmetic
  mdp::binance::ApiError error;
  (void)mdp::binance::parse_error_body(body, error);
  return 0;
}
