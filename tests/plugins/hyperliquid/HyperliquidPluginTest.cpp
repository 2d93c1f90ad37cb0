// The built mdp-hyperliquid.so driven through the scripted host: descriptor, request
// building, HTTP status mapping and the paging semantics of one candle page.
#include "HyperliquidTestSupport.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

using hyperliquid_test::fixture;
using mdp::testing::OperationResult;
using mdp::testing::PluginHarness;
using mdp::testing::RecordedRequest;
using mdp::testing::ScriptedHost;
using mdp::testing::ScriptedResponse;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kT0 = 1'699'999'200'000;  // first row of candles_BTC_1h.json

std::string so_path() { return hyperliquid_test::plugin_so_path(); }

ScriptedResponse ok(std::string body) {
  ScriptedResponse r;
  r.body = std::move(body);
  return r;
}

ScriptedResponse status(std::int32_t code, std::string body, std::string content_type = "text/plain") {
  ScriptedResponse r;
  r.status = code;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

// One candle row in Hyperliquid's format.
std::string row(std::int64_t t, std::int64_t duration, const std::string& px = "100.5") {
  return R"({"t":)" + std::to_string(t) + R"(,"T":)" + std::to_string(t + duration - 1) +
         R"(,"s":"BTC","i":"1m","o":")" + px + R"(","c":")" + px + R"(","h":")" + px + R"(","l":")" + px +
         R"(","v":"1.0","n":3})";
}

// `count` 1m rows from `first`, `step` buckets apart.
std::string rows(std::int64_t first, std::int64_t count, std::int64_t step = 1) {
  std::string out = "[";
  for (std::int64_t i = 0; i < count; ++i) {
    if (i > 0) out += ",";
    out += row(first + i * step * kMinute, kMinute);
  }
  return out + "]";
}

std::string header(const RecordedRequest& r, const std::string& name) {
  for (const auto& h : r.headers) {
    if (h.first == name) return h.second;
  }
  return "";
}

std::string candle_body(const std::string& coin, const std::string& interval, std::int64_t start,
                        std::int64_t end_inclusive) {
  return R"({"type":"candleSnapshot","req":{"coin":")" + coin + R"(","interval":")" + interval +
         R"(","startTime":)" + std::to_string(start) + R"(,"endTime":)" + std::to_string(end_inclusive) + "}}";
}

}  // namespace

// ------------------------------------------------------------------ descriptor and config

TEST(HyperliquidPlugin, Descriptor) {
  ScriptedHost host;
  PluginHarness plugin(so_path(), host);
  ASSERT_EQ(plugin.create_status(), MDP_OK) << plugin.create_message();
  const mdp_plugin_descriptor* d = plugin.api()->descriptor;
  EXPECT_STREQ(d->id, "hyperliquid");
  EXPECT_STREQ(d->name, "Hyperliquid");
  ASSERT_EQ(d->interval_count, 14u);
  const char* expected[] = {"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "8h", "12h", "1d", "3d", "1w", "1M"};
  for (std::size_t i = 0; i < d->interval_count; ++i) {
    const auto* it = reinterpret_cast<const mdp_interval_support*>(
        reinterpret_cast<const unsigned char*>(d->intervals) + i * d->interval_stride);
    EXPECT_STREQ(it->interval, expected[i]);
    EXPECT_STREQ(it->native_code, expected[i]);
    EXPECT_EQ(it->page_cap, 5000u);
  }
}

TEST(HyperliquidPlugin, BaseUrlConfig) {
  {
    ScriptedHost host;
    PluginHarness plugin(so_path(), host, {{"base_url", "ftp://example"}});
    EXPECT_EQ(plugin.create_status(), MDP_E_INVALID_ARGUMENT);
    EXPECT_NE(plugin.create_message().find("base_url"), std::string::npos);
  }
  {
    ScriptedHost host;
    host.push(ok("[]"));
    PluginHarness plugin(so_path(), host, {{"base_url", "http://127.0.0.1:8080/hl/"}});
    ASSERT_EQ(plugin.create_status(), MDP_OK);
    plugin.fetch_candles("BTC", "1h", kT0, kT0 + kHour, 10);
    ASSERT_EQ(host.requests().size(), 1u);
    EXPECT_EQ(host.requests()[0].url, "http://127.0.0.1:8080/hl/info");
  }
}

// ------------------------------------------------------------------ list_symbols

TEST(HyperliquidPlugin, ListSymbolsPostsSpotMetaThenMeta) {
  ScriptedHost host;
  host.push(ok(fixture("spotMeta_all_cases.json")));
  host.push(ok(fixture("meta_all_cases.json")));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.list_symbols();
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(host.requests().size(), 2u);
  for (const auto& req : host.requests()) {
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, "https://api.hyperliquid.xyz/info");
    EXPECT_EQ(header(req, "Content-Type"), "application/json");
    EXPECT_EQ(req.weight, 20);
  }
  EXPECT_EQ(host.requests()[0].body, R"({"type":"spotMeta"})");
  EXPECT_EQ(host.requests()[1].body, R"({"type":"meta"})");
  ASSERT_EQ(r.symbols.size(), 17u);
  EXPECT_EQ(r.symbols[0].symbol, "BTC/USDC:USDC");
  EXPECT_EQ(r.symbols[9].symbol, "PURR/USDC");
  // Skipped pairs are logged as warnings, not hidden and not fatal.
  const auto& logs = host.logs();
  const auto warned = std::count_if(logs.begin(), logs.end(), [](const std::string& l) {
    return l.rfind(std::to_string(MDP_LOG_WARN) + " hyperliquid spotMeta: skipped pair", 0) == 0;
  });
  EXPECT_EQ(warned, 4);
}

TEST(HyperliquidPlugin, ListSymbolsFailsWhenEitherRequestFails) {
  struct Case {
    ScriptedResponse spot, meta;
    mdp_status expected;
    const char* needle;
  };
  ScriptedResponse limited = status(429, "");
  limited.retry_after_ms = 2000;
  ScriptedResponse transport;
  transport.transport_status = MDP_E_TIMEOUT;
  transport.transport_message = "deadline passed";
  const Case cases[] = {
      {ok(fixture("spotMeta_all_cases.json")), status(500, "oops"), MDP_E_UPSTREAM_UNAVAILABLE, "HTTP 500"},
      {limited, ok("{}"), MDP_E_UPSTREAM_RATE_LIMITED, "429"},
      {transport, ok("{}"), MDP_E_TIMEOUT, "deadline passed"},
      {ok(fixture("spotMeta_all_cases.json")), ok(fixture("meta_bad_szdecimals_string.json")),
       MDP_E_UPSTREAM_PROTOCOL, "hyperliquid meta: universe[0].szDecimals: must be an integer"},
      {ok(fixture("spotMeta_tokens_not_array.json")), ok("{}"), MDP_E_UPSTREAM_PROTOCOL, "hyperliquid spotMeta"},
      {status(200, fixture("candles_html_error.html"), "text/html"), ok("{}"), MDP_E_UPSTREAM_PROTOCOL,
       "content-type 'text/html'"},
      {status(422, fixture("error_422_deserialize.txt")), ok("{}"), MDP_E_INVALID_ARGUMENT,
       "HTTP 422: Failed to deserialize"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.needle);
    ScriptedHost host;
    host.push(c.spot);
    host.push(c.meta);
    PluginHarness plugin(so_path(), host);
    const OperationResult r = plugin.list_symbols();
    EXPECT_EQ(r.status, c.expected) << r.message;
    EXPECT_NE(r.message.find(c.needle), std::string::npos) << r.message;
    EXPECT_TRUE(r.symbols.empty());
    if (c.expected == MDP_E_UPSTREAM_RATE_LIMITED) {
      EXPECT_EQ(r.retry_after_ms, 2000);
    }
  }
}

TEST(HyperliquidPlugin, ListSymbolsStopsWhenCancelled) {
  ScriptedHost host;
  host.push(ok(fixture("spotMeta_all_cases.json")));
  host.push(ok(fixture("meta_all_cases.json")));
  host.cancel();
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.list_symbols();
  EXPECT_EQ(r.status, MDP_E_CANCELLED);
  EXPECT_EQ(host.requests().size(), 1u);
}

// ------------------------------------------------------------------ fetch_candles: request

TEST(HyperliquidPlugin, CandleRequestBodyAndWeight) {
  ScriptedHost host;
  host.set_now_ms(kT0 + 4 * kHour + 1000);
  host.push(ok(fixture("candles_BTC_1h.json")));
  PluginHarness plugin(so_path(), host);
  const std::int64_t start = 1'700'000'000'000;  // inside the first row's bucket
  const std::int64_t end = kT0 + 5 * kHour;
  const OperationResult r = plugin.fetch_candles("BTC", "1h", start, end, 5000);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(host.requests().size(), 1u);
  const auto& req = host.requests()[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://api.hyperliquid.xyz/info");
  EXPECT_EQ(header(req, "Content-Type"), "application/json");
  EXPECT_EQ(req.body, candle_body("BTC", "1h", start, end - 1));
  EXPECT_EQ(req.weight, 21) << "20 + ceil(5 buckets / 60)";
}

TEST(HyperliquidPlugin, CoinIsJsonEscaped) {
  ScriptedHost host;
  host.push(ok("[]"));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles(R"(A"B\C)", "1m", 0, kMinute, 1);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_NE(host.requests()[0].body.find(R"("coin":"A\"B\\C")"), std::string::npos) << host.requests()[0].body;
  const OperationResult bad = plugin.fetch_candles("A\nB", "1m", 0, kMinute, 1);
  EXPECT_EQ(bad.status, MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(host.requests().size(), 1u);
}

TEST(HyperliquidPlugin, UnsupportedIntervalSendsNothing) {
  ScriptedHost host;
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("BTC", "6h", 0, kHour, 10);
  EXPECT_EQ(r.status, MDP_E_UNSUPPORTED);
  EXPECT_NE(r.message.find("supported: 1m, 3m"), std::string::npos) << r.message;
  EXPECT_TRUE(host.requests().empty());
}

// ------------------------------------------------------------------ fetch_candles: rows and paging

TEST(HyperliquidPlugin, FirstRowBeforeStartIsDroppedAndThePageIsComplete) {
  ScriptedHost host;
  host.set_now_ms(kT0 + 4 * kHour + 1000);
  host.push(ok(fixture("candles_BTC_1h.json")));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("BTC", "1h", 1'700'000'000'000, kT0 + 5 * kHour, 5000);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(r.candles.size(), 4u);
  EXPECT_EQ(r.candles[0].open_time_ms, kT0 + kHour);
  EXPECT_EQ(r.candles[0].close_time_ms, kT0 + 2 * kHour - 1);
  EXPECT_EQ(r.candles[0].open, "36600");
  EXPECT_EQ(r.candles[0].quote_volume, "");
  EXPECT_EQ(r.candles[0].trades, 101);
  EXPECT_TRUE(r.candles[0].closed);
  EXPECT_FALSE(r.candles[3].closed) << "in progress at the host clock";
  EXPECT_EQ(r.page.next_start_ms, -1);
  EXPECT_EQ(r.page.available_from_ms, -1);
}

TEST(HyperliquidPlugin, MaxRowsNarrowsTheWindowAndSaysWhereToContinue) {
  ScriptedHost host;
  const std::int64_t start = 1'700'000'040'000 - 1'700'000'040'000 % kMinute;
  host.set_now_ms(start + 100 * kMinute);
  host.push(ok(rows(start, 10)));  // the exchange answers more than asked: only 4 are taken
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("BTC", "1m", start, start + 50 * kMinute, 4);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(host.requests()[0].body, candle_body("BTC", "1m", start, start + 4 * kMinute - 1));
  ASSERT_EQ(r.candles.size(), 4u);
  EXPECT_EQ(r.candles.back().open_time_ms, start + 3 * kMinute);
  EXPECT_EQ(r.page.next_start_ms, start + 4 * kMinute);
  EXPECT_EQ(r.page.available_from_ms, -1);
}

TEST(HyperliquidPlugin, GapsInsideANarrowedWindowContinueAtTheWindowEnd) {
  ScriptedHost host;
  const std::int64_t start = 1'700'000'040'000 - 1'700'000'040'000 % kMinute;
  host.set_now_ms(start + 100 * kMinute);
  host.push(ok(rows(start, 2, 2)));  // buckets 0 and 2 traded, 1 and 3 did not
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("BTC", "1m", start, start + 50 * kMinute, 4);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(r.candles.size(), 2u);
  EXPECT_EQ(r.page.next_start_ms, start + 4 * kMinute);
}

TEST(HyperliquidPlugin, AnAnswerCutShortOfTheWindowIsNotReportedComplete) {
  // 1000 past buckets asked, the exchange returns only the first 500 (its documented
  // per-answer limit for time ranges): continue after the last row, never "complete".
  ScriptedHost host;
  const std::int64_t start = 1'700'000'040'000 - 1'700'000'040'000 % kMinute;
  host.set_now_ms(start + 2000 * kMinute);
  host.push(ok(rows(start, 500)));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("BTC", "1m", start, start + 1000 * kMinute, 5000);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(r.candles.size(), 500u);
  EXPECT_EQ(r.page.next_start_ms, start + 500 * kMinute);
}

TEST(HyperliquidPlugin, ShortAnswersReachingNowAreComplete) {
  ScriptedHost host;
  const std::int64_t start = 1'700'000'040'000 - 1'700'000'040'000 % kMinute;
  host.set_now_ms(start + 499 * kMinute + 30'000);  // bucket 499 is in progress
  host.push(ok(rows(start, 500)));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("BTC", "1m", start, start + 1000 * kMinute, 5000);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_EQ(r.candles.size(), 500u);
  EXPECT_FALSE(r.candles.back().closed);
  EXPECT_EQ(r.page.next_start_ms, -1);
}

TEST(HyperliquidPlugin, RangeOlderThanTheFiveThousandCandleWindowReportsAvailableFrom) {
  ScriptedHost host;
  const std::int64_t now = 1'700'000'040'000;
  const std::int64_t current = now - now % kMinute;
  const std::int64_t available = current - 4999 * kMinute;
  host.set_now_ms(now);
  host.push(ok(rows(available, 5000)));
  PluginHarness plugin(so_path(), host);
  const std::int64_t start = current - 10'000 * kMinute;
  const OperationResult r = plugin.fetch_candles("BTC", "1m", start, current + kMinute, 5000);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  // The request still starts at `start` (older rows would be kept) but is sized from the edge.
  EXPECT_EQ(host.requests()[0].body, candle_body("BTC", "1m", start, current + kMinute - 1));
  EXPECT_EQ(host.requests()[0].weight, 20 + 84);
  ASSERT_EQ(r.candles.size(), 5000u);
  EXPECT_EQ(r.candles.front().open_time_ms, available);
  EXPECT_FALSE(r.candles.back().closed);
  EXPECT_EQ(r.page.available_from_ms, available);
  EXPECT_EQ(r.page.next_start_ms, -1);
}

TEST(HyperliquidPlugin, RangeEntirelyBeyondTheWindowIsEmptyButNotSilent) {
  ScriptedHost host;
  const std::int64_t now = 1'700'000'040'000;
  const std::int64_t current = now - now % kMinute;
  const std::int64_t available = current - 4999 * kMinute;
  host.set_now_ms(now);
  host.push(ok("[]"));
  PluginHarness plugin(so_path(), host);
  const std::int64_t start = current - 20'000 * kMinute;
  const OperationResult r = plugin.fetch_candles("BTC", "1m", start, start + 100 * kMinute, 5000);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  EXPECT_TRUE(r.candles.empty());
  EXPECT_EQ(r.page.available_from_ms, available);
  EXPECT_EQ(r.page.next_start_ms, -1);
}

TEST(HyperliquidPlugin, OlderRowsThanEstimatedAreKeptAndMoveAvailableFrom) {
  // An illiquid coin: its newest 5000 candles reach further back than 5000 buckets.
  ScriptedHost host;
  const std::int64_t now = 1'700'000'040'000;
  const std::int64_t current = now - now % kMinute;
  const std::int64_t start = current - 20'000 * kMinute;
  host.set_now_ms(now);
  host.push(ok(rows(start + 7 * kMinute, 3, 10)));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("BTC", "1m", start, start + 100 * kMinute, 5000);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(r.candles.size(), 3u);
  EXPECT_EQ(r.page.available_from_ms, start + 7 * kMinute);
  EXPECT_EQ(r.page.next_start_ms, -1);
  // Served from the very first bucket: nothing is hidden.
  host.push(ok(rows(start, 3, 10)));
  const OperationResult full = plugin.fetch_candles("BTC", "1m", start, start + 100 * kMinute, 5000);
  ASSERT_EQ(full.status, MDP_OK) << full.message;
  EXPECT_EQ(full.page.available_from_ms, -1);
}

TEST(HyperliquidPlugin, CalendarMonthPage) {
  ScriptedHost host;
  host.set_now_ms(1'710'000'000'000);  // 2024-03-09: March in progress
  host.push(ok(fixture("candles_HYPE_1M.json")));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("@107", "1M", 1'704'067'200'000, 1'711'929'600'000, 5000);
  ASSERT_EQ(r.status, MDP_OK) << r.message;
  ASSERT_EQ(r.candles.size(), 3u);
  EXPECT_EQ(r.candles[1].close_time_ms, 1'709'251'199'999);
  EXPECT_TRUE(r.candles[1].closed);
  EXPECT_FALSE(r.candles[2].closed);
  EXPECT_EQ(r.page.next_start_ms, -1);
  EXPECT_NE(host.requests()[0].body.find(R"("coin":"@107","interval":"1M")"), std::string::npos);
}

// ------------------------------------------------------------------ fetch_candles: errors

TEST(HyperliquidPlugin, UnknownCoinIsNotFound) {
  ScriptedHost host;
  host.push(ok(fixture("candles_null.json")));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("NOPE", "1h", kT0, kT0 + kHour, 10);
  EXPECT_EQ(r.status, MDP_E_NOT_FOUND);
  EXPECT_NE(r.message.find("unknown coin 'NOPE'"), std::string::npos) << r.message;
  EXPECT_TRUE(r.candles.empty());
}

TEST(HyperliquidPlugin, HttpStatusMapping) {
  struct Case {
    ScriptedResponse response;
    mdp_status expected;
    const char* needle;
    std::int64_t retry_after;
  };
  ScriptedResponse r429 = status(429, "");
  r429.retry_after_ms = 5000;
  ScriptedResponse r418 = status(418, "");
  r418.retry_after_ms = 120000;
  ScriptedResponse transport;
  transport.transport_status = MDP_E_UPSTREAM_UNAVAILABLE;
  transport.transport_message = "connection refused";
  ScriptedResponse budget;
  budget.transport_status = MDP_E_OUT_OF_BUDGET;
  budget.transport_message = "budget refused";
  const Case cases[] = {
      {r429, MDP_E_UPSTREAM_RATE_LIMITED, "429", 5000},
      {r418, MDP_E_UPSTREAM_RATE_LIMITED, "418", 120000},
      {status(500, "internal"), MDP_E_UPSTREAM_UNAVAILABLE, "HTTP 500", -1},
      {status(503, "unavailable"), MDP_E_UPSTREAM_UNAVAILABLE, "HTTP 503", -1},
      {status(422, fixture("error_422_deserialize.txt")), MDP_E_INVALID_ARGUMENT, "Failed to deserialize", -1},
      {status(404, "not found"), MDP_E_UPSTREAM_PROTOCOL, "unexpected HTTP 404", -1},
      {transport, MDP_E_UPSTREAM_UNAVAILABLE, "connection refused", -1},
      {budget, MDP_E_OUT_OF_BUDGET, "budget refused", -1},
      {status(200, fixture("candles_html_error.html"), "text/html; charset=utf-8"), MDP_E_UPSTREAM_PROTOCOL,
       "expected JSON", -1},
      {ok(fixture("candles_html_error.html")), MDP_E_UPSTREAM_PROTOCOL, "not valid JSON", -1},
      {ok(fixture("candles_truncated.json")), MDP_E_UPSTREAM_PROTOCOL, "not valid JSON", -1},
      {ok(fixture("candles_missing_close.json")), MDP_E_UPSTREAM_PROTOCOL, "missing field 'c'", -1},
      {ok(fixture("candles_price_number.json")), MDP_E_UPSTREAM_PROTOCOL, "field 'o'", -1},
      {ok(fixture("candles_root_object.json")), MDP_E_UPSTREAM_PROTOCOL, "expected a JSON array", -1},
      {ok(""), MDP_E_UPSTREAM_PROTOCOL, "empty body", -1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.needle);
    ScriptedHost host;
    host.push(c.response);
    PluginHarness plugin(so_path(), host);
    const OperationResult r = plugin.fetch_candles("BTC", "15m", 1'681'923'600'000, 1'681'924'500'000, 10);
    EXPECT_EQ(r.status, c.expected) << r.message;
    EXPECT_NE(r.message.find(c.needle), std::string::npos) << r.message;
    EXPECT_TRUE(r.candles.empty()) << "never a partial page";
    if (c.retry_after >= 0) {
      EXPECT_EQ(r.retry_after_ms, c.retry_after);
    }
  }
}

TEST(HyperliquidPlugin, ABadRowFailsTheWholePage) {
  ScriptedHost host;
  std::string body = rows(1'681'923'600'000, 3);
  body.insert(body.size() - 1, R"(,{"t":1681923780000,"T":1681923839999,"o":"x","h":"1","l":"1","c":"1","v":"1","n":1})");
  host.push(ok(body));
  PluginHarness plugin(so_path(), host);
  const OperationResult r = plugin.fetch_candles("BTC", "1m", 1'681'923'600'000, 1'681'923'600'000 + 10 * kMinute, 10);
  EXPECT_EQ(r.status, MDP_E_UPSTREAM_PROTOCOL);
  EXPECT_NE(r.message.find("row 3: field 'o' is not a decimal"), std::string::npos) << r.message;
  EXPECT_TRUE(r.candles.empty());
}

TEST(HyperliquidPlugin, ConcurrentCallsOnOneInstance) {
  ScriptedHost host;
  host.set_now_ms(kT0 + 4 * kHour + 1000);
  const std::string body = fixture("candles_BTC_1h.json");
  host.respond([&](const RecordedRequest&) { return ok(body); });
  PluginHarness plugin(so_path(), host);
  std::vector<std::thread> threads;
  std::vector<int> good(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 50; ++k) {
        const OperationResult r = plugin.fetch_candles("BTC", "1h", kT0, kT0 + 5 * kHour, 5000);
        if (r.status != MDP_OK || r.candles.size() != 5) return;
      }
      good[static_cast<std::size_t>(i)] = 1;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(good.begin(), good.end(), 1), 4);
}
