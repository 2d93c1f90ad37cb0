// The pipeline's access stage on plain Request/Response values: which header, which
// scheme, which status and WWW-Authenticate value (RFC 6750 §3, RELIABILITY.md J10).
#include <gtest/gtest.h>

#include <Poco/Logger.h>

#include "AuthorizationStage.hpp"
#include "Request.hpp"
#include "Response.hpp"

namespace mdp::http {
namespace {

// Accepts "good", "admin-only" lacks the scope, "busy" cannot be checked.
class ScriptedAuthenticator : public Authenticator {
 public:
  std::string last_token;
  int calls = 0;
  AuthDecision authenticate(std::string_view token, std::string_view scope) override {
    ++calls;
    last_token = std::string(token);
    AuthDecision d;
    if (token == "good") {
      d.outcome = AuthDecision::Outcome::Authenticated;
      d.client_id = "mdp_good";
    } else if (token == "market-only" && scope == "admin") {
      d.outcome = AuthDecision::Outcome::InsufficientScope;
      d.client_id = "mdp_market";
    } else if (token == "busy") {
      d.outcome = AuthDecision::Outcome::Unavailable;
    }
    return d;
  }
};

struct Outcome {
  bool admitted;
  Response response;
  std::string client_id;
};

class AuthorizationStageTest : public ::testing::Test {
 protected:
  std::shared_ptr<ScriptedAuthenticator> authenticator = std::make_shared<ScriptedAuthenticator>();
  AuthorizationStage stage{authenticator, std::nullopt, Poco::Logger::get("test.auth")};

  Outcome run(const std::vector<std::string>& authorization, std::string_view scope = "market:read") {
    Request request;
    HeaderList headers;
    for (const auto& value : authorization) headers.emplace_back("Authorization", value);
    request.set_headers(headers);
    request.set_request_id("req-1");
    Response response("req-1");
    const bool admitted = stage.admit(scope, request, response);
    return {admitted, response, request.client_id()};
  }
};

TEST_F(AuthorizationStageTest, PublicRoutesNeedNothing) {
  const Outcome outcome = run({}, "");
  EXPECT_TRUE(outcome.admitted);
  EXPECT_EQ(authenticator->calls, 0);
}

TEST_F(AuthorizationStageTest, MissingOrForeignCredentialsGetABareChallenge) {
  for (const auto& headers : std::vector<std::vector<std::string>>{{}, {"Basic bWRwOng="}, {"Digest x"}, {"Token good"}}) {
    const Outcome outcome = run(headers);
    EXPECT_FALSE(outcome.admitted);
    EXPECT_EQ(outcome.response.status(), 401);
    ASSERT_NE(outcome.response.header("WWW-Authenticate"), nullptr);
    EXPECT_EQ(*outcome.response.header("WWW-Authenticate"), "Bearer");  // no error code (RFC 6750 §3.1)
    EXPECT_NE(outcome.response.body().find("/problems/unauthorized"), std::string::npos);
  }
  EXPECT_EQ(authenticator->calls, 0);
}

TEST_F(AuthorizationStageTest, MalformedRequestsGet400InvalidRequest) {
  for (const auto& headers : std::vector<std::vector<std::string>>{{"Bearer good", "Bearer good"}, {"Bearer"}, {"Bearer   "}}) {
    const Outcome outcome = run(headers);
    EXPECT_FALSE(outcome.admitted);
    EXPECT_EQ(outcome.response.status(), 400);
    EXPECT_EQ(*outcome.response.header("WWW-Authenticate"), "Bearer error=\"invalid_request\"");
  }
  EXPECT_EQ(authenticator->calls, 0);
}

TEST_F(AuthorizationStageTest, AcceptsTheSchemeInAnyCase) {
  for (const std::string scheme : {"Bearer", "bearer", "BEARER"}) {
    const Outcome outcome = run({scheme + " good"});
    EXPECT_TRUE(outcome.admitted) << scheme;
    EXPECT_EQ(outcome.client_id, "mdp_good");
    EXPECT_EQ(authenticator->last_token, "good");
  }
}

TEST_F(AuthorizationStageTest, BadTokensGetOneOpaqueAnswer) {
  const Outcome unknown = run({"Bearer nope"});
  const Outcome oversized = run({"Bearer " + std::string(kMaxBearerTokenBytes + 1, 'a')});
  const Outcome not_b64token = run({"Bearer a b"});
  const Outcome bad_chars = run({"Bearer a\"b"});
  for (const Outcome* outcome : {&unknown, &oversized, &not_b64token, &bad_chars}) {
    EXPECT_FALSE(outcome->admitted);
    EXPECT_EQ(outcome->response.status(), 401);
    EXPECT_EQ(*outcome->response.header("WWW-Authenticate"), "Bearer error=\"invalid_token\"");
    EXPECT_EQ(outcome->response.body(), unknown.response.body());
  }
  EXPECT_EQ(authenticator->calls, 1);  // only the well-formed one reached the authenticator
}

TEST_F(AuthorizationStageTest, WrongScopeIs403AndBusyIs503) {
  const Outcome forbidden = run({"Bearer market-only"}, "admin");
  EXPECT_FALSE(forbidden.admitted);
  EXPECT_EQ(forbidden.response.status(), 403);
  EXPECT_EQ(*forbidden.response.header("WWW-Authenticate"), "Bearer error=\"insufficient_scope\", scope=\"admin\"");
  EXPECT_NE(forbidden.response.body().find("/problems/forbidden"), std::string::npos);
  EXPECT_EQ(forbidden.client_id, "mdp_market");

  const Outcome busy = run({"Bearer busy"});
  EXPECT_EQ(busy.response.status(), 503);
  EXPECT_NE(busy.response.header("Retry-After"), nullptr);
}

TEST(AuthorizationStageWiring, ProtectedRouteWithoutAuthenticatorFailsClosed) {
  AuthorizationStage stage(nullptr, std::nullopt, Poco::Logger::get("test.auth"));
  Request request;
  Response response("r");
  EXPECT_FALSE(stage.admit("market:read", request, response));
  EXPECT_EQ(response.status(), 500);
  Response open("r");
  EXPECT_TRUE(stage.admit("", request, open));
}

TEST(AuthorizationStageRateLimit, LimitsEachClientSeparatelyWithDraftHeaders) {
  auto authenticator = std::make_shared<ScriptedAuthenticator>();
  AuthorizationStage stage(authenticator, TokenBucketPolicy{60, 2}, Poco::Logger::get("test.auth"));
  const auto call = [&stage] {
    Request request;
    request.set_headers({{"Authorization", "Bearer good"}});
    Response response("r");
    const bool admitted = stage.admit("market:read", request, response);
    return std::make_pair(admitted, response);
  };
  const auto first = call();
  EXPECT_TRUE(first.first);
  EXPECT_EQ(*first.second.header("RateLimit-Policy"), "\"per-client\";q=60;w=60");
  EXPECT_EQ(*first.second.header("RateLimit"), "\"per-client\";r=1;t=1");
  EXPECT_TRUE(call().first);
  const auto limited = call();
  EXPECT_FALSE(limited.first);
  EXPECT_EQ(limited.second.status(), 429);
  EXPECT_EQ(*limited.second.header("Retry-After"), "1");
  EXPECT_EQ(*limited.second.header("RateLimit"), "\"per-client\";r=0;t=1");
  EXPECT_NE(limited.second.body().find("/problems/rate-limited"), std::string::npos);
}

}  // namespace
}  // namespace mdp::http
