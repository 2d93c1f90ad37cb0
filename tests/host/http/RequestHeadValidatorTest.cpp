#include <string>

#include <gtest/gtest.h>

#include "AccessLogLine.hpp"
#include "RequestHeadValidator.hpp"

namespace mdp::http {
namespace {

RequestHeadLimits small_limits() {
  RequestHeadLimits limits;
  limits.max_uri_bytes = 64;
  limits.max_header_bytes = 256;
  limits.max_body_bytes = 100;
  return limits;
}

RequestHeadVerdict check(HttpMethod method, const HeaderList& headers, std::string_view target = "/x",
                         std::string_view version = "HTTP/1.1") {
  return RequestHeadValidator(small_limits()).check(method, version, target, headers);
}

int status_of(const RequestHeadVerdict& verdict) { return verdict.problem ? verdict.problem->status() : 0; }

TEST(RequestHeadValidatorTest, PlainGetPasses) {
  const RequestHeadVerdict verdict = check(HttpMethod::Get, {{"Host", "x"}});
  EXPECT_FALSE(verdict.problem);
  EXPECT_EQ(verdict.body.kind, BodyFraming::Kind::None);
  EXPECT_FALSE(verdict.close_connection);
}

TEST(RequestHeadValidatorTest, Versions) {
  EXPECT_EQ(status_of(check(HttpMethod::Get, {}, "/x", "HTTP/1.0")), 0);
  EXPECT_EQ(status_of(check(HttpMethod::Get, {}, "/x", "HTTP/9.9")), 505);
  EXPECT_EQ(status_of(check(HttpMethod::Get, {}, "/x", "HTTP/2.0")), 505);
  EXPECT_EQ(status_of(check(HttpMethod::Get, {}, "/x", "FOO/1.1")), 400);
  EXPECT_TRUE(check(HttpMethod::Get, {}, "/x", "HTTP/9.9").close_connection);
}

TEST(RequestHeadValidatorTest, TargetFormAndLength) {
  EXPECT_EQ(status_of(check(HttpMethod::Get, {}, "http://evil/x")), 400);
  EXPECT_EQ(status_of(check(HttpMethod::Get, {}, "*")), 400);
  EXPECT_EQ(status_of(check(HttpMethod::Get, {}, "/" + std::string(63, 'a'))), 0);
  const RequestHeadVerdict verdict = check(HttpMethod::Get, {}, "/" + std::string(64, 'a'));
  EXPECT_EQ(status_of(verdict), 414);
  EXPECT_FALSE(verdict.close_connection);  // no body: the connection stays usable
}

TEST(RequestHeadValidatorTest, TotalHeaderBytes) {
  EXPECT_EQ(status_of(check(HttpMethod::Get, {{"X-A", std::string(200, 'a')}})), 0);
  EXPECT_EQ(status_of(check(HttpMethod::Get, {{"X-A", std::string(200, 'a')}, {"X-B", std::string(60, 'b')}})), 431);
}

TEST(RequestHeadValidatorTest, FramingErrorsCloseTheConnection) {
  const HeaderList cases[] = {
      {{"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}},
      {{"Content-Length", "5"}, {"Content-Length", "5"}},
      {{"Content-Length", "5"}, {"content-length", "6"}},
      {{"Content-Length", "-1"}},
      {{"Content-Length", "+5"}},
      {{"Content-Length", "5 5"}},
      {{"Content-Length", "0x10"}},
      {{"Content-Length", ""}},
      {{"Content-Length", "1234567890123456789"}},
      {{"Transfer-Encoding", "gzip, chunked"}},
      {{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}},
      {{"Transfer-Encoding", "identity"}},
  };
  for (const HeaderList& headers : cases) {
    const RequestHeadVerdict verdict = check(HttpMethod::Post, headers);
    EXPECT_EQ(status_of(verdict), 400) << headers.front().first << ": " << headers.front().second;
    EXPECT_TRUE(verdict.close_connection);
  }
  EXPECT_EQ(status_of(check(HttpMethod::Post, {{"Transfer-Encoding", "chunked"}}, "/x", "HTTP/1.0")), 400);
}

TEST(RequestHeadValidatorTest, BodyFraming) {
  RequestHeadVerdict verdict = check(HttpMethod::Post, {{"Content-Length", "100"}});
  EXPECT_FALSE(verdict.problem);
  EXPECT_EQ(verdict.body.kind, BodyFraming::Kind::Length);
  EXPECT_EQ(verdict.body.length, 100U);
  verdict = check(HttpMethod::Post, {{"Transfer-Encoding", "Chunked"}});
  EXPECT_FALSE(verdict.problem);
  EXPECT_EQ(verdict.body.kind, BodyFraming::Kind::Chunked);
  verdict = check(HttpMethod::Post, {{"Content-Length", "0"}});
  EXPECT_EQ(verdict.body.kind, BodyFraming::Kind::None);
  verdict = check(HttpMethod::Post, {});
  EXPECT_EQ(verdict.body.kind, BodyFraming::Kind::None);  // RFC 9112 §6.3: no framing = no body
}

TEST(RequestHeadValidatorTest, DeclaredBodyAboveCapIs413) {
  const RequestHeadVerdict verdict = check(HttpMethod::Post, {{"Content-Length", "101"}});
  EXPECT_EQ(status_of(verdict), 413);
  EXPECT_TRUE(verdict.close_connection);
  EXPECT_EQ(status_of(check(HttpMethod::Post, {{"Content-Length", "10485760"}})), 413);
}

TEST(RequestHeadValidatorTest, GetOrHeadWithBodyIs400) {
  EXPECT_EQ(status_of(check(HttpMethod::Get, {{"Content-Length", "1"}})), 400);
  EXPECT_EQ(status_of(check(HttpMethod::Head, {{"Transfer-Encoding", "chunked"}})), 400);
  EXPECT_EQ(status_of(check(HttpMethod::Get, {{"Content-Length", "0"}})), 0);
}

TEST(AccessLogLineTest, FormatsAndSanitises) {
  const AccessLogLine line{"GET", "/v1/x\n\"evil\"", 200, 42, "abc", {}, "127.0.0.1", 15};
  EXPECT_EQ(line.format(),
            "method=GET path=/v1/x??evil? status=200 duration_us=42 request_id=abc client_id=- remote=127.0.0.1 "
            "bytes=15");
  EXPECT_EQ(log_safe(std::string(300, 'a')).size(), 259U);
}

}  // namespace
}  // namespace mdp::http
