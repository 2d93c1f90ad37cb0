#include "CandleService.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "Interval.hpp"

namespace mdp::service {
namespace {

constexpr std::int64_t kMinute = 60'000;

// A fake exchange with one candle per minute (optionally with holes), a page cap, and
// knobs for the failure modes the service must not hide.
class FakeExchange : public domain::ExchangeAdapter {
 public:
  explicit FakeExchange(std::uint32_t cap) {
    descriptor_.id = "fake";
    descriptor_.intervals = {{"1m", "1m", cap}, {"1h", "1h", cap}};
  }
  const domain::ExchangeDescriptor& descriptor() const override { return descriptor_; }
  std::vector<domain::Symbol> list_symbols(const domain::CallContext&) override { return {}; }
  domain::CandlePage fetch_candles(const domain::CandlePageRequest& r, const domain::CallContext&) override {
    const int call = calls.fetch_add(1);
    if (gather_pages > 0) gather(call);
    if (fail_on_call >= 0 && call == fail_on_call) {
      throw domain::AdapterError(domain::AdapterErrorCode::UpstreamUnavailable, "HTTP 502");
    }
    domain::CandlePage page;
    std::int64_t open = r.start_ms;
    std::uint32_t limit = short_pages ? r.max_rows / 2 : r.max_rows;
    while (open < r.end_ms && page.candles.size() < limit) {
      if (open % (7 * kMinute) != 0 || !holes) {
        domain::Candle c;
        c.open_time_ms = open;
        c.close_time_ms = open + kMinute - 1;
        c.open = c.high = c.low = c.close = "1";
        c.volume = "2";
        c.closed = open + kMinute <= now_ms;
        page.candles.push_back(c);
      }
      open += kMinute;
    }
    if (open < r.end_ms) page.next_start_ms = open;
    if (overlap && r.start_ms > kMinute) {  // repeat the previous bucket: the service must dedupe
      domain::Candle c = page.candles.front();
      c.open_time_ms -= kMinute;
      c.close_time_ms -= kMinute;
      page.candles.insert(page.candles.begin(), c);
    }
    return page;
  }

  domain::ExchangeDescriptor descriptor_;
  std::atomic<int> calls{0};
  int fail_on_call = -1;
  bool short_pages = false;
  bool holes = false;
  bool overlap = false;
  std::int64_t now_ms = INT64_MAX;

  // With gather_pages > 0, a call waits until gather_pages calls are in flight together (or
  // every one of expected_calls has arrived), so max_in_flight is exactly the service's
  // concurrency, with no timing involved. The wait's cap only turns a hang into a failure.
  int gather_pages = 0;
  int expected_calls = 0;
  int max_in_flight = 0;

 private:
  void gather(int call) {
    std::unique_lock<std::mutex> lock(gather_mutex_);
    ++in_flight_;
    ++started_;
    max_in_flight = std::max(max_in_flight, in_flight_);
    gathered_.notify_all();
    const bool together = gathered_.wait_for(lock, std::chrono::seconds(20), [&] {
      return in_flight_ >= gather_pages || started_ >= expected_calls || released_;
    });
    if (!together) ADD_FAILURE() << "call " << call << ": fewer pages in flight than expected";
    released_ = released_ || in_flight_ >= gather_pages;  // this wave goes; later calls gather again
    --in_flight_;
    if (in_flight_ == 0) released_ = false;
  }

  std::mutex gather_mutex_;
  std::condition_variable gathered_;
  int in_flight_ = 0;
  int started_ = 0;
  bool released_ = false;
};

domain::CallContext context() { return domain::CallContext::with_timeout(std::chrono::seconds(10)); }

TEST(CandleService, AssemblesTenThousandMinutesFromSevenPages) {
  FakeExchange exchange(1500);
  CandleService service(CandleServiceLimits{});
  const std::int64_t start = 1'700'000'040'000;
  const auto ctx = context();
  const auto series = service.fetch(exchange, {"BTCUSDT", "1m", start, start + 10'000 * kMinute, false}, ctx);
  ASSERT_EQ(series.candles.size(), 10'000u);
  EXPECT_EQ(exchange.calls.load(), 7);
  for (std::size_t i = 0; i < series.candles.size(); ++i) {
    ASSERT_EQ(series.candles[i].open_time_ms, start + static_cast<std::int64_t>(i) * kMinute);
  }
}

TEST(CandleService, FollowsContinuationWhenAPluginStopsEarly) {
  FakeExchange exchange(1000);
  exchange.short_pages = true;
  CandleService service(CandleServiceLimits{});
  const auto ctx = context();
  const auto series = service.fetch(exchange, {"X", "1m", 0, 3000 * kMinute, false}, ctx);
  EXPECT_EQ(series.candles.size(), 3000u);
  EXPECT_EQ(exchange.calls.load(), 6);
}

TEST(CandleService, OverlappingPagesAreDeduplicated) {
  FakeExchange exchange(100);
  exchange.overlap = true;
  CandleService service(CandleServiceLimits{});
  const auto ctx = context();
  const auto series = service.fetch(exchange, {"X", "1m", 0, 500 * kMinute, false}, ctx);
  ASSERT_EQ(series.candles.size(), 500u);
  for (std::size_t i = 1; i < series.candles.size(); ++i) {
    ASSERT_LT(series.candles[i - 1].open_time_ms, series.candles[i].open_time_ms);
  }
}

TEST(CandleService, GapsStayGapsAndAreNotInvented) {
  FakeExchange exchange(100);
  exchange.holes = true;
  CandleService service(CandleServiceLimits{});
  const auto ctx = context();
  const auto series = service.fetch(exchange, {"X", "1m", 0, 70 * kMinute, false}, ctx);
  EXPECT_EQ(series.candles.size(), 60u);
}

TEST(CandleService, AFailedPageFailsTheWholeQuery) {
  FakeExchange exchange(1500);
  exchange.fail_on_call = 3;
  CandleService service(CandleServiceLimits{});
  const auto ctx = context();
  try {
    service.fetch(exchange, {"X", "1m", 0, 10'000 * kMinute, false}, ctx);
    FAIL() << "expected the page failure to surface";
  } catch (const domain::AdapterError& e) {
    EXPECT_EQ(e.code(), domain::AdapterErrorCode::UpstreamUnavailable);
  }
}

TEST(CandleService, OpenCandleOnlyWhenAsked) {
  FakeExchange exchange(100);
  exchange.now_ms = 10 * kMinute + 30'000;  // the 11th candle is in progress
  CandleService service(CandleServiceLimits{});
  const auto ctx = context();
  EXPECT_EQ(service.fetch(exchange, {"X", "1m", 0, 11 * kMinute, false}, ctx).candles.size(), 10u);
  const auto with_open = service.fetch(exchange, {"X", "1m", 0, 11 * kMinute, true}, ctx);
  ASSERT_EQ(with_open.candles.size(), 11u);
  EXPECT_FALSE(with_open.candles.back().closed);
}

TEST(CandleService, PagesInFlightFollowTheExchangesOwnConcurrency) {
  // 10,000 minutes at 1500 per page = 7 pages; Binance-like: all 7 at once when the
  // exchange's own value is 8, while the default (2) applies to any other exchange.
  auto max_in_flight = [](CandleServiceLimits limits, int expect) {
    FakeExchange exchange(1500);
    exchange.gather_pages = expect;
    exchange.expected_calls = 7;
    const CandleService service(std::move(limits));
    EXPECT_EQ(service.fetch(exchange, {"X", "1m", 0, 10'000 * kMinute, false}, context()).candles.size(), 10'000u);
    EXPECT_EQ(exchange.calls.load(), 7);
    return exchange.max_in_flight;
  };
  CandleServiceLimits own;
  own.max_concurrent_pages = 2;
  own.concurrent_pages_by_exchange = {{"fake", 8}};
  EXPECT_EQ(max_in_flight(own, 7), 7);

  CandleServiceLimits other;
  other.max_concurrent_pages = 2;
  other.concurrent_pages_by_exchange = {{"binance_futures", 8}};
  EXPECT_EQ(max_in_flight(other, 2), 2);

  CandleServiceLimits three;
  three.concurrent_pages_by_exchange = {{"fake", 3}};
  EXPECT_EQ(max_in_flight(three, 3), 3);
}

TEST(CandleService, ConcurrencyIsAtLeastOnePage) {
  CandleServiceLimits limits;
  limits.max_concurrent_pages = 0;
  limits.concurrent_pages_by_exchange = {{"zero", 0}, {"five", 5}};
  EXPECT_EQ(limits.concurrent_pages_for("zero"), 1u);
  EXPECT_EQ(limits.concurrent_pages_for("five"), 5u);
  EXPECT_EQ(limits.concurrent_pages_for("unlisted"), 1u);
}

TEST(CandleService, RefusesBeforeAnyUpstreamRequest) {
  FakeExchange exchange(1500);
  CandleService service(CandleServiceLimits{10'000, 64, 4, {}});
  const auto ctx = context();
  using Kind = CandleQueryError::Kind;
  auto kind_of = [&](const CandleQuery& q) {
    try {
      service.fetch(exchange, q, ctx);
    } catch (const CandleQueryError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "no refusal";
    return Kind::EmptyRange;
  };
  EXPECT_EQ(kind_of({"X", "6h", 0, kMinute, false}), Kind::UnsupportedInterval);
  EXPECT_EQ(kind_of({"X", "2m", 0, kMinute, false}), Kind::UnsupportedInterval);
  EXPECT_EQ(kind_of({"X", "1m", 5, 5, false}), Kind::EmptyRange);
  EXPECT_EQ(kind_of({"X", "1m", 0, 10'001 * kMinute, false}), Kind::TooManyRows);
  EXPECT_EQ(exchange.calls.load(), 0);
}

TEST(CandleService, UnsupportedIntervalMessageListsTheSupportedOnes) {
  FakeExchange exchange(1500);
  CandleService service(CandleServiceLimits{});
  const auto ctx = context();
  try {
    service.fetch(exchange, {"X", "6h", 0, kMinute, false}, ctx);
    FAIL();
  } catch (const CandleQueryError& e) {
    EXPECT_NE(std::string(e.what()).find("1m, 1h"), std::string::npos) << e.what();
  }
}

TEST(CandleService, TooManyPagesIsRefused) {
  FakeExchange exchange(10);
  CandleService service(CandleServiceLimits{10'000, 5, 4, {}});
  const auto ctx = context();
  EXPECT_THROW(service.fetch(exchange, {"X", "1m", 0, 60 * kMinute, false}, ctx), CandleQueryError);
  EXPECT_EQ(exchange.calls.load(), 0);
}

}  // namespace
}  // namespace mdp::service
