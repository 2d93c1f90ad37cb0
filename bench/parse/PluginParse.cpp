#include "PluginParse.hpp"

#include <stdexcept>

#include "BinanceParsers.hpp"
#include "CoinbaseParsers.hpp"
#include "HyperliquidParsers.hpp"

namespace mdp::bench {

const std::vector<std::string>& PluginParse::exchanges() {
  static const std::vector<std::string> ids{"binance_futures", "hyperliquid", "coinbase"};
  return ids;
}

PluginParse::PluginParse(std::string_view exchange, std::string_view interval) {
  const auto unsupported = [&] {
    return std::invalid_argument(std::string(exchange) + " does not serve interval '" + std::string(interval) + "'");
  };
  if (exchange == "binance_futures") {
    kind_ = Kind::Binance;
    const auto* info = binance::find_interval(interval);
    if (info == nullptr) throw unsupported();
    interval_ms_ = info->duration_ms;
  } else if (exchange == "hyperliquid") {
    kind_ = Kind::Hyperliquid;
    const auto* spec = hyperliquid::find_interval(interval);
    if (spec == nullptr) throw unsupported();
    hyperliquid_interval_ = spec;
  } else if (exchange == "coinbase") {
    kind_ = Kind::Coinbase;
    const auto* info = coinbase::find_interval(interval);
    if (info == nullptr) throw unsupported();
    interval_ms_ = info->duration_ms;
  } else {
    throw std::invalid_argument("no candle parser for exchange '" + std::string(exchange) + "'");
  }
}

std::size_t PluginParse::operator()(std::string_view body, std::vector<sdk::Candle>& rows) const {
  switch (kind_) {
    case Kind::Binance:
      binance::parse_klines(body, interval_ms_, kBenchNowMs, rows);
      break;
    case Kind::Hyperliquid:
      hyperliquid::parse_candle_snapshot(body, *hyperliquid_interval_, kBenchNowMs, rows);
      break;
    case Kind::Coinbase:
      coinbase::parse_candles(body, interval_ms_, kBenchNowMs, rows);
      break;
  }
  return rows.size();
}

}  // namespace mdp::bench
