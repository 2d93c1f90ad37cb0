// {"type":"candleSnapshot"} bodies through the parser the plugin runs.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "FuzzCheck.hpp"
#include "HyperliquidParsers.hpp"
#include "PluginRowChecks.hpp"

namespace {

constexpr std::int64_t kNowMs = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

void parse_with(std::string_view body, std::string_view interval) {
  try {
    mdp::fuzz::check_candles(mdp::hyperliquid::parse_candle_snapshot(body, interval, kNowMs));
  } catch (const mdp::sdk::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = mdp::fuzz::as_text(data, size);
  parse_with(body, "1h");
  parse_with(body, "1M");  // calendar month
  return 0;
}
