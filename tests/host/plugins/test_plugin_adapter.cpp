// PluginAdapter over real fixture plugins: host services (http_send mapping, clock, log,
// cancel), status mapping, and refusal of bad output (RELIABILITY.md P6, P7).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "PluginAdapter.hpp"
#include "PluginLibrary.hpp"
#include "PluginTestSupport.hpp"

using namespace mdp::plugins;
using namespace mdp::plugins::testing;
using mdp::domain::AdapterError;
using mdp::domain::AdapterErrorCode;
using mdp::domain::CallContext;
using mdp::domain::CandlePageRequest;
using mdp::domain::UpstreamFailure;

namespace {

constexpr std::int64_t kStart = 1'700'000'040'000;  // a minute boundary
constexpr std::int64_t kMinute = 60'000;

std::shared_ptr<PluginAdapter> make_adapter(const std::string& id, FakeUpstream& upstream,
                                            AdapterOptions options = {}) {
  auto library = PluginLibrary::open(fixture_dir(), id);
  return PluginAdapter::create(library, {{"base_url", "https://api.example.test"}}, upstream, std::move(options));
}

CandlePageRequest page_request(const std::string& native, std::uint32_t max_rows = 5, std::int64_t minutes = 10) {
  CandlePageRequest r;
  r.native_symbol = native;
  r.interval = "1m";
  r.start_ms = kStart;
  r.end_ms = kStart + minutes * kMinute;
  r.max_rows = max_rows;
  return r;
}

CallContext context() { return CallContext::with_timeout(std::chrono::seconds(10)); }

// Runs `body` and returns the AdapterError it throws (fails the test when it does not).
template <class Body>
AdapterError error_of(Body&& body) {
  try {
    body();
  } catch (const AdapterError& e) {
    return e;
  }
  ADD_FAILURE() << "no AdapterError thrown";
  return AdapterError(AdapterErrorCode::PluginError, "none");
}

#define EXPECT_HAS(haystack, needle) EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

}  // namespace

// ------------------------------------------------------------------ the happy path

TEST(PluginAdapter, ListsSymbolsAsCanonicalModel) {
  FakeUpstream upstream;
  auto adapter = make_adapter("good", upstream);
  EXPECT_EQ(adapter->id(), "good");
  EXPECT_EQ(adapter->descriptor().id, "good");
  auto ctx = context();
  const auto symbols = adapter->list_symbols(ctx);
  ASSERT_EQ(symbols.size(), 2u);
  EXPECT_EQ(symbols[0].exchange, "good");
  EXPECT_EQ(symbols[0].symbol, "BTC/USDT");
  EXPECT_EQ(symbols[0].native_symbol, "BTCUSDT");
  EXPECT_FALSE(symbols[0].settle.has_value());
  EXPECT_FALSE(symbols[0].contract_size.has_value());
  EXPECT_FALSE(symbols[0].delivery_at_ms.has_value());
  EXPECT_EQ(symbols[0].listed_at_ms, 1569398400000);
  EXPECT_EQ(symbols[0].native_status, "TRADING");
  EXPECT_EQ(symbols[1].symbol, "BTC/USDT:USDT");
  EXPECT_EQ(symbols[1].settle, "USDT");
  EXPECT_EQ(symbols[1].contract_size, "1");
}

TEST(PluginAdapter, FetchesOnePageAndReportsWhereItStopped) {
  FakeUpstream upstream;
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  const auto page = adapter->fetch_candles(page_request("BTCUSDT", 5, 10), ctx);
  ASSERT_EQ(page.candles.size(), 5u);
  EXPECT_EQ(page.candles[0].open_time_ms, kStart);
  EXPECT_EQ(page.candles[4].open_time_ms, kStart + 4 * kMinute);
  EXPECT_EQ(page.candles[0].open, "100.5");
  EXPECT_FALSE(page.candles[0].quote_volume.has_value());
  EXPECT_EQ(page.candles[1].trades, 1);
  EXPECT_EQ(page.next_start_ms, kStart + 5 * kMinute);
  EXPECT_FALSE(page.available_from_ms.has_value());

  const auto all = adapter->fetch_candles(page_request("BTCUSDT", 20, 10), ctx);
  EXPECT_EQ(all.candles.size(), 10u);
  EXPECT_FALSE(all.next_start_ms.has_value());
}

TEST(PluginAdapter, ChecksTheRequestBeforeCallingThePlugin) {
  FakeUpstream upstream;
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  CandlePageRequest r = page_request("BTCUSDT");
  r.interval = "5m";
  AdapterError e = error_of([&] { adapter->fetch_candles(r, ctx); });
  EXPECT_EQ(e.code(), AdapterErrorCode::Unsupported);
  EXPECT_HAS(e.what(), "interval '5m' is not supported; supported: 1m 1h");
  r = page_request("BTCUSDT", 0);
  EXPECT_EQ(error_of([&] { adapter->fetch_candles(r, ctx); }).code(), AdapterErrorCode::InvalidArgument);
  r = page_request("BTCUSDT", 501);  // page_cap 500
  EXPECT_HAS(error_of([&] { adapter->fetch_candles(r, ctx); }).what(), "max_rows 501 is outside 1..500");
  r = page_request("BTCUSDT");
  r.end_ms = r.start_ms;
  EXPECT_HAS(error_of([&] { adapter->fetch_candles(r, ctx); }).what(), "empty range");
  r = page_request(std::string("BTC\0USDT", 8));
  EXPECT_HAS(error_of([&] { adapter->fetch_candles(r, ctx); }).what(), "contains NUL");
}

// ------------------------------------------------------------------ host services

TEST(PluginAdapter, HttpSendGoesThroughUpstreamWithThePluginsIdentity) {
  FakeUpstream upstream;
  upstream.result = ok_response(200, "42.5");
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  const auto page = adapter->fetch_candles(page_request("HTTP"), ctx);
  ASSERT_EQ(upstream.requests.size(), 1u);
  const auto& sent = upstream.requests[0];
  EXPECT_EQ(sent.exchange, "good");
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url, "https://api.example.test/klines");
  ASSERT_EQ(sent.headers.size(), 1u);
  EXPECT_EQ(sent.headers[0].first, "X-Fixture");
  EXPECT_EQ(sent.headers[0].second, "good");
  EXPECT_EQ(sent.weight, 3);
  EXPECT_TRUE(sent.body.empty());
  // The plugin read the body (kept alive by the host until the call returned).
  ASSERT_EQ(page.candles.size(), 1u);
  EXPECT_EQ(page.candles[0].open, "42.5");
  EXPECT_EQ(page.candles[0].trades, 200);
}

TEST(PluginAdapter, HttpStatusesReachThePluginAsResponses) {
  FakeUpstream upstream;
  upstream.result = ok_response(503, "7");
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  const auto page = adapter->fetch_candles(page_request("HTTP"), ctx);
  ASSERT_EQ(page.candles.size(), 1u);
  EXPECT_EQ(page.candles[0].trades, 503);  // the plugin maps HTTP statuses itself
}

struct TransportCase {
  UpstreamFailure failure;
  AdapterErrorCode code;
  const char* message;
};

void PrintTo(const TransportCase& c, std::ostream* os) { *os << c.message; }

std::string transport_case_name(const ::testing::TestParamInfo<TransportCase>& info) {
  static const char* const kNames[] = {"None",       "NotAllowed", "ConnectFailed", "Timeout",
                                       "ReadFailed", "TooLarge",   "Cancelled",     "RateLimited"};
  return kNames[static_cast<int>(info.param.failure)];
}

class HttpFailureMapping : public ::testing::TestWithParam<TransportCase> {};

TEST_P(HttpFailureMapping, MapsTransportFailuresToStatuses) {
  const TransportCase& c = GetParam();
  FakeUpstream upstream;
  upstream.result = failure(c.failure, "detail from transport", 1500);
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  const AdapterError e = error_of([&] { adapter->fetch_candles(page_request("HTTP"), ctx); });
  EXPECT_EQ(e.code(), c.code) << e.what();
  EXPECT_HAS(e.what(), c.message);
  EXPECT_HAS(e.what(), "detail from transport");
  EXPECT_HAS(e.what(), "plugin 'good' fetch_candles: ");
  if (c.code == AdapterErrorCode::UpstreamRateLimited) {
    EXPECT_EQ(e.retry_after_ms(), 1500);
  } else {
    EXPECT_EQ(e.retry_after_ms(), -1);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Transport, HttpFailureMapping,
    ::testing::Values(
        TransportCase{UpstreamFailure::ConnectFailed, AdapterErrorCode::UpstreamUnavailable,
                      "MDP_E_UPSTREAM_UNAVAILABLE: connect failed"},
        TransportCase{UpstreamFailure::ReadFailed, AdapterErrorCode::UpstreamUnavailable, "read failed"},
        TransportCase{UpstreamFailure::TooLarge, AdapterErrorCode::UpstreamUnavailable, "response too large"},
        // The call still had time: the upstream was slow (issue 3: timeouts -> unavailable).
        TransportCase{UpstreamFailure::Timeout, AdapterErrorCode::UpstreamUnavailable,
                      "MDP_E_UPSTREAM_UNAVAILABLE: upstream timed out after "},
        TransportCase{UpstreamFailure::Cancelled, AdapterErrorCode::Cancelled, "MDP_E_CANCELLED: cancelled"},
        TransportCase{UpstreamFailure::RateLimited, AdapterErrorCode::UpstreamRateLimited,
                      "MDP_E_UPSTREAM_RATE_LIMITED: rate limited"},
        // A URL outside the allowlist is the plugin's bug, whatever status it returns then.
        TransportCase{UpstreamFailure::NotAllowed, AdapterErrorCode::PluginError, "request refused by the host"}),
    transport_case_name);

TEST(PluginAdapter, ATransportTimeoutIsATimeoutOnlyOnceTheCallersDeadlinePassed) {
  // The upstream's own timeout fired while the call had time left: upstream unavailable,
  // with how long the exchange was waited for.
  FakeUpstream slow;
  slow.result = failure(UpstreamFailure::Timeout, "response deadline passed");
  slow.on_send = [] { std::this_thread::sleep_for(std::chrono::milliseconds(30)); };
  auto adapter = make_adapter("good", slow);
  auto ctx = context();
  const AdapterError e = error_of([&] { adapter->fetch_candles(page_request("HTTP"), ctx); });
  EXPECT_EQ(e.code(), AdapterErrorCode::UpstreamUnavailable) << e.what();
  EXPECT_HAS(e.what(), "MDP_E_UPSTREAM_UNAVAILABLE: upstream timed out after ");
  EXPECT_HAS(e.what(), " ms: response deadline passed");
  EXPECT_EQ(std::string(e.what()).find("upstream timed out after 0 ms"), std::string::npos) << e.what();

  // The caller's own deadline passed during the exchange: the call timed out.
  FakeUpstream late;
  late.result = failure(UpstreamFailure::Timeout, "response deadline passed");
  late.on_send = [] { std::this_thread::sleep_for(std::chrono::milliseconds(120)); };
  auto adapter2 = make_adapter("good", late);
  auto short_ctx = CallContext::with_timeout(std::chrono::milliseconds(60));
  const AdapterError t = error_of([&] { adapter2->fetch_candles(page_request("HTTP"), short_ctx); });
  EXPECT_EQ(t.code(), AdapterErrorCode::Timeout) << t.what();
  EXPECT_HAS(t.what(), "MDP_E_TIMEOUT: timeout: response deadline passed");
}

TEST(PluginAdapter, TransportExceptionsNeverReachThePlugin) {
  FakeUpstream upstream;
  upstream.throw_on_send = true;
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  const AdapterError e = error_of([&] { adapter->fetch_candles(page_request("HTTP"), ctx); });
  EXPECT_EQ(e.code(), AdapterErrorCode::UpstreamUnavailable);
  EXPECT_HAS(e.what(), "host transport error: transport exploded");
}

TEST(PluginAdapter, ResponseMetadataIsValidatedLikeAnyOutput) {
  // The fixture copies content_type into quote_volume; a non-decimal is refused as bad output.
  FakeUpstream upstream;
  upstream.result = ok_response(200, "1", "application/json");
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  const AdapterError e = error_of([&] { adapter->fetch_candles(page_request("HTTP"), ctx); });
  EXPECT_EQ(e.code(), AdapterErrorCode::PluginBadOutput);
  EXPECT_HAS(e.what(), "row 0: field 'quote_volume' is not a canonical decimal: 'application/json'");
}

TEST(PluginAdapter, IsCancelledFollowsTheCallContext) {
  FakeUpstream upstream;
  upstream.result = ok_response(200, "1");
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  upstream.on_send = [&] { ctx.cancel(); };
  const AdapterError e = error_of([&] { adapter->fetch_candles(page_request("CANCEL"), ctx); });
  EXPECT_EQ(e.code(), AdapterErrorCode::Cancelled);
  EXPECT_HAS(e.what(), "fixture saw the cancellation");

  // Already cancelled: the plugin is not called at all.
  upstream.requests.clear();
  EXPECT_EQ(error_of([&] { adapter->fetch_candles(page_request("HTTP"), ctx); }).code(), AdapterErrorCode::Cancelled);
  EXPECT_EQ(error_of([&] { adapter->list_symbols(ctx); }).code(), AdapterErrorCode::Cancelled);
  EXPECT_TRUE(upstream.requests.empty());
}

TEST(PluginAdapter, NowMsComesFromTheInjectedClock) {
  FakeUpstream upstream;
  AdapterOptions options;
  options.clock = [] { return std::int64_t{1'234'567}; };
  auto adapter = make_adapter("good", upstream, options);
  auto ctx = context();
  const auto page = adapter->fetch_candles(page_request("CLOCK"), ctx);
  ASSERT_EQ(page.candles.size(), 1u);
  EXPECT_EQ(page.candles[0].trades, 1'234'567);

  auto system = make_adapter("good", upstream);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto t = system->fetch_candles(page_request("CLOCK"), ctx).candles.at(0).trades.value();
  EXPECT_LE(std::abs(t - now), 5'000);
}

TEST(PluginAdapter, LogsThePluginsLinesAndABreadcrumbBeforeEachCall) {
  LogCapture logs({"plugin.good", "plugins"});
  FakeUpstream upstream;
  auto adapter = make_adapter("good", upstream);
  auto ctx = context();
  adapter->list_symbols(ctx);
  adapter->fetch_candles(page_request("BTCUSDT"), ctx);
  EXPECT_TRUE(logs.channel().contains("plugin.good|6|fixture good created"));
  EXPECT_TRUE(logs.channel().contains("plugins|7|calling plugin=good op=create"));
  EXPECT_TRUE(logs.channel().contains("plugins|7|calling plugin=good op=list_symbols"));
  EXPECT_TRUE(logs.channel().contains("plugins|7|calling plugin=good op=fetch_candles"));
  EXPECT_EQ(current_plugin_call(), nullptr);  // only set while a plugin call runs
}

// ------------------------------------------------------------------ faults inside plugins (P6, P7)

TEST(PluginAdapter, ExceptionsInsideThePluginBecomePluginErrorsAndTheNextCallWorks) {
  FakeUpstream upstream;
  auto adapter = make_adapter("throws", upstream);
  auto ctx = context();
  AdapterError e = error_of([&] { adapter->fetch_candles(page_request("runtime_error"), ctx); });
  EXPECT_EQ(e.code(), AdapterErrorCode::PluginError);
  EXPECT_HAS(e.what(), "plugin 'throws' fetch_candles: MDP_E_INTERNAL: fixture exploded in fetch_candles");
  e = error_of([&] { adapter->fetch_candles(page_request("int"), ctx); });
  EXPECT_EQ(e.code(), AdapterErrorCode::PluginError);
  EXPECT_HAS(e.what(), "MDP_E_INTERNAL: unknown exception");
  e = error_of([&] { adapter->fetch_candles(page_request("bad_alloc"), ctx); });
  EXPECT_HAS(e.what(), "MDP_E_INTERNAL: out of memory");
  e = error_of([&] { adapter->list_symbols(ctx); });
  EXPECT_HAS(e.what(), "plugin 'throws' list_symbols: MDP_E_INTERNAL: fixture list_symbols always throws");
  // The host is alive and the plugin still serves.
  const auto page = adapter->fetch_candles(page_request("fine"), ctx);
  ASSERT_EQ(page.candles.size(), 1u);
  EXPECT_EQ(page.candles[0].open, "7");
}

TEST(PluginAdapter, UnknownStatusIsAPluginError) {
  FakeUpstream upstream;
  auto adapter = make_adapter("unknown_status", upstream);
  auto ctx = context();
  const AdapterError e = error_of([&] { adapter->fetch_candles(page_request("BTCUSDT"), ctx); });
  EXPECT_EQ(e.code(), AdapterErrorCode::PluginError);
  EXPECT_HAS(e.what(), "returned unknown status 99: fixture status from the future");
}

struct BadOutputCase {
  const char* id;
  bool symbols;  // list_symbols instead of fetch_candles
  const char* message;
};

void PrintTo(const BadOutputCase& c, std::ostream* os) { *os << c.id; }

class BadOutput : public ::testing::TestWithParam<BadOutputCase> {};

TEST_P(BadOutput, WholeResultIsDiscardedWithARowAndFieldNamed) {
  const BadOutputCase& c = GetParam();
  FakeUpstream upstream;
  auto adapter = make_adapter(c.id, upstream);
  auto ctx = context();
  const AdapterError e = error_of([&] {
    if (c.symbols) {
      adapter->list_symbols(ctx);
    } else {
      adapter->fetch_candles(page_request("BTCUSDT", 10, 10), ctx);
    }
  });
  EXPECT_EQ(e.code(), AdapterErrorCode::PluginBadOutput) << e.what();
  EXPECT_HAS(e.what(), c.message);
  // The host keeps serving: the well-formed operation of the same plugin still works.
  if (c.symbols) {
    EXPECT_EQ(adapter->fetch_candles(page_request("BTCUSDT", 10, 10), ctx).candles.size(), 10u);
  } else {
    EXPECT_EQ(adapter->list_symbols(ctx).size(), 2u);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, BadOutput,
    ::testing::Values(
        BadOutputCase{"malformed_decimal", false, "row 1: field 'close' is not a canonical decimal: '100.50'"},
        BadOutputCase{"out_of_order", false, "row 2: open_time_ms 1700000100000 is not after the previous row's "
                                             "1700000160000 (rows must be strictly ascending)"},
        BadOutputCase{"small_stride", false, "emit: row_stride 44 is smaller than the 84 bytes of an ABI 1.0 mdp_candle"},
        BadOutputCase{"long_string", true,
                      "row 1: field 'symbol' is too long or not NUL-terminated (cap 256 bytes)"}),
    [](const ::testing::TestParamInfo<BadOutputCase>& param) { return std::string(param.param.id); });

TEST(PluginAdapter, DestroyRunsWhenTheAdapterGoes) {
  LogCapture logs({"plugin.good"});
  FakeUpstream upstream;
  auto adapter = make_adapter("good", upstream);
  EXPECT_FALSE(logs.channel().contains("fixture good destroyed"));
  adapter.reset();
  EXPECT_TRUE(logs.channel().contains("fixture good destroyed"));
}

// ------------------------------------------------------------------ deadlines (P8)

namespace {

CallContext short_context(int ms) { return CallContext::with_timeout(std::chrono::milliseconds(ms)); }

// Waits (bounded) until the abandoned calls of `adapter` have returned.
void wait_unstuck(const PluginAdapter& adapter) {
  for (int i = 0; i < 300 && adapter.stuck_calls() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace

TEST(PluginAdapter, ABlockedCallFailsAtItsDeadlineAndTheHostMovesOn) {
  FakeUpstream upstream;
  AdapterOptions options;
  options.abandon_grace = std::chrono::milliseconds(50);
  auto adapter = make_adapter("good", upstream, options);
  auto ctx = short_context(100);
  const auto started = std::chrono::steady_clock::now();
  const AdapterError e = error_of([&] { adapter->fetch_candles(page_request("HANG"), ctx); });
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(e.code(), AdapterErrorCode::Timeout);
  EXPECT_HAS(e.what(), "plugin 'good' fetch_candles: did not return within 50 ms of its deadline; abandoned (1 stuck)");
  EXPECT_LT(waited, std::chrono::milliseconds(1000));  // the plugin sleeps 1500 ms
  EXPECT_EQ(adapter->stuck_calls(), 1u);
  // Other calls keep working while it is stuck.
  auto fresh = context();
  EXPECT_EQ(adapter->list_symbols(fresh).size(), 2u);
  wait_unstuck(*adapter);
  EXPECT_EQ(adapter->stuck_calls(), 0u);
}

TEST(PluginAdapter, StuckCallsAreCappedThenThePluginFailsFast) {
  FakeUpstream upstream;
  AdapterOptions options;
  options.abandon_grace = std::chrono::milliseconds(20);
  options.max_stuck_calls = 1;
  auto adapter = make_adapter("good", upstream, options);
  auto ctx = short_context(50);
  EXPECT_EQ(error_of([&] { adapter->fetch_candles(page_request("HANG"), ctx); }).code(), AdapterErrorCode::Timeout);
  auto fresh = context();
  const auto started = std::chrono::steady_clock::now();
  const AdapterError e = error_of([&] { adapter->list_symbols(fresh); });
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(100));
  EXPECT_EQ(e.code(), AdapterErrorCode::PluginError);
  EXPECT_HAS(e.what(), "plugin is unhealthy: 1 earlier calls are still running past their deadline");
  wait_unstuck(*adapter);
  EXPECT_EQ(adapter->list_symbols(fresh).size(), 2u);  // healthy again once it returned
}

TEST(PluginAdapter, ACooperativePluginStopsWhenTheDeadlinePasses) {
  FakeUpstream upstream;
  auto adapter = make_adapter("good", upstream);
  auto ctx = short_context(100);
  const AdapterError e = error_of([&] { adapter->fetch_candles(page_request("COOP"), ctx); });
  // It noticed is_cancelled and returned MDP_E_CANCELLED itself; past the deadline that is a timeout.
  EXPECT_EQ(e.code(), AdapterErrorCode::Timeout);
  EXPECT_HAS(e.what(), "MDP_E_CANCELLED: fixture noticed the cancellation");
  EXPECT_EQ(adapter->stuck_calls(), 0u);

  // Cancelled by the caller (not the deadline): Cancelled.
  auto long_ctx = context();
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    long_ctx.cancel();
  });
  const AdapterError c = error_of([&] { adapter->fetch_candles(page_request("COOP"), long_ctx); });
  canceller.join();
  EXPECT_EQ(c.code(), AdapterErrorCode::Cancelled);
}

// Issue 8, "Plugin faults": whatever one plugin does wrong, another exchange's plugin in the
// same process keeps serving, including while the faulty call is still stuck.
struct FaultyPluginCase {
  const char* id;
  const char* native;  // the symbol that triggers the fault
  AdapterErrorCode code;
  bool blocks;  // the call outlives its deadline (P8)
};

void PrintTo(const FaultyPluginCase& c, std::ostream* os) { *os << c.id << "/" << c.native; }

class FaultyPlugin : public ::testing::TestWithParam<FaultyPluginCase> {};

TEST_P(FaultyPlugin, OtherExchangesKeepServing) {
  const FaultyPluginCase& c = GetParam();
  FakeUpstream faulty_upstream;
  FakeUpstream other_upstream;
  AdapterOptions options;
  options.abandon_grace = std::chrono::milliseconds(50);
  auto faulty = make_adapter(c.id, faulty_upstream, options);
  auto other = make_adapter("big_table", other_upstream);  // a second, well-behaved exchange
  auto ctx = c.blocks ? CallContext::with_timeout(std::chrono::milliseconds(100)) : context();
  const AdapterError e = error_of([&] { faulty->fetch_candles(page_request(c.native, 10, 10), ctx); });
  EXPECT_EQ(e.code(), c.code) << e.what();
  EXPECT_HAS(e.what(), std::string("plugin '") + c.id + "' fetch_candles: ");
  if (c.blocks) {
    EXPECT_EQ(faulty->stuck_calls(), 1u);  // still running inside the plugin
  }

  auto fresh = context();
  EXPECT_EQ(other->fetch_candles(page_request("BTCUSDT", 10, 10), fresh).candles.size(), 10u);
  EXPECT_EQ(other->list_symbols(fresh).size(), 2u);
  wait_unstuck(*faulty);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, FaultyPlugin,
    ::testing::Values(FaultyPluginCase{"throws", "runtime_error", AdapterErrorCode::PluginError, false},
                      FaultyPluginCase{"throws", "bad_alloc", AdapterErrorCode::PluginError, false},
                      FaultyPluginCase{"unknown_status", "BTCUSDT", AdapterErrorCode::PluginError, false},
                      FaultyPluginCase{"malformed_decimal", "BTCUSDT", AdapterErrorCode::PluginBadOutput, false},
                      FaultyPluginCase{"out_of_order", "BTCUSDT", AdapterErrorCode::PluginBadOutput, false},
                      FaultyPluginCase{"good", "HANG", AdapterErrorCode::Timeout, true}),
    [](const ::testing::TestParamInfo<FaultyPluginCase>& param) {
      return std::string(param.param.id) + "_" + param.param.native;
    });

TEST(PluginAdapter, AnAdapterWithAStuckCallIsNotDestroyedUnderIt) {
  TempDir dir;
  const std::string path = dir.add_fixture("good", "good");
  LogCapture logs({"plugin.good", "plugins"});
  FakeUpstream upstream;
  AdapterOptions options;
  options.abandon_grace = std::chrono::milliseconds(20);
  auto adapter = PluginAdapter::create(PluginLibrary::open(dir.path(), "good"), {}, upstream, options);
  auto ctx = short_context(30);
  EXPECT_EQ(error_of([&] { adapter->fetch_candles(page_request("HANG"), ctx); }).code(), AdapterErrorCode::Timeout);
  adapter.reset();
  EXPECT_TRUE(logs.channel().contains("not destroyed, 1 abandoned calls are still running"));
  EXPECT_FALSE(logs.channel().contains("fixture good destroyed"));
  EXPECT_TRUE(is_loaded(path));  // the running call keeps its library
  EXPECT_TRUE(becomes_unloaded(path));  // closed once the call returned
}

TEST(PluginAdapter, AnAbandonedCallNeverReachesTheTransportAfterTheAdapterWent) {
  TempDir dir;
  const std::string path = dir.add_fixture("good", "good");
  auto upstream = std::make_unique<FakeUpstream>();
  upstream->result = ok_response(200, "1");
  AdapterOptions options;
  options.abandon_grace = std::chrono::milliseconds(20);
  auto adapter = PluginAdapter::create(PluginLibrary::open(dir.path(), "good"), {}, *upstream, options);
  auto ctx = short_context(30);
  EXPECT_EQ(error_of([&] { adapter->fetch_candles(page_request("LATE"), ctx); }).code(), AdapterErrorCode::Timeout);
  adapter.reset();                          // e.g. shutdown: the registry goes first...
  EXPECT_TRUE(becomes_unloaded(path));      // ...the late call ran its http_send and returned
  EXPECT_TRUE(upstream->requests.empty());  // without reaching the transport
  upstream.reset();                         // ...then the transport goes
}

TEST(PluginAdapter, CallsCanRunOnTheCallersThreadWhenIsolationIsOff) {
  FakeUpstream upstream;
  AdapterOptions options;
  options.isolate_calls = false;
  auto adapter = make_adapter("good", upstream, options);
  auto ctx = context();
  EXPECT_EQ(adapter->fetch_candles(page_request("BTCUSDT", 5, 10), ctx).candles.size(), 5u);
  auto short_ctx = short_context(50);
  EXPECT_EQ(error_of([&] { adapter->fetch_candles(page_request("COOP"), short_ctx); }).code(),
            AdapterErrorCode::Timeout);
}

TEST(PluginAdapter, ConcurrentCallsOnOneInstance) {
  FakeUpstream upstream;
  auto adapter = make_adapter("good", upstream);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto ctx = context();
        if (adapter->fetch_candles(page_request("BTCUSDT", 10, 10), ctx).candles.size() == 10 &&
            adapter->list_symbols(ctx).size() == 2) {
          ++ok;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 200);
}
