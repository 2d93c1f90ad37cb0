// GET /api/v3/brokerage/market/products pages (and single products) through the parsers
// the plugin runs, then the symbol list it builds; also the ISO-8601 parser used for expiries.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "CoinbaseParsers.hpp"
#include "FuzzCheck.hpp"
#include "PluginRowChecks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace cb = mdp::coinbase;
  const std::string_view body = mdp::fuzz::as_text(data, size);
  try {
    cb::ProductsPage page = cb::parse_products_page(body);
    mdp::fuzz::check(page.raw_count == page.products.size() + page.skipped.size(),
                     "raw_count == mapped + skipped");
    std::vector<std::string> notes;
    mdp::fuzz::check_symbols(cb::finalize_symbols(std::move(page.products), &notes));
  } catch (const mdp::sdk::Error&) {
  }
  try {
    (void)cb::parse_product(body);
  } catch (const mdp::sdk::Error&) {
  }
  std::int64_t ms = 0;
  (void)cb::parse_iso8601_ms(body, ms);
  return 0;
}
