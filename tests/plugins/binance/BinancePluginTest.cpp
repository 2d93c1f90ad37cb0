// The built mdp-binance_futures.so driven through the C ABI by a scripted host: descriptor,
// request building (URL, weight, window), paging semantics and HTTP/error-body mapping.
#include "BinanceTestSupport.hpp"

#include "ScriptedHost.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

using binance_test::fixture;
using mdp::testing::OperationResult;
using mdp::testing::PluginHarness;
using mdp::testing::ScriptedHost;
using mdp::testing::ScriptedResponse;

namespace {

constexpr std::int64_t kT0 = 1704164640000;  // first open time in klines_BTCUSDT_1m.json
constexpr std::int64_t kMinute = 60'000;

std::string plugin_path() { return mdp::testing::built_plugin_path("binance_futures"); }

ScriptedResponse ok(std::string body, std::string content_type = "application/json") {
  ScriptedResponse r;
  r.status = 200;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

ScriptedResponse http(std::int32_t status, std::string body, std::string content_type = "application/json",
                      std::int64_t retry_after_ms = -1) {
  ScriptedResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  r.retry_after_ms = retry_after_ms;
  return r;
}

// One row in Binance's 12-field shape.
std::string row(std::int64_t open, std::int64_t duration = kMinute) {
  return "[" + std::to_string(open) + ",\"1.10\",\"1.30\",\"1.00\",\"1.20\",\"10.50\"," +
         std::to_string(open + duration - 1) + ",\"12.600\",7,\"5\",\"6\",\"0\"]";
}

std::string rows(std::int64_t first_open, std::size_t n, std::int64_t duration = kMinute) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) out += ',';
    out += row(first_open + static_cast<std::int64_t>(i) * duration, duration);
  }
  return out + "]";
}

// Value of query parameter `name` in `url` ("" when absent).
std::string param(const std::string& url, const std::string& name) {
  const std::size_t q = url.find('?');
  if (q == std::string::npos) return "";
  std::size_t pos = q + 1;
  while (pos < url.size()) {
    std::size_t amp = url.find('&', pos);
    if (amp == std::string::npos) amp = url.size();
    const std::string kv = url.substr(pos, amp - pos);
    const std::size_t eq = kv.find('=');
    if (kv.substr(0, eq) == name) return eq == std::string::npos ? "" : kv.substr(eq + 1);
    pos = amp + 1;
  }
  return "";
}

class BinancePlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    host.set_now_ms(kT0 + 1'000 * kMinute);
    harness = std::make_unique<PluginHarness>(plugin_path(), host,
                                              std::map<std::string, std::string>{{"base_url", kBase}});
    ASSERT_EQ(harness->create_status(), MDP_OK) << harness->create_message();
  }
  OperationResult fetch(const std::string& symbol, const std::string& interval, std::int64_t start,
                        std::int64_t end, std::uint32_t max_rows) {
    return harness->fetch_candles(symbol, interval, start, end, max_rows);
  }
  const mdp::testing::RecordedRequest& last_request() const { return host.requests().back(); }

  static constexpr const char* kBase = "http://127.0.0.1:18080";
  ScriptedHost host;
  std::unique_ptr<PluginHarness> harness;
};

}  // namespace

// ------------------------------------------------------------------ descriptor / config

TEST_F(BinancePlugin, DescriptorListsAllFifteenIntervalsWithPageCap1500) {
  const mdp_plugin_api* api = harness->api();
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->magic, MDP_PLUGIN_MAGIC);
  const mdp_plugin_descriptor* d = api->descriptor;
  EXPECT_STREQ(d->id, "binance_futures");
  EXPECT_STREQ(d->name, "Binance USD-M Futures");
  ASSERT_EQ(d->interval_count, 15u);
  const char* expected[] = {"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h",
                            "6h", "8h", "12h", "1d", "3d", "1w", "1M"};
  for (std::size_t i = 0; i < d->interval_count; ++i) {
    const auto* iv = reinterpret_cast<const mdp_interval_support*>(
        reinterpret_cast<const unsigned char*>(d->intervals) + i * d->interval_stride);
    EXPECT_STREQ(iv->interval, expected[i]);
    EXPECT_STREQ(iv->native_code, expected[i]);
    EXPECT_EQ(iv->page_cap, 1500u);
  }
}

TEST(BinancePluginConfig, DefaultBaseUrlIsTheRealExchange) {
  ScriptedHost host;
  PluginHarness harness(plugin_path(), host);
  ASSERT_EQ(harness.create_status(), MDP_OK) << harness.create_message();
  host.push(ok(fixture("exchangeInfo_empty_symbols.json")));
  ASSERT_EQ(harness.list_symbols().status, MDP_OK);
  EXPECT_EQ(host.requests().at(0).url, "https://fapi.binance.com/fapi/v1/exchangeInfo");
}

TEST(BinancePluginConfig, TrailingSlashIsDroppedAndBadUrlsAreRefused) {
  {
    ScriptedHost host;
    PluginHarness harness(plugin_path(), host, {{"base_url", "https://example.test:8443/"}});
    ASSERT_EQ(harness.create_status(), MDP_OK);
    host.push(ok("{\"symbols\":[]}"));
    ASSERT_EQ(harness.list_symbols().status, MDP_OK);
    EXPECT_EQ(host.requests().at(0).url, "https://example.test:8443/fapi/v1/exchangeInfo");
  }
  for (const char* bad : {"fapi.binance.com", "ftp://x", "https://", "https://x/?a=1", ""}) {
    ScriptedHost host;
    PluginHarness harness(plugin_path(), host, {{"base_url", bad}});
    EXPECT_EQ(harness.create_status(), MDP_E_INVALID_ARGUMENT) << bad;
    EXPECT_NE(harness.create_message().find("base_url"), std::string::npos) << harness.create_message();
  }
}

// ------------------------------------------------------------------ list_symbols

TEST_F(BinancePlugin, ListSymbolsGetsExchangeInfoWithWeight1AndEmitsEverySymbol) {
  host.push(ok(fixture("exchangeInfo_all_kinds.json")));
  const OperationResult r = harness->list_symbols();
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(host.requests().size(), 1u);
  EXPECT_EQ(last_request().method, "GET");
  EXPECT_EQ(last_request().url, std::string(kBase) + "/fapi/v1/exchangeInfo");
  EXPECT_EQ(last_request().weight, 1);
  ASSERT_EQ(r.symbols.size(), 25u);
  std::set<std::string> canonical;
  for (const auto& s : r.symbols) {
    EXPECT_TRUE(canonical.insert(s.symbol).second) << s.symbol;
    EXPECT_GE(s.status, MDP_SYMBOL_TRADING);
    EXPECT_LE(s.status, MDP_SYMBOL_DELISTED);
    EXPECT_EQ(s.contract_size, "1");
  }
  EXPECT_EQ(r.symbols[0].symbol, "BTC/USDT:USDT");
  EXPECT_EQ(r.symbols[0].tick_size, "0.1");
  EXPECT_EQ(r.symbols[0].min_notional, "100");
}

TEST_F(BinancePlugin, DuplicateCanonicalSymbolsAreSuffixedAndLoggedAsWarnings) {
  host.push(ok(fixture("exchangeInfo_duplicates.json")));
  const OperationResult r = harness->list_symbols();
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(r.symbols.size(), 4u) << "no market is lost";
  EXPECT_EQ(r.symbols[0].symbol, "BTC/USDT:USDT~BTCUSDT_OLD");
  EXPECT_EQ(r.symbols[3].symbol, "ETH/USDT:USDT~ETHUSDT_X");
  std::size_t warnings = 0;
  for (const auto& line : host.logs()) {
    if (line.rfind(std::to_string(MDP_LOG_WARN) + " ", 0) == 0 && line.find("duplicate") != std::string::npos &&
        line.find("listed as") != std::string::npos) {
      ++warnings;
    }
  }
  EXPECT_EQ(warnings, 2u);
}

TEST_F(BinancePlugin, MalformedExchangeInfoEmitsNothing) {
  host.push(ok(fixture("exchangeInfo_missing_status.json")));
  const OperationResult r = harness->list_symbols();
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_TRUE(r.symbols.empty());
  EXPECT_NE(r.message.find("'status'"), std::string::npos) << r.message;
}

// ------------------------------------------------------------------ fetch_candles: requests

TEST_F(BinancePlugin, KlinesRequestCarriesTheInclusiveEndAndLimit) {
  host.push(ok(fixture("klines_BTCUSDT_1m.json")));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 4 * kMinute, 1500);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  const std::string& url = last_request().url;
  EXPECT_EQ(url.rfind(std::string(kBase) + "/fapi/v1/klines?", 0), 0u) << url;
  EXPECT_EQ(param(url, "symbol"), "BTCUSDT");
  EXPECT_EQ(param(url, "interval"), "1m");
  EXPECT_EQ(param(url, "startTime"), std::to_string(kT0));
  EXPECT_EQ(param(url, "endTime"), std::to_string(kT0 + 4 * kMinute - 1));
  EXPECT_EQ(param(url, "limit"), "1500");
  EXPECT_EQ(last_request().weight, 10);
  EXPECT_EQ(last_request().method, "GET");
  ASSERT_EQ(r.candles.size(), 4u);
  EXPECT_EQ(r.page.next_start_ms, -1);
  EXPECT_EQ(r.page.available_from_ms, -1);
  EXPECT_EQ(r.candles[0].open, "42100.1");
  EXPECT_EQ(r.candles[0].quote_volume, "5063521.4");
  EXPECT_EQ(r.candles[0].trades, 1512);
}

TEST_F(BinancePlugin, WeightFollowsTheLimitBands) {
  const std::pair<std::uint32_t, std::int32_t> bands[] = {{1, 1},   {99, 1},   {100, 2},   {499, 2},
                                                          {500, 5}, {1000, 5}, {1001, 10}, {1500, 10}};
  for (const auto& [limit, weight] : bands) {
    host.push(ok("[]"));
    const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 2000 * kMinute, limit);
    ASSERT_EQ(r.status, MDP_OK) << r.message;
    EXPECT_EQ(last_request().weight, weight) << "limit " << limit;
    EXPECT_EQ(param(last_request().url, "limit"), std::to_string(limit));
  }
}

TEST_F(BinancePlugin, WindowIsNarrowedToLimitBuckets) {
  host.push(ok(rows(kT0, 10)));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 10'000 * kMinute, 10);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(param(last_request().url, "endTime"), std::to_string(kT0 + 10 * kMinute - 1));
  EXPECT_EQ(param(last_request().url, "limit"), "10");
  EXPECT_EQ(r.candles.size(), 10u);
  EXPECT_EQ(r.page.next_start_ms, kT0 + 10 * kMinute);
}

TEST_F(BinancePlugin, MonthWindowUsesCalendarMonths) {
  host.push(ok(fixture("klines_BTCUSDT_1M.json")));
  host.set_now_ms(1720000000000);
  // From 2024-01-01, 3 buckets: the window ends at 2024-04-01.
  const OperationResult r = fetch("BTCUSDT", "1M", 1704067200000, 1800000000000, 3);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(param(last_request().url, "endTime"), std::to_string(1711929600000 - 1));
  ASSERT_EQ(r.candles.size(), 3u);
  EXPECT_EQ(r.candles[1].close_time_ms, 1709251200000 - 1);
  EXPECT_EQ(r.page.next_start_ms, 1711929600000);
}

TEST_F(BinancePlugin, NonAsciiSymbolIsPercentEncoded) {
  host.push(ok("[]"));
  const OperationResult r = fetch("币安人生USDT", "1h", kT0, kT0 + 3'600'000, 5);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(param(last_request().url, "symbol"), "%E5%B8%81%E5%AE%89%E4%BA%BA%E7%94%9FUSDT");
  host.push(ok("[]"));
  ASSERT_EQ(fetch("A B&C=D", "1h", kT0, kT0 + 3'600'000, 5).status, MDP_OK);
  EXPECT_EQ(param(last_request().url, "symbol"), "A%20B%26C%3DD");
}

TEST_F(BinancePlugin, UnsupportedIntervalIsRefusedWithTheSupportedList) {
  const OperationResult r = fetch("BTCUSDT", "1s", kT0, kT0 + kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UNSUPPORTED);
  EXPECT_NE(r.message.find("1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"), std::string::npos) << r.message;
  EXPECT_TRUE(host.requests().empty());
}

TEST_F(BinancePlugin, InvalidRequestsAreRefusedBeforeTheNetwork) {
  EXPECT_EQ(fetch("", "1m", kT0, kT0 + kMinute, 10).status, MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(fetch("BTCUSDT", "1m", -5, kT0, 10).status, MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(fetch("BTCUSDT", "1m", kT0, kT0, 10).status, MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 0).status, MDP_E_INVALID_ARGUMENT);
  EXPECT_TRUE(host.requests().empty());
}

TEST_F(BinancePlugin, MaxRowsAboveThePageCapIsClampedTo1500) {
  host.push(ok("[]"));
  ASSERT_EQ(fetch("BTCUSDT", "1m", kT0, kT0 + 5000 * kMinute, 100000).status, MDP_OK);
  EXPECT_EQ(param(last_request().url, "limit"), "1500");
  EXPECT_EQ(param(last_request().url, "endTime"), std::to_string(kT0 + 1500 * kMinute - 1));
}

// ------------------------------------------------------------------ fetch_candles: paging

TEST_F(BinancePlugin, FullPageContinuesAfterItsLastCandle) {
  host.set_now_ms(kT0 + 20'000 * kMinute);
  host.push(ok(rows(kT0, 1500)));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 10'000 * kMinute, 1500);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(r.candles.size(), 1500u);
  EXPECT_EQ(r.page.next_start_ms, kT0 + 1500 * kMinute);
  for (std::size_t i = 1; i < r.candles.size(); ++i) {
    ASSERT_LT(r.candles[i - 1].open_time_ms, r.candles[i].open_time_ms);
  }
}

TEST_F(BinancePlugin, ShortPageInsideTheRangeContinuesAfterTheWindow) {
  // A gap (or a symbol listed later): 3 rows where the window holds 100.
  host.push(ok(rows(kT0 + 97 * kMinute, 3)));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 500 * kMinute, 100);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(r.candles.size(), 3u);
  EXPECT_EQ(r.page.next_start_ms, kT0 + 100 * kMinute);
}

TEST_F(BinancePlugin, EmptyWindowBeforeTheEndStillContinues) {
  host.push(ok("[]"));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 500 * kMinute, 100);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_TRUE(r.candles.empty());
  EXPECT_EQ(r.page.next_start_ms, kT0 + 100 * kMinute);
}

TEST_F(BinancePlugin, ExactlyFullPageEndingAtTheRangeEndIsComplete) {
  host.push(ok(rows(kT0, 5)));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 5 * kMinute, 5);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(r.candles.size(), 5u);
  EXPECT_EQ(r.page.next_start_ms, -1);
}

TEST_F(BinancePlugin, InProgressCandleIsOpenAndTheFutureIsNotWaitedFor) {
  host.set_now_ms(kT0 + 3 * kMinute + 30'000);  // inside the 4th bucket
  host.push(ok(fixture("klines_BTCUSDT_1m.json")));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 60 * kMinute, 1500);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(r.candles.size(), 4u);
  EXPECT_TRUE(r.candles[2].closed);
  EXPECT_FALSE(r.candles[3].closed);
  EXPECT_EQ(r.page.next_start_ms, -1);  // nothing after now exists yet
}

TEST_F(BinancePlugin, FullPageReachingNowIsComplete) {
  host.set_now_ms(kT0 + 4 * kMinute - 1);
  host.push(ok(fixture("klines_BTCUSDT_1m.json")));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 60 * kMinute, 4);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(r.page.next_start_ms, -1);
}

TEST_F(BinancePlugin, UnalignedStartSkipsThePartialBucket) {
  host.push(ok(rows(kT0 + kMinute, 2)));
  const OperationResult r = fetch("BTCUSDT", "1m", kT0 + 30'000, kT0 + 3 * kMinute, 1500);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(param(last_request().url, "startTime"), std::to_string(kT0 + 30'000));
  EXPECT_EQ(r.candles.size(), 2u);
  EXPECT_EQ(r.page.next_start_ms, -1);
}

TEST_F(BinancePlugin, RowsOutsideTheRequestFailThePage) {
  host.push(ok(rows(kT0 - kMinute, 3)));
  OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 10 * kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_TRUE(r.candles.empty());
  EXPECT_NE(r.message.find("outside the requested"), std::string::npos) << r.message;
  host.push(ok(rows(kT0, 11)));
  r = fetch("BTCUSDT", "1m", kT0, kT0 + 10 * kMinute, 1500);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_TRUE(r.candles.empty());
}

TEST_F(BinancePlugin, MoreRowsThanAskedNeverExceedMaxRows) {
  // Rows past the limit lie outside the limit-bucket window: the page fails.
  host.push(ok(rows(kT0, 8)));
  OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 8 * kMinute, 5);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL) << r.message;
  EXPECT_TRUE(r.candles.empty());
  // Rows denser than the interval inside the window: cut at max_rows, continued after.
  host.push(ok(rows(kT0, 8, 30'000)));
  r = fetch("BTCUSDT", "1m", kT0, kT0 + 8 * kMinute, 5);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(r.candles.size(), 5u);
  EXPECT_EQ(r.page.next_start_ms, kT0 + 4 * 30'000 + kMinute);
}

// ------------------------------------------------------------------ fetch_candles: errors

TEST_F(BinancePlugin, UnknownSymbolIsNotFoundWithTheExchangeMessage) {
  host.push(http(400, fixture("error_invalid_symbol.json")));
  const OperationResult r = fetch("NOPEUSDT", "1m", kT0, kT0 + kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_NOT_FOUND);
  EXPECT_NE(r.message.find("Invalid symbol."), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("-1121"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("NOPEUSDT"), std::string::npos) << r.message;
  EXPECT_EQ(r.upstream_status, 400);
}

TEST_F(BinancePlugin, ErrorBodiesMapByCode) {
  struct Case {
    std::int32_t http;
    const char* file;
    mdp_status expected;
  };
  const Case cases[] = {
      {400, "error_invalid_interval.json", MDP_E_UNSUPPORTED},
      {400, "error_invalid_limit.json", MDP_E_INVALID_ARGUMENT},
      {400, "error_bad_param.json", MDP_E_INVALID_ARGUMENT},
      {400, "error_start_after_end.json", MDP_E_UPSTREAM_PROTOCOL},
      {400, "error_unknown_code.json", MDP_E_UPSTREAM_PROTOCOL},
      {403, "error_too_many_requests.json", MDP_E_UPSTREAM_RATE_LIMITED},
  };
  for (const Case& c : cases) {
    host.push(http(c.http, fixture(c.file)));
    const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 10);
    EXPECT_EQ(r.status, c.expected) << c.file << ": " << r.message;
    EXPECT_NE(r.message.find("(code -"), std::string::npos) << r.message;
    EXPECT_EQ(r.upstream_status, c.http);
    EXPECT_TRUE(r.candles.empty());
  }
}

TEST_F(BinancePlugin, RateLimitAndBanCarryRetryAfter) {
  host.push(http(429, fixture("error_too_many_requests.json"), "application/json", 30'000));
  OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_RATE_LIMITED);
  EXPECT_EQ(r.retry_after_ms, 30'000);
  EXPECT_EQ(r.upstream_status, 429);
  host.push(http(418, "", "", 120'000));
  r = harness->list_symbols();
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_RATE_LIMITED);
  EXPECT_EQ(r.retry_after_ms, 120'000);
  EXPECT_EQ(r.upstream_status, 418);
  host.push(http(429, "", ""));
  r = fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_RATE_LIMITED);
  EXPECT_EQ(r.retry_after_ms, -1);
}

TEST_F(BinancePlugin, ServerErrorsAreUnavailable) {
  for (const std::int32_t status : {500, 502, 503, 504}) {
    host.push(http(status, fixture("html_error_page.html"), "text/html"));
    const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 10);
    EXPECT_EQ(r.status, MDP_E_UPSTREAM_UNAVAILABLE) << status;
    EXPECT_EQ(r.upstream_status, status);
  }
}

TEST_F(BinancePlugin, WafAndOtherNonBinanceErrorPagesAreMapped) {
  host.push(http(403, fixture("html_error_page.html"), "text/html"));
  OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_UNAVAILABLE);
  EXPECT_NE(r.message.find("WAF"), std::string::npos) << r.message;
  host.push(http(404, fixture("html_error_page.html"), "text/html"));
  r = fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_NE(r.message.find("HTTP 404"), std::string::npos) << r.message;
  host.push(http(302, "", "text/plain"));
  EXPECT_EQ(harness->list_symbols().status, MDP_E_UPSTREAM_PROTOCOL);
}

TEST_F(BinancePlugin, Http200ThatIsNotTheDocumentedShapeIsProtocol) {
  host.push(ok(fixture("html_error_page.html"), "text/html; charset=utf-8"));
  OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_NE(r.message.find("content-type"), std::string::npos) << r.message;
  for (const char* file : {"klines_truncated.json", "klines_price_number.json", "klines_short_row.json",
                           "klines_descending.json", "not_json.txt", "klines_object.json",
                           "error_invalid_symbol.json", "klines_quote_volume_null.json"}) {
    host.push(ok(fixture(file)));
    r = fetch("BTCUSDT", "1m", kT0, kT0 + 10 * kMinute, 10);
    EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL) << file << ": " << r.message;
    EXPECT_TRUE(r.candles.empty()) << file << ": a bad page emits nothing";
  }
  host.push(ok(""));
  EXPECT_EQ(harness->list_symbols().status, MDP_E_UPSTREAM_PROTOCOL);
}

TEST_F(BinancePlugin, TransportFailuresPropagateAsReturned) {
  for (const mdp_status status : {MDP_E_TIMEOUT, MDP_E_UPSTREAM_UNAVAILABLE, MDP_E_CANCELLED,
                                  MDP_E_OUT_OF_BUDGET}) {
    ScriptedResponse failure;
    failure.transport_status = status;
    failure.transport_message = "transport said no";
    host.push(failure);
    const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + kMinute, 10);
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.message, "transport said no");
  }
}

// ------------------------------------------------------------------ concurrency

TEST_F(BinancePlugin, OneInstanceServesConcurrentCalls) {
  const std::string minute = fixture("klines_BTCUSDT_1m.json");
  const std::string info = fixture("exchangeInfo_all_kinds.json");
  host.respond([&](const mdp::testing::RecordedRequest& req) {
    return req.url.find("exchangeInfo") != std::string::npos ? ok(info) : ok(minute);
  });
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if ((i + t) % 2 == 0) {
          const OperationResult r = fetch("BTCUSDT", "1m", kT0, kT0 + 4 * kMinute, 1500);
          if (r.status != MDP_OK || r.candles.size() != 4u || r.candles[3].close != "42175") ++failures;
        } else {
          const OperationResult r = harness->list_symbols();
          if (r.status != MDP_OK || r.symbols.size() != 25u) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}
