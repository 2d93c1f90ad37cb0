// Base URLs of the exchanges this project ships plugins for. The host always hands a plugin
// its base_url explicitly, because the same value is the transport's allowlist: a plugin can
// reach only what the operator (or this table) names.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mdp::app {

inline std::optional<std::string> known_base_url(std::string_view plugin_id) {
  if (plugin_id == "binance_futures") return std::string("https://fapi.binance.com");
  if (plugin_id == "hyperliquid") return std::string("https://api.hyperliquid.xyz");
  if (plugin_id == "coinbase") return std::string("https://api.coinbase.com");
  return std::nullopt;
}

}  // namespace mdp::app
