// GET /v1/candles over real HTTP, end to end through the real binance_futures plugin: the
// fake exchange generates klines for whatever the plugin asks, so every value served can be
// checked exactly; then every refusal (400/404, nothing sent upstream) and every upstream
// or plugin failure with its problem type.
#include <algorithm>
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "ApiTestSupport.hpp"
#include "GeneratedKlines.hpp"
#include "StorageTestSupport.hpp"

namespace mdp::api::test {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kJan1 = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kMinute = 60'000;
const std::string kBtc = "exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT";

void expect_candle(const Poco::JSON::Object::Ptr& candle, const ExpectedCandle& expected) {
  EXPECT_EQ(candle->getValue<std::int64_t>("open_time"), expected.open_time);
  EXPECT_EQ(candle->getValue<std::int64_t>("close_time"), expected.close_time);
  EXPECT_EQ(candle->getValue<std::string>("open"), expected.open);
  EXPECT_EQ(candle->getValue<std::string>("high"), expected.high);
  EXPECT_EQ(candle->getValue<std::string>("low"), expected.low);
  EXPECT_EQ(candle->getValue<std::string>("close"), expected.close);
  EXPECT_EQ(candle->getValue<std::string>("volume"), expected.volume);
  EXPECT_EQ(candle->getValue<std::string>("quote_volume"), expected.quote_volume);
  EXPECT_EQ(candle->getValue<std::int64_t>("trades"), expected.trades);
  EXPECT_TRUE(candle->getValue<bool>("closed"));
}

std::vector<std::string> csv_row(const ExpectedCandle& c) {
  return {std::to_string(c.open_time), std::to_string(c.close_time), c.open, c.high, c.low, c.close, c.volume,
          c.quote_volume, std::to_string(c.trades), "true"};
}

class CandlesRoute : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      host_ = std::make_unique<ApiTestHost>(options());
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    klines_ = serve_generated_klines(host_->exchange());
  }
  virtual HostOptions options() { return {}; }

  std::unique_ptr<ApiTestHost> host_;
  fake::RouteId klines_ = -1;
};

TEST_F(CandlesRoute, AMonthOf1hBtcCandlesAsCsv) {
  const HttpResult response = host_->get(
      "/v1/candles?" + kBtc + "&interval=1h&start=2024-01-01T00:00:00Z&end=2024-01-31T00:00:00Z", As::Market,
      {{"Accept", "text/csv"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(*response.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(*response.header("content-disposition"),
            "attachment; filename=\"candles_binance_futures_BTC-USDT-USDT_1h_1704067200000_1706659200000.csv\"");
  const auto records = parse_csv(response.body);
  ASSERT_EQ(records.size(), 721u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"open_time", "close_time", "open", "high", "low", "close", "volume",
                                                  "quote_volume", "trades", "closed"}));
  for (std::size_t i = 0; i < 720; ++i) {
    ASSERT_EQ(records[i + 1], csv_row(expected_candle(kJan1 + static_cast<std::int64_t>(i) * kHour, kHour)))
        << "row " << i;
  }
  const auto requests = host_->klines_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].param("symbol"), "BTCUSDT") << "the canonical symbol was resolved to the native one";
  EXPECT_EQ(requests[0].param("interval"), "1h");
  EXPECT_EQ(requests[0].param("startTime"), std::to_string(kJan1));
}

TEST_F(CandlesRoute, JsonCarriesTheSameExactValuesAsCsv) {
  const std::string target = "/v1/candles?" + kBtc + "&interval=1h&start=1704067200000&end=1704153600000";
  const HttpResult json = host_->get(target);
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(*json.header("content-type"), "application/json");
  const auto body = json_object(json);
  EXPECT_EQ(body->getValue<std::string>("exchange"), kBinance);
  EXPECT_EQ(body->getValue<std::string>("symbol"), "BTC/USDT:USDT");
  EXPECT_EQ(body->getValue<std::string>("native_symbol"), "BTCUSDT");
  EXPECT_EQ(body->getValue<std::string>("interval"), "1h");
  EXPECT_EQ(body->getValue<std::int64_t>("start"), kJan1);
  EXPECT_EQ(body->getValue<std::int64_t>("end"), kJan1 + 24 * kHour);
  const auto candles = body->getArray("candles");
  ASSERT_EQ(candles->size(), 24u);
  for (unsigned i = 0; i < 24; ++i) expect_candle(candles->getObject(i), expected_candle(kJan1 + i * kHour, kHour));

  const auto records = parse_csv(host_->get(target + "&format=csv").body);
  ASSERT_EQ(records.size(), 25u);
  for (unsigned i = 0; i < 24; ++i) {
    const auto candle = candles->getObject(i);
    for (std::size_t col = 0; col < records[0].size(); ++col) {
      EXPECT_EQ(records[i + 1][col], candle->get(records[0][col]).convert<std::string>()) << records[0][col];
    }
  }
}

TEST_F(CandlesRoute, TenThousand1mCandlesAreAssembledFromSevenUpstreamPages) {
  const HttpResult response =
      host_->get("/v1/candles?" + kBtc + "&interval=1m&start=" + std::to_string(kJan1) + "&end=" +
                 std::to_string(kJan1 + 10'000 * kMinute));
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 500);
  const auto candles = json_object(response)->getArray("candles");
  ASSERT_EQ(candles->size(), 10'000u);
  for (unsigned i = 0; i < 10'000; ++i) {
    ASSERT_EQ(candles->getObject(i)->getValue<std::int64_t>("open_time"), kJan1 + i * kMinute) << "ascending, no gaps";
  }
  expect_candle(candles->getObject(0), expected_candle(kJan1, kMinute));
  expect_candle(candles->getObject(9'999), expected_candle(kJan1 + 9'999 * kMinute, kMinute));
  expect_candle(candles->getObject(1'500), expected_candle(kJan1 + 1'500 * kMinute, kMinute));

  const auto requests = host_->klines_requests();
  ASSERT_EQ(requests.size(), 7u) << "1500 per page: 6 full pages and one of 1000";
  std::vector<std::int64_t> starts;
  for (const auto& r : requests) starts.push_back(std::stoll(r.param("startTime").value_or("-1")));
  std::sort(starts.begin(), starts.end());
  for (std::size_t i = 0; i < starts.size(); ++i) {
    EXPECT_EQ(starts[i], kJan1 + static_cast<std::int64_t>(i) * 1'500 * kMinute);
  }
}

TEST_F(CandlesRoute, NativeSymbolLimitAndIsoTimes) {
  const HttpResult by_native =
      host_->get("/v1/candles?exchange=binance_futures&native=BTCUSDT&interval=1h&start=2024-01-01&limit=5");
  ASSERT_EQ(by_native.status, 200) << by_native.body;
  const auto body = json_object(by_native);
  EXPECT_EQ(body->getValue<std::string>("symbol"), "BTC/USDT:USDT");
  EXPECT_EQ(body->getArray("candles")->size(), 5u);
  EXPECT_EQ(body->getValue<std::int64_t>("end"), kJan1 + 5 * kHour) << "limit cuts the range; end defaults to now";
  // Start inside a bucket: the half-open range starts at the next bucket.
  const auto inside = json_object(host_->get("/v1/candles?" + kBtc + "&interval=1h&start=2024-01-01T00:30:00Z&limit=2"));
  EXPECT_EQ(inside->getArray("candles")->getObject(0)->getValue<std::int64_t>("open_time"), kJan1 + kHour);
}

TEST_F(CandlesRoute, EndDefaultsToNowAndTheOpenCandleOnlyOnRequest) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::string target = "/v1/candles?" + kBtc + "&interval=1h&start=" + std::to_string(now - 3 * kHour);
  const auto closed_only = json_object(host_->get(target))->getArray("candles");
  for (const auto& c : *closed_only) EXPECT_TRUE(c.extract<Poco::JSON::Object::Ptr>()->getValue<bool>("closed"));
  const auto with_open = json_object(host_->get(target + "&include_open=true"))->getArray("candles");
  ASSERT_FALSE(with_open->size() == 0);
  EXPECT_FALSE(with_open->getObject(static_cast<unsigned>(with_open->size() - 1))->getValue<bool>("closed"))
      << "the bucket holding 'now' is still open";
}

TEST_F(CandlesRoute, RefusalsNameTheParameterAndSendNothingUpstream) {
  struct Case {
    std::string query;
    const char* parameter;
    const char* detail;
  };
  const std::string jan = "&start=2024-01-01&end=2024-01-02";
  const std::vector<Case> cases = {
      {kBtc + "&interval=1h" + jan + "&foo=1", "", "unknown query parameter 'foo'"},
      {kBtc + "&interval=1h&start=abc", "start", "'start'"},
      {kBtc + "&interval=1h&start=+1704067200000", "start", "'start'"},
      {kBtc + "&interval=1h&start=17040672000000", "start", "'start'"},
      {kBtc + "&interval=1h&start=2024-01-02&end=2024-01-01", "end", "'end' must be after 'start'"},
      {kBtc + "&interval=1h&start=2024-01-01&end=2024-01-01", "end", "'end' must be after 'start'"},
      {kBtc + "&interval=1h" + jan + "&limit=0", "limit", "'limit'"},
      {kBtc + "&interval=1h" + jan + "&limit=10001", "limit", "1..10000"},
      {kBtc + "&interval=1h" + jan + "&include_open=maybe", "include_open", "'include_open'"},
      {kBtc + jan, "interval", "'interval'"},
      {kBtc + "&interval=1h", "start", "'start'"},
      {"symbol=BTC%2FUSDT%3AUSDT&interval=1h" + jan, "exchange", "'exchange'"},
      {"exchange=binance_futures&interval=1h" + jan, "symbol", "exactly one"},
      {kBtc + "&native=BTCUSDT&interval=1h" + jan, "native", "exactly one"},
      {kBtc + "&interval=1h" + jan + "&format=parquet", "format", "'format'"},
      {kBtc + "&interval=2m" + jan, "interval", "supported: 1m, 3m, 5m"},
      {kBtc + "&interval=1m&start=2024-01-01&end=2024-02-01", "", "at most 10000 per request: narrow the range"},
  };
  for (const Case& c : cases) {
    const HttpResult response = host_->get("/v1/candles?" + c.query);
    expect_problem(response, 400, "bad-request", c.detail);
    if (*c.parameter) {
      EXPECT_EQ(problem_parameter(response), c.parameter) << c.query;
    }
  }
  const auto interval_problem = json_object(host_->get("/v1/candles?" + kBtc + "&interval=1s" + jan));
  EXPECT_EQ(interval_problem->getArray("supported")->size(), 15u) << "the problem lists the supported intervals";
  EXPECT_EQ(host_->klines_requests().size(), 0u);
}

TEST_F(CandlesRoute, UnknownExchangeOrSymbolIs404WithNothingSentUpstream) {
  const std::string range = "&interval=1h&start=2024-01-01&end=2024-01-02";
  expect_problem(host_->get("/v1/candles?exchange=kraken&symbol=BTC%2FUSD" + range), 404, "not-found",
                 "unknown exchange 'kraken'");
  expect_problem(host_->get("/v1/candles?exchange=..%2F..%2Fetc&symbol=X" + range), 404, "not-found");
  expect_problem(host_->get("/v1/candles?exchange=binance_futures&symbol=BTC%2FEUR%3AEUR" + range), 404, "not-found",
                 "unknown symbol 'BTC/EUR:EUR'");
  expect_problem(host_->get("/v1/candles?exchange=binance_futures&native=BTCUSDT%26limit%3D5000" + range), 404,
                 "not-found", "unknown native symbol");
  expect_problem(host_->get("/v1/candles?exchange=binance_futures&native=..%2F..%2Fx" + range), 404, "not-found");
  EXPECT_EQ(host_->klines_requests().size(), 0u) << "nothing unvalidated reaches an upstream URL";
}

TEST_F(CandlesRoute, OtherMethodsAre405WithAllow) {
  for (const char* method : {"PUT", "DELETE", "OPTIONS", "PATCH", "POST"}) {
    const HttpResult response = host_->request(method, "/v1/candles", As::Market, {}, {});
    expect_problem(response, 405, "method-not-allowed");
    ASSERT_NE(response.header("allow"), nullptr);
    EXPECT_EQ(*response.header("allow"), "GET, HEAD");
  }
  expect_problem(host_->get("/v1/candle"), 404, "not-found");
  expect_problem(host_->get("/v1/../v1/candles"), 404, "not-found");
}

// Each upstream or plugin failure maps to its problem type; details never quote upstream.
struct FaultCase {
  const char* name;
  fake::FakeResponse response;
  int status;
  const char* slug;
};

class CandleUpstreamFaults : public CandlesRoute, public ::testing::WithParamInterface<int> {};

std::vector<FaultCase> fault_cases() {
  return {
      {"5xx", fake::FakeResponse::json(R"({"msg":"internal upstream secret"})", 503), 502, "upstream-unavailable"},
      {"html", fake::FakeResponse::html_error_page(502), 502, "upstream-unavailable"},
      {"garbage", fake::FakeResponse::json("not json at all: internal upstream secret"), 502, "upstream-bad-response"},
      {"truncated", fake::FakeResponse::json(R"([[1704067200000,"1","2")"), 502, "upstream-bad-response"},
      {"unknown_symbol", fake::FakeResponse::json(R"({"code":-1121,"msg":"Invalid symbol."})", 400), 404, "not-found"},
      {"reset", fake::FakeResponse::reset_connection(), 502, "upstream-unavailable"},
      // Slower than the transport's read timeout (2 s here) while the request still had
      // time: the exchange is unavailable. (504 is for the request's own deadline: below.)
      {"slow", fake::FakeResponse::json("[]").with_delay(3s), 502, "upstream-unavailable"},
      {"high_below_low",
       fake::FakeResponse::json(
           R"([[1704067200000,"100","90","110","100","1",1704070799999,"1",1,"0","0","0"]])"),
       502, "plugin-bad-output"},
      // Issue 8, "Upstream faults".
      {"http_500", fake::FakeResponse::text(500, "Internal Server Error"), 502, "upstream-unavailable"},
      {"http_502", fake::FakeResponse::text(502, "Bad Gateway"), 502, "upstream-unavailable"},
      // Above the transport's 8 MiB cap: the read stops there, nothing is parsed.
      {"ten_megabytes", fake::FakeResponse::json("").with_oversize_body(10 * 1000 * 1000), 502,
       "upstream-unavailable"},
      {"wrong_content_type", fake::FakeResponse::text(200, "OK internal upstream secret", "text/plain"), 502,
       "upstream-bad-response"},
      {"html_200", fake::FakeResponse::html_error_page(200), 502, "upstream-bad-response"},
      // The exchange's error object with status 200: not candles, never parsed as an empty page.
      {"error_object_200", fake::FakeResponse::json(R"({"code":-1121,"msg":"Invalid symbol."})", 200), 502,
       "upstream-bad-response"},
      {"reset_mid_body",
       fake::FakeResponse::json(R"([[1704067200000,"1","2","0.5","1.5","10",1704070799999,"15",3,"5","7","0"]])")
           .with_reset_after(30),
       502, "upstream-unavailable"},
      {"cut_mid_body",
       fake::FakeResponse::json(R"([[1704067200000,"1","2","0.5","1.5","10",1704070799999,"15",3,"5","7","0"]])")
           .with_truncation(30),
       502, "upstream-unavailable"},
      {"empty_200", fake::FakeResponse::json(""), 502, "upstream-bad-response"},
      {"nested_10000_deep", fake::FakeResponse::json(std::string(10000, '[') + std::string(10000, ']')), 502,
       "upstream-bad-response"},
  };
}

TEST_P(CandleUpstreamFaults, MapsToItsProblemType) {
  const FaultCase fault = fault_cases()[static_cast<std::size_t>(GetParam())];
  host_->exchange().set_generator(klines_, nullptr);
  host_->exchange().set_default(klines_, fault.response);
  const HttpResult response = host_->get("/v1/candles?" + kBtc + "&interval=1h&start=2024-01-01&end=2024-01-02");
  SCOPED_TRACE(fault.name);
  expect_problem(response, fault.status, fault.slug);
  EXPECT_EQ(response.body.find("secret"), std::string::npos) << "upstream text never reaches the client";
  EXPECT_EQ(response.body.find("Invalid symbol"), std::string::npos);
  EXPECT_GE(host_->klines_requests().size(), 1u);
  EXPECT_LE(host_->klines_requests().size(), 4u) << "a failing exchange is not hammered";
  if (fault.response.status >= 500) {
    // RELIABILITY.md U4: a 5xx is retried max_retries (2) times after backoff pauses, no more.
    EXPECT_EQ(host_->klines_requests().size(), 3u);
  }
  EXPECT_EQ(response.body.find("open_time"), std::string::npos) << "never a partial answer";
  // Nothing was cached and the host serves the same range once the exchange is healthy.
  host_->exchange().set_default(klines_, fake::FakeResponse::json("[]"));
  host_->exchange().set_generator(klines_, generated_klines);
  const HttpResult healthy = host_->get("/v1/candles?" + kBtc + "&interval=1h&start=2024-01-01&end=2024-01-02");
  EXPECT_EQ(healthy.status, 200) << healthy.body;
  const auto candles = json_object(healthy)->getArray("candles");
  ASSERT_TRUE(candles);
  EXPECT_EQ(candles->size(), 24u);
}

INSTANTIATE_TEST_SUITE_P(Faults, CandleUpstreamFaults, ::testing::Range(0, static_cast<int>(fault_cases().size())), [](const ::testing::TestParamInfo<int>& p) {
  return std::string(fault_cases()[static_cast<std::size_t>(p.param)].name);
});

TEST_F(CandlesRoute, UpstreamRateLimitIs503WithTheExchangesRetryAfter) {
  host_->exchange().set_generator(klines_, nullptr);
  host_->exchange().set_default(klines_, fake::FakeResponse::json(R"({"code":-1003,"msg":"Too many requests"})", 429)
                                             .with_retry_after("7"));
  const HttpResult response = host_->get("/v1/candles?" + kBtc + "&interval=1h&start=2024-01-01&end=2024-01-02");
  expect_problem(response, 503, "upstream-rate-limited");
  ASSERT_NE(response.header("retry-after"), nullptr);
  EXPECT_EQ(*response.header("retry-after"), "7");
}

class CandlesWithShortDeadline : public CandlesRoute {
 protected:
  HostOptions options() override {
    HostOptions o;
    o.config.candles_timeout_ms = 1'000;
    o.upstream_read_timeout = 10s;
    return o;
  }
};

TEST_F(CandlesWithShortDeadline, TheRequestsOwnDeadlinePassingIs504) {
  host_->exchange().set_generator(klines_, nullptr);
  host_->exchange().set_default(klines_, fake::FakeResponse::json("[]").with_delay(5s));
  const HttpResult response = host_->get("/v1/candles?" + kBtc + "&interval=1h&start=2024-01-01&end=2024-01-02");
  expect_problem(response, 504, "upstream-timeout", "did not answer in time");
}

class CandlesOutsideAllowlist : public CandlesRoute {
 protected:
  HostOptions options() override {
    HostOptions o;
    o.base_url_outside_allowlist = true;
    return o;
  }
};

TEST_F(CandlesOutsideAllowlist, APluginAskingOutsideItsAllowlistIsAPluginError) {
  // The plugin's base_url is not in the transport's allowlist, so it cannot sync either:
  // store the symbol the way a sync would have.
  domain::Symbol btc = storage::test::make_symbol("BTC", "USDT", domain::MarketType::Perpetual);
  btc.exchange = kBinance;
  btc.native_symbol = "BTCUSDT";
  host_->store_symbol(btc);
  const HttpResult response = host_->get("/v1/candles?" + kBtc + "&interval=1h&start=2024-01-01&end=2024-01-02");
  expect_problem(response, 502, "plugin-error");
  EXPECT_EQ(response.body.find("127.0.0.1:9"), std::string::npos);
  EXPECT_EQ(host_->exchange().request_count(), 0u);
}

class CandleLimits : public CandlesRoute {
 protected:
  HostOptions options() override {
    HostOptions o;
    o.config.candles_max_rows = 4000;
    o.config.candles_max_pages = 2;
    return o;
  }
};

TEST_F(CandleLimits, RowAndPageCapsComeFromConfig) {
  const auto range = [](std::int64_t minutes) {
    return "/v1/candles?" + kBtc + "&interval=1m&start=" + std::to_string(kJan1) +
           "&end=" + std::to_string(kJan1 + minutes * kMinute);
  };
  expect_problem(host_->get(range(4001)), 400, "bad-request", "at most 4000 per request");
  expect_problem(host_->get(range(3001)), 400, "bad-request", "upstream requests; at most 2");
  expect_problem(host_->get("/v1/candles?" + kBtc + "&interval=1m&start=2024-01-01&limit=4001"), 400, "bad-request",
                 "1..4000");
  EXPECT_EQ(host_->klines_requests().size(), 0u);
  const HttpResult ok = host_->get(range(3000));
  ASSERT_EQ(ok.status, 200) << ok.body.substr(0, 300);
  EXPECT_EQ(json_object(ok)->getArray("candles")->size(), 3000u);
  EXPECT_EQ(host_->klines_requests().size(), 2u);
}

}  // namespace
}  // namespace mdp::api::test
