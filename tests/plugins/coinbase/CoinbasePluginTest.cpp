// The built mdp-coinbase.so driven through PluginHarness: descriptor, request building,
// product paging, candle paging semantics, HTTP status and error-body mapping, malformed bodies.
#include <gtest/gtest.h>

#include "CoinbaseTestSupport.hpp"

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

using coinbase_test::fixture;
using mdp::testing::OperationResult;
using mdp::testing::PluginHarness;
using mdp::testing::RecordedRequest;
using mdp::testing::ScriptedHost;
using mdp::testing::ScriptedResponse;

namespace {

constexpr const char* kBase = "https://api.coinbase.com";
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t k0000 = 1712188800000;  // 2024-04-04T00:00:00Z

ScriptedResponse ok(std::string body) {
  ScriptedResponse r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

ScriptedResponse status(std::int32_t code, std::string body, std::int64_t retry_after_ms = -1) {
  ScriptedResponse r;
  r.status = code;
  r.body = std::move(body);
  r.retry_after_ms = retry_after_ms;
  return r;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A newest-first candles body with one row per `step` from `first` (ms) for `count` rows.
std::string candles_body(std::int64_t first, std::int64_t step, int count) {
  std::string body = "{\"candles\":[";
  for (int i = count - 1; i >= 0; --i) {
    const std::int64_t t = (first + step * i) / 1000;
    body += "{\"start\":\"" + std::to_string(t) +
            "\",\"low\":\"1.5\",\"high\":\"3.25\",\"open\":\"2\",\"close\":\"2.50\",\"volume\":\"10.000\"}";
    if (i > 0) body += ",";
  }
  return body + "]}";
}

class CoinbasePlugin : public ::testing::Test {
 protected:
  ScriptedHost host;
  PluginHarness plugin{coinbase_test::plugin_path(), host};

  void SetUp() override { ASSERT_EQ(plugin.create_status(), MDP_OK) << plugin.create_message(); }
};

}  // namespace

// ------------------------------------------------------------------ descriptor, config

TEST_F(CoinbasePlugin, Descriptor) {
  const mdp_plugin_descriptor* d = plugin.api()->descriptor;
  ASSERT_NE(d, nullptr);
  EXPECT_STREQ(d->id, "coinbase");
  ASSERT_EQ(d->interval_count, 9u);
  const char* expected[][2] = {{"1m", "ONE_MINUTE"},  {"5m", "FIVE_MINUTE"}, {"15m", "FIFTEEN_MINUTE"},
                               {"30m", "THIRTY_MINUTE"}, {"1h", "ONE_HOUR"},   {"2h", "TWO_HOUR"},
                               {"4h", "FOUR_HOUR"},    {"6h", "SIX_HOUR"},     {"1d", "ONE_DAY"}};
  for (std::size_t i = 0; i < d->interval_count; ++i) {
    const auto* it = reinterpret_cast<const mdp_interval_support*>(
        reinterpret_cast<const unsigned char*>(d->intervals) + i * d->interval_stride);
    EXPECT_STREQ(it->interval, expected[i][0]);
    EXPECT_STREQ(it->native_code, expected[i][1]);
    EXPECT_EQ(it->page_cap, 350u);
  }
}

TEST(CoinbasePluginConfig, BaseUrlIsConfigurableAndChecked) {
  ScriptedHost host;
  PluginHarness custom(coinbase_test::plugin_path(), host, {{"base_url", "http://127.0.0.1:8089/"}});
  ASSERT_EQ(custom.create_status(), MDP_OK) << custom.create_message();
  host.push(ok(fixture("candles_empty.json")));
  custom.fetch_candles("BTC-USD", "1m", 0, kMinute, 1);
  ASSERT_EQ(host.requests().size(), 1u);
  EXPECT_EQ(host.requests()[0].url.rfind("http://127.0.0.1:8089/api/v3/brokerage/market/products/BTC-USD/candles?", 0), 0u)
      << host.requests()[0].url;

  ScriptedHost host2;
  PluginHarness bad(coinbase_test::plugin_path(), host2, {{"base_url", "ftp://example.com"}});
  EXPECT_EQ(bad.create_status(), MDP_E_INVALID_ARGUMENT);
  EXPECT_TRUE(contains(bad.create_message(), "base_url")) << bad.create_message();
}

// ------------------------------------------------------------------ list_symbols

TEST_F(CoinbasePlugin, ListSymbolsQueriesSpotFuturesAndPerpetuals) {
  host.respond([](const RecordedRequest& r) {
    if (contains(r.url, "product_type=SPOT")) return ok(fixture("products_spot.json"));
    return ok(fixture("products_future.json"));  // FUTURE and FUTURE/PERPETUAL overlap
  });
  const OperationResult result = plugin.list_symbols();
  ASSERT_EQ(result.status, MDP_OK) << result.message;
  ASSERT_EQ(host.requests().size(), 3u);
  EXPECT_EQ(host.requests()[0].url, std::string(kBase) + "/api/v3/brokerage/market/products?product_type=SPOT");
  EXPECT_EQ(host.requests()[1].url, std::string(kBase) + "/api/v3/brokerage/market/products?product_type=FUTURE");
  EXPECT_EQ(host.requests()[2].url, std::string(kBase) +
                                        "/api/v3/brokerage/market/products?product_type=FUTURE&contract_expiry_type=PERPETUAL");
  for (const RecordedRequest& r : host.requests()) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.weight, 1);
  }
  EXPECT_EQ(result.symbols.size(), 15u + 5u);  // futures de-duplicated across the two queries
  std::set<std::string> canonical, native;
  for (const auto& s : result.symbols) {
    EXPECT_TRUE(canonical.insert(s.symbol).second) << s.symbol;
    EXPECT_TRUE(native.insert(s.native_symbol).second) << s.native_symbol;
    for (const std::string* d : {&s.tick_size, &s.lot_step, &s.min_qty, &s.min_notional, &s.contract_size}) {
      EXPECT_TRUE(d->empty() || mdp::is_canonical_decimal(*d)) << s.native_symbol << " " << *d;
    }
  }
  // Skipped products and renamed collisions are logged, not silently dropped.
  bool skipped_logged = false, renamed_logged = false;
  for (const std::string& line : host.logs()) {
    skipped_logged |= contains(line, "AAPL-USD skipped");
    renamed_logged |= contains(line, "BTI-24APR26-CDE");
  }
  EXPECT_TRUE(skipped_logged);
  EXPECT_TRUE(renamed_logged);
}

TEST_F(CoinbasePlugin, ListSymbolsFollowsOffsetPages) {
  host.respond([](const RecordedRequest& r) {
    if (contains(r.url, "product_type=SPOT&offset=2")) return ok(fixture("products_page2.json"));
    if (contains(r.url, "product_type=SPOT")) return ok(fixture("products_page1.json"));
    return ok(fixture("products_empty.json"));
  });
  const OperationResult result = plugin.list_symbols();
  ASSERT_EQ(result.status, MDP_OK) << result.message;
  ASSERT_EQ(host.requests().size(), 4u);
  EXPECT_TRUE(contains(host.requests()[1].url, "product_type=SPOT&offset=2")) << host.requests()[1].url;
  ASSERT_EQ(result.symbols.size(), 3u);
  EXPECT_EQ(result.symbols[2].symbol, "CCC/USD");
}

TEST_F(CoinbasePlugin, ListSymbolsFailsWhenOffsetIsIgnored) {
  host.respond([](const RecordedRequest& r) {
    if (contains(r.url, "product_type=SPOT")) return ok(fixture("products_page1.json"));  // always page 1
    return ok(fixture("products_empty.json"));
  });
  const OperationResult result = plugin.list_symbols();
  EXPECT_EQ(result.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_TRUE(contains(result.message, "repeats earlier ones")) << result.message;
  EXPECT_TRUE(result.symbols.empty());
}

TEST_F(CoinbasePlugin, ListSymbolsCapsThePageCount) {
  std::atomic<int> n{0};
  host.respond([&n](const RecordedRequest&) {
    const std::string id = "P" + std::to_string(n++);
    return ok(R"({"products":[{"product_id":")" + id + R"(-USD","product_type":"SPOT"}],"pagination":{"has_next":true}})");
  });
  const OperationResult result = plugin.list_symbols();
  EXPECT_EQ(result.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_TRUE(contains(result.message, "more than 20 pages")) << result.message;
  EXPECT_EQ(host.requests().size(), 20u);
  EXPECT_TRUE(result.symbols.empty());
}

TEST_F(CoinbasePlugin, ListSymbolsErrorMapping) {
  struct Case {
    ScriptedResponse response;
    mdp_status expected;
    std::string needle;
  };
  ScriptedResponse transport;
  transport.transport_status = MDP_E_TIMEOUT;
  transport.transport_message = "deadline passed";
  ScriptedResponse html = ok(fixture("candles_html.html"));
  html.content_type = "text/html; charset=utf-8";
  std::vector<Case> cases;
  cases.push_back({status(429, fixture("error_rate_limited.txt"), 2500), MDP_E_UPSTREAM_RATE_LIMITED, "429"});
  cases.push_back({status(503, "<html>down</html>"), MDP_E_UPSTREAM_UNAVAILABLE, "503"});
  cases.push_back({status(403, fixture("error_permission_denied.json")), MDP_E_UPSTREAM_UNAVAILABLE, "permission denied"});
  cases.push_back({transport, MDP_E_TIMEOUT, "deadline passed"});
  cases.push_back({html, MDP_E_UPSTREAM_PROTOCOL, "text/html"});
  cases.push_back({ok(fixture("products_truncated.json")), MDP_E_UPSTREAM_PROTOCOL, "invalid JSON"});
  cases.push_back({ok(fixture("products_wrong_type.json")), MDP_E_UPSTREAM_PROTOCOL, "trading_disabled"});
  for (Case& c : cases) {
    ScriptedHost h;
    PluginHarness p(coinbase_test::plugin_path(), h);
    h.push(c.response);
    const OperationResult result = p.list_symbols();
    EXPECT_EQ(result.status, c.expected) << result.message;
    EXPECT_TRUE(contains(result.message, c.needle)) << result.message;
    EXPECT_TRUE(result.symbols.empty());
    if (c.expected == MDP_E_UPSTREAM_RATE_LIMITED) {
      EXPECT_EQ(result.retry_after_ms, 2500);
    }
  }
  // A failure on a later query fails the whole listing: no partial symbol set.
  ScriptedHost h;
  PluginHarness p(coinbase_test::plugin_path(), h);
  h.push(ok(fixture("products_spot.json")));
  h.push(status(500, "oops"));
  const OperationResult result = p.list_symbols();
  EXPECT_EQ(result.status, MDP_E_UPSTREAM_UNAVAILABLE);
  EXPECT_TRUE(result.symbols.empty());
}

TEST_F(CoinbasePlugin, ListSymbolsStopsWhenCancelled) {
  host.cancel();
  host.respond([](const RecordedRequest&) { return ok(fixture("products_empty.json")); });
  const OperationResult result = plugin.list_symbols();
  EXPECT_EQ(result.status, MDP_E_CANCELLED);
  EXPECT_TRUE(host.requests().empty());
}

// ------------------------------------------------------------------ fetch_candles

TEST_F(CoinbasePlugin, FetchCandlesRequestAndRows) {
  host.set_now_ms(k0000 + 4 * kHour + 60'000);
  host.push(ok(fixture("candles_btc_usd_1h.json")));
  const OperationResult r = plugin.fetch_candles("BTC-USD", "1h", k0000, k0000 + 5 * kHour, 350);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(host.requests().size(), 1u);
  // [00:00, 05:00) = 5 buckets; asked as [a0 - 1 s, a0 + 5h - 1 s], limit n + 1.
  EXPECT_EQ(host.requests()[0].url, std::string(kBase) +
                                        "/api/v3/brokerage/market/products/BTC-USD/candles?start=1712188799"
                                        "&end=1712206799&granularity=ONE_HOUR&limit=6");
  EXPECT_EQ(host.requests()[0].weight, 1);
  ASSERT_EQ(r.candles.size(), 4u);
  for (std::size_t i = 1; i < r.candles.size(); ++i) EXPECT_LT(r.candles[i - 1].open_time_ms, r.candles[i].open_time_ms);
  EXPECT_EQ(r.candles[0].open, "65984.18");
  EXPECT_EQ(r.candles[0].quote_volume, "");
  EXPECT_EQ(r.candles[0].trades, -1);
  EXPECT_TRUE(r.candles[2].closed);
  EXPECT_FALSE(r.candles[3].closed);
  // The window was covered; the missing 02:00 bucket had no trades. Nothing more exists.
  EXPECT_EQ(r.page.next_start_ms, -1);
  EXPECT_EQ(r.page.available_from_ms, -1);
}

TEST_F(CoinbasePlugin, FetchCandlesDropsRowsOutsideTheRange) {
  host.push(ok(fixture("candles_btc_usd_1h.json")));
  // [00:00:00.001, 04:00): first bucket 01:00; 04:00 is outside.
  const OperationResult r = plugin.fetch_candles("BTC-USD", "1h", k0000 + 1, k0000 + 4 * kHour, 350);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_TRUE(contains(host.requests()[0].url, "start=1712192399&end=1712203199&granularity=ONE_HOUR&limit=4"))
      << host.requests()[0].url;
  ASSERT_EQ(r.candles.size(), 2u);
  EXPECT_EQ(r.candles[0].open_time_ms, k0000 + kHour);
  EXPECT_EQ(r.candles[1].open_time_ms, k0000 + 3 * kHour);
  EXPECT_EQ(r.page.next_start_ms, -1);
}

TEST_F(CoinbasePlugin, FetchCandlesMaxRowsClampsTheWindow) {
  host.push(ok(fixture("candles_btc_usd_1h.json")));  // a server ignoring the window
  const OperationResult r = plugin.fetch_candles("BTC-USD", "1h", k0000, k0000 + 5 * kHour, 2);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_TRUE(contains(host.requests()[0].url, "start=1712188799&end=1712195999&granularity=ONE_HOUR&limit=3"))
      << host.requests()[0].url;
  ASSERT_EQ(r.candles.size(), 2u);
  EXPECT_EQ(r.candles[1].open_time_ms, k0000 + kHour);
  EXPECT_EQ(r.page.next_start_ms, k0000 + 2 * kHour);
}

TEST_F(CoinbasePlugin, FetchCandlesFullPageOf350) {
  const std::int64_t start = k0000;
  const std::int64_t end = start + 1000 * kMinute;
  host.push(ok(candles_body(start, kMinute, 350)));
  const OperationResult r = plugin.fetch_candles("BTC-USD", "1m", start, end, 350);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  const std::string& url = host.requests()[0].url;
  // Never more than 350 buckets: end - start == 350 * 60 s exactly.
  EXPECT_TRUE(contains(url, "start=1712188799&end=1712209799&granularity=ONE_MINUTE&limit=350")) << url;
  ASSERT_EQ(r.candles.size(), 350u);
  EXPECT_EQ(r.candles.front().open_time_ms, start);
  EXPECT_EQ(r.candles.back().open_time_ms, start + 349 * kMinute);
  EXPECT_EQ(r.candles.front().close, "2.5");
  EXPECT_EQ(r.page.next_start_ms, start + 350 * kMinute);
}

TEST_F(CoinbasePlugin, FetchCandlesPageWithGapsIsCompleteForItsWindow) {
  // 350-bucket window, only 3 candles (quiet market): the window is done, continue after it.
  const std::int64_t start = k0000;
  host.push(ok(candles_body(start + 10 * kMinute, 100 * kMinute, 3)));
  const OperationResult r = plugin.fetch_candles("BTC-USD", "1m", start, start + 1000 * kMinute, 350);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(r.candles.size(), 3u);
  EXPECT_EQ(r.page.next_start_ms, start + 350 * kMinute);  // from the window, not the last candle
}

TEST_F(CoinbasePlugin, FetchCandlesCutResponseContinuesAfterNewestRow) {
  // limit rows came back but the newest buckets are missing: only up to the newest row is known.
  const std::int64_t start = k0000;
  std::string body = candles_body(start - kMinute, kMinute, 350);  // one row before the window
  host.push(ok(body));
  const OperationResult r = plugin.fetch_candles("BTC-USD", "1m", start, start + 1000 * kMinute, 350);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(r.candles.size(), 349u);
  EXPECT_EQ(r.candles.front().open_time_ms, start);
  EXPECT_EQ(r.page.next_start_ms, start + 349 * kMinute);
}

TEST_F(CoinbasePlugin, FetchCandlesEmptyWindowAndEmptyRange) {
  host.push(ok(fixture("candles_empty.json")));
  const OperationResult r = plugin.fetch_candles("BTC-USD", "1d", 0, 10 * 86'400'000LL, 350);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_TRUE(r.candles.empty());
  EXPECT_EQ(r.page.next_start_ms, -1);
  // No bucket opens inside [00:00:30, 00:00:50): nothing to ask for.
  const OperationResult none = plugin.fetch_candles("BTC-USD", "1m", 30'000, 50'000, 10);
  ASSERT_EQ(none.status, MDP_OK) << none.message;
  EXPECT_TRUE(none.candles.empty());
  EXPECT_EQ(none.page.next_start_ms, -1);
  EXPECT_EQ(host.requests().size(), 1u);
}

TEST_F(CoinbasePlugin, FetchCandlesEncodesTheProductId) {
  host.push(ok(fixture("candles_empty.json")));
  plugin.fetch_candles("BTC USD/x?", "1m", 0, kMinute, 1);
  EXPECT_TRUE(contains(host.requests()[0].url, "/products/BTC%20USD%2Fx%3F/candles?")) << host.requests()[0].url;
}

TEST_F(CoinbasePlugin, FetchCandlesUnsupportedInterval) {
  const OperationResult r = plugin.fetch_candles("BTC-USD", "3m", 0, 3 * kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UNSUPPORTED);
  EXPECT_TRUE(contains(r.message, "1m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 1d")) << r.message;
  EXPECT_TRUE(host.requests().empty());
}

TEST_F(CoinbasePlugin, FetchCandlesErrorMapping) {
  struct Case {
    ScriptedResponse response;
    mdp_status expected;
    std::string needle;
    std::int64_t retry_after_ms;
  };
  ScriptedResponse transport;
  transport.transport_status = MDP_E_UPSTREAM_UNAVAILABLE;
  transport.transport_message = "connect: connection refused";
  std::vector<Case> cases = {
      {status(404, fixture("error_not_found.json")), MDP_E_NOT_FOUND, "valid product_id is required", -1},
      {status(400, fixture("error_invalid_argument.json")), MDP_E_INVALID_ARGUMENT, "less than 350", -1},
      {status(400, fixture("error_bad_granularity.json")), MDP_E_INVALID_ARGUMENT, "THREE_HOUR", -1},
      {status(429, fixture("error_rate_limited.txt"), 1000), MDP_E_UPSTREAM_RATE_LIMITED, "rate limited", 1000},
      {status(418, ""), MDP_E_UPSTREAM_RATE_LIMITED, "418", -1},
      {status(502, fixture("candles_html.html")), MDP_E_UPSTREAM_UNAVAILABLE, "502", -1},
      {status(401, R"({"error":"UNAUTHENTICATED","message":"unauthorized"})"), MDP_E_UPSTREAM_UNAVAILABLE, "unauthorized", -1},
      {status(409, "conflict"), MDP_E_UPSTREAM_PROTOCOL, "unexpected HTTP status", -1},
      {status(204, ""), MDP_E_UPSTREAM_PROTOCOL, "HTTP 204", -1},
      {transport, MDP_E_UPSTREAM_UNAVAILABLE, "connection refused", -1},
  };
  for (Case& c : cases) {
    ScriptedHost h;
    PluginHarness p(coinbase_test::plugin_path(), h);
    h.push(c.response);
    const OperationResult r = p.fetch_candles("NOPE-USD", "1h", k0000, k0000 + kHour, 1);
    EXPECT_EQ(r.status, c.expected) << r.message;
    EXPECT_TRUE(contains(r.message, c.needle)) << r.message;
    EXPECT_TRUE(r.candles.empty());
    if (c.retry_after_ms >= 0) {
      EXPECT_EQ(r.retry_after_ms, c.retry_after_ms);
    }
    if (c.response.transport_status == MDP_OK) {
      EXPECT_EQ(r.upstream_status, c.response.status);
    }
  }
}

TEST_F(CoinbasePlugin, FetchCandlesMalformedBodiesNeverEmitAPartialPage) {
  for (const char* file : {"candles_truncated.json", "candles_wrong_type.json", "candles_missing_field.json",
                           "candles_bad_decimal.json", "candles_bad_start.json", "candles_not_array.json",
                           "candles_row_not_object.json", "candles_duplicate.json", "candles_missing_candles.json",
                           "candles_trailing.json", "candles_html.html", "error_not_found.json"}) {
    SCOPED_TRACE(file);
    ScriptedHost h;
    PluginHarness p(coinbase_test::plugin_path(), h);
    h.push(ok(fixture(file)));
    const OperationResult r = p.fetch_candles("BTC-USD", "1h", k0000, k0000 + 24 * kHour, 350);
    EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL) << r.message;
    EXPECT_TRUE(r.candles.empty());
  }
  // An HTML page with a 200 and an HTML content type.
  ScriptedResponse html = ok(fixture("candles_html.html"));
  html.content_type = "text/html";
  host.push(html);
  const OperationResult r = plugin.fetch_candles("BTC-USD", "1h", k0000, k0000 + kHour, 1);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_TRUE(contains(r.message, "content-type 'text/html'")) << r.message;
}

TEST_F(CoinbasePlugin, FetchCandlesConcurrently) {
  host.respond([](const RecordedRequest&) { return ok(fixture("candles_btc_usd_1h.json")); });
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        const OperationResult r = plugin.fetch_candles("BTC-USD", "1h", k0000, k0000 + 5 * kHour, 350);
        if (r.status != MDP_OK || r.candles.size() != 4 || r.candles[3].high != "66420") ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}
