// One plugin's real candle parse function (from its mdp_<name>_parsers library), chosen by
// exchange id and interval code, so the payload writer (which checks each body) and the
// benchmark call exactly what the plugin calls on a candle response.
#pragma once

#include <mdp/plugin.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::hyperliquid {
struct IntervalSpec;
}

namespace mdp::bench {

// "now" for every parse: after all generated and recorded candles, so all come out closed.
inline constexpr std::int64_t kBenchNowMs = 4'000'000'000'000;

class PluginParse {
 public:
  // Throws std::invalid_argument for an exchange without a parser here, or an interval
  // code that plugin does not serve.
  PluginParse(std::string_view exchange, std::string_view interval);

  // Parses `body` into `rows` (cleared first, capacity reused, as the plugins do) and
  // returns the row count. Throws mdp::sdk::Error exactly as the plugin's parser does.
  std::size_t operator()(std::string_view body, std::vector<sdk::Candle>& rows) const;

  static const std::vector<std::string>& exchanges();  // the ids accepted above

 private:
  enum class Kind { Binance, Hyperliquid, Coinbase };
  Kind kind_;
  std::int64_t interval_ms_ = 0;                               // Binance, Coinbase
  const hyperliquid::IntervalSpec* hyperliquid_interval_ = nullptr;  // Hyperliquid
};

}  // namespace mdp::bench
