#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "ResponseReader.hpp"

using mdp::domain::UpstreamFailure;
using mdp::net::ByteSource;
using mdp::net::ParsedResponse;
using mdp::net::ResponseLimits;
using mdp::net::ResponseReader;
using mdp::net::TransportError;

namespace {

// Hands out scripted pieces (never more than asked for), then end of stream.
class ScriptedSource final : public ByteSource {
 public:
  explicit ScriptedSource(std::deque<std::string> pieces) : pieces_(std::move(pieces)) {}
  std::size_t receive(char* buffer, std::size_t length) override {
    while (!pieces_.empty() && pieces_.front().empty()) pieces_.pop_front();
    if (pieces_.empty()) return 0;
    std::string& piece = pieces_.front();
    const std::size_t n = std::min(length, piece.size());
    piece.copy(buffer, n);
    piece.erase(0, n);
    delivered_ += n;
    return n;
  }
  std::size_t delivered() const { return delivered_; }

 private:
  std::deque<std::string> pieces_;
  std::size_t delivered_ = 0;
};

ParsedResponse read_all(std::deque<std::string> pieces, std::size_t cap = 1 << 20) {
  ScriptedSource source(std::move(pieces));
  ResponseLimits limits;
  limits.max_body_bytes = cap;
  ResponseReader reader(source, limits);
  return reader.read();
}

UpstreamFailure failure_of(std::deque<std::string> pieces, std::size_t cap = 1 << 20, std::string* message = nullptr) {
  try {
    read_all(std::move(pieces), cap);
  } catch (const TransportError& e) {
    if (message) *message = e.what();
    return e.failure();
  }
  return UpstreamFailure::None;
}

}  // namespace

TEST(ResponseReader, ContentLengthBodyAcrossPieces) {
  const auto r = read_all({"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-MBX-USED-WEIGHT-1M: 7\r\n",
                           "Content-Length: 11\r\n\r\n{\"a\":", "[1,2]}"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"a\":[1,2]}");
  ASSERT_NE(r.header("x-mbx-used-weight-1m"), nullptr);  // names lower-cased
  EXPECT_EQ(*r.header("x-mbx-used-weight-1m"), "7");
  EXPECT_EQ(*r.header("content-type"), "application/json");
  EXPECT_TRUE(r.reusable);
}

TEST(ResponseReader, TruncatedContentLengthIsAnError) {
  std::string message;
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", std::string(40, 'x')}, 1 << 20, &message),
            UpstreamFailure::ReadFailed);
  EXPECT_NE(message.find("40 of 100"), std::string::npos) << message;
  EXPECT_EQ(message.find("xxxx"), std::string::npos);  // never quotes the body
}

TEST(ResponseReader, ChunkedWithExtensionsAndTrailers) {
  const auto r = read_all({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "5;ext=1\r\nhello\r\n",
                           "1", "A\r\n", std::string(26, 'z'), "\r\n0\r\nX-Trailer: t\r\n\r\n"});
  EXPECT_EQ(r.body, "hello" + std::string(26, 'z'));
  EXPECT_TRUE(r.reusable);
}

TEST(ResponseReader, TruncatedChunkedIsAnError) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  EXPECT_EQ(failure_of({head, "10\r\nonly-part"}), UpstreamFailure::ReadFailed);      // inside a chunk
  EXPECT_EQ(failure_of({head, "5\r\nhello\r\n"}), UpstreamFailure::ReadFailed);       // no last chunk
  EXPECT_EQ(failure_of({head, "5\r\nhello\r\n0\r\n"}), UpstreamFailure::ReadFailed);  // no final CRLF
  EXPECT_EQ(failure_of({head, "zz\r\nhello\r\n0\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({head, "5\r\nhelloXX0\r\n\r\n"}), UpstreamFailure::ReadFailed);
}

TEST(ResponseReader, BodyCapByContentLengthReadsNothing) {
  ScriptedSource source({"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", std::string(5000, 'x')});
  ResponseLimits limits;
  limits.max_body_bytes = 1000;
  ResponseReader reader(source, limits);
  try {
    reader.read();
    FAIL() << "expected TooLarge";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.failure(), UpstreamFailure::TooLarge);
  }
  EXPECT_LT(source.delivered(), 100u);  // only the header
}

TEST(ResponseReader, BodyCapChunkedAndUntilClose) {
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + std::string(1000, 'x') +
                            "\r\n1\r\nx\r\n0\r\n\r\n"},
                       1000),
            UpstreamFailure::TooLarge);

  // Until close: reads at most cap + 1 body bytes.
  ScriptedSource source({"HTTP/1.1 200 OK\r\n\r\n", std::string(1 << 20, 'y')});
  ResponseLimits limits;
  limits.max_body_bytes = 1000;
  ResponseReader reader(source, limits);
  EXPECT_THROW(reader.read(), TransportError);
  EXPECT_LE(source.delivered(), std::string("HTTP/1.1 200 OK\r\n\r\n").size() + 1001);

  // Exactly the cap is fine.
  EXPECT_EQ(read_all({"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", std::string(1000, 'x')}, 1000).body.size(),
            1000u);
}

TEST(ResponseReader, UntilCloseBodyIsNotReusable) {
  const auto r = read_all({"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it"});
  EXPECT_EQ(r.body, "all of it");
  EXPECT_FALSE(r.reusable);
}

TEST(ResponseReader, KeepAliveRules) {
  EXPECT_FALSE(read_all({"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"}).reusable);
  EXPECT_FALSE(read_all({"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"}).reusable);
  EXPECT_TRUE(read_all({"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"}).reusable);
  EXPECT_TRUE(read_all({"HTTP/1.1 204 No Content\r\n\r\n"}).reusable);
  EXPECT_TRUE(read_all({"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"}).reusable);  // no body
  // Both framings: chunked wins, connection not reused.
  EXPECT_FALSE(read_all({"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"})
                   .reusable);
}

TEST(ResponseReader, InterimResponsesAreSkipped) {
  const auto r = read_all({"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
}

TEST(ResponseReader, RedirectIsJustAResponse) {
  const auto r = read_all({"HTTP/1.1 302 Found\r\nLocation: https://evil.example/\r\nContent-Length: 0\r\n\r\n"});
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(*r.header("location"), "https://evil.example/");
}

TEST(ResponseReader, MalformedHeads) {
  EXPECT_EQ(failure_of({"HTTP/2 200 OK\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 20 OK\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 999 What\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"<html>hello</html>\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nX: a\r\n folded\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"}),
            UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"}), UpstreamFailure::ReadFailed);  // cut in head
  EXPECT_EQ(failure_of({"HTTP/1.1 101 Switching Protocols\r\n\r\n"}), UpstreamFailure::ReadFailed);
  // Same Content-Length twice is tolerated.
  EXPECT_EQ(read_all({"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab"}).body, "ab");
}

TEST(ResponseReader, HeaderLimits) {
  std::string many = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 300; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(failure_of({many + "\r\n"}), UpstreamFailure::ReadFailed);
  EXPECT_EQ(failure_of({"HTTP/1.1 200 OK\r\nX: " + std::string(70000, 'a') + "\r\n\r\n"}), UpstreamFailure::ReadFailed);
}

TEST(ResponseReader, NothingReceivedIsVisible) {
  ScriptedSource source({});
  ResponseReader reader(source, ResponseLimits{});
  EXPECT_THROW(reader.read(), TransportError);
  EXPECT_EQ(reader.bytes_received(), 0u);
}

TEST(ResponseReader, BareLineFeedsAccepted) {
  const auto r = read_all({"HTTP/1.1 200 OK\nContent-Length: 2\n\nok"});
  EXPECT_EQ(r.body, "ok");
}
