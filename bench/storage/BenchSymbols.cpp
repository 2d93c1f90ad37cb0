#include "BenchSymbols.hpp"

#include <cstdint>

namespace mdp::bench {
namespace {

constexpr const char* kTickSizes[] = {"0.01", "0.1", "0.0001", "0.00001", "1", "0.001", "0.000001"};
constexpr const char* kLotSteps[] = {"0.001", "1", "0.1", "0.01", "10", "0.0001"};
constexpr const char* kMinNotionals[] = {"5", "10", "1", "100", "0.5"};

// "A", "B", ..., "Z", "BA", ...: distinct letter codes, so every base is a plausible asset name.
std::string letters(std::size_t n) {
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('A' + n % 26));
    n /= 26;
  } while (n != 0);
  return out;
}

}  // namespace

std::vector<domain::Symbol> bench_symbols(std::size_t count, const std::string& exchange) {
  std::vector<domain::Symbol> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    domain::Symbol s;
    s.exchange = exchange;
    s.base = "X" + letters(i);
    s.quote = i % 5 == 0 ? "USDC" : "USDT";
    const std::size_t kind = i % 10;  // 0-6 perpetual, 7-8 spot, 9 dated future
    if (kind < 7) {
      s.market_type = domain::MarketType::Perpetual;
      s.symbol = s.base + "/" + s.quote + ":" + s.quote;
      s.native_symbol = s.base + s.quote;
      s.settle = s.quote;
      s.contract_size = "1";
    } else if (kind < 9) {
      s.market_type = domain::MarketType::Spot;
      s.symbol = s.base + "/" + s.quote;
      s.native_symbol = s.base + "-" + s.quote;
    } else {
      s.market_type = domain::MarketType::Future;
      s.symbol = s.base + "/" + s.quote + ":" + s.quote + "-261225";
      s.native_symbol = s.base + s.quote + "_261225";
      s.settle = s.quote;
      s.contract_size = "1";
      s.delivery_at_ms = 1798185600000;  // 2026-12-25T08:00:00Z
    }
    s.status = i % 50 == 0 ? domain::SymbolStatus::Halted : domain::SymbolStatus::Trading;
    s.native_status = i % 50 == 0 ? "HALT" : "TRADING";
    s.tick_size = kTickSizes[i % 7];
    s.lot_step = kLotSteps[i % 6];
    s.min_qty = s.lot_step;
    s.min_notional = kMinNotionals[i % 5];
    s.price_max_decimals = static_cast<std::int32_t>(i % 8);
    s.price_max_sig_figs = 5;
    s.listed_at_ms = 1569398400000 + static_cast<std::int64_t>(i) * 3'600'000;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace mdp::bench
