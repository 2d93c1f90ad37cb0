// The smallest useful plugin: an exchange called "minimal" that serves two hard-coded
// markets and a flat series of 1m/1h candles, without any network access. Copy it as the
// starting point of a real adapter (which would call call.send() and parse the reply).
#include <mdp/plugin.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

namespace {

// Static data inside the plugin (plugin-owned, lives as long as the library).
const mdp_interval_support kIntervals[] = {
    {sizeof(mdp_interval_support), "1m", "1m", 1000},
    {sizeof(mdp_interval_support), "1h", "60", 500},
};

const mdp_plugin_descriptor kDescriptor = {
    sizeof(mdp_plugin_descriptor),
    "minimal",                       // id: [a-z0-9_-]{1,32}
    "Minimal example exchange",      // name
    "0.1.0",                         // version
    kIntervals,
    sizeof(kIntervals) / sizeof(kIntervals[0]),
    sizeof(mdp_interval_support),    // interval_stride
};

std::int64_t interval_ms(std::string_view interval) {
  if (interval == "1m") return 60'000;
  if (interval == "1h") return 3'600'000;
  throw mdp::sdk::Error(MDP_E_UNSUPPORTED, "interval '" + std::string(interval) + "' is not served");
}

// Operator configuration is text; a bad value fails create() with a precise message.
std::int64_t config_ms(const mdp::sdk::Config& config, const std::string& key, const std::string& fallback) {
  const std::string text = config.get(key, fallback);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
    throw mdp::sdk::Error(MDP_E_INVALID_ARGUMENT, "config " + key + ": not a UTC ms time: '" + text + "'");
  }
  return value;
}

class MinimalExchange final : public mdp::sdk::Plugin {
 public:
  // thread: loader. Operations below may run concurrently: they only read members.
  MinimalExchange(mdp::sdk::Host& host, const mdp::sdk::Config& config)
      : host_(host),
        // The first candle this exchange "has" (2024-01-01T00:00:00Z unless configured).
        listed_at_ms_(config_ms(config, "listed_at_ms", "1704067200000")) {}

  void list_symbols(mdp::sdk::Call& call, mdp::sdk::SymbolSink& sink) override {
    (void)call;
    std::vector<mdp::sdk::Symbol> rows(2);

    rows[0].symbol = "BTC/USDT";
    rows[0].native_symbol = "BTCUSDT";
    rows[0].market_type = MDP_MARKET_SPOT;
    rows[0].status = MDP_SYMBOL_TRADING;
    rows[0].base = "BTC";
    rows[0].quote = "USDT";
    rows[0].tick_size = mdp::sdk::decimal_or_throw("0.010", "tickSize");  // -> "0.01"
    rows[0].lot_step = mdp::sdk::decimal_or_throw("0.00001000", "stepSize");
    rows[0].min_qty = "0.00001";
    rows[0].min_notional = "5";
    rows[0].listed_at_ms = listed_at_ms_;
    rows[0].native_status = "TRADING";

    rows[1].symbol = "ETH/USDT:USDT";
    rows[1].native_symbol = "ETHUSDT-PERP";
    rows[1].market_type = MDP_MARKET_PERPETUAL;
    rows[1].status = MDP_SYMBOL_TRADING;
    rows[1].base = "ETH";
    rows[1].quote = "USDT";
    rows[1].settle = "USDT";
    rows[1].tick_size = "0.01";
    rows[1].lot_step = "0.001";
    rows[1].min_qty = "0.001";
    rows[1].min_notional = "20";
    rows[1].contract_size = "1";
    rows[1].listed_at_ms = listed_at_ms_;
    rows[1].native_status = "TRADING";

    sink.emit(rows);
    if (host_.log_enabled(MDP_LOG_DEBUG)) host_.log(MDP_LOG_DEBUG, "minimal: listed 2 symbols");
  }

  mdp::sdk::PageResult fetch_candles(mdp::sdk::Call& call, const mdp::sdk::CandleRequest& req,
                                     mdp::sdk::CandleSink& sink) override {
    if (req.native_symbol != "BTCUSDT" && req.native_symbol != "ETHUSDT-PERP") {
      throw mdp::sdk::Error(MDP_E_NOT_FOUND, "unknown symbol '" + std::string(req.native_symbol) + "'");
    }
    const std::int64_t step = interval_ms(req.interval);
    const std::int64_t now = call.now_ms();

    // First open time >= max(start, listing), aligned to the interval.
    std::int64_t t = std::max(req.start_ms, listed_at_ms_);
    t = (t + step - 1) / step * step;

    std::vector<mdp::sdk::Candle> rows;
    while (t < req.end_ms && t <= now && rows.size() < req.max_rows) {
      mdp::sdk::Candle c;
      c.open_time_ms = t;
      c.close_time_ms = t + step - 1;
      // Decimals come from text (here: literals), never from double.
      c.open = "100.5";
      c.high = "101";
      c.low = "99.25";
      c.close = mdp::sdk::decimal_or_throw("100.750", "close");  // -> "100.75"
      c.volume = "12.5";
      c.quote_volume = "";  // absent: this exchange does not report it
      c.trades = -1;        // absent
      c.closed = c.close_time_ms < now;
      rows.push_back(std::move(c));
      t += step;
    }
    sink.emit(rows);

    mdp::sdk::PageResult page;
    // Stopped at max_rows with range left (and candles possibly existing there): continue at t.
    if (t < req.end_ms && t <= now && rows.size() == req.max_rows) page.next_start_ms = t;
    // No history limit: before the listing there is nothing, so available_from_ms stays -1.
    return page;
  }

 private:
  mdp::sdk::Host& host_;
  std::int64_t listed_at_ms_;
};

}  // namespace

MDP_DEFINE_PLUGIN(MinimalExchange, kDescriptor)
