// Conformance over every recorded real response in ../shared/fixtures/binance_futures, fed
// through the built plugin .so (and the parse entry points the benchmark calls). Checks:
// every symbol parses, canonical symbols unique, decimals exact against the exchange's raw
// text, candles ascending, open_time < close_time, low <= open,close <= high (exact decimal
// comparison), error bodies mapped. Files are classified by content, so new recordings are
// picked up without editing this test. When the shared fixtures are absent the test says so
// with GTEST_SKIP (the only skip allowed).
#include "BinanceParsers.hpp"
#include "BinanceTestSupport.hpp"
#include "ScriptedHost.hpp"

#include <gtest/gtest.h>
#include <mdp/decimal.hpp>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

using binance_test::compare_decimal;
using binance_test::read_file;
using binance_test::strip_trailing_zeros;
using mdp::testing::OperationResult;
using mdp::testing::PluginHarness;
using mdp::testing::ScriptedHost;
using mdp::testing::ScriptedResponse;
namespace fs = std::filesystem;

namespace {

struct Recorded {
  std::string name;
  std::string body;
};

enum class Kind { ExchangeInfo, Klines, Error, Other };

Kind classify(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return Kind::Other;
  if (root.is_array()) return Kind::Klines;
  if (!root.is_object()) return Kind::Other;
  if (root["symbols"].error() == simdjson::SUCCESS) return Kind::ExchangeInfo;
  if (root["code"].error() == simdjson::SUCCESS && root["msg"].error() == simdjson::SUCCESS) return Kind::Error;
  return Kind::Other;
}

// Every *.json under the exchange's recorded responses, by name; empty when absent.
std::vector<Recorded> recorded(std::string& dir_out) {
  std::vector<Recorded> out;
  const std::string base = mdp::testing::shared_fixtures_dir();
  if (base.empty()) return out;
  dir_out = base + "/binance_futures";
  if (!fs::is_directory(dir_out)) return out;
  for (const auto& entry : fs::directory_iterator(dir_out)) {
    if (entry.path().extension() != ".json") continue;
    out.push_back({entry.path().filename().string(), read_file(entry.path().string())});
  }
  std::sort(out.begin(), out.end(), [](const Recorded& a, const Recorded& b) { return a.name < b.name; });
  return out;
}

std::string skip_reason() {
  return "shared fixtures not found: expected $MDP_SOURCE_DIR/../shared/fixtures/binance_futures "
         "(recorded real Binance responses, see ../shared/fixtures/SOURCES.md); conformance not run";
}

std::string raw_string(simdjson::dom::element e) {
  std::string_view v;
  if (e.get_string().get(v) != simdjson::SUCCESS) return "<not a string>";
  return std::string(v);
}

// Canonical text must equal the exchange's text up to trailing fractional zeros.
void expect_exact(const std::string& canonical, const std::string& raw, const std::string& what) {
  EXPECT_TRUE(mdp::is_canonical_decimal(canonical)) << what << ": '" << canonical << "'";
  EXPECT_EQ(canonical, strip_trailing_zeros(raw)) << what;
}

std::string interval_for(std::int64_t open, std::int64_t close) {
  const std::int64_t span = close - open + 1;
  for (const auto& info : mdp::binance::intervals()) {
    if (info.duration_ms == span) return info.code;
    if (info.duration_ms == mdp::binance::kCalendarMonth && mdp::binance::next_open_ms(open, info.duration_ms) == close + 1) {
      return info.code;
    }
  }
  return "";
}

}  // namespace

TEST(BinanceConformance, EveryRecordedExchangeInfoParsesExactlyAndUniquely) {
  std::string dir;
  const auto files = recorded(dir);
  if (files.empty()) GTEST_SKIP() << skip_reason();
  std::size_t documents = 0, symbols_checked = 0;
  for (const Recorded& file : files) {
    if (classify(file.body) != Kind::ExchangeInfo) continue;
    SCOPED_TRACE(file.name);
    ++documents;
    ScriptedHost host;
    PluginHarness harness(mdp::testing::built_plugin_path("binance_futures"), host);
    ASSERT_EQ(harness.create_status(), MDP_OK);
    ScriptedResponse response;
    response.body = file.body;
    host.push(response);
    const OperationResult r = harness.list_symbols();
    ASSERT_EQ(r.status, MDP_OK) << r.message;

    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.parse(file.body);
    simdjson::dom::array raw_symbols = root["symbols"].get_array();
    // Every symbol parses: nothing dropped, same order as the exchange's list.
    ASSERT_EQ(r.symbols.size(), raw_symbols.size());
    std::set<std::string> canonical;
    std::size_t i = 0;
    for (simdjson::dom::element raw : raw_symbols) {
      const mdp::sdk::Symbol& s = r.symbols[i++];
      const std::string native = raw_string(raw["symbol"]);
      SCOPED_TRACE(native);
      EXPECT_EQ(s.native_symbol, native);
      EXPECT_TRUE(canonical.insert(s.symbol).second) << "duplicate canonical symbol " << s.symbol;
      EXPECT_EQ(s.native_status, raw_string(raw["status"]));
      EXPECT_GE(s.status, MDP_SYMBOL_TRADING);
      EXPECT_LE(s.status, MDP_SYMBOL_DELISTED);
      EXPECT_EQ(s.base, raw_string(raw["baseAsset"]));
      EXPECT_EQ(s.quote, raw_string(raw["quoteAsset"]));
      EXPECT_EQ(s.settle, raw_string(raw["marginAsset"]));
      std::string expected = s.base + "/" + s.quote + ":" + s.settle;
      const std::int64_t delivery = raw["deliveryDate"].get_int64();
      if (s.market_type == MDP_MARKET_FUTURE) {
        expected += "-" + mdp::binance::utc_yymmdd(delivery);
        EXPECT_EQ(s.delivery_at_ms, delivery);
        // Binance's own dated ids end in _YYMMDD of the delivery date.
        EXPECT_EQ(native.substr(native.size() - 7), "_" + mdp::binance::utc_yymmdd(delivery));
      } else {
        EXPECT_EQ(s.market_type, MDP_MARKET_PERPETUAL);
        EXPECT_EQ(s.delivery_at_ms, -1);
        EXPECT_EQ(native.find('_'), std::string::npos) << "a perpetual with a dated-looking id";
      }
      EXPECT_EQ(s.symbol, expected);
      EXPECT_EQ(s.listed_at_ms, raw["onboardDate"].get_int64().value());
      EXPECT_EQ(s.contract_size, "1");
      for (simdjson::dom::element f : raw["filters"].get_array()) {
        const std::string type = raw_string(f["filterType"]);
        if (type == "PRICE_FILTER") expect_exact(s.tick_size, raw_string(f["tickSize"]), "tickSize");
        if (type == "LOT_SIZE") {
          expect_exact(s.lot_step, raw_string(f["stepSize"]), "stepSize");
          expect_exact(s.min_qty, raw_string(f["minQty"]), "minQty");
        }
        if (type == "MIN_NOTIONAL") expect_exact(s.min_notional, raw_string(f["notional"]), "notional");
      }
      EXPECT_FALSE(s.tick_size.empty());
      EXPECT_FALSE(s.lot_step.empty());
    }
    symbols_checked += r.symbols.size();
    // The benchmark's entry point gives the same rows.
    const auto direct = mdp::binance::parse_exchange_info(file.body);
    ASSERT_EQ(direct.size(), r.symbols.size());
    for (std::size_t k = 0; k < direct.size(); ++k) EXPECT_EQ(direct[k].symbol, r.symbols[k].symbol);
    std::cout << "[conformance] " << file.name << ": " << r.symbols.size() << " symbols\n";
  }
  std::cout << "[conformance] exchangeInfo: " << documents << " documents, " << symbols_checked
            << " symbols checked in " << dir << "\n";
  RecordProperty("exchange_info_documents", static_cast<int>(documents));
  RecordProperty("symbols_checked", static_cast<int>(symbols_checked));
  EXPECT_GT(documents, 0u) << "no exchangeInfo recording found in " << dir;
}

TEST(BinanceConformance, EveryRecordedKlinesPageIsExactAndOrdered) {
  std::string dir;
  const auto files = recorded(dir);
  if (files.empty()) GTEST_SKIP() << skip_reason();
  std::size_t pages = 0, candles_checked = 0;
  for (const Recorded& file : files) {
    if (classify(file.body) != Kind::Klines) continue;
    SCOPED_TRACE(file.name);
    ++pages;
    simdjson::dom::parser parser;
    simdjson::dom::array raw_rows = parser.parse(file.body).get_array();
    ASSERT_GT(raw_rows.size(), 0u);
    ASSERT_LE(raw_rows.size(), 1500u);
    const std::int64_t first_open = raw_rows.at(0).at(0).get_int64();
    const std::int64_t first_close = raw_rows.at(0).at(6).get_int64();
    const std::int64_t last_open = raw_rows.at(raw_rows.size() - 1).at(0).get_int64();
    const std::string interval = interval_for(first_open, first_close);
    ASSERT_FALSE(interval.empty()) << "no canonical interval spans " << first_close - first_open + 1 << " ms";
    const std::int64_t duration = mdp::binance::find_interval(interval)->duration_ms;

    ScriptedHost host;
    host.set_now_ms(mdp::binance::next_open_ms(last_open, duration) + 1);  // every candle closed
    PluginHarness harness(mdp::testing::built_plugin_path("binance_futures"), host);
    ASSERT_EQ(harness.create_status(), MDP_OK);
    ScriptedResponse response;
    response.body = file.body;
    host.push(response);
    const auto max_rows = static_cast<std::uint32_t>(raw_rows.size());
    const OperationResult r = harness.fetch_candles("BTCUSDT", interval, first_open,
                                                    mdp::binance::next_open_ms(last_open, duration), max_rows);
    ASSERT_EQ(r.status, MDP_OK) << r.message;
    ASSERT_EQ(r.candles.size(), raw_rows.size());
    EXPECT_EQ(r.page.next_start_ms, -1);
    EXPECT_EQ(r.page.available_from_ms, -1);

    std::size_t i = 0;
    for (simdjson::dom::element raw : raw_rows) {
      const mdp::sdk::Candle& c = r.candles[i];
      SCOPED_TRACE("row " + std::to_string(i));
      EXPECT_EQ(c.open_time_ms, raw.at(0).get_int64().value());
      EXPECT_EQ(c.close_time_ms, raw.at(6).get_int64().value()) << "Binance's closeTime = next open - 1";
      EXPECT_LT(c.open_time_ms, c.close_time_ms);
      if (i > 0) {
        EXPECT_LT(r.candles[i - 1].open_time_ms, c.open_time_ms) << "ascending, no duplicates";
      }
      expect_exact(c.open, raw_string(raw.at(1)), "open");
      expect_exact(c.high, raw_string(raw.at(2)), "high");
      expect_exact(c.low, raw_string(raw.at(3)), "low");
      expect_exact(c.close, raw_string(raw.at(4)), "close");
      expect_exact(c.volume, raw_string(raw.at(5)), "volume");
      expect_exact(c.quote_volume, raw_string(raw.at(7)), "quote volume");
      EXPECT_EQ(c.trades, raw.at(8).get_int64().value());
      EXPECT_LE(compare_decimal(c.low, c.open), 0) << c.low << " > open " << c.open;
      EXPECT_LE(compare_decimal(c.low, c.close), 0) << c.low << " > close " << c.close;
      EXPECT_LE(compare_decimal(c.open, c.high), 0) << c.open << " > high " << c.high;
      EXPECT_LE(compare_decimal(c.close, c.high), 0) << c.close << " > high " << c.high;
      EXPECT_TRUE(c.closed);
      ++i;
    }
    candles_checked += r.candles.size();
    // The benchmark's entry point gives the same rows.
    const auto direct = mdp::binance::parse_klines(file.body, duration, last_open);  // last one still open
    ASSERT_EQ(direct.size(), r.candles.size());
    for (std::size_t k = 0; k < direct.size(); ++k) {
      EXPECT_EQ(direct[k].close, r.candles[k].close);
      EXPECT_EQ(direct[k].quote_volume, r.candles[k].quote_volume);
      EXPECT_EQ(direct[k].closed, k + 1 < direct.size());
    }
    std::cout << "[conformance] " << file.name << ": " << r.candles.size() << " candles (" << interval << ")\n";
  }
  std::cout << "[conformance] klines: " << pages << " pages, " << candles_checked << " candles checked in "
            << dir << "\n";
  RecordProperty("klines_pages", static_cast<int>(pages));
  RecordProperty("candles_checked", static_cast<int>(candles_checked));
  EXPECT_GT(pages, 0u) << "no klines recording found in " << dir;
}

TEST(BinanceConformance, EveryRecordedErrorBodyIsMapped) {
  std::string dir;
  const auto files = recorded(dir);
  if (files.empty()) GTEST_SKIP() << skip_reason();
  std::size_t checked = 0;
  for (const Recorded& file : files) {
    if (classify(file.body) != Kind::Error) continue;
    SCOPED_TRACE(file.name);
    mdp::binance::ApiError api;
    ASSERT_TRUE(mdp::binance::parse_error_body(file.body, api));
    mdp_status expected = MDP_E_UPSTREAM_PROTOCOL;
    if (api.code == -1121) expected = MDP_E_NOT_FOUND;
    else if (api.code == -1120) expected = MDP_E_UNSUPPORTED;
    else if (api.code <= -1100 && api.code >= -1199) expected = MDP_E_INVALID_ARGUMENT;
    ScriptedHost host;
    PluginHarness harness(mdp::testing::built_plugin_path("binance_futures"), host);
    ASSERT_EQ(harness.create_status(), MDP_OK);
    ScriptedResponse response;
    response.status = 400;  // every recorded Binance error came with HTTP 400
    response.body = file.body;
    host.push(response);
    const OperationResult r = harness.fetch_candles("BTCUSDT", "1m", 1704164640000, 1704164700000, 1);
    EXPECT_EQ(r.status, expected) << r.message;
    EXPECT_NE(r.message.find(api.msg), std::string::npos) << r.message;
    EXPECT_TRUE(r.candles.empty());
    ++checked;
  }
  std::cout << "[conformance] error bodies: " << checked << " checked\n";
  EXPECT_GT(checked, 0u);
}

TEST(BinanceConformance, EveryRecordedFileIsClassified) {
  std::string dir;
  const auto files = recorded(dir);
  if (files.empty()) GTEST_SKIP() << skip_reason();
  for (const Recorded& file : files) {
    EXPECT_NE(classify(file.body), Kind::Other) << file.name << " is neither exchangeInfo, klines nor an error";
  }
}
