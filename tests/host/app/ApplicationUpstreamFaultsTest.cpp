// Issue 3, "Done when" (third point): each malformed or failing upstream answer surfaces from
// the plugin the Application loaded as the right domain::AdapterError code with a message,
// and the same Application then still serves a good request and answers /health: the host
// stays up. Every case runs against each of the three real plugins over HTTP.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>

#include "FakeExchangeServer.hpp"
#include "HttpProbe.hpp"
#include "IntegrationPaths.hpp"
#include "RunningApplication.hpp"

namespace mdp::app::integration {
namespace {

using domain::AdapterError;
using domain::AdapterErrorCode;
using fake::FakeExchangeServer;
using fake::FakeResponse;
using fake::RouteMatch;

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;

// One exchange: where its candles live on the fake, a request the good fixture answers, and
// how it tells "unknown symbol".
struct ExchangeCase {
  std::string id;
  std::string fixture_dir;          // tests/fixtures/<dir>
  std::string good_body;            // candles file the good request is answered with
  domain::CandlePageRequest good;   // covered by good_body
  std::string truncated_body;       // a syntactically cut JSON body, served complete (HTTP 200)
  std::string unknown_symbol;       // native symbol the exchange does not know
  std::string unknown_file;         // the exchange's answer for it (a fixture file)...
  int unknown_status = 200;         // ...with this status
  std::string unknown_message;      // what the error must quote
  std::string error_object;         // the exchange's own error shape, sent with HTTP 200 (issue 8)
  // Adds the candle route(s); returns the route the faults are scripted on.
  std::function<fake::RouteId(FakeExchangeServer&, const ExchangeCase&)> install;
};

FakeResponse own(const std::string& dir, const std::string& file, int status = 200) {
  return FakeResponse::file(own_fixture(dir, file).string(), status);
}

FakeResponse unknown_answer(const ExchangeCase& exchange) {
  return own(exchange.fixture_dir, exchange.unknown_file, exchange.unknown_status);
}

// Built at test registration: only names here, files are read when a test runs.
const std::vector<ExchangeCase>& exchanges() {
  static const std::vector<ExchangeCase> cases = [] {
    std::vector<ExchangeCase> out;
    {
      ExchangeCase c;
      c.id = kBinance;
      c.fixture_dir = "binance_futures";
      c.good_body = "klines_BTCUSDT_1m.json";
      c.good = {"BTCUSDT", "1m", 1'704'164'640'000, 1'704'164'640'000 + 4 * kMinute, 1500};
      c.truncated_body = "klines_truncated.json";
      c.unknown_symbol = "NOPEUSDT";
      c.unknown_file = "error_invalid_symbol.json";
      c.unknown_status = 400;
      c.unknown_message = "Invalid symbol.";
      c.error_object = R"({"code":-1121,"msg":"Invalid symbol."})";
      c.install = [](FakeExchangeServer& server, const ExchangeCase& self) {
        server.add_route(RouteMatch{"GET", "/fapi/v1/klines", {{"symbol", self.unknown_symbol}}, {}}, unknown_answer(self));
        return server.add_route(RouteMatch{"GET", "/fapi/v1/klines", {{"symbol", "BTCUSDT"}}, {}},
                                own(self.fixture_dir, self.good_body));
      };
      out.push_back(c);
    }
    {
      ExchangeCase c;
      c.id = kHyperliquid;
      c.fixture_dir = "hyperliquid";
      c.good_body = "candles_BTC_1h.json";
      const std::int64_t t0 = 1'699'999'200'000;
      c.good = {"BTC", "1h", t0 + kHour, t0 + 5 * kHour, 5000};
      c.truncated_body = "candles_truncated.json";
      c.unknown_symbol = "NOPE";
      c.unknown_file = "candles_null.json";  // Hyperliquid answers null
      c.unknown_message = "unknown coin 'NOPE'";
      c.error_object = R"({"status":"err","response":"Failed to deserialize the JSON body into the target type"})";
      c.install = [](FakeExchangeServer& server, const ExchangeCase& self) {
        server.add_route(RouteMatch{"POST", "/info", {}, {{"type", "candleSnapshot"}, {"req.coin", self.unknown_symbol}}},
                         unknown_answer(self));
        return server.add_route(RouteMatch{"POST", "/info", {}, {{"type", "candleSnapshot"}, {"req.coin", "BTC"}}},
                                own(self.fixture_dir, self.good_body));
      };
      out.push_back(c);
    }
    {
      ExchangeCase c;
      c.id = kCoinbase;
      c.fixture_dir = "coinbase";
      c.good_body = "candles_btc_usd_1h.json";
      const std::int64_t first = 1'712'188'800'000;
      c.good = {"BTC-USD", "1h", first, first + 5 * kHour, 350};
      c.truncated_body = "candles_truncated.json";
      c.unknown_symbol = "NOPE-USD";
      c.unknown_file = "error_not_found.json";
      c.unknown_status = 404;
      c.unknown_message = "valid product_id is required";
      c.error_object = R"({"error":"NOT_FOUND","error_details":"valid product_id is required","message":"valid product_id is required"})";
      c.install = [](FakeExchangeServer& server, const ExchangeCase& self) {
        const std::string products = "/api/v3/brokerage/market/products/";
        server.get(products + self.unknown_symbol + "/candles", unknown_answer(self));
        return server.get(products + "BTC-USD/candles", own(self.fixture_dir, self.good_body));
      };
      out.push_back(c);
    }
    return out;
  }();
  return cases;
}

// One fault: what the fake answers (once) and what the host must report.
struct FaultCase {
  std::string name;
  std::function<FakeResponse(const ExchangeCase&)> answer;
  AdapterErrorCode code;
  std::string message;        // substring of the error message ("" = the exchange-specific one)
  std::int64_t retry_after_ms = -1;  // expected AdapterError::retry_after_ms, -1 = not checked
  bool unknown_symbol = false;  // ask for the exchange's unknown symbol instead of the good one
  bool short_deadline = false;  // the call's deadline runs out while the exchange says nothing
  std::int64_t read_timeout_ms = -1;  // upstream.<id>.read_timeout_ms for this case, -1 = default
  // How many times the answer is queued: a 5xx is retried (net::RetryingUpstream), so it must
  // come back 1 + max_retries times to reach the caller. The exchange sees exactly this many.
  std::size_t repeat = 1;
};

constexpr std::size_t kAttempts = 3;  // 1 + net::RetryPolicy{}.max_retries, the host default

const std::vector<FaultCase>& faults() {
  static const std::vector<FaultCase> cases = {
      {"http_500", [](const ExchangeCase&) { return FakeResponse::text(500, "Internal Server Error"); },
       AdapterErrorCode::UpstreamUnavailable, "HTTP 500", -1, false, false, -1, kAttempts},
      {"html_502", [](const ExchangeCase&) { return FakeResponse::html_error_page(502); },
       AdapterErrorCode::UpstreamUnavailable, "HTTP 502", -1, false, false, -1, kAttempts},
      {"rate_limited_429",
       [](const ExchangeCase&) { return FakeResponse::text(429, "Too Many Requests").with_retry_after("1"); },
       AdapterErrorCode::UpstreamRateLimited, "HTTP 429", 1000},
      {"banned_418",
       [](const ExchangeCase&) {
         return FakeResponse::json(R"({"code":-1003,"msg":"Way too many requests; IP banned."})", 418)
             .with_retry_after("1");
       },
       AdapterErrorCode::UpstreamRateLimited, "HTTP 418", 1000},
      {"truncated_json", [](const ExchangeCase& e) { return own(e.fixture_dir, e.truncated_body); },
       AdapterErrorCode::UpstreamProtocol, "JSON"},
      {"html_error_page_200", [](const ExchangeCase&) { return FakeResponse::html_error_page(200); },
       AdapterErrorCode::UpstreamProtocol, "text/html"},
      {"connection_cut_mid_body",
       [](const ExchangeCase& e) { return own(e.fixture_dir, e.good_body).with_truncation(20); },
       AdapterErrorCode::UpstreamUnavailable, "read failed"},
      // The call's own deadline passes while the exchange says nothing: the call timed out.
      {"timeout",
       [](const ExchangeCase& e) { return own(e.fixture_dir, e.good_body).with_delay(std::chrono::minutes(5)); },
       AdapterErrorCode::Timeout, "deadline", -1, false, true},
      // The exchange's read timeout fires while the call still has time: the upstream is too
      // slow, i.e. unavailable (issue 3: 5xx/timeouts -> MDP_E_UPSTREAM_UNAVAILABLE).
      {"slow_upstream",
       [](const ExchangeCase& e) { return own(e.fixture_dir, e.good_body).with_delay(std::chrono::minutes(5)); },
       AdapterErrorCode::UpstreamUnavailable, "MDP_E_UPSTREAM_UNAVAILABLE: upstream timed out after", -1, false,
       false, 500},
      {"unknown_symbol", [](const ExchangeCase& e) { return unknown_answer(e); }, AdapterErrorCode::NotFound, "", -1,
       true},
      // Issue 8, "Upstream faults": each mapped to its upstream error, never a partial page.
      {"http_503", [](const ExchangeCase&) { return FakeResponse::text(503, "Service Unavailable"); },
       AdapterErrorCode::UpstreamUnavailable, "HTTP 503", -1, false, false, -1, kAttempts},
      {"error_object_200",
       [](const ExchangeCase& e) { return FakeResponse::json(e.error_object, 200); },
       AdapterErrorCode::UpstreamProtocol, ""},
      {"wrong_content_type_200",
       [](const ExchangeCase&) {
         return FakeResponse::text(200, "Failed to deserialize the JSON body into the target type", "text/plain");
       },
       AdapterErrorCode::UpstreamProtocol, ""},
      {"ten_megabytes",
       [](const ExchangeCase&) { return FakeResponse::json("").with_oversize_body(10 * 1000 * 1000); },
       AdapterErrorCode::UpstreamUnavailable, "response too large"},
      {"reset_mid_body",
       [](const ExchangeCase& e) { return own(e.fixture_dir, e.good_body).with_reset_after(20); },
       AdapterErrorCode::UpstreamUnavailable, "read failed"},
  };
  return cases;
}

struct Param {
  std::size_t exchange;
  std::size_t fault;
};

void PrintTo(const Param& p, std::ostream* os) { *os << exchanges()[p.exchange].id << "/" << faults()[p.fault].name; }

class ApplicationUpstreamFaults : public ::testing::TestWithParam<Param> {
 protected:
  const ExchangeCase& exchange() const { return exchanges()[GetParam().exchange]; }
  const FaultCase& fault() const { return faults()[GetParam().fault]; }
};

// Runs `request` and returns the AdapterError it throws (fails the test when it does not).
std::optional<AdapterError> error_of(domain::ExchangeAdapter& adapter, const domain::CandlePageRequest& request,
                                     const domain::CallContext& context) {
  try {
    const auto page = adapter.fetch_candles(request, context);
    ADD_FAILURE() << "no error; got " << page.candles.size() << " candles";
  } catch (const AdapterError& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not an AdapterError: " << e.what();
  }
  return std::nullopt;
}

// A good request after the fault. A 429/418 pauses or bans the exchange's budget for its
// Retry-After (1 s here): the host answers RateLimited until then, so retry through that —
// generously, the machine may be loaded — but nothing else.
domain::CandlePage good_page_after_fault(domain::ExchangeAdapter& adapter, const domain::CandlePageRequest& request) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (;;) {
    try {
      return adapter.fetch_candles(request, generous_context());
    } catch (const AdapterError& e) {
      if (e.code() != AdapterErrorCode::UpstreamRateLimited || std::chrono::steady_clock::now() > give_up) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
}

TEST_P(ApplicationUpstreamFaults, SurfacesTheRightErrorAndTheHostStaysUp) {
  const ExchangeCase& ex = exchange();
  const FaultCase& f = fault();
  FakeExchangeServer server;
  const fake::RouteId candles = ex.install(server, ex);
  if (!f.unknown_symbol) {
    for (std::size_t i = 0; i < f.repeat; ++i) server.enqueue(candles, f.answer(ex));
  }
  std::map<std::string, std::string> settings;
  if (f.read_timeout_ms > 0) settings["upstream." + ex.id + ".read_timeout_ms"] = std::to_string(f.read_timeout_ms);
  RunningApplication running(ApplicationOptions{{}, {{ex.id, server.base_url()}}, settings});
  auto adapter = running.adapter(ex.id);

  domain::CandlePageRequest request = ex.good;
  if (f.unknown_symbol) request.native_symbol = ex.unknown_symbol;
  // The timeout case: the exchange holds its answer for minutes; the call's own deadline ends it.
  const domain::CallContext context = f.short_deadline ? domain::CallContext::with_timeout(std::chrono::seconds(3))
                                                       : generous_context();
  const std::optional<AdapterError> error = error_of(*adapter, request, context);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code(), f.code) << domain::to_string(error->code()) << ": " << error->what();
  const std::string message = error->what();
  std::cout << "[fault] " << ex.id << "/" << f.name << ": " << domain::to_string(error->code()) << " " << message << "\n";
  EXPECT_EQ(message.rfind("plugin '" + ex.id + "' fetch_candles: ", 0), 0u) << message;
  const std::string expected = f.unknown_symbol ? ex.unknown_message : f.message;
  if (!expected.empty()) {
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  }
  if (f.retry_after_ms >= 0) {
    EXPECT_EQ(error->retry_after_ms(), f.retry_after_ms) << message;
  }
  if (!f.short_deadline && !f.unknown_symbol) {
    EXPECT_EQ(server.hits(candles), f.repeat) << "only 5xx answers are retried, and at most max_retries times";
  }

  // The host stays up: the same Application serves a good request and answers /health.
  const domain::CandlePage page = good_page_after_fault(*adapter, ex.good);
  EXPECT_FALSE(page.candles.empty());
  EXPECT_EQ(page.candles.front().open_time_ms, ex.good.start_ms);
  const ProbeResult health = http_get(running.app().http_port(), "/health");
  EXPECT_EQ(health.status, 200) << health.error;
}

// Issue 8 / RELIABILITY.md U4: a 5xx that clears up is retried after a backoff pause and the
// call succeeds; the exchange saw exactly one extra request.
class ApplicationUpstreamRetries : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ApplicationUpstreamRetries, AServerErrorThatClearsUpIsRetriedAndTheCallSucceeds) {
  const ExchangeCase& ex = exchanges()[GetParam()];
  FakeExchangeServer server;
  const fake::RouteId candles = ex.install(server, ex);
  server.enqueue(candles, FakeResponse::text(503, "Service Unavailable"));
  RunningApplication running(ApplicationOptions{{}, {{ex.id, server.base_url()}}, {}});
  const domain::CandlePage page = running.adapter(ex.id)->fetch_candles(ex.good, generous_context());
  EXPECT_FALSE(page.candles.empty());
  EXPECT_EQ(page.candles.front().open_time_ms, ex.good.start_ms);
  EXPECT_EQ(server.hits(candles), 2u);
}

INSTANTIATE_TEST_SUITE_P(EveryExchange, ApplicationUpstreamRetries, ::testing::Values(0u, 1u, 2u),
                         [](const ::testing::TestParamInfo<std::size_t>& param_info) {
                           return exchanges()[param_info.param].id;
                         });

// RELIABILITY.md U11: five consecutive failed attempts (two calls, as each 5xx is retried
// twice) open binance_futures' circuit breaker. The next call then fails fast as
// UpstreamUnavailable with the remaining cool-down and without reaching the exchange, while
// Coinbase in the same process is unaffected; after the cool-down one probe goes out and
// its success closes the breaker.
TEST(ApplicationCircuitBreaker, FiveFailuresOpenItThenCallsFailFastUntilOneProbeClosesIt) {
  const ExchangeCase& binance = exchanges()[0];
  const ExchangeCase& coinbase = exchanges()[2];
  ASSERT_EQ(binance.id, kBinance);
  ASSERT_EQ(coinbase.id, kCoinbase);
  FakeExchangeServer binance_server;
  FakeExchangeServer coinbase_server;
  const fake::RouteId candles = binance.install(binance_server, binance);
  const fake::RouteId coinbase_candles = coinbase.install(coinbase_server, coinbase);
  for (int i = 0; i < 5; ++i) binance_server.enqueue(candles, FakeResponse::text(503, "Service Unavailable"));
  // Long enough that the fail-fast call below lands inside it even on a loaded machine; the
  // test waits for the Retry-After the host reports, so waiting longer changes nothing.
  const std::int64_t cool_down_ms = 3'000;
  RunningApplication running(ApplicationOptions{{},
                                                {{binance.id, binance_server.base_url()},
                                                 {coinbase.id, coinbase_server.base_url()}},
                                                {{"upstream.breaker_failures", "5"},
                                                 {"upstream.breaker_cooldown_ms", std::to_string(cool_down_ms)}}});
  auto adapter = running.adapter(binance.id);

  for (int call = 0; call < 2; ++call) {
    const std::optional<AdapterError> error = error_of(*adapter, binance.good, generous_context());
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->code(), AdapterErrorCode::UpstreamUnavailable) << error->what();
  }
  EXPECT_EQ(binance_server.hits(candles), 5u) << "the sixth attempt (a retry) met the open breaker";

  const std::optional<AdapterError> fast = error_of(*adapter, binance.good, generous_context());
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(fast->code(), AdapterErrorCode::UpstreamUnavailable) << fast->what();
  EXPECT_NE(std::string(fast->what()).find("circuit breaker open"), std::string::npos) << fast->what();
  EXPECT_GT(fast->retry_after_ms(), 0);
  EXPECT_LE(fast->retry_after_ms(), cool_down_ms);
  EXPECT_EQ(binance_server.hits(candles), 5u) << "an open breaker sends nothing";

  const domain::CandlePage other = running.adapter(coinbase.id)->fetch_candles(coinbase.good, generous_context());
  EXPECT_FALSE(other.candles.empty());
  EXPECT_EQ(coinbase_server.hits(coinbase_candles), 1u);

  std::this_thread::sleep_for(std::chrono::milliseconds(fast->retry_after_ms() + 50));
  const domain::CandlePage probed = adapter->fetch_candles(binance.good, generous_context());
  EXPECT_FALSE(probed.candles.empty());
  EXPECT_EQ(binance_server.hits(candles), 6u) << "one probe";
  const domain::CandlePage closed = adapter->fetch_candles(binance.good, generous_context());
  EXPECT_FALSE(closed.candles.empty());
  EXPECT_EQ(binance_server.hits(candles), 7u) << "closed again: calls go through";
}

std::vector<Param> all_params() {
  std::vector<Param> out;
  for (std::size_t e = 0; e < exchanges().size(); ++e) {
    for (std::size_t f = 0; f < faults().size(); ++f) out.push_back({e, f});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(EveryExchangeEveryFault, ApplicationUpstreamFaults, ::testing::ValuesIn(all_params()),
                         [](const ::testing::TestParamInfo<Param>& param_info) {
                           return exchanges()[param_info.param.exchange].id + "_" +
                                  faults()[param_info.param.fault].name;
                         });

}  // namespace
}  // namespace mdp::app::integration
