// GET /api/v3/brokerage/market/products/{id}/candles bodies (and error bodies) through the
// parsers the plugin runs.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "CoinbaseParsers.hpp"
#include "FuzzCheck.hpp"
#include "PluginRowChecks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::int64_t kNowMs = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
  const std::string_view body = mdp::fuzz::as_text(data, size);
  std::vector<mdp::sdk::Candle> candles;
  try {
    mdp::coinbase::parse_candles(body, 3'600'000, kNowMs, candles);
    mdp::fuzz::check_candles(candles);
  } catch (const mdp::sdk::Error&) {
  }
  (void)mdp::coinbase::parse_error_body(body);
  return 0;
}
