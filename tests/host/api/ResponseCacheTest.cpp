// ResponseCache on its own: hits share the stored body, the byte bound evicts the least
// recently used entry, entries expire on an injected clock (no sleeps), invalidation drops
// an exchange's and the unscoped entries and what was computed while it ran, max_bytes 0
// disables, and threads hitting the same and different keys see only whole entries.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ResponseCache.hpp"

namespace mdp::api {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::shared_ptr<const CachedResponse> entry(std::string body, std::string content_type = "application/json") {
  auto value = std::make_shared<CachedResponse>();
  value->status = 200;
  value->content_type = std::move(content_type);
  value->headers = {{"Cache-Control", "private, max-age=600"}};
  value->body = std::make_shared<const std::string>(std::move(body));
  return value;
}

// Bytes one entry made by entry() takes under `key` with scope "x".
std::size_t entry_bytes(const std::string& key, std::size_t body_size) {
  return ResponseCache::kEntryOverheadBytes + key.size() + 1 + std::string("application/json").size() + body_size +
         std::string("Cache-Control").size() + std::string("private, max-age=600").size();
}

struct ManualClock {
  Clock::time_point now = Clock::time_point{} + 1h;
  ResponseCache::Clock function() {
    return [this] { return now; };
  }
};

TEST(ResponseCache, AHitSharesTheStoredBodyAndHeaders) {
  ResponseCache cache(1 << 20, Clock::now, 1);
  const auto stored = entry(std::string(190'000, 'c'));
  cache.store("k", "x", stored, 10min, cache.generation());
  const auto hit = cache.find("k");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->body.get(), stored->body.get()) << "a hit copies a pointer, not the body";
  EXPECT_EQ(hit->status, 200);
  EXPECT_EQ(hit->content_type, "application/json");
  EXPECT_EQ(hit->headers, stored->headers);
  EXPECT_FALSE(cache.find("other"));
}

TEST(ResponseCache, ApplyToKeepsRequestHeadersAndSharesTheBody) {
  const auto stored = entry("{\"candles\":[]}", "text/csv; charset=utf-8");
  http::Response response("req-1");
  response.set_header("RateLimit-Remaining", "5");
  stored->apply_to(response);
  EXPECT_EQ(response.status(), 200);
  EXPECT_EQ(response.content_type(), "text/csv; charset=utf-8");
  ASSERT_TRUE(response.header("RateLimit-Remaining"));
  EXPECT_EQ(*response.header("Cache-Control"), "private, max-age=600");
  const http::Response& sent = response;
  EXPECT_EQ(&sent.body(), stored->body.get()) << "the response sends the cached buffer itself";
  response.body() += "x";  // writing into it copies first: the cached body never changes
  EXPECT_EQ(*stored->body, "{\"candles\":[]}");
  EXPECT_EQ(sent.body(), "{\"candles\":[]}x");
}

TEST(ResponseCache, CaptureMovesTheRenderedBodyWithoutChangingIt) {
  http::Response response("req-2");
  response.start_json(200) = "{\"symbols\":[]}";
  response.set_header("X-Next-Cursor", "abc");
  const auto captured = CachedResponse::capture(response);
  EXPECT_EQ(*captured->body, "{\"symbols\":[]}");
  EXPECT_EQ(static_cast<const http::Response&>(response).body(), "{\"symbols\":[]}") << "still this response's body";
  EXPECT_EQ(captured->headers, (http::HeaderList{{"X-Next-Cursor", "abc"}}));
  EXPECT_EQ(captured->content_type, "application/json");
}

TEST(ResponseCache, TheByteBoundEvictsTheLeastRecentlyUsedEntry) {
  const std::size_t one = entry_bytes("a", 1000);
  ResponseCache cache(3 * one, Clock::now, 1);
  cache.store("a", "x", entry(std::string(1000, 'a')), 10min, cache.generation());
  cache.store("b", "x", entry(std::string(1000, 'b')), 10min, cache.generation());
  cache.store("c", "x", entry(std::string(1000, 'c')), 10min, cache.generation());
  EXPECT_EQ(cache.entries(), 3u);
  EXPECT_EQ(cache.bytes(), 3 * one);
  ASSERT_TRUE(cache.find("a"));  // "b" is now the least recently used
  cache.store("d", "x", entry(std::string(1000, 'd')), 10min, cache.generation());
  EXPECT_TRUE(cache.find("a"));
  EXPECT_FALSE(cache.find("b")) << "evicted: least recently used";
  EXPECT_TRUE(cache.find("c"));
  EXPECT_TRUE(cache.find("d"));
  EXPECT_LE(cache.bytes(), 3 * one);
}

TEST(ResponseCache, ReplacingAKeyKeepsTheAccountingRight) {
  ResponseCache cache(1 << 20, Clock::now, 1);
  cache.store("a", "x", entry(std::string(5000, 'a')), 10min, cache.generation());
  cache.store("a", "x", entry(std::string(10, 'b')), 10min, cache.generation());
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.bytes(), entry_bytes("a", 10));
  EXPECT_EQ(*cache.find("a")->body, std::string(10, 'b'));
}

TEST(ResponseCache, AnEntryLargerThanAShardIsNotStored) {
  ResponseCache cache(4096, Clock::now, 1);
  cache.store("big", "x", entry(std::string(5000, 'x')), 10min, cache.generation());
  EXPECT_FALSE(cache.find("big"));
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(ResponseCache, EntriesExpireAfterTheirOwnTtl) {
  ManualClock clock;
  ResponseCache cache(1 << 20, clock.function());
  cache.store("short", "x", entry("s"), 1s, cache.generation());
  cache.store("long", "x", entry("l"), 10min, cache.generation());
  clock.now += 999ms;
  EXPECT_TRUE(cache.find("short"));
  clock.now += 1ms;
  EXPECT_FALSE(cache.find("short")) << "expired at exactly its TTL";
  EXPECT_TRUE(cache.find("long"));
  EXPECT_EQ(cache.entries(), 1u) << "an expired entry found is dropped";
  clock.now += 10min;
  EXPECT_FALSE(cache.find("long"));
}

TEST(ResponseCache, ZeroTtlIsNotStored) {
  ResponseCache cache(1 << 20);
  cache.store("k", "x", entry("b"), 0ms, cache.generation());
  EXPECT_FALSE(cache.find("k"));
}

TEST(ResponseCache, ZeroBytesDisablesIt) {
  ResponseCache cache(0);
  EXPECT_FALSE(cache.enabled());
  cache.store("k", "x", entry("b"), 10min, cache.generation());
  EXPECT_FALSE(cache.find("k"));
  EXPECT_EQ(cache.entries(), 0u);
}

TEST(ResponseCache, InvalidateDropsThatExchangeAndUnscopedEntriesOnly) {
  ResponseCache cache(1 << 20);
  cache.store("binance", "binance_futures", entry("1"), 10min, cache.generation());
  cache.store("all", "", entry("2"), 10min, cache.generation());
  cache.store("coinbase", "coinbase", entry("3"), 10min, cache.generation());
  cache.invalidate("binance_futures");
  EXPECT_FALSE(cache.find("binance"));
  EXPECT_FALSE(cache.find("all")) << "a listing over every exchange holds binance_futures too";
  EXPECT_TRUE(cache.find("coinbase"));
}

TEST(ResponseCache, AResponseComputedWhileAnInvalidationRanIsNotStored) {
  ResponseCache cache(1 << 20);
  const std::uint64_t before = cache.generation();  // the route reads the database after this
  cache.invalidate("binance_futures");              // a sync commits meanwhile
  cache.store("k", "binance_futures", entry("stale"), 10min, before);
  EXPECT_FALSE(cache.find("k"));
  cache.store("k", "binance_futures", entry("fresh"), 10min, cache.generation());
  EXPECT_TRUE(cache.find("k"));
}

TEST(ResponseCache, ConcurrentReadersAndWritersSeeWholeEntries) {
  // Small enough that the writers keep evicting; every hit must still be a whole entry.
  ResponseCache cache(64 * 1024, Clock::now, 4);
  constexpr int kThreads = 8;
  constexpr int kRounds = 4000;
  std::atomic<int> hits{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        // Half the traffic on one shared key, half on keys of its own.
        const int id = (i % 2 == 0) ? 0 : 1 + (t * kRounds + i) % 64;
        const std::string key = "key-" + std::to_string(id);
        const std::string body(static_cast<std::size_t>(100 + id), static_cast<char>('a' + id % 26));
        if (const auto hit = cache.find(key)) {
          ++hits;
          if (*hit->body != body) ++wrong;
        } else {
          cache.store(key, id % 3 == 0 ? "" : "binance_futures", entry(body), 10min, cache.generation());
        }
        if (t == 0 && i % 500 == 0) cache.invalidate("binance_futures");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(hits.load(), 0);
  EXPECT_LE(cache.bytes(), 64u * 1024u);
}

}  // namespace
}  // namespace mdp::api
