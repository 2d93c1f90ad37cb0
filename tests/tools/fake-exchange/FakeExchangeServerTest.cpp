#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <unistd.h>

#include "FakeExchangeServer.hpp"

using mdp::fake::FakeExchangeServer;
using mdp::fake::FakeResponse;
using mdp::fake::RecordedRequest;
using mdp::fake::RouteMatch;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
  Poco::Net::HTTPResponse head;
};

Reply fetch(const FakeExchangeServer& server, const std::string& method, const std::string& target,
            const std::string& body = "") {
  Poco::Net::HTTPClientSession session(server.host(), server.port());
  session.setTimeout(Poco::Timespan(5, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  if (method == "POST") {
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.setContentType("application/json");
  }
  std::ostream& out = session.sendRequest(request);
  out << body;
  Reply reply;
  std::istream& in = session.receiveResponse(reply.head);
  Poco::StreamCopier::copyToString(in, reply.body);
  reply.status = reply.head.getStatus();
  reply.content_type = reply.head.getContentType();
  return reply;
}

// Sends a raw request and reads until the server closes; `reset` tells whether it ended by RST.
std::string raw(const FakeExchangeServer& server, const std::string& target, bool* reset = nullptr) {
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress(server.host(), server.port()));
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  std::string out;
  char buffer[65536];
  if (reset) *reset = false;
  try {
    for (;;) {
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
  } catch (const Poco::Net::ConnectionResetException&) {
    if (reset) *reset = true;
  }
  return out;
}

std::string body_of(const std::string& raw_response) {
  const auto end = raw_response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : raw_response.substr(end + 4);
}

std::filesystem::path temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("mdp-fake-" + name + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  return dir;
}

void write(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace

TEST(FakeExchangeServer, ListensOnLoopbackWithAnEphemeralPort) {
  FakeExchangeServer server;
  EXPECT_GT(server.port(), 0);
  EXPECT_EQ(server.host(), "127.0.0.1");
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()));
  FakeExchangeServer::Options options;
  options.host = "localhost";
  FakeExchangeServer local(options);
  EXPECT_EQ(local.host(), "127.0.0.1");
}

TEST(FakeExchangeServer, RefusesNonLoopbackAddresses) {
  for (const char* host : {"0.0.0.0", "192.168.1.10", "10.0.0.1", "::", "example.com", ""}) {
    FakeExchangeServer::Options options;
    options.host = host;
    EXPECT_THROW(FakeExchangeServer{options}, std::invalid_argument) << host;
  }
}

TEST(FakeExchangeServer, ServesRoutesAndLogsRequests) {
  FakeExchangeServer server;
  const auto route = server.get("/fapi/v1/ping", FakeResponse::json("{}").with_header("X-MBX-USED-WEIGHT-1M", "1"));
  const auto before = std::chrono::system_clock::now();
  const Reply reply = fetch(server, "GET", "/fapi/v1/ping?symbol=BTCUSDT&limit=5");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "{}");
  EXPECT_EQ(reply.content_type, "application/json");
  EXPECT_EQ(reply.head.get("X-MBX-USED-WEIGHT-1M"), "1");

  const auto log = server.requests();
  ASSERT_EQ(log.size(), 1u);
  const RecordedRequest& r = log[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/fapi/v1/ping");
  EXPECT_EQ(r.query, "symbol=BTCUSDT&limit=5");
  EXPECT_EQ(r.param("symbol").value_or(""), "BTCUSDT");
  EXPECT_EQ(r.param("limit").value_or(""), "5");
  EXPECT_FALSE(r.param("interval").has_value());
  EXPECT_EQ(r.route, route);
  EXPECT_TRUE(r.header("host").has_value());
  EXPECT_FALSE(r.peer.empty());
  const auto ms = std::chrono::duration_cast<milliseconds>(before.time_since_epoch()).count();
  EXPECT_GE(r.unix_ms, ms - 1);
  EXPECT_LT(r.unix_ms, ms + 5000);
  EXPECT_EQ(server.hits(route), 1u);
  EXPECT_EQ(server.requests(route).size(), 1u);

  server.clear_requests();
  EXPECT_EQ(server.request_count(), 0u);
  EXPECT_EQ(server.hits(route), 0u);
}

TEST(FakeExchangeServer, UnmatchedRequestsGet404AndAreLogged) {
  FakeExchangeServer server;
  server.get("/a", FakeResponse::json("{}"));
  EXPECT_EQ(fetch(server, "GET", "/b").status, 404);
  EXPECT_EQ(fetch(server, "POST", "/a", "{}").status, 404);  // method matters
  const auto log = server.requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].route, -1);
  EXPECT_EQ(log[1].body, "{}");
}

TEST(FakeExchangeServer, MostSpecificQueryMatchWins) {
  FakeExchangeServer server;
  server.get("/fapi/v1/klines", FakeResponse::json("\"generic\""));
  RouteMatch btc;
  btc.path = "/fapi/v1/klines";
  btc.query = {{"symbol", "BTCUSDT"}};
  server.add_route(btc, FakeResponse::json("\"btc\""));
  RouteMatch btc_hour = btc;
  btc_hour.query.emplace_back("interval", "1h");
  server.add_route(btc_hour, FakeResponse::json("\"btc-1h\""));
  EXPECT_EQ(fetch(server, "GET", "/fapi/v1/klines?symbol=BTCUSDT&interval=1m").body, "\"btc\"");
  EXPECT_EQ(fetch(server, "GET", "/fapi/v1/klines?interval=1h&symbol=BTCUSDT").body, "\"btc-1h\"");
  EXPECT_EQ(fetch(server, "GET", "/fapi/v1/klines?symbol=ETHUSDT&interval=1h").body, "\"generic\"");
  EXPECT_EQ(fetch(server, "GET", "/fapi/v1/klines").body, "\"generic\"");
}

TEST(FakeExchangeServer, JsonBodyFieldsSelectHyperliquidInfoRoutes) {
  FakeExchangeServer server;
  RouteMatch meta;
  meta.method = "POST";
  meta.path = "/info";
  meta.body = {{"type", "meta"}};
  server.add_route(meta, FakeResponse::json(R"({"universe":[]})"));
  RouteMatch btc;
  btc.method = "POST";
  btc.path = "/info";
  btc.body = {{"type", "candleSnapshot"}, {"req.coin", "BTC"}};
  const auto btc_route = server.add_route(btc, FakeResponse::json("[\"btc\"]"));
  RouteMatch numbers = btc;
  numbers.body.emplace_back("req.startTime", "1712192400000");
  server.add_route(numbers, FakeResponse::json("[\"btc-from\"]"));

  EXPECT_EQ(fetch(server, "POST", "/info", R"({"type":"meta"})").body, R"({"universe":[]})");
  EXPECT_EQ(fetch(server, "POST", "/info", R"({"type":"candleSnapshot","req":{"coin":"BTC","interval":"1h"}})").body,
            "[\"btc\"]");
  EXPECT_EQ(fetch(server, "POST", "/info",
                  R"({"type":"candleSnapshot","req":{"coin":"BTC","startTime":1712192400000}})")
                .body,
            "[\"btc-from\"]");
  EXPECT_EQ(fetch(server, "POST", "/info", R"({"type":"candleSnapshot","req":{"coin":"ETH"}})").status, 404);
  EXPECT_EQ(fetch(server, "POST", "/info", "not json").status, 404);
  EXPECT_EQ(server.hits(btc_route), 1u);
}

TEST(FakeExchangeServer, ScriptedSequenceThenDefault) {
  FakeExchangeServer server;
  const auto route = server.get("/k", FakeResponse::json("\"default\""));
  server.script(route, {FakeResponse::json(R"({"code":-1003})", 429).with_retry_after("1"),
                        FakeResponse::json("\"second\"")});
  server.enqueue(route, FakeResponse::json("\"third\""));
  const Reply first = fetch(server, "GET", "/k");
  EXPECT_EQ(first.status, 429);
  EXPECT_EQ(first.head.get("Retry-After"), "1");
  EXPECT_EQ(fetch(server, "GET", "/k").body, "\"second\"");
  EXPECT_EQ(fetch(server, "GET", "/k").body, "\"third\"");
  EXPECT_EQ(fetch(server, "GET", "/k").body, "\"default\"");
  EXPECT_EQ(fetch(server, "GET", "/k").body, "\"default\"");
  EXPECT_EQ(server.hits(route), 5u);
}

// Binance-shaped klines for any startTime/endTime/limit over 10,000 one-minute candles.
TEST(FakeExchangeServer, GeneratorServesTenThousandPaginatedCandles) {
  constexpr std::int64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
  constexpr std::int64_t kMinute = 60'000;
  constexpr std::int64_t kCount = 10'000;
  FakeExchangeServer server;
  RouteMatch klines;
  klines.path = "/fapi/v1/klines";
  const auto route = server.add_route(klines, [&](const RecordedRequest& r) {
    const std::int64_t start = std::stoll(r.param("startTime").value_or("0"));
    const std::int64_t end = std::stoll(r.param("endTime").value_or(std::to_string(kStart + kCount * kMinute)));
    const std::int64_t limit = std::min<std::int64_t>(std::stoll(r.param("limit").value_or("500")), 1500);
    std::string body = "[";
    std::int64_t first = std::max(kStart, start + (kMinute - (start - kStart) % kMinute) % kMinute);
    std::int64_t rows = 0;
    for (std::int64_t t = first; t <= end && t < kStart + kCount * kMinute && rows < limit; t += kMinute, ++rows) {
      if (rows > 0) body += ',';
      const std::string price = std::to_string(40000 + (t - kStart) / kMinute % 100) + ".10";
      body += "[" + std::to_string(t) + ",\"" + price + "\",\"" + price + "\",\"" + price + "\",\"" + price +
              "\",\"1.5\"," + std::to_string(t + kMinute - 1) + ",\"60000.0\",10,\"0.7\",\"28000.0\",\"0\"]";
    }
    body += "]";
    return FakeResponse::json(body).with_header("X-MBX-USED-WEIGHT-1M", "10");
  });

  std::vector<std::int64_t> open_times;
  std::int64_t cursor = kStart;
  const std::int64_t end = kStart + kCount * kMinute - 1;
  int pages = 0;
  while (cursor <= end && pages < 20) {
    const Reply reply = fetch(server, "GET",
                              "/fapi/v1/klines?symbol=BTCUSDT&interval=1m&startTime=" + std::to_string(cursor) +
                                  "&endTime=" + std::to_string(end) + "&limit=1500");
    ASSERT_EQ(reply.status, 200);
    Poco::JSON::Parser parser;
    const auto rows = parser.parse(reply.body).extract<Poco::JSON::Array::Ptr>();
    ++pages;
    if (rows->size() == 0) break;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      open_times.push_back(rows->getArray(static_cast<unsigned>(i))->getElement<Poco::Int64>(0));
    }
    cursor = open_times.back() + kMinute;
  }
  EXPECT_EQ(pages, 7);  // 6 x 1500 + 1000
  ASSERT_EQ(open_times.size(), static_cast<std::size_t>(kCount));
  for (std::size_t i = 0; i < open_times.size(); ++i) {
    ASSERT_EQ(open_times[i], kStart + static_cast<std::int64_t>(i) * kMinute);
  }
  EXPECT_EQ(server.hits(route), 7u);
}

TEST(FakeExchangeServer, GeneratorFailureBecomes500) {
  FakeExchangeServer server;
  RouteMatch match;
  match.path = "/boom";
  server.add_route(match, [](const RecordedRequest&) -> FakeResponse { throw std::runtime_error("boom"); });
  const Reply reply = fetch(server, "GET", "/boom");
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(reply.body.find("boom"), std::string::npos);
}

TEST(FakeExchangeServer, DelayBeforeHeaders) {
  FakeExchangeServer server;
  server.get("/slow", FakeResponse::json("{}").with_delay(milliseconds(300)));
  const auto start = steady_clock::now();
  EXPECT_EQ(fetch(server, "GET", "/slow").status, 200);
  EXPECT_GE(steady_clock::now() - start, milliseconds(290));
  EXPECT_EQ(server.request_count(), 1u);  // logged when it arrived
}

TEST(FakeExchangeServer, TruncatedBodyClosesAfterNBytes) {
  FakeExchangeServer server;
  server.get("/cut", FakeResponse::json(std::string(100, 'a')).with_truncation(40));
  const std::string response = raw(server, "/cut");
  EXPECT_NE(response.find("Content-Length: 100"), std::string::npos);
  EXPECT_EQ(body_of(response), std::string(40, 'a'));
}

TEST(FakeExchangeServer, ResetAndDrop) {
  FakeExchangeServer server;
  server.get("/reset", FakeResponse::reset_connection());
  server.get("/reset-mid", FakeResponse::json(std::string(1000, 'b')).with_reset_after(10));
  server.get("/drop", FakeResponse::drop_connection());
  bool reset = false;
  EXPECT_EQ(raw(server, "/reset", &reset), "");
  EXPECT_TRUE(reset);
  const std::string mid = raw(server, "/reset-mid", &reset);
  EXPECT_TRUE(reset);
  EXPECT_LE(body_of(mid).size(), 10u);
  EXPECT_EQ(raw(server, "/drop", &reset), "");
  EXPECT_FALSE(reset);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(FakeExchangeServer, OversizeHtmlAndWrongContentType) {
  FakeExchangeServer server;
  server.get("/big", FakeResponse::json("").with_oversize_body(3 * 1024 * 1024));
  server.get("/html", FakeResponse::html_error_page(502));
  server.get("/html200", FakeResponse::html_error_page(200));
  server.get("/wrong", FakeResponse::json("{}").with_content_type("text/plain"));
  const Reply big = fetch(server, "GET", "/big");
  EXPECT_EQ(big.body.size(), 3u * 1024 * 1024);
  EXPECT_EQ(big.body.front(), '"');
  EXPECT_EQ(big.body.back(), '"');
  const Reply html = fetch(server, "GET", "/html");
  EXPECT_EQ(html.status, 502);
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("<html>"), std::string::npos);
  EXPECT_EQ(fetch(server, "GET", "/html200").status, 200);
  EXPECT_EQ(fetch(server, "GET", "/wrong").content_type, "text/plain");
}

TEST(FakeExchangeServer, ChunkedAndMidBodyDelay) {
  FakeExchangeServer server;
  server.get("/chunked", FakeResponse::json(std::string(5000, 'c')).with_chunked());
  server.get("/pause", FakeResponse::json(std::string(100, 'p')).with_mid_body_delay(milliseconds(300), 10));
  const std::string chunked = raw(server, "/chunked");
  EXPECT_NE(chunked.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_EQ(fetch(server, "GET", "/chunked").body, std::string(5000, 'c'));
  const auto start = steady_clock::now();
  EXPECT_EQ(fetch(server, "GET", "/pause").body, std::string(100, 'p'));
  EXPECT_GE(steady_clock::now() - start, milliseconds(290));
}

TEST(FakeExchangeServer, KeepAliveConnectionsAreCounted) {
  FakeExchangeServer server;
  server.get("/a", FakeResponse::json("1"));
  Poco::Net::HTTPClientSession session(server.host(), server.port());
  session.setKeepAlive(true);
  for (int i = 0; i < 3; ++i) {
    Poco::Net::HTTPRequest request("GET", "/a", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    EXPECT_EQ(body, "1");
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
  const auto log = server.requests();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].peer, log[2].peer);
}

TEST(FakeExchangeServer, StopInterruptsLongDelays) {
  auto server = std::make_unique<FakeExchangeServer>();
  server->get("/forever", FakeResponse::json("{}").with_delay(milliseconds(60'000)));
  std::thread client([&] {
    try {
      fetch(*server, "GET", "/forever");
    } catch (...) {
    }
  });
  ASSERT_TRUE(server->wait_for_requests(1, milliseconds(5000)));
  const auto start = steady_clock::now();
  server->stop();
  EXPECT_LT(steady_clock::now() - start, milliseconds(3000));
  client.join();
}

TEST(FakeExchangeServer, RequestBodyCap) {
  FakeExchangeServer::Options options;
  options.max_request_body = 100;
  FakeExchangeServer server(options);
  server.post("/info", FakeResponse::json("{}"));
  EXPECT_EQ(fetch(server, "POST", "/info", std::string(500, 'x')).status, 413);
  EXPECT_EQ(fetch(server, "POST", "/info", "{}").status, 200);
}

TEST(FakeExchangeServer, LoadsRoutesFromADirectory) {
  const auto dir = temp_dir("manifest");
  write(dir / "binance" / "exchangeInfo.json", R"({"symbols":[]})");
  write(dir / "binance" / "klines-btc.json", "[[1,\"2\"]]");
  write(dir / "hyperliquid" / "candles-btc.json", "[{\"t\":1}]");
  write(dir / "routes.json", R"({
    "routes": [
      {"method": "GET", "path": "/fapi/v1/exchangeInfo", "file": "binance/exchangeInfo.json",
       "headers": {"X-MBX-USED-WEIGHT-1M": "1"}},
      {"path": "/fapi/v1/klines", "query": {"symbol": "BTCUSDT", "interval": "1h"},
       "file": "binance/klines-btc.json"},
      {"path": "/fapi/v1/klines", "status": 400, "body": "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"},
      {"method": "POST", "path": "/info", "body_match": {"type": "candleSnapshot", "req.coin": "BTC"},
       "file": "hyperliquid/candles-btc.json"},
      {"path": "/limited", "body": "[]",
       "responses": [{"status": 429, "retry_after": 1, "body": "{}"},
                     {"status": 200, "body": "[1]", "chunked": true}]},
      {"path": "/page", "content_type": "text/html", "status": 502, "body": "<html></html>", "close": true}
    ]
  })");
  FakeExchangeServer server;
  EXPECT_EQ(server.load_dir(dir.string()), 6u);
  const Reply info = fetch(server, "GET", "/fapi/v1/exchangeInfo");
  EXPECT_EQ(info.body, R"({"symbols":[]})");
  EXPECT_EQ(info.head.get("X-MBX-USED-WEIGHT-1M"), "1");
  EXPECT_EQ(fetch(server, "GET", "/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=2").body, "[[1,\"2\"]]");
  const Reply bad = fetch(server, "GET", "/fapi/v1/klines?symbol=NOPE&interval=1h");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body, R"({"code":-1121,"msg":"Invalid symbol."})");
  EXPECT_EQ(fetch(server, "POST", "/info", R"({"type":"candleSnapshot","req":{"coin":"BTC"}})").body, "[{\"t\":1}]");
  const Reply first = fetch(server, "GET", "/limited");
  EXPECT_EQ(first.status, 429);
  EXPECT_EQ(first.head.get("Retry-After"), "1");
  EXPECT_EQ(fetch(server, "GET", "/limited").body, "[1]");
  EXPECT_EQ(fetch(server, "GET", "/limited").body, "[]");
  const Reply page = fetch(server, "GET", "/page");
  EXPECT_EQ(page.status, 502);
  EXPECT_EQ(page.content_type, "text/html");
  std::filesystem::remove_all(dir);
}

TEST(FakeExchangeServer, ManifestErrorsNameTheProblem) {
  const auto dir = temp_dir("bad-manifest");
  write(dir / "ok.json", "{}");
  FakeExchangeServer server;
  const std::pair<const char*, const char*> cases[] = {
      {"{", "not valid JSON"},
      {"[]", "\"routes\""},
      {R"({"routes":[{"path":"/a","file":"../secret"}]})", "routes[0]"},
      {R"({"routes":[{"path":"/a","file":"/etc/passwd"}]})", "relative"},
      {R"({"routes":[{"path":"/a","file":"missing.json"}]})", "cannot read"},
      {R"({"routes":[{"path":"/a","file":"ok.json","body":"x"}]})", "not both"},
      {R"({"routes":[{"path":"/a","stauts":200}]})", "unknown key \"stauts\""},
      {R"({"routes":[{"path":"/a"},{"path":"/b","status":999}]})", "routes[1]"},
      {R"({"routes":[{"file":"ok.json"}]})", "\"path\" is required"},
      {R"({"routes":[{"path":"/a","responses":[{"status":"x"}]}]})", "responses[0]"},
  };
  for (const auto& [manifest, expected] : cases) {
    write(dir / "routes.json", manifest);
    try {
      server.load_dir(dir.string());
      ADD_FAILURE() << "accepted: " << manifest;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(server.load_dir((dir / "nowhere").string()), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST(FakeExchangeServer, RestartsOnTheSamePort) {
  // "Exchange down, then back": stop, then listen again on the same port.
  auto server = std::make_unique<FakeExchangeServer>();
  server->get("/a", FakeResponse::json("1"));
  EXPECT_EQ(fetch(*server, "GET", "/a").body, "1");
  const auto port = server->port();
  server->stop();
  EXPECT_THROW(fetch(*server, "GET", "/a"), Poco::Exception);
  server.reset();
  FakeExchangeServer::Options options;
  options.port = port;
  FakeExchangeServer again(options);
  again.get("/a", FakeResponse::json("2"));
  EXPECT_EQ(again.port(), port);
  EXPECT_EQ(fetch(again, "GET", "/a").body, "2");
}
