// The response cache behind the real routes, over real HTTP (ApiTestHost: PostgreSQL, the
// real binance_futures plugin, FakeExchangeServer): a closed candle range is served again
// byte for byte without an upstream request; open ranges, include_open and errors never
// are; /v1/symbols pages live for the metadata TTL (an injected clock, no sleeps) and a
// sync of this process drops them at once; cache.max_bytes = 0 turns it off.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ApiTestSupport.hpp"
#include "ApiWiring.hpp"
#include "GeneratedKlines.hpp"
#include "ResponseCache.hpp"
#include "StorageTestSupport.hpp"

namespace mdp::api::test {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

const std::string kBtc = "/v1/candles?exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT&interval=1h";
const std::string kJanuary = kBtc + "&start=2024-01-01T00:00:00Z&end=2024-01-31T00:00:00Z";

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ResponseCacheHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    app::AppConfig config;
    config.cache_max_bytes = max_bytes();
    cache_ = config.cache_max_bytes > 0
                 ? std::make_shared<ResponseCache>(static_cast<std::size_t>(config.cache_max_bytes),
                                                   [this] { return SteadyClock::time_point{} + clock_ms_.load() * 1ms; })
                 : app::make_response_cache(config);
    HostOptions options;
    options.config = config;
    options.response_cache = cache_;
    try {
      host_ = std::make_unique<ApiTestHost>(options);
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    klines_ = serve_generated_klines(host_->exchange());
  }
  virtual int max_bytes() { return 64 * 1024 * 1024; }

  std::size_t upstream() const { return host_->klines_requests().size(); }

  std::atomic<std::int64_t> clock_ms_{3'600'000};
  std::shared_ptr<ResponseCache> cache_;
  std::unique_ptr<ApiTestHost> host_;
  fake::RouteId klines_ = -1;
};

TEST_F(ResponseCacheHttp, AClosedRangeIsServedAgainByteForByteWithoutGoingUpstream) {
  const HttpResult first = host_->get(kJanuary);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::size_t fetched = upstream();
  ASSERT_GE(fetched, 1u);
  EXPECT_EQ(*first.header("cache-control"), "private, max-age=600");

  const HttpResult second = host_->get(kJanuary);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.body, first.body) << "byte-identical to the uncached response";
  EXPECT_EQ(upstream(), fetched) << "a hit makes no upstream request";
  EXPECT_EQ(*second.header("content-type"), *first.header("content-type"));
  EXPECT_EQ(*second.header("cache-control"), *first.header("cache-control"));
  EXPECT_EQ(*second.header("content-length"), std::to_string(first.body.size()));
  ASSERT_TRUE(second.header("x-request-id"));
  EXPECT_NE(*second.header("x-request-id"), *first.header("x-request-id")) << "per-request headers stay per request";
  EXPECT_EQ(cache_->entries(), 1u);
}

TEST_F(ResponseCacheHttp, CsvAndJsonAndEachSpellingOfTheParametersAreTheirOwnEntries) {
  const HttpResult json = host_->get(kJanuary);
  const HttpResult csv = host_->get(kJanuary, As::Market, {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body, json.body);
  EXPECT_EQ(*csv.header("content-type"), "text/csv; charset=utf-8");
  const std::size_t fetched = upstream();

  const HttpResult csv_again = host_->get(kJanuary + "&format=csv");
  EXPECT_EQ(csv_again.body, csv.body);
  ASSERT_TRUE(csv_again.header("content-disposition"));
  EXPECT_EQ(*csv_again.header("content-disposition"), *csv.header("content-disposition"));
  // The same range in milliseconds is the same request.
  const HttpResult millis = host_->get(kBtc + "&start=1704067200000&end=1706659200000");
  EXPECT_EQ(millis.body, json.body);
  EXPECT_EQ(upstream(), fetched);
  // A different range or limit is not.
  const HttpResult limited = host_->get(kJanuary + "&limit=24");
  ASSERT_EQ(limited.status, 200) << limited.body;
  EXPECT_NE(limited.body, json.body);
  EXPECT_GT(upstream(), fetched);
}

TEST_F(ResponseCacheHttp, OpenRangesAndIncludeOpenAreNeverCached) {
  const std::int64_t hour = 3'600'000;
  const std::int64_t current_hour = now_ms() / hour * hour;
  const std::vector<std::string> targets = {
      kBtc + "&start=" + std::to_string(current_hour - 3 * hour),                                  // end = now
      kBtc + "&start=" + std::to_string(current_hour - 3 * hour) + "&end=" + std::to_string(current_hour + hour),
      kBtc + "&start=" + std::to_string(current_hour - 3 * hour) + "&limit=10",                    // reaches now
      kJanuary + "&include_open=true",
  };
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    const HttpResult first = host_->get(target);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(*first.header("cache-control"), "private, no-cache");
    const std::size_t fetched = upstream();
    ASSERT_EQ(host_->get(target).status, 200);
    EXPECT_GT(upstream(), fetched) << "served from upstream again";
  }
  EXPECT_EQ(cache_->entries(), 0u);

  // A range ending exactly at the open time of the in-progress candle is closed.
  const std::string closed = kBtc + "&start=" + std::to_string(current_hour - 3 * hour) + "&end=" +
                             std::to_string(current_hour);
  ASSERT_EQ(host_->get(closed).status, 200);
  const std::size_t fetched = upstream();
  ASSERT_EQ(host_->get(closed).status, 200);
  EXPECT_EQ(upstream(), fetched);
}

TEST_F(ResponseCacheHttp, ErrorsAreNeverCached) {
  host_->exchange().set_generator(klines_, nullptr);
  host_->exchange().set_default(klines_, fake::FakeResponse::json(R"({"msg":"down"})", 503));
  expect_problem(host_->get(kJanuary), 502, "upstream-unavailable");
  EXPECT_EQ(cache_->entries(), 0u);
  const std::size_t failed = upstream();

  host_->exchange().set_default(klines_, fake::FakeResponse::json("[]"));
  host_->exchange().set_generator(klines_, generated_klines);
  const HttpResult healthy = host_->get(kJanuary);
  ASSERT_EQ(healthy.status, 200) << healthy.body;
  EXPECT_GT(upstream(), failed) << "the failure was not served again";
  EXPECT_EQ(json_object(healthy)->getArray("candles")->size(), 720u);

  // Refused parameters are not cached either (and never reach the cache's key space).
  expect_problem(host_->get(kBtc + "&start=2024-01-02&end=2024-01-01"), 400, "bad-request");
  expect_problem(host_->get("/v1/candles?exchange=binance_futures&symbol=NOPE%2FUSDT&interval=1h&start=2024-01-01&end=2024-01-02"),
                 404, "not-found");
  EXPECT_EQ(cache_->entries(), 1u);
}

TEST_F(ResponseCacheHttp, SymbolsPagesLiveForTheMetadataTtlAndASyncDropsThemAtOnce) {
  const std::string target = "/v1/symbols?exchange=binance_futures&status=all&limit=1000";
  const std::string everywhere = "/v1/symbols?status=all&limit=1000";
  const HttpResult first = host_->get(target);
  ASSERT_EQ(first.status, 200) << first.body;
  const HttpResult first_everywhere = host_->get(everywhere);
  ASSERT_EQ(first_everywhere.status, 200) << first_everywhere.body;

  // A sync this process commits drops the pages at once (no clock change).
  std::string body = fake::FakeResponse::file(binance_fixture_path("exchangeInfo_all_kinds.json")).body;
  const std::string tick = "\"tickSize\": \"0.10\"";
  ASSERT_NE(body.find(tick), std::string::npos) << "fixture changed: adapt this test";
  body.replace(body.find(tick), tick.size(), "\"tickSize\": \"0.20\"");
  host_->exchange().set_default(host_->exchange_info_route(), fake::FakeResponse::json(body));
  const domain::SyncRunSummary summary = host_->sync(kBinance);
  ASSERT_EQ(summary.outcome, "succeeded") << summary.error.value_or("");
  const HttpResult synced = host_->get(target);
  EXPECT_NE(synced.body, first.body);
  EXPECT_NE(synced.body.find("\"0.2\""), std::string::npos) << synced.body.substr(0, 600);
  EXPECT_NE(host_->get(everywhere).body, first_everywhere.body) << "a listing over every exchange is dropped too";

  // Written behind the cache's back (another process's sync): served stale within the TTL.
  domain::Symbol extra = storage::test::make_symbol("ZZZ", "USDT", domain::MarketType::Perpetual);
  extra.exchange = kBinance;
  extra.native_symbol = "ZZZUSDT";
  host_->store_symbol(extra);
  EXPECT_EQ(host_->get(target).body, synced.body);
  clock_ms_ += 999;
  EXPECT_EQ(host_->get(target).body, synced.body);
  clock_ms_ += 1;
  EXPECT_NE(host_->get(target).body.find("ZZZUSDT"), std::string::npos) << "read again after cache.metadata_ttl_ms";
}

TEST_F(ResponseCacheHttp, ThreadsOnTheSameAndDifferentRangesGetTheSameBytes) {
  const std::vector<std::string> targets = {kJanuary, kBtc + "&start=2024-02-01&end=2024-02-10",
                                            kBtc + "&start=2024-03-01&end=2024-03-02&format=csv"};
  std::vector<std::string> expected;
  for (const auto& target : targets) expected.push_back(host_->get(target).body);
  const std::size_t fetched = upstream();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::size_t which = static_cast<std::size_t>(t + i) % targets.size();
        const HttpResult result = host_->get(targets[which]);
        if (result.status != 200 || result.body != expected[which]) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(upstream(), fetched);
}

class ResponseCacheOff : public ResponseCacheHttp {
 protected:
  int max_bytes() override { return 0; }
};

TEST_F(ResponseCacheOff, MaxBytesZeroServesEveryRequestFromUpstream) {
  const HttpResult first = host_->get(kJanuary);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::size_t fetched = upstream();
  const HttpResult second = host_->get(kJanuary);
  EXPECT_EQ(second.body, first.body);
  EXPECT_GT(upstream(), fetched);
  EXPECT_EQ(*second.header("cache-control"), "private, max-age=600") << "a closed range is still closed";
  EXPECT_FALSE(cache_->enabled());
}

}  // namespace
}  // namespace mdp::api::test
