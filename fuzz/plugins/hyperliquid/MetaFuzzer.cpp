// {"type":"meta"} and {"type":"spotMeta"} bodies: each parser alone, then the symbol list
// the plugin builds from both (the input serves as either body).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "FuzzCheck.hpp"
#include "HyperliquidParsers.hpp"
#include "PluginRowChecks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace hl = mdp::hyperliquid;
  const std::string_view body = mdp::fuzz::as_text(data, size);
  std::vector<std::string> warnings;
  hl::TokenTable tokens;
  try {
    std::vector<mdp::sdk::Symbol> spot;
    hl::parse_spot_meta(body, spot, warnings, &tokens);
    mdp::fuzz::check_symbols(spot);
  } catch (const mdp::sdk::Error&) {
  }
  try {
    std::vector<mdp::sdk::Symbol> perp;
    hl::parse_perp_meta(body, &tokens, perp, warnings);
    mdp::fuzz::check_symbols(perp);
  } catch (const mdp::sdk::Error&) {
  }
  static const std::string kEmptySpotMeta = R"({"universe":[],"tokens":[]})";
  static const std::string kEmptyMeta = R"({"universe":[]})";
  try {
    mdp::fuzz::check_symbols(hl::build_symbol_list(body, kEmptySpotMeta, warnings));
  } catch (const mdp::sdk::Error&) {
  }
  try {
    mdp::fuzz::check_symbols(hl::build_symbol_list(kEmptyMeta, body, warnings));
  } catch (const mdp::sdk::Error&) {
  }
  return 0;
}
