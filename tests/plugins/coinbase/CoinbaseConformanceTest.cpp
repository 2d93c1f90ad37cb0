// Conformance over every recorded Coinbase response in ../shared/fixtures/coinbase (read in
// place, never copied): each is classified by its shape and fed through the parsers and the
// built .so. Invariants: every product maps to a symbol, canonical symbols are unique,
// decimals are exact (canonical text == the exchange's text up to trailing zeros), candles
// ascending, open_time < close_time, low <= open, close <= high (exact decimal compare).
// The exchange's raw text is read here independently with simdjson's DOM.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "CoinbaseParsers.hpp"
#include "CoinbaseTestSupport.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace cb = mdp::coinbase;
namespace fs = std::filesystem;
using coinbase_test::compare_decimal;
using coinbase_test::strip_trailing_zeros;
using mdp::testing::OperationResult;
using mdp::testing::PluginHarness;
using mdp::testing::RecordedRequest;
using mdp::testing::ScriptedHost;
using mdp::testing::ScriptedResponse;

namespace {

enum class Shape { ProductsPage, Product, Candles, ErrorEnvelope, Other };

struct Recorded {
  std::string name;
  std::string body;
  Shape shape = Shape::Other;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Shape classify(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return Shape::Other;
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return Shape::Other;
  if (object["products"].error() == simdjson::SUCCESS) return Shape::ProductsPage;
  if (object["candles"].error() == simdjson::SUCCESS) return Shape::Candles;
  if (object["product_id"].error() == simdjson::SUCCESS) return Shape::Product;
  if (object["error"].error() == simdjson::SUCCESS) return Shape::ErrorEnvelope;
  return Shape::Other;  // e.g. Coinbase Exchange API bodies (arrays, {"message": ...})
}

std::vector<Recorded> recorded_responses(const std::string& shared) {
  std::vector<Recorded> out;
  const fs::path dir = fs::path(shared) / "coinbase";
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    Recorded r;
    r.name = entry.path().filename().string();
    r.body = read_file(entry.path());
    r.shape = classify(r.body);
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const Recorded& a, const Recorded& b) { return a.name < b.name; });
  return out;
}

// The exchange's own text of a decimal field ("" when absent or not a string).
std::string raw_string(simdjson::dom::object object, const char* key) {
  std::string_view text;
  if (object[key].get_string().get(text) != simdjson::SUCCESS) return "";
  return std::string(text);
}

void expect_exact(const std::string& canonical, const std::string& raw, const std::string& what) {
  if (raw.empty()) {
    EXPECT_EQ(canonical, "") << what;
    return;
  }
  EXPECT_TRUE(mdp::is_canonical_decimal(canonical)) << what << ": '" << canonical << "'";
  EXPECT_EQ(canonical, strip_trailing_zeros(raw)) << what << ": exchange text '" << raw << "'";
}

// Checks one product's decimals against the exchange's text.
void check_product_decimals(const mdp::sdk::Symbol& s, simdjson::dom::object p) {
  const std::string price = raw_string(p, "price_increment");
  expect_exact(s.tick_size, price.empty() ? raw_string(p, "quote_increment") : price, s.native_symbol + " tick");
  expect_exact(s.lot_step, raw_string(p, "base_increment"), s.native_symbol + " lot");
  expect_exact(s.min_qty, raw_string(p, "base_min_size"), s.native_symbol + " min_qty");
  expect_exact(s.min_notional, raw_string(p, "quote_min_size"), s.native_symbol + " min_notional");
  simdjson::dom::object details;
  if (p["future_product_details"].get_object().get(details) == simdjson::SUCCESS) {
    expect_exact(s.contract_size, raw_string(details, "contract_size"), s.native_symbol + " contract_size");
  } else {
    EXPECT_EQ(s.contract_size, "") << s.native_symbol;
  }
}

std::int64_t infer_interval_ms(const std::string& name, const std::vector<mdp::sdk::Candle>& candles) {
  for (const cb::IntervalInfo& info : cb::kIntervals) {
    if (name.find(std::string("_") + info.canonical + ".") != std::string::npos ||
        name.find(std::string("_") + info.canonical + "_") != std::string::npos) {
      return info.duration_ms;
    }
  }
  std::int64_t gap = 0;
  for (std::size_t i = 1; i < candles.size(); ++i) {
    const std::int64_t d = candles[i].open_time_ms - candles[i - 1].open_time_ms;
    if (gap == 0 || d < gap) gap = d;
  }
  for (const cb::IntervalInfo& info : cb::kIntervals) {
    if (info.duration_ms == gap) return gap;
  }
  return 60'000;
}

struct Counts {
  int files = 0, product_pages = 0, single_products = 0, symbols = 0, candle_files = 0, candles = 0,
      errors = 0, other = 0;
};

class CoinbaseConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    shared_ = mdp::testing::shared_fixtures_dir();
    if (shared_.empty() || !fs::is_directory(fs::path(shared_) / "coinbase")) {
      GTEST_SKIP() << "../shared/fixtures/coinbase is absent (MDP_SOURCE_DIR/../shared/fixtures has no "
                      "SOURCES.md): the recorded-response conformance run was not performed";
    }
    recorded_ = recorded_responses(shared_);
    ASSERT_FALSE(recorded_.empty()) << "no files in " << shared_ << "/coinbase";
  }
  std::string shared_;
  std::vector<Recorded> recorded_;
};

}  // namespace

TEST_F(CoinbaseConformance, EveryRecordedResponse) {
  Counts n;
  std::vector<cb::ParsedProduct> union_products;
  for (const Recorded& r : recorded_) {
    SCOPED_TRACE(r.name);
    ++n.files;
    simdjson::dom::parser dom;
    switch (r.shape) {
      case Shape::ProductsPage: {
        ++n.product_pages;
        const cb::ProductsPage page = cb::parse_products_page(r.body);
        EXPECT_TRUE(page.skipped.empty()) << "a recorded product was not mapped: " << page.skipped[0].product_id
                                          << " (" << page.skipped[0].reason << ")";
        EXPECT_EQ(page.products.size(), page.raw_count);
        const std::vector<mdp::sdk::Symbol> symbols = cb::finalize_symbols(page.products);
        EXPECT_EQ(symbols.size(), page.raw_count);
        std::set<std::string> unique;
        for (const auto& s : symbols) EXPECT_TRUE(unique.insert(s.symbol).second) << "duplicate " << s.symbol;
        std::map<std::string, simdjson::dom::object> raw;
        simdjson::dom::array products = dom.parse(r.body)["products"].get_array();
        for (simdjson::dom::object p : products) raw[std::string(p["product_id"].get_string().value())] = p;
        for (const auto& s : symbols) {
          ASSERT_EQ(raw.count(s.native_symbol), 1u) << s.native_symbol;
          check_product_decimals(s, raw.at(s.native_symbol));
          EXPECT_GE(s.status, MDP_SYMBOL_TRADING);
          EXPECT_LE(s.status, MDP_SYMBOL_DELISTED);
          EXPECT_FALSE(s.base.empty());
          EXPECT_FALSE(s.quote.empty());
        }
        n.symbols += static_cast<int>(symbols.size());
        union_products.insert(union_products.end(), page.products.begin(), page.products.end());

        // The same body through the .so (served for the spot, futures and perpetual queries).
        ScriptedHost host;
        PluginHarness plugin(coinbase_test::plugin_path(), host);
        host.respond([&r](const RecordedRequest&) {
          ScriptedResponse ok;
          ok.body = r.body;
          return ok;
        });
        const OperationResult result = plugin.list_symbols();
        ASSERT_EQ(result.status, MDP_OK) << result.message;
        ASSERT_EQ(result.symbols.size(), symbols.size());
        for (std::size_t i = 0; i < symbols.size(); ++i) EXPECT_EQ(result.symbols[i].symbol, symbols[i].symbol);
        break;
      }
      case Shape::Product: {
        ++n.single_products;
        const cb::ParsedProduct p = cb::parse_product(r.body);
        check_product_decimals(p.symbol, dom.parse(r.body).get_object());
        union_products.push_back(p);
        break;
      }
      case Shape::Candles: {
        ++n.candle_files;
        const std::int64_t now = 4'102'444'800'000;  // 2100: everything recorded is closed
        std::vector<mdp::sdk::Candle> probe;
        cb::parse_candles(r.body, 60'000, now, probe);
        const std::int64_t g = infer_interval_ms(r.name, probe);
        std::vector<mdp::sdk::Candle> candles;
        cb::parse_candles(r.body, g, now, candles);
        std::map<std::int64_t, simdjson::dom::object> raw;
        simdjson::dom::array rows = dom.parse(r.body)["candles"].get_array();
        for (simdjson::dom::object row : rows) {
          std::int64_t seconds = 0;
          std::string_view start = row["start"].get_string().value();
          seconds = std::stoll(std::string(start));
          raw[seconds * 1000] = row;
        }
        ASSERT_EQ(raw.size(), candles.size());
        for (std::size_t i = 0; i < candles.size(); ++i) {
          const mdp::sdk::Candle& c = candles[i];
          if (i > 0) {
            EXPECT_LT(candles[i - 1].open_time_ms, c.open_time_ms) << "not ascending at " << i;
          }
          EXPECT_LT(c.open_time_ms, c.close_time_ms);
          EXPECT_EQ(c.close_time_ms, c.open_time_ms + g - 1);
          EXPECT_LE(compare_decimal(c.low, c.open), 0) << c.open_time_ms;
          EXPECT_LE(compare_decimal(c.low, c.close), 0) << c.open_time_ms;
          EXPECT_LE(compare_decimal(c.open, c.high), 0) << c.open_time_ms;
          EXPECT_LE(compare_decimal(c.close, c.high), 0) << c.open_time_ms;
          EXPECT_EQ(c.quote_volume, "");
          EXPECT_EQ(c.trades, -1);
          ASSERT_EQ(raw.count(c.open_time_ms), 1u);
          const simdjson::dom::object row = raw.at(c.open_time_ms);
          const std::string at = std::to_string(c.open_time_ms);
          expect_exact(c.open, raw_string(row, "open"), at + " open");
          expect_exact(c.high, raw_string(row, "high"), at + " high");
          expect_exact(c.low, raw_string(row, "low"), at + " low");
          expect_exact(c.close, raw_string(row, "close"), at + " close");
          expect_exact(c.volume, raw_string(row, "volume"), at + " volume");
        }
        n.candles += static_cast<int>(candles.size());

        // The same body through the .so, for a range covering every recorded candle.
        if (!candles.empty()) {
          ScriptedHost host;
          host.set_now_ms(now);
          PluginHarness plugin(coinbase_test::plugin_path(), host);
          ScriptedResponse ok;
          ok.body = r.body;
          host.push(ok);
          std::string code;
          for (const cb::IntervalInfo& info : cb::kIntervals) {
            if (info.duration_ms == g) code = info.canonical;
          }
          const OperationResult result = plugin.fetch_candles(
              "BTC-USD", code, candles.front().open_time_ms, candles.back().open_time_ms + g, 350);
          ASSERT_EQ(result.status, MDP_OK) << result.message;
          ASSERT_EQ(result.candles.size(), candles.size());
          for (std::size_t i = 0; i < candles.size(); ++i) {
            EXPECT_EQ(result.candles[i].open_time_ms, candles[i].open_time_ms);
            EXPECT_EQ(result.candles[i].close, candles[i].close);
            EXPECT_TRUE(result.candles[i].closed);
          }
          EXPECT_EQ(result.page.next_start_ms, -1);
        }
        break;
      }
      case Shape::ErrorEnvelope: {
        ++n.errors;
        const cb::ErrorBody e = cb::parse_error_body(r.body);
        EXPECT_TRUE(e.is_json_object);
        EXPECT_FALSE(e.error.empty());
        // As a 400 reply to a candles request: INVALID_ARGUMENT carrying the exchange's words.
        ScriptedHost host;
        PluginHarness plugin(coinbase_test::plugin_path(), host);
        ScriptedResponse reply;
        reply.status = 400;
        reply.body = r.body;
        host.push(reply);
        const OperationResult result = plugin.fetch_candles("BTC-USD", "1h", 0, 3'600'000, 1);
        EXPECT_EQ(result.status, MDP_E_INVALID_ARGUMENT) << result.message;
        const std::string words = e.message.empty() ? e.details : e.message;
        EXPECT_NE(result.message.find(words.substr(0, 60)), std::string::npos) << result.message;
        break;
      }
      case Shape::Other: {
        // Not an Advanced Trade body (the Coinbase Exchange API files): rejected with a
        // protocol error naming the response, never a crash, never rows.
        ++n.other;
        coinbase_test::expect_error([&] { cb::parse_candles(r.body, "1h", 0); }, MDP_E_UPSTREAM_PROTOCOL,
                                    "candles response");
        coinbase_test::expect_error([&] { cb::parse_products_page(r.body); }, MDP_E_UPSTREAM_PROTOCOL,
                                    "products response");
        break;
      }
    }
  }

  // Every recorded product together, as one listing: canonical symbols stay unique.
  const std::vector<mdp::sdk::Symbol> all = cb::finalize_symbols(union_products);
  std::set<std::string> unique;
  for (const auto& s : all) EXPECT_TRUE(unique.insert(s.symbol).second) << "duplicate " << s.symbol;

  std::cout << "[coinbase conformance] " << n.files << " files from " << shared_ << "/coinbase: "
            << n.product_pages << " products pages (" << n.symbols << " symbols), " << n.single_products
            << " single products, " << all.size() << " distinct symbols over all recordings, " << n.candle_files
            << " candle files (" << n.candles << " candles), " << n.errors << " error envelopes, " << n.other
            << " non-Advanced-Trade bodies rejected\n";
  RecordProperty("files", n.files);
  RecordProperty("symbols", n.symbols);
  RecordProperty("candles", n.candles);
  EXPECT_GT(n.symbols, 0);
  EXPECT_GT(n.candles, 0);
}

TEST_F(CoinbaseConformance, RecordedSpotAndFuturesAsOneListing) {
  // The spot recording for the spot query, the futures recording for both futures queries.
  const auto find = [this](const std::string& name) -> const Recorded* {
    for (const Recorded& r : recorded_) {
      if (r.name == name) return &r;
    }
    return nullptr;
  };
  const Recorded* spot = find("nautilus_products.json");
  const Recorded* futures = find("nautilus_products_future.json");
  if (spot == nullptr || futures == nullptr) {
    GTEST_SKIP() << "nautilus_products.json / nautilus_products_future.json not recorded";
  }
  ScriptedHost host;
  PluginHarness plugin(coinbase_test::plugin_path(), host);
  host.respond([&](const RecordedRequest& req) {
    ScriptedResponse ok;
    ok.body = req.url.find("product_type=SPOT") != std::string::npos ? spot->body : futures->body;
    return ok;
  });
  const OperationResult result = plugin.list_symbols();
  ASSERT_EQ(result.status, MDP_OK) << result.message;
  std::map<std::string, mdp::sdk::Symbol> by_native;
  for (const auto& s : result.symbols) by_native[s.native_symbol] = s;
  ASSERT_EQ(by_native.size(), result.symbols.size());
  ASSERT_EQ(result.symbols.size(), 4u);
  EXPECT_EQ(by_native.at("BTC-USD").symbol, "BTC/USD");
  EXPECT_EQ(by_native.at("BTC-USDC").symbol, "BTC/USDC");
  EXPECT_EQ(by_native.at("BTC-USDC").alias_of, "BTC-USD");
  EXPECT_EQ(by_native.at("BIT-24APR26-CDE").symbol, "BTC/USD:USD-260424");
  EXPECT_EQ(by_native.at("BIT-24APR26-CDE").delivery_at_ms, 1777042800000);
  EXPECT_EQ(by_native.at("BIP-20DEC30-CDE").symbol, "BTC/USD:USD-301220");
  EXPECT_EQ(by_native.at("BIP-20DEC30-CDE").contract_size, "0.01");
  for (const auto& s : result.symbols) EXPECT_EQ(s.status, MDP_SYMBOL_TRADING) << s.native_symbol;
}
