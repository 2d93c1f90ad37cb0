// In-tree fixture for mdp_add_plugin(): built from this directory (not plugin-sdk/) with the
// project's warnings, linking a static helper library whose symbols have default visibility.
// The test checks that mdp-sdk_fixture.so still exports only mdp_plugin_entry and loads.
#include <mdp/plugin.hpp>

#include <string>
#include <vector>

extern "C" int mdp_sdk_fixture_helper_answer(void);  // from sdk_fixture_helper.c

namespace {

const mdp_interval_support kIntervals[] = {{sizeof(mdp_interval_support), "1h", "H1", 200}};
const mdp_plugin_descriptor kDescriptor = {sizeof(mdp_plugin_descriptor), "sdk_fixture", "SDK fixture",
                                           "1.0.0", kIntervals, 1, sizeof(mdp_interval_support)};

class Fixture final : public mdp::sdk::Plugin {
 public:
  Fixture(mdp::sdk::Host&, const mdp::sdk::Config&) {}
  void list_symbols(mdp::sdk::Call&, mdp::sdk::SymbolSink& sink) override {
    mdp::sdk::Symbol s;
    s.symbol = "BTC/USD:BTC";
    s.native_symbol = "BTC-PERP";
    s.market_type = MDP_MARKET_PERPETUAL;
    s.status = MDP_SYMBOL_TRADING;
    s.base = "BTC";
    s.quote = "USD";
    s.settle = "BTC";
    s.tick_size = mdp::sdk::decimal_or_throw("5e-1", "tick");
    s.contract_size = std::to_string(mdp_sdk_fixture_helper_answer());
    sink.emit(s);
  }
  mdp::sdk::PageResult fetch_candles(mdp::sdk::Call&, const mdp::sdk::CandleRequest& req,
                                     mdp::sdk::CandleSink& sink) override {
    std::vector<mdp::sdk::Candle> rows;
    for (std::int64_t t = req.start_ms; t < req.end_ms && rows.size() < req.max_rows; t += 3'600'000) {
      mdp::sdk::Candle c;
      c.open_time_ms = t;
      c.close_time_ms = t + 3'599'999;
      c.open = c.high = c.low = c.close = "1";
      c.volume = "0";
      rows.push_back(c);
    }
    sink.emit(rows);
    mdp::sdk::PageResult page;
    const std::int64_t next = req.start_ms + static_cast<std::int64_t>(rows.size()) * 3'600'000;
    if (next < req.end_ms) page.next_start_ms = next;
    return page;
  }
};

}  // namespace

MDP_DEFINE_PLUGIN(Fixture, kDescriptor)
