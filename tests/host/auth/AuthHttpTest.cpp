// The auth layer over real HTTP: an in-process HttpServer on 127.0.0.1 with the token
// endpoint, the bearer stage and test routes of each scope, clients in a real PostgreSQL
// schema or SQLite file (every test runs on both). RELIABILITY.md J1–J14, H5, H9.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include "AuthModule.hpp"
#include "ClientAdmin.hpp"
#include "HttpServer.hpp"
#include "HttpTestClient.hpp"
#include "JsonWriter.hpp"
#include "JwtTestSupport.hpp"
#include "Migrator.hpp"
#include "Request.hpp"
#include "Response.hpp"
#include "StorageTestSupport.hpp"

namespace mdp::auth {
namespace {

using namespace std::chrono_literals;
using storage::Dialect;
using test::basic_auth;
using test::json_member;
using test::Reply;
using test::send;

// Answers 200 {"client":"<client id the pipeline set>"}.
class EchoClientRoute : public http::Route {
 public:
  explicit EchoClientRoute(std::string scope) : scope_(std::move(scope)) {}
  void handle(const http::Request& request, http::Response& response) override {
    http::JsonWriter(response.start_json(200)).begin_object().key("client").string(request.client_id()).end_object();
  }
  std::string_view required_scope() const override { return scope_; }

 private:
  std::string scope_;
};

// Holds every request until opened (overload test).
class GateRoute : public http::Route {
 public:
  std::atomic<int> entered{0};
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    wake_.notify_all();
  }
  void handle(const http::Request&, http::Response& response) override {
    ++entered;
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, 20s, [this] { return open_; });
    response.start_json(200).assign("{}");
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool open_ = false;
};

// Keeps every access-log line.
class RecordingChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard<std::mutex> lock(mutex);
    lines.push_back(message.getText());
  }
  std::mutex mutex;
  std::vector<std::string> lines;
};

class AuthHttpTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<storage::test::TestDatabase>(GetParam());
    storage::Migrator(database_->db(), storage::test::schema_root()).migrate();
    clock_ms_ = system_now_ms();

    AuthSettings settings;
    settings.jwt_secret = std::string(test::kSecret);
    settings.issuer = std::string(test::kIssuer);
    settings.audience = std::string(test::kAudience);
    settings.token_ttl_s = 900;
    settings.revocation_check_ms = 30'000;
    settings.argon2 = Argon2Params{1024, 1, 1};  // cheap in tests; production parameters: SecretHasherTest
    settings.endpoint.per_address = {20, 20};
    settings.endpoint.per_client = {60, 60};
    auth_ = std::make_unique<AuthModule>(
        settings, database_->db(), [this] { return clock_ms_.load(); },
        [](const http::Request& request) {
          const std::string* source = request.header("X-Test-Source");  // simulated addresses
          return source ? *source : request.remote_address();
        });
    admin_ = std::make_unique<ClientAdmin>(database_->db(), auth_->hasher(), [this] { return clock_ms_.load(); });
    market_ = admin_->create("market", {"market:read"});
    ops_ = admin_->create("ops", {"market:read", "admin"});
    start_server(http::HttpServerConfig{});
  }

  void start_server(http::HttpServerConfig config) {
    server_.reset();
    router_ = std::make_shared<http::Router>();
    auth_->add_routes(*router_);
    router_->add(http::HttpMethod::Get, "/v1/data", std::make_shared<EchoClientRoute>("market:read"));
    router_->add(http::HttpMethod::Get, "/v1/admin/thing", std::make_shared<EchoClientRoute>("admin"));
    router_->add(http::HttpMethod::Get, "/public", std::make_shared<EchoClientRoute>(""));
    router_->add(http::HttpMethod::Get, "/gate", gate_);
    config.host = "127.0.0.1";
    config.port = 0;
    config.drain_timeout = 2s;
    server_ = std::make_unique<http::HttpServer>(config, router_, auth_->authenticator());
    server_->start();
  }

  void TearDown() override {
    gate_->open();
    server_.reset();
  }

  std::uint16_t port() const { return server_->port(); }

  Reply token_request(const std::string& id, const std::string& secret, const std::string& extra = "",
                      const std::string& source = "10.0.0.1") {
    return send(port(), "POST", "/v1/auth/token",
                {{"Authorization", basic_auth(id, secret)},
                 {"Content-Type", "application/x-www-form-urlencoded"},
                 {"X-Test-Source", source}},
                "grant_type=client_credentials" + extra);
  }

  std::string token_for(const CreatedClient& client, const std::string& extra = "") {
    const Reply reply = token_request(client.id, client.secret, extra);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return json_member(reply.body, "access_token");
  }

  Reply get(const std::string& target, const std::string& authorization) {
    return send(port(), "GET", target, {{"Authorization", authorization}});
  }

  static void expect_problem(const Reply& reply, int status, const std::string& slug) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json");
    EXPECT_EQ(json_member(reply.body, "type"), "https://mdp.dev/problems/" + slug) << reply.body;
    EXPECT_EQ(json_member(reply.body, "status"), std::to_string(status));
    for (const char* leak : {"xception", ".cpp", "what()", "SELECT", "argon2", "HMAC", "Poco", "std::"}) {
      EXPECT_EQ(reply.body.find(leak), std::string::npos) << leak << " in " << reply.body;
    }
  }

  std::unique_ptr<storage::test::TestDatabase> database_;
  std::atomic<std::int64_t> clock_ms_{0};
  std::unique_ptr<AuthModule> auth_;
  std::unique_ptr<ClientAdmin> admin_;
  CreatedClient market_;
  CreatedClient ops_;
  std::shared_ptr<GateRoute> gate_ = std::make_shared<GateRoute>();
  std::shared_ptr<http::Router> router_;
  std::unique_ptr<http::HttpServer> server_;
};

// ---- token endpoint (J13) -----------------------------------------------------------

TEST_P(AuthHttpTest, BasicCredentialsGetABearerTokenThatWorks) {
  const Reply reply = token_request(market_.id, market_.secret);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/json");
  EXPECT_EQ(reply.header("cache-control"), "no-store");
  EXPECT_EQ(reply.header("pragma"), "no-cache");
  EXPECT_EQ(json_member(reply.body, "token_type"), "Bearer");
  EXPECT_EQ(json_member(reply.body, "expires_in"), "900");
  EXPECT_EQ(json_member(reply.body, "scope"), "market:read");
  EXPECT_EQ(reply.body.find("refresh_token"), std::string::npos);
  const std::string token = json_member(reply.body, "access_token");

  const VerificationResult verified = auth_->verifier().verify(token, clock_ms_ / 1000);
  ASSERT_TRUE(verified.principal);
  EXPECT_EQ(verified.principal->client_id, market_.id);

  const Reply data = get("/v1/data", "Bearer " + token);
  EXPECT_EQ(data.status, 200) << data.body;
  EXPECT_EQ(json_member(data.body, "client"), market_.id);  // the route sees the principal
}

TEST_P(AuthHttpTest, FormAndJsonBodyCredentialsWorkToo) {
  const Reply form = send(port(), "POST", "/v1/auth/token", {{"Content-Type", "application/x-www-form-urlencoded"}},
                          "grant_type=client_credentials&client_id=" + ops_.id + "&client_secret=" + ops_.secret +
                              "&scope=admin");
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_EQ(json_member(form.body, "scope"), "admin");
  EXPECT_EQ(get("/v1/admin/thing", "Bearer " + json_member(form.body, "access_token")).status, 200);

  const Reply json = send(port(), "POST", "/v1/auth/token", {{"Content-Type", "application/json"}},
                          R"({"grant_type":"client_credentials","client_id":")" + ops_.id +
                              R"(","client_secret":")" + ops_.secret + R"("})");
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(json_member(json.body, "scope"), "market:read admin");
  EXPECT_EQ(json.header("cache-control"), "no-store");
}

TEST_P(AuthHttpTest, UnknownClientAndWrongSecretGetTheSameAnswer) {
  const Reply wrong = token_request(market_.id, market_.secret + "x");
  const Reply unknown = token_request("mdp_doesnotexist00", market_.secret);
  const Reply garbage_id = token_request("' OR 1=1 --", market_.secret);
  for (const Reply* reply : {&wrong, &unknown, &garbage_id}) {
    EXPECT_EQ(reply->status, 401);
    EXPECT_EQ(reply->header("www-authenticate"), "Basic realm=\"mdp\", charset=\"UTF-8\"");
    EXPECT_EQ(reply->header("cache-control"), "no-store");
    EXPECT_EQ(reply->body, wrong.body);
  }
  EXPECT_EQ(json_member(wrong.body, "error"), "invalid_client");

  // Credentials in the body: the same error, as a 400 without a challenge (RFC 6749 §5.2).
  const Reply body_creds = send(port(), "POST", "/v1/auth/token", {{"Content-Type", "application/x-www-form-urlencoded"}},
                                "grant_type=client_credentials&client_id=" + market_.id + "&client_secret=nope");
  EXPECT_EQ(body_creds.status, 400);
  EXPECT_EQ(json_member(body_creds.body, "error"), "invalid_client");
  EXPECT_EQ(body_creds.count("www-authenticate"), 0U);
}

TEST_P(AuthHttpTest, EveryRfc6749ErrorCode) {
  const auto post = [this](const std::string& body, const std::string& authorization = {}) {
    test::Headers headers{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    return send(port(), "POST", "/v1/auth/token", headers, body);
  };
  const std::string basic = basic_auth(market_.id, market_.secret);
  const Reply missing_grant = post("scope=market%3Aread", basic);
  EXPECT_EQ(missing_grant.status, 400);
  EXPECT_EQ(json_member(missing_grant.body, "error"), "invalid_request");
  EXPECT_EQ(json_member(post("grant_type=password&username=a&password=b", basic).body, "error"), "unsupported_grant_type");
  const Reply not_granted = post("grant_type=client_credentials&scope=admin", basic);
  EXPECT_EQ(not_granted.status, 400);
  EXPECT_EQ(json_member(not_granted.body, "error"), "invalid_scope");
  EXPECT_EQ(json_member(post("grant_type=client_credentials&scope=everything", basic).body, "error"), "invalid_scope");
  EXPECT_EQ(json_member(post("grant_type=client_credentials&grant_type=client_credentials", basic).body, "error"),
            "invalid_request");
  EXPECT_EQ(json_member(post("grant_type=client_credentials&client_id=x&client_secret=y", basic).body, "error"),
            "invalid_request");
  const Reply no_credentials = post("grant_type=client_credentials");
  EXPECT_EQ(no_credentials.status, 401);
  EXPECT_EQ(json_member(no_credentials.body, "error"), "invalid_client");
  EXPECT_EQ(no_credentials.header("www-authenticate"), "Basic realm=\"mdp\", charset=\"UTF-8\"");
  for (const Reply& reply : {missing_grant, not_granted, no_credentials}) {
    EXPECT_EQ(reply.header("cache-control"), "no-store");
    EXPECT_EQ(reply.header("pragma"), "no-cache");
  }
}

TEST_P(AuthHttpTest, OnlyPostAndOnlySmallBodies) {
  const Reply get_token = send(port(), "GET", "/v1/auth/token");
  expect_problem(get_token, 405, "method-not-allowed");
  EXPECT_EQ(get_token.header("allow"), "POST");
  const Reply huge = send(port(), "POST", "/v1/auth/token", {{"Content-Type", "application/x-www-form-urlencoded"}},
                          "grant_type=client_credentials&pad=" + std::string(9000, 'a'));
  expect_problem(huge, 413, "payload-too-large");
}

TEST_P(AuthHttpTest, RevokedClientGetsNoToken) {
  ASSERT_TRUE(admin_->revoke("market"));
  const Reply reply = token_request(market_.id, market_.secret);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(json_member(reply.body, "error"), "invalid_client");
}

// ---- brute force (J14) --------------------------------------------------------------

TEST_P(AuthHttpTest, BruteForceIsThrottledPerAddressBeforeHashing) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    EXPECT_EQ(token_request(market_.id, "guess-" + std::to_string(attempt), "", "203.0.113.9").status, 401) << attempt;
  }
  const Reply throttled = token_request(market_.id, "guess-21", "", "203.0.113.9");
  expect_problem(throttled, 429, "rate-limited");
  EXPECT_GE(std::stoi(throttled.header("retry-after")), 1);
  // The right secret from the attacking address waits too…
  EXPECT_EQ(token_request(market_.id, market_.secret, "", "203.0.113.9").status, 429);
  // …while the legitimate client from another address is served.
  EXPECT_EQ(token_request(market_.id, market_.secret, "", "198.51.100.7").status, 200);
  EXPECT_EQ(token_request(ops_.id, ops_.secret, "", "198.51.100.8").status, 200);
}

TEST_P(AuthHttpTest, BruteForceIsThrottledPerClientIdAcrossAddresses) {
  // A distributed guesser: 15 attempts per address stays under the per-address burst (20),
  // but the client id's bucket (burst 60, refilling 1/s) runs dry after about 60 guesses,
  // whichever address they come from.
  int throttled_at = -1;
  Reply throttled;
  for (int attempt = 0; attempt < 120 && throttled_at < 0; ++attempt) {
    const Reply reply = token_request(market_.id, "guess-" + std::to_string(attempt), "",
                                      "203.0.113." + std::to_string(10 + attempt / 15));
    if (reply.status == 429) {
      throttled_at = attempt;
      throttled = reply;
    } else {
      ASSERT_EQ(reply.status, 401) << attempt << " " << reply.body;
    }
  }
  ASSERT_GE(throttled_at, 60) << "the per-client burst is 60";
  EXPECT_LT(throttled_at, 100) << "refill is 1/s: the guesses were not throttled per client id";
  expect_problem(throttled, 429, "rate-limited");
  EXPECT_GE(std::stoi(throttled.header("retry-after")), 1);
  // Another client id is unaffected, from one of the attacking addresses.
  EXPECT_EQ(token_request(ops_.id, ops_.secret, "", "203.0.113.10").status, 200);
  EXPECT_EQ(send(port(), "GET", "/public").status, 200);
}

TEST_P(AuthHttpTest, SuccessfulRequestsDoNotUseUpTheThrottle) {
  for (int i = 0; i < 30; ++i) ASSERT_EQ(token_request(market_.id, market_.secret, "", "192.0.2.1").status, 200) << i;
}

// ---- bearer tokens on protected routes (J1–J11) ---------------------------------------

TEST_P(AuthHttpTest, MissingCredentialsGetABareBearerChallenge) {
  for (const Reply& reply : {send(port(), "GET", "/v1/data"), get("/v1/data", basic_auth(market_.id, market_.secret)),
                             send(port(), "GET", "/v1/data?access_token=" + token_for(market_))}) {
    expect_problem(reply, 401, "unauthorized");
    EXPECT_EQ(reply.header("www-authenticate"), "Bearer");
  }
  EXPECT_EQ(send(port(), "GET", "/public").status, 200);  // public routes need nothing
}

TEST_P(AuthHttpTest, SchemeIsCaseInsensitive) {
  const std::string token = token_for(market_);
  EXPECT_EQ(get("/v1/data", "Bearer " + token).status, 200);
  EXPECT_EQ(get("/v1/data", "bearer " + token).status, 200);
  EXPECT_EQ(get("/v1/data", "BEARER " + token).status, 200);
}

TEST_P(AuthHttpTest, MalformedAuthorizationIs400InvalidRequest) {
  const std::string token = token_for(market_);
  const Reply twice = send(port(), "GET", "/v1/data", {{"Authorization", "Bearer " + token}, {"Authorization", "Bearer " + token}});
  const Reply empty = get("/v1/data", "Bearer ");
  for (const Reply* reply : {&twice, &empty}) {
    expect_problem(*reply, 400, "bad-request");
    EXPECT_EQ(reply->header("www-authenticate"), "Bearer error=\"invalid_request\"");
  }
}

TEST_P(AuthHttpTest, EveryBadTokenGetsTheSameOpaque401) {
  const std::int64_t now = clock_ms_ / 1000;
  const std::string good = token_for(market_);
  const std::string payload = good.substr(good.find('.') + 1, good.rfind('.') - good.find('.') - 1);
  std::vector<std::string> bad = {
      "garbage",
      good.substr(0, good.size() - 1) + (good.back() == 'A' ? "B" : "A"),
      good + ".x",
      test::b64url(R"({"alg":"none","typ":"at+jwt"})") + "." + payload + ".",
      test::b64url(R"({"alg":"nOnE","typ":"at+jwt"})") + "." + payload + "." + good.substr(good.rfind('.') + 1),
      test::sign_hs256(test::kHeader, test::Claims(now).set("exp", std::to_string(now - 120)).json()),
      test::sign_hs256(test::kHeader, test::Claims(now).set("nbf", std::to_string(now + 600)).json()),
      test::sign_hs256(test::kHeader, test::Claims(now).set("iss", "\"evil\"").json()),
      test::sign_hs256(test::kHeader, test::Claims(now).set("aud", "\"other\"").json()),
      test::sign_hs256(R"({"alg":"HS512","typ":"at+jwt"})", test::Claims(now).json()),
      test::sign_hs256(R"({"alg":"HS256","typ":"at+jwt","kid":"../../etc/passwd"})", test::Claims(now).json()),
      test::sign_hs256(test::kHeader, test::Claims(now).json(), "a-different-secret-that-is-long-enough!!"),
      std::string(5000, 'a'),
  };
  const Reply first = get("/v1/data", "Bearer " + bad.front());
  expect_problem(first, 401, "unauthorized");
  for (const std::string& token : bad) {
    const Reply reply = get("/v1/data", "Bearer " + token);
    expect_problem(reply, 401, "unauthorized");
    EXPECT_EQ(reply.header("www-authenticate"), "Bearer error=\"invalid_token\"");
    EXPECT_EQ(test::without_instance(reply.body), test::without_instance(first.body)) << token.substr(0, 60);
  }
}

TEST_P(AuthHttpTest, OversizedAuthorizationHeaderNeverReachesTheVerifier) {
  // Above Poco's 8 KiB header-value cap the connection is answered 400 before our code.
  const Reply reply = get("/v1/data", "Bearer " + std::string(9000, 'a'));
  EXPECT_EQ(reply.status, 400);
  // A signed, otherwise valid token above 8 KiB: the same, and nothing leaks.
  const std::int64_t now = clock_ms_ / 1000;
  const std::string big = test::sign_hs256(
      test::kHeader, test::Claims(now).set("sub", test::json_string(market_.id)).set("client_id", test::json_string(market_.id))
                         .set("pad", test::json_string(std::string(8300, 'p'))).json());
  ASSERT_GT(big.size(), 8192U);
  const Reply big_reply = get("/v1/data", "Bearer " + big);
  EXPECT_EQ(big_reply.status, 400);
  EXPECT_EQ(big_reply.body.find("xception"), std::string::npos) << big_reply.body;
  // The server keeps serving.
  EXPECT_EQ(get("/v1/data", "Bearer " + token_for(market_)).status, 200);
}

// Issue 8, "Bad tokens and auth": every reason a bearer token can fail gets byte-for-byte
// the same 401 body (apart from the request id), so the answer reveals nothing about which
// check failed; no body carries exception or stack text; the server serves afterwards.
TEST_P(AuthHttpTest, EveryCauseOfA401GetsTheSameBodyAndTheServerKeepsServing) {
  const std::int64_t now = clock_ms_ / 1000;
  const std::string good = token_for(market_);
  const std::size_t first_dot = good.find('.');
  const std::size_t last_dot = good.rfind('.');
  const std::string header_b64 = good.substr(0, first_dot);
  const std::string payload_b64 = good.substr(first_dot + 1, last_dot - first_dot - 1);
  const std::string signature_b64 = good.substr(last_dot + 1);
  const auto claims = [&] {
    return test::Claims(now).set("sub", test::json_string(market_.id)).set("client_id", test::json_string(market_.id));
  };
  const auto signed_with = [](const std::string& header, const std::string& payload, std::string_view key) {
    const std::string input = test::b64url(header) + "." + test::b64url(payload);
    return input + "." + test::b64url(header.find("HS512") != std::string::npos ? test::hmac_sha512_raw(key, input)
                                                                                 : test::hmac_sha256_raw(key, input));
  };
  struct Cause {
    std::string name;
    std::string token;
  };
  std::vector<Cause> causes = {
      {"alg none", test::b64url(R"({"alg":"none","typ":"at+jwt"})") + "." + payload_b64 + "."},
      {"HS512 with our secret", signed_with(R"({"alg":"HS512","typ":"at+jwt"})", claims().json(), test::kSecret)},
      // RS256 "verified" with the HS secret as if it were the public key (key confusion).
      {"RS256 with the HS secret", signed_with(R"({"alg":"RS256","typ":"at+jwt"})", claims().json(), test::kSecret)},
      {"tampered payload",
       header_b64 + "." + test::b64url(claims().set("scope", "\"market:read admin\"").json()) + "." + signature_b64},
      {"tampered signature",
       header_b64 + "." + payload_b64 + "." + signature_b64.substr(0, 10) +
           (signature_b64[10] == 'A' ? "B" : "A") + signature_b64.substr(11)},
      {"exp missing", test::sign_hs256(test::kHeader, claims().remove("exp").json())},
      {"exp expired", test::sign_hs256(test::kHeader, claims().set("exp", std::to_string(now - 120)).json())},
      {"exp a string", test::sign_hs256(test::kHeader, claims().set("exp", "\"9999999999\"").json())},
      {"nbf in the future", test::sign_hs256(test::kHeader, claims().set("nbf", std::to_string(now + 600)).json())},
      {"nbf a string", test::sign_hs256(test::kHeader, claims().set("nbf", "\"0\"").json())},
      {"wrong iss", test::sign_hs256(test::kHeader, claims().set("iss", "\"evil\"").json())},
      {"wrong aud", test::sign_hs256(test::kHeader, claims().set("aud", "\"other\"").json())},
      {"aud missing", test::sign_hs256(test::kHeader, claims().remove("aud").json())},
      {"bad base64 in the header", "e30$." + payload_b64 + "." + signature_b64},
      {"bad base64 in the payload", header_b64 + ".e30$." + signature_b64},
      {"bad base64 in the signature", header_b64 + "." + payload_b64 + ".e30$"},
      {"bad JSON in the header", test::b64url(R"({"alg":"HS256",)") + "." + payload_b64 + "." + signature_b64},
      {"bad JSON in the payload", test::sign_hs256(test::kHeader, R"({"exp":1,)")},
      {"JSON array as the payload", test::sign_hs256(test::kHeader, "[1]")},
      {"two parts", header_b64 + "." + payload_b64},
      {"four parts", good + ".x"},
      {"doubled Bearer", "Bearer " + good},
      {"another key", test::sign_hs256(test::kHeader, claims().json(), "a-different-secret-that-is-long-enough!!")},
  };
  // A token of a client revoked after issue (past the status check interval).
  const CreatedClient doomed = admin_->create("doomed", {"market:read"});
  const std::string doomed_token = token_for(doomed);
  ASSERT_EQ(get("/v1/data", "Bearer " + doomed_token).status, 200);
  ASSERT_TRUE(admin_->revoke("doomed"));
  clock_ms_ += 30'000;
  causes.push_back({"revoked client", doomed_token});

  const Reply reference = get("/v1/data", "Bearer garbage");
  expect_problem(reference, 401, "unauthorized");
  for (const Cause& cause : causes) {
    SCOPED_TRACE(cause.name);
    const Reply reply = get("/v1/data", "Bearer " + cause.token);
    expect_problem(reply, 401, "unauthorized");
    EXPECT_EQ(reply.header("www-authenticate"), "Bearer error=\"invalid_token\"");
    EXPECT_EQ(test::without_instance(reply.body), test::without_instance(reference.body));
    EXPECT_EQ(reply.body.find(cause.name), std::string::npos);
  }
  // No scheme at all (the bare token) and a foreign scheme: the bare challenge, one body too.
  const Reply bare = get("/v1/data", good);
  expect_problem(bare, 401, "unauthorized");
  EXPECT_EQ(bare.header("www-authenticate"), "Bearer");
  EXPECT_EQ(test::without_instance(get("/v1/data", "Token " + good).body), test::without_instance(bare.body));
  // The process still serves a valid token.
  EXPECT_EQ(get("/v1/data", "Bearer " + token_for(market_)).status, 200);
}

TEST_P(AuthHttpTest, WrongScopeIs403WithTheScopeNamed) {
  const Reply reply = get("/v1/admin/thing", "Bearer " + token_for(market_));
  expect_problem(reply, 403, "forbidden");
  EXPECT_EQ(reply.header("www-authenticate"), "Bearer error=\"insufficient_scope\", scope=\"admin\"");
  EXPECT_EQ(get("/v1/admin/thing", "Bearer " + token_for(ops_)).status, 200);
  // A token asked for with a narrower scope carries only that scope.
  EXPECT_EQ(get("/v1/admin/thing", "Bearer " + token_for(ops_, "&scope=market%3Aread")).status, 403);
}

TEST_P(AuthHttpTest, RevokedClientsTokensStopWithinTheCheckInterval) {
  const std::string token = token_for(market_);
  ASSERT_EQ(get("/v1/data", "Bearer " + token).status, 200);
  ASSERT_TRUE(admin_->revoke("market"));
  // Still inside the 30 s window the status is cached for…
  EXPECT_EQ(get("/v1/data", "Bearer " + token).status, 200);
  clock_ms_ += 30'000;
  // …and refused once it has passed.
  const Reply refused = get("/v1/data", "Bearer " + token);
  expect_problem(refused, 401, "unauthorized");
  EXPECT_EQ(refused.header("www-authenticate"), "Bearer error=\"invalid_token\"");
  // Other clients are unaffected.
  EXPECT_EQ(get("/v1/data", "Bearer " + token_for(ops_)).status, 200);
}

TEST_P(AuthHttpTest, ACachedTokenStillExpires) {
  const std::string token = token_for(market_);
  ASSERT_EQ(get("/v1/data", "Bearer " + token).status, 200);  // now cached
  clock_ms_ += (900 + 30) * 1000;                            // past exp, inside the leeway
  EXPECT_EQ(get("/v1/data", "Bearer " + token).status, 200);
  clock_ms_ += 31 * 1000;                                    // past exp + leeway
  EXPECT_EQ(get("/v1/data", "Bearer " + token).status, 401);
}

TEST_P(AuthHttpTest, AccessLogNamesTheClientAndNeverTheToken) {
  Poco::AutoPtr<RecordingChannel> channel(new RecordingChannel);
  Poco::Logger& access = Poco::Logger::get("http.access");
  access.setChannel(channel);
  access.setLevel(Poco::Message::PRIO_INFORMATION);
  const std::string token = token_for(market_);
  ASSERT_EQ(get("/v1/data", "Bearer " + token).status, 200);
  ASSERT_EQ(get("/v1/admin/thing", "Bearer " + token).status, 403);
  access.setChannel(nullptr);
  std::lock_guard<std::mutex> lock(channel->mutex);
  int with_client = 0;
  for (const std::string& line : channel->lines) {
    EXPECT_EQ(line.find(token.substr(0, 20)), std::string::npos) << line;
    EXPECT_EQ(line.find(market_.secret), std::string::npos) << line;
    if (line.find("client_id=" + market_.id) != std::string::npos) ++with_client;
  }
  EXPECT_EQ(with_client, 2);
}

// ---- per-client rate limit (H9) -------------------------------------------------------

TEST_P(AuthHttpTest, RateLimitPerClientWithRetryAfterAndDraftHeaders) {
  http::HttpServerConfig config;
  config.rate_limit_per_minute = 60;  // one per second
  config.rate_limit_burst = 2;
  start_server(config);
  const std::string market = "Bearer " + token_for(market_);
  const std::string ops = "Bearer " + token_for(ops_);

  const Reply first = get("/v1/data", market);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.header("ratelimit-policy"), "\"per-client\";q=60;w=60");
  EXPECT_EQ(first.header("ratelimit").rfind("\"per-client\";r=1;t=", 0), 0U) << first.header("ratelimit");
  EXPECT_EQ(get("/v1/data", market).status, 200);
  const Reply limited = get("/v1/data", market);
  expect_problem(limited, 429, "rate-limited");
  const int retry_after = std::stoi(limited.header("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_EQ(limited.header("ratelimit-policy"), "\"per-client\";q=60;w=60");
  EXPECT_EQ(limited.header("ratelimit").rfind("\"per-client\";r=0;t=", 0), 0U) << limited.header("ratelimit");

  EXPECT_EQ(get("/v1/data", ops).status, 200);  // another client is independent
  std::this_thread::sleep_for(std::chrono::seconds(retry_after) + 50ms);
  EXPECT_EQ(get("/v1/data", market).status, 200);  // recovered after Retry-After
}

// ---- overload (H5) --------------------------------------------------------------------

TEST_P(AuthHttpTest, RequestsBeyondTheInFlightLimitGet503) {
  http::HttpServerConfig config;
  config.threads = 4;
  config.max_in_flight = 1;
  start_server(config);
  std::thread held([this] { EXPECT_EQ(send(port(), "GET", "/gate").status, 200); });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (gate_->entered.load() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(gate_->entered.load(), 1);

  const Reply shed = send(port(), "GET", "/public");
  expect_problem(shed, 503, "unavailable");
  EXPECT_EQ(shed.header("retry-after"), "1");
  EXPECT_TRUE(http::equals_ignore_case(shed.header("connection"), "close")) << shed.header("connection");

  gate_->open();
  held.join();
  EXPECT_EQ(send(port(), "GET", "/public").status, 200);  // served again once the burst is over
}

INSTANTIATE_TEST_SUITE_P(BothStores, AuthHttpTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param) {
                           return storage::test::dialect_name(param.param);
                         });

}  // namespace
}  // namespace mdp::auth
