// GET /fapi/v1/exchangeInfo bodies through the parser the plugin runs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "BinanceParsers.hpp"
#include "FuzzCheck.hpp"
#include "PluginRowChecks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> renamed;
  try {
    mdp::fuzz::check_symbols(mdp::binance::parse_exchange_info(mdp::fuzz::as_text(data, size), &renamed));
  } catch (const mdp::sdk::Error&) {
  }
  return 0;
}
