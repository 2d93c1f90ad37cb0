// HttpTransport against FakeExchangeServer on 127.0.0.1 (RELIABILITY.md §5.2). Every socket
// in this file is loopback.
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <atomic>
#include <thread>
#include <vector>

#include "BlackholeListener.hpp"
#include "FakeExchangeServer.hpp"
#include "FakeUpstream.hpp"
#include "HttpTransport.hpp"

using mdp::domain::CallContext;
using mdp::domain::UpstreamFailure;
using mdp::domain::UpstreamRequest;
using mdp::domain::UpstreamResult;
using mdp::fake::FakeExchangeServer;
using mdp::fake::FakeResponse;
using mdp::fake::RouteMatch;
using mdp::net::HttpTransport;
using mdp::net::ManualClock;
using mdp::net::TransportOptions;
using mdp::net::UpstreamConfig;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr const char* kExchange = mdp::net::test::kFakeExchange;
using mdp::net::test::config_for;
using mdp::net::test::get;

UpstreamResult send(HttpTransport& transport, const UpstreamRequest& request, milliseconds timeout = milliseconds(5000)) {
  CallContext context = CallContext::with_timeout(timeout);
  return transport.send(request, context);
}

milliseconds since(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
}

// A loopback port with nothing listening.
std::uint16_t closed_port() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  const auto port = socket.address().port();
  socket.close();
  return port;
}

}  // namespace

TEST(HttpTransport, GetReturnsStatusBodyAndLowerCasedHeaders) {
  FakeExchangeServer server;
  server.get("/api/v1/ping", FakeResponse::json(R"({"ok":true})").with_header("X-MBX-USED-WEIGHT-1M", "3"));
  HttpTransport transport({config_for(server)});
  const auto result = send(transport, get(server, "/api/v1/ping?x=1"));
  ASSERT_EQ(result.failure, UpstreamFailure::None) << result.message;
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, R"({"ok":true})");
  EXPECT_EQ(result.response.content_type, "application/json");
  EXPECT_EQ(result.response.retry_after_ms, -1);
  bool found = false;
  for (const auto& [name, value] : result.response.headers) {
    if (name == "x-mbx-used-weight-1m" && value == "3") found = true;
  }
  EXPECT_TRUE(found);
  const auto log = server.requests();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].query, "x=1");
  EXPECT_EQ(log[0].header("user-agent").value_or(""), "mdp-host/0.1");
}

TEST(HttpTransport, PluginHeadersAreSentButTheUserAgentIsOurs) {
  FakeExchangeServer server;
  server.get("/api/h", FakeResponse::json("{}"));
  HttpTransport transport({config_for(server)});
  UpstreamRequest request = get(server, "/api/h");
  request.headers = {{"Accept", "application/json"}, {"User-Agent", "plugin/1"}, {"user-agent", "plugin/2"}};
  ASSERT_EQ(send(transport, request).failure, UpstreamFailure::None);
  const auto log = server.requests();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].header("accept").value_or(""), "application/json");
  int agents = 0;
  for (const auto& [name, value] : log[0].headers) {
    if (name == "user-agent") {
      ++agents;
      EXPECT_EQ(value, "mdp-host/0.1");
    }
  }
  EXPECT_EQ(agents, 1);
}

TEST(HttpTransport, PostBodyReachesTheServer) {
  FakeExchangeServer server;
  RouteMatch match;
  match.method = "POST";
  match.path = "/api/info";
  match.body = {{"type", "candleSnapshot"}, {"req.coin", "BTC"}};
  const auto route = server.add_route(match, FakeResponse::json("[]"));
  HttpTransport transport({config_for(server)});
  UpstreamRequest request = get(server, "/api/info");
  request.method = "POST";
  request.body = R"({"type":"candleSnapshot","req":{"coin":"BTC","interval":"1h"}})";
  const auto result = send(transport, request);
  ASSERT_EQ(result.failure, UpstreamFailure::None) << result.message;
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(server.hits(route), 1u);
  EXPECT_EQ(server.requests()[0].header("content-type").value_or(""), "application/json");
}

TEST(HttpTransport, RequestsOutsideTheAllowlistNeverLeave) {
  FakeExchangeServer server;
  server.get("/other", FakeResponse::json("{}"));
  HttpTransport transport({config_for(server)});
  const std::string base = server.base_url();
  const std::string port = std::to_string(server.port());
  for (const std::string& url : {base + "/other", base + "/api/../other", base + "/api/%2e%2e/other",
                                 "http://user@127.0.0.1:" + port + "/api/x", "http://localhost:" + port + "/api/x",
                                 "http://127.0.0.1:" + std::to_string(closed_port()) + "/api/x",
                                 "https://127.0.0.1:" + port + "/api/x", base + "/apix", std::string("/api/x")}) {
    UpstreamRequest request = get(server, "/");
    request.url = url;
    const auto result = send(transport, request);
    EXPECT_EQ(result.failure, UpstreamFailure::NotAllowed) << url;
  }
  UpstreamRequest wrong_exchange = get(server, "/api/x");
  wrong_exchange.exchange = "binance_futures";
  EXPECT_EQ(send(transport, wrong_exchange).failure, UpstreamFailure::NotAllowed);
  UpstreamRequest put = get(server, "/api/x");
  put.method = "PUT";
  EXPECT_EQ(send(transport, put).failure, UpstreamFailure::NotAllowed);
  UpstreamRequest injected = get(server, "/api/x");
  injected.headers = {{"X-Test", "a\r\nHost: evil"}};
  EXPECT_EQ(send(transport, injected).failure, UpstreamFailure::NotAllowed);
  UpstreamRequest hop = get(server, "/api/x");
  hop.headers = {{"Transfer-Encoding", "chunked"}};
  EXPECT_EQ(send(transport, hop).failure, UpstreamFailure::NotAllowed);
  UpstreamRequest host_override = get(server, "/api/x");
  host_override.headers = {{"Host", "evil.example"}};
  EXPECT_EQ(send(transport, host_override).failure, UpstreamFailure::NotAllowed);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpTransport, ConnectionRefusedFailsFast) {
  const auto port = closed_port();
  UpstreamConfig c;
  c.exchange = kExchange;
  c.allowed_base_urls = {"http://127.0.0.1:" + std::to_string(port) + "/api"};
  HttpTransport transport({c});
  UpstreamRequest request;
  request.exchange = kExchange;
  request.method = "GET";
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/api/x";
  const auto start = steady_clock::now();
  const auto result = send(transport, request);
  EXPECT_EQ(result.failure, UpstreamFailure::ConnectFailed);
  EXPECT_LT(since(start), milliseconds(1000));
  // Nothing reached the exchange: the weight is refunded.
  EXPECT_EQ(transport.budget(kExchange)->snapshot().in_flight, 0);
}

TEST(HttpTransport, ConnectTimeoutWhenTheListenerBacklogIsFull) {
  // A listener that never accepts, with its backlog filled: further SYNs are dropped, so a
  // connect hangs until our connect timeout (RELIABILITY.md U6), not Poco's 30 s.
  mdp::fake::BlackholeListener blackhole;
  const auto port = blackhole.port();
  UpstreamConfig c;
  c.exchange = kExchange;
  c.allowed_base_urls = {"http://127.0.0.1:" + std::to_string(port) + "/"};
  c.connect_timeout = milliseconds(300);
  HttpTransport transport({c});
  UpstreamRequest request;
  request.exchange = kExchange;
  request.method = "GET";
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  const auto start = steady_clock::now();
  const auto result = send(transport, request);
  EXPECT_EQ(result.failure, UpstreamFailure::Timeout) << result.message;
  EXPECT_GE(since(start), milliseconds(250));
  EXPECT_LT(since(start), milliseconds(2000));
}

TEST(HttpTransport, ReadTimeoutBoundsASlowServer) {
  FakeExchangeServer server;
  server.get("/api/slow", FakeResponse::json("{}").with_delay(milliseconds(3000)));
  auto c = config_for(server);
  c.read_timeout = milliseconds(300);
  HttpTransport transport({c});
  const auto start = steady_clock::now();
  const auto result = send(transport, get(server, "/api/slow"));
  EXPECT_EQ(result.failure, UpstreamFailure::Timeout);
  EXPECT_LT(since(start), milliseconds(1500));
}

TEST(HttpTransport, CallerDeadlineShorterThanReadTimeoutWins) {
  FakeExchangeServer server;
  server.get("/api/slow", FakeResponse::json("{}").with_delay(milliseconds(3000)));
  HttpTransport transport({config_for(server)});  // read timeout 5 s
  const auto start = steady_clock::now();
  const auto result = send(transport, get(server, "/api/slow"), milliseconds(300));
  EXPECT_EQ(result.failure, UpstreamFailure::Timeout);
  EXPECT_LT(since(start), milliseconds(1500));
}

TEST(HttpTransport, TricklingBodyHitsTheTotalDeadline) {
  // One byte every 100 ms: each recv succeeds quickly, so only a whole-response deadline stops it.
  FakeExchangeServer server;
  server.get("/api/trickle", FakeResponse::json(std::string(100, ' ')).with_trickle(1, milliseconds(100)));
  auto c = config_for(server);
  c.read_timeout = milliseconds(800);
  HttpTransport transport({c});
  const auto start = steady_clock::now();
  const auto result = send(transport, get(server, "/api/trickle"));
  EXPECT_EQ(result.failure, UpstreamFailure::Timeout);
  EXPECT_LT(since(start), milliseconds(2000));
}

TEST(HttpTransport, MidBodyDelayWithinTheDeadlineIsFine) {
  FakeExchangeServer server;
  server.get("/api/pause", FakeResponse::json(std::string(1000, '1')).with_mid_body_delay(milliseconds(300)));
  HttpTransport transport({config_for(server)});
  const auto result = send(transport, get(server, "/api/pause"));
  ASSERT_EQ(result.failure, UpstreamFailure::None) << result.message;
  EXPECT_EQ(result.response.body.size(), 1000u);
}

TEST(HttpTransport, BodyCap) {
  FakeExchangeServer server;
  server.get("/api/big", FakeResponse::json("").with_oversize_body(5000));
  server.get("/api/big-chunked", FakeResponse::json("").with_oversize_body(5000).with_chunked());
  server.get("/api/exact", FakeResponse::json("").with_oversize_body(1000));
  server.get("/api/after", FakeResponse::json("{}"));
  auto c = config_for(server);
  c.max_response_bytes = 1000;
  HttpTransport transport({c});
  EXPECT_EQ(send(transport, get(server, "/api/big")).failure, UpstreamFailure::TooLarge);
  EXPECT_EQ(send(transport, get(server, "/api/big-chunked")).failure, UpstreamFailure::TooLarge);
  const auto exact = send(transport, get(server, "/api/exact"));
  EXPECT_EQ(exact.failure, UpstreamFailure::None) << exact.message;
  EXPECT_EQ(exact.response.body.size(), 1000u);
  // The aborted connections were not pooled: the next request still works.
  EXPECT_EQ(send(transport, get(server, "/api/after")).failure, UpstreamFailure::None);
}

TEST(HttpTransport, DefaultCapRejectsTwentyMegabytes) {
  FakeExchangeServer server;
  server.get("/api/huge", FakeResponse::json("").with_oversize_body(20 * 1024 * 1024).with_chunked());
  HttpTransport transport({config_for(server)});
  const auto result = send(transport, get(server, "/api/huge"));
  EXPECT_EQ(result.failure, UpstreamFailure::TooLarge);
}

// Issue 8: a 10 MB page is above the default cap (8 MiB), whether its length is declared or
// chunked, and the connection it came on is not reused.
TEST(HttpTransport, DefaultCapRejectsATenMegabytePage) {
  FakeExchangeServer server;
  server.get("/api/ten", FakeResponse::json("").with_oversize_body(10 * 1000 * 1000));
  server.get("/api/ten-chunked", FakeResponse::json("").with_oversize_body(10 * 1000 * 1000).with_chunked());
  server.get("/api/after", FakeResponse::json("[]"));
  UpstreamConfig c = config_for(server);
  c.read_timeout = milliseconds(60'000);  // reading 8 MiB on a loaded machine must not time out first
  HttpTransport transport({c});
  EXPECT_EQ(send(transport, get(server, "/api/ten")).failure, UpstreamFailure::TooLarge);
  EXPECT_EQ(send(transport, get(server, "/api/ten-chunked")).failure, UpstreamFailure::TooLarge);
  EXPECT_EQ(send(transport, get(server, "/api/after")).failure, UpstreamFailure::None);
}

TEST(HttpTransport, TruncatedBodyIsNeverReportedComplete) {
  FakeExchangeServer server;
  const std::string body = R"([[1712192400000,"SECRET-PAYLOAD",)" + std::string(100, '0') + "]]";
  server.get("/api/cut", FakeResponse::json(body).with_truncation(40));
  server.get("/api/cut-chunked", FakeResponse::json(body).with_truncation(40).with_chunked());
  HttpTransport transport({config_for(server)});
  const auto cut = send(transport, get(server, "/api/cut"));
  EXPECT_EQ(cut.failure, UpstreamFailure::ReadFailed);
  EXPECT_NE(cut.message.find("40 of"), std::string::npos) << cut.message;
  EXPECT_EQ(cut.message.find("SECRET"), std::string::npos);
  EXPECT_TRUE(cut.response.body.empty());
  const auto chunked = send(transport, get(server, "/api/cut-chunked"));
  EXPECT_EQ(chunked.failure, UpstreamFailure::ReadFailed) << chunked.message;
  EXPECT_EQ(chunked.message.find("SECRET"), std::string::npos);
}

TEST(HttpTransport, ConnectionResetIsAReadFailure) {
  FakeExchangeServer server;
  server.get("/api/reset", FakeResponse::reset_connection());
  server.get("/api/reset-mid", FakeResponse::json(std::string(5000, 'x')).with_reset_after(100));
  HttpTransport transport({config_for(server)});
  EXPECT_EQ(send(transport, get(server, "/api/reset")).failure, UpstreamFailure::ReadFailed);
  EXPECT_EQ(send(transport, get(server, "/api/reset-mid")).failure, UpstreamFailure::ReadFailed);
}

TEST(HttpTransport, ChunkedResponses) {
  FakeExchangeServer server;
  const std::string body(200'000, 'k');
  server.get("/api/chunked", FakeResponse::json(body).with_chunked());
  HttpTransport transport({config_for(server)});
  const auto result = send(transport, get(server, "/api/chunked"));
  ASSERT_EQ(result.failure, UpstreamFailure::None) << result.message;
  EXPECT_EQ(result.response.body, body);
}

TEST(HttpTransport, HtmlErrorPageAndWrongContentTypeAreResponses) {
  // The transport delivers them; deciding they are bad is the plugin's job (U7).
  FakeExchangeServer server;
  server.get("/api/html", FakeResponse::html_error_page(502));
  server.get("/api/wrong-type", FakeResponse::json("{}").with_content_type("text/html"));
  HttpTransport transport({config_for(server)});
  const auto html = send(transport, get(server, "/api/html"));
  ASSERT_EQ(html.failure, UpstreamFailure::None);
  EXPECT_EQ(html.response.status, 502);
  EXPECT_EQ(html.response.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(send(transport, get(server, "/api/wrong-type")).response.content_type, "text/html");
}

TEST(HttpTransport, KeepAliveReusesOneConnection) {
  FakeExchangeServer server;
  server.get("/api/a", FakeResponse::json("1"));
  HttpTransport transport({config_for(server)});
  ASSERT_EQ(send(transport, get(server, "/api/a")).failure, UpstreamFailure::None);
  ASSERT_EQ(send(transport, get(server, "/api/a")).failure, UpstreamFailure::None);
  ASSERT_EQ(send(transport, get(server, "/api/a")).failure, UpstreamFailure::None);
  EXPECT_EQ(server.connections_accepted(), 1u);
  const auto log = server.requests();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].peer, log[2].peer);
  EXPECT_EQ(transport.stats(kExchange).connections_opened, 1u);
  EXPECT_EQ(transport.stats(kExchange).connections_reused, 2u);
  EXPECT_EQ(transport.idle_connections(kExchange), 1u);
}

TEST(HttpTransport, ConnectionCloseIsHonoured) {
  FakeExchangeServer server;
  server.get("/api/close", FakeResponse::json("1").with_close());
  HttpTransport transport({config_for(server)});
  ASSERT_EQ(send(transport, get(server, "/api/close")).failure, UpstreamFailure::None);
  ASSERT_EQ(send(transport, get(server, "/api/close")).failure, UpstreamFailure::None);
  EXPECT_EQ(server.connections_accepted(), 2u);
  EXPECT_EQ(transport.idle_connections(kExchange), 0u);
}

TEST(HttpTransport, PoolSizeZeroDisablesReuse) {
  FakeExchangeServer server;
  server.get("/api/a", FakeResponse::json("1"));
  auto c = config_for(server);
  c.keep_alive_pool_size = 0;
  HttpTransport transport({c});
  ASSERT_EQ(send(transport, get(server, "/api/a")).failure, UpstreamFailure::None);
  ASSERT_EQ(send(transport, get(server, "/api/a")).failure, UpstreamFailure::None);
  EXPECT_EQ(server.connections_accepted(), 2u);
  EXPECT_EQ(Poco::toLower(server.requests()[0].header("connection").value_or("")), "close");
}

TEST(HttpTransport, IdleConnectionClosedByTheServerIsReplacedSilently) {
  // U12: the fake closes idle keep-alive connections after 300 ms.
  FakeExchangeServer::Options options;
  options.keep_alive_timeout = milliseconds(300);
  FakeExchangeServer server(options);
  server.get("/api/a", FakeResponse::json("1"));
  HttpTransport transport({config_for(server)});
  ASSERT_EQ(send(transport, get(server, "/api/a")).failure, UpstreamFailure::None);
  std::this_thread::sleep_for(milliseconds(800));
  const auto second = send(transport, get(server, "/api/a"));
  ASSERT_EQ(second.failure, UpstreamFailure::None) << second.message;
  EXPECT_EQ(server.connections_accepted(), 2u);
  const auto stats = transport.stats(kExchange);
  EXPECT_EQ(stats.stale_discarded + stats.stale_retries, 1u);
}

TEST(HttpTransport, ReusedConnectionDyingBeforeAnAnswerIsRetriedOnce) {
  FakeExchangeServer server;
  const auto route = server.get("/api/a", FakeResponse::json("1"));
  server.script(route, {FakeResponse::json("first"), FakeResponse::drop_connection(), FakeResponse::json("third")});
  HttpTransport transport({config_for(server)});
  ASSERT_EQ(send(transport, get(server, "/api/a")).response.body, "first");
  const auto second = send(transport, get(server, "/api/a"));
  ASSERT_EQ(second.failure, UpstreamFailure::None) << second.message;
  EXPECT_EQ(second.response.body, "third");
  EXPECT_EQ(transport.stats(kExchange).stale_retries, 1u);
  EXPECT_EQ(server.hits(route), 3u);
}

TEST(HttpTransport, FreshConnectionDyingIsNotRetried) {
  FakeExchangeServer server;
  const auto route = server.get("/api/a", FakeResponse::json("ok"));
  server.script(route, {FakeResponse::drop_connection()});
  HttpTransport transport({config_for(server)});
  EXPECT_EQ(send(transport, get(server, "/api/a")).failure, UpstreamFailure::ReadFailed);
  EXPECT_EQ(server.hits(route), 1u);
}

TEST(HttpTransport, RedirectsAreNotFollowed) {
  FakeExchangeServer server;
  server.get("/api/old", FakeResponse::json("", 302).with_header("Location", server.url("/api/new")));
  server.get("/api/moved", FakeResponse::json("", 307).with_header("Location", "/api/new"));
  const auto target = server.get("/api/new", FakeResponse::json("{}"));
  HttpTransport transport({config_for(server)});
  const auto found = send(transport, get(server, "/api/old"));
  ASSERT_EQ(found.failure, UpstreamFailure::None) << found.message;
  EXPECT_EQ(found.response.status, 302);
  EXPECT_EQ(send(transport, get(server, "/api/moved")).response.status, 307);
  EXPECT_EQ(server.hits(target), 0u);
}

TEST(HttpTransport, RetryAfterSecondsAndHttpDate) {
  auto clock = std::make_shared<ManualClock>(784111777000);  // Sun, 06 Nov 1994 08:49:37 GMT
  FakeExchangeServer server;
  server.get("/api/seconds", FakeResponse::json("{}", 503).with_retry_after("7"));
  server.get("/api/date", FakeResponse::json("{}", 503).with_retry_after("Sun, 06 Nov 1994 08:50:07 GMT"));
  server.get("/api/junk", FakeResponse::json("{}", 503).with_retry_after("soon"));
  TransportOptions options;
  options.clock = clock;
  HttpTransport transport({config_for(server)}, options);
  EXPECT_EQ(send(transport, get(server, "/api/seconds")).response.retry_after_ms, 7000);
  EXPECT_EQ(send(transport, get(server, "/api/date")).response.retry_after_ms, 30000);
  EXPECT_EQ(send(transport, get(server, "/api/junk")).response.retry_after_ms, -1);
}

TEST(HttpTransport, Upstream429PausesTheExchange) {
  // U1: after 429 + Retry-After: 1, nothing goes out for 1 s; a short caller fails fast.
  FakeExchangeServer server;
  const auto route = server.get("/api/k", FakeResponse::json("[]"));
  server.script(route, {FakeResponse::json(R"({"code":-1003})", 429).with_retry_after("1")});
  HttpTransport transport({config_for(server)});
  const auto limited = send(transport, get(server, "/api/k"));
  ASSERT_EQ(limited.failure, UpstreamFailure::None);
  EXPECT_EQ(limited.response.status, 429);
  EXPECT_EQ(limited.response.retry_after_ms, 1000);

  const auto hurried = send(transport, get(server, "/api/k"), milliseconds(300));
  EXPECT_EQ(hurried.failure, UpstreamFailure::RateLimited);
  EXPECT_GE(hurried.retry_after_ms, 700);
  EXPECT_EQ(server.hits(route), 1u);

  const auto patient = send(transport, get(server, "/api/k"), milliseconds(5000));
  ASSERT_EQ(patient.failure, UpstreamFailure::None) << patient.message;
  EXPECT_EQ(patient.response.status, 200);
  const auto log = server.requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(log[1].received_at - log[0].received_at, milliseconds(990));
}

TEST(HttpTransport, Upstream418SilencesTheExchangeForTheBan) {
  // U2: during the ban every request fails fast and the server sees nothing; then one probe.
  FakeExchangeServer server;
  const auto route = server.get("/api/k", FakeResponse::json("[]"));
  server.script(route, {FakeResponse::json(R"({"code":-1003})", 418).with_retry_after("1")});
  HttpTransport transport({config_for(server)});
  EXPECT_EQ(send(transport, get(server, "/api/k")).response.status, 418);
  const auto start = steady_clock::now();
  int refused = 0;
  while (since(start) < milliseconds(700)) {
    const auto result = send(transport, get(server, "/api/k"), milliseconds(10'000));
    EXPECT_EQ(result.failure, UpstreamFailure::RateLimited);
    EXPECT_GT(result.retry_after_ms, 0);
    EXPECT_LE(result.retry_after_ms, 1000);
    ++refused;
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_GT(refused, 5);
  EXPECT_EQ(server.hits(route), 1u);
  std::this_thread::sleep_for(milliseconds(400));
  const auto after = send(transport, get(server, "/api/k"));
  ASSERT_EQ(after.failure, UpstreamFailure::None) << after.message;
  EXPECT_EQ(after.response.status, 200);
  EXPECT_EQ(server.hits(route), 2u);
}

TEST(HttpTransport, Upstream418WithoutRetryAfterBansForTwoMinutes) {
  FakeExchangeServer server;
  server.get("/api/k", FakeResponse::json("{}", 418));
  HttpTransport transport({config_for(server)});
  EXPECT_EQ(send(transport, get(server, "/api/k")).response.status, 418);
  const auto banned = send(transport, get(server, "/api/k"));
  EXPECT_EQ(banned.failure, UpstreamFailure::RateLimited);
  EXPECT_GT(banned.retry_after_ms, 119'000);
  EXPECT_LE(banned.retry_after_ms, 120'000);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpTransport, AdoptsTheExchangeWeightHeader) {
  // U3: the exchange says 1915 of 2400 used: with our 0.8 share (1920) only 5 weight is left
  // until the minute boundary, so a weight-10 request fails without touching the network.
  auto clock = std::make_shared<ManualClock>(1'699'999'990'000);  // 10 s into a minute
  FakeExchangeServer server;
  const auto route = server.get("/api/k", FakeResponse::json("[]").with_header("X-MBX-USED-WEIGHT-1M", "1915"));
  auto c = config_for(server);
  c.rate.weight_per_window = 2400;
  c.rate.safety_fraction = 0.8;
  c.rate.used_weight_header = "X-MBX-USED-WEIGHT-1M";
  TransportOptions options;
  options.clock = clock;
  HttpTransport transport({c}, options);
  ASSERT_EQ(send(transport, get(server, "/api/k", 1)).failure, UpstreamFailure::None);
  EXPECT_DOUBLE_EQ(transport.budget(kExchange)->snapshot().tokens, 5.0);
  const auto heavy = send(transport, get(server, "/api/k", 10), milliseconds(2000));
  EXPECT_EQ(heavy.failure, UpstreamFailure::RateLimited);
  EXPECT_EQ(heavy.retry_after_ms, 50'000);
  EXPECT_EQ(server.hits(route), 1u);
  ASSERT_EQ(send(transport, get(server, "/api/k", 5)).failure, UpstreamFailure::None);  // fits
  EXPECT_EQ(server.hits(route), 2u);
}

TEST(HttpTransport, BudgetIsSharedAcrossThreads) {
  // 20 weight per second, 4 threads x 10 requests: the second 20 must wait for refill, and
  // the server sees the spread.
  FakeExchangeServer server;
  server.get("/api/k", FakeResponse::json("[]"));
  auto c = config_for(server);
  c.rate.weight_per_window = 20;
  c.rate.window = milliseconds(1000);
  c.rate.safety_fraction = 1.0;
  c.rate.window_aligned = false;
  HttpTransport transport({c});
  std::atomic<int> ok{0};
  const auto start = steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (send(transport, get(server, "/api/k"), milliseconds(10'000)).failure == UpstreamFailure::None) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_GE(since(start), milliseconds(900));
  const auto log = server.requests();
  ASSERT_EQ(log.size(), 40u);
  // In any 500 ms span the server saw at most the burst plus half a window of refill.
  for (std::size_t i = 0; i < log.size(); ++i) {
    std::size_t in_span = 0;
    for (const auto& r : log) {
      if (r.received_at >= log[i].received_at && r.received_at < log[i].received_at + milliseconds(500)) ++in_span;
    }
    EXPECT_LE(in_span, 34u);  // 20 burst + 10 refill, with some arrival jitter
  }
  EXPECT_LE(transport.stats(kExchange).connections_opened, 4u);
}

TEST(HttpTransport, CancelledBeforeSendingSendsNothing) {
  FakeExchangeServer server;
  server.get("/api/k", FakeResponse::json("[]"));
  HttpTransport transport({config_for(server)});
  CallContext context = CallContext::with_timeout(milliseconds(5000));
  context.cancel();
  EXPECT_EQ(transport.send(get(server, "/api/k"), context).failure, UpstreamFailure::Cancelled);
  std::atomic<bool> shutdown{true};
  CallContext stopping(steady_clock::now() + milliseconds(5000), &shutdown);
  EXPECT_EQ(transport.send(get(server, "/api/k"), stopping).failure, UpstreamFailure::Cancelled);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpTransport, CancelWhileWaitingForTheResponse) {
  FakeExchangeServer server;
  server.get("/api/slow", FakeResponse::json("{}").with_delay(milliseconds(4000)));
  HttpTransport transport({config_for(server)});
  CallContext context = CallContext::with_timeout(milliseconds(10'000));
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(200));
    context.cancel();
  });
  const auto start = steady_clock::now();
  const auto result = transport.send(get(server, "/api/slow"), context);
  canceller.join();
  EXPECT_EQ(result.failure, UpstreamFailure::Cancelled);
  EXPECT_LT(since(start), milliseconds(1500));
}

TEST(HttpTransport, CancelWhileWaitingForTheBudget) {
  FakeExchangeServer server;
  server.get("/api/k", FakeResponse::json("[]"));
  auto c = config_for(server);
  c.rate.weight_per_window = 10;
  c.rate.window = milliseconds(60'000);
  c.rate.safety_fraction = 1.0;
  c.rate.window_aligned = false;
  HttpTransport transport({c});
  ASSERT_EQ(send(transport, get(server, "/api/k", 10)).failure, UpstreamFailure::None);
  CallContext context = CallContext::with_timeout(milliseconds(60'000));
  std::thread canceller([&] {
    std::this_thread::sleep_for(milliseconds(200));
    context.cancel();
  });
  const auto start = steady_clock::now();
  const auto result = transport.send(get(server, "/api/k", 1), context);  // needs ~6 s of refill
  canceller.join();
  EXPECT_EQ(result.failure, UpstreamFailure::Cancelled);
  EXPECT_LT(since(start), milliseconds(1500));
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpTransport, TlsToAPlainServerFailsAsConnectFailed) {
  FakeExchangeServer server;
  server.get("/api/k", FakeResponse::json("[]"));
  UpstreamConfig c;
  c.exchange = kExchange;
  c.allowed_base_urls = {"https://127.0.0.1:" + std::to_string(server.port()) + "/api"};
  c.connect_timeout = milliseconds(1000);
  c.read_timeout = milliseconds(2000);
  HttpTransport transport({c});
  UpstreamRequest request;
  request.exchange = kExchange;
  request.method = "GET";
  request.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/api/k";
  const auto result = send(transport, request);
  EXPECT_TRUE(result.failure == UpstreamFailure::ConnectFailed || result.failure == UpstreamFailure::Timeout)
      << result.message;
  EXPECT_EQ(server.hits(0), 0u);
}

TEST(HttpTransport, InvalidConfigurationIsRejectedAtConstruction) {
  UpstreamConfig c;
  c.exchange = kExchange;
  c.allowed_base_urls = {"http://127.0.0.1:1/api"};
  c.max_redirects = 3;
  EXPECT_THROW(HttpTransport({c}), std::invalid_argument);
  c.max_redirects = 0;
  c.allowed_base_urls = {"http://user@127.0.0.1:1/api"};
  EXPECT_THROW(HttpTransport({c}), std::invalid_argument);
  c.allowed_base_urls = {"http://127.0.0.1:1/api"};
  EXPECT_THROW(HttpTransport({c, c}), std::invalid_argument);
  c.read_timeout = milliseconds(0);
  EXPECT_THROW(HttpTransport({c}), std::invalid_argument);
}
