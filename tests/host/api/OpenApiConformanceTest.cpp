// The OpenAPI document against the running implementation (RELIABILITY.md A6, H7):
//  - the router's (method, path) set equals the document's operations, and each route's
//    required scope is the one the document declares;
//  - every documented operation is requested over real HTTP (at least one 200 and its
//    error cases); each answer's status is documented for that operation and its body
//    matches the documented schema for its content type (JSON schema subset checker);
//  - every error is an application/problem+json document whose `type` is in the enum.
#include <functional>
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <Poco/JSON/Array.h>

#include "ApiTestSupport.hpp"
#include "GeneratedKlines.hpp"
#include "HttpMethod.hpp"
#include "Route.hpp"
#include "Router.hpp"

namespace mdp::api::test {
namespace {

class OpenApiConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      host_ = std::make_unique<ApiTestHost>();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    klines_ = serve_generated_klines(host_->exchange());
  }
  SchemaChecker checker_{parse_openapi_document()};
  std::unique_ptr<ApiTestHost> host_;
  fake::RouteId klines_ = -1;
};

TEST_F(OpenApiConformance, RouterAndDocumentListTheSameOperationsWithTheSameScopes) {
  expect_router_matches_document(host_->router(), checker_);
}

struct Example {
  Example(std::string method_, std::string path_, std::string query_, As as_ = As::Market,
          int status_ = 200, std::map<std::string, std::string> headers_ = {},
          std::function<void(ApiTestHost&, fake::RouteId)> before_ = {}, std::string body_ = {})
      : method(std::move(method_)),
        path(std::move(path_)),
        query(std::move(query_)),
        as(as_),
        status(status_),
        headers(std::move(headers_)),
        before(std::move(before_)),
        body(std::move(body_)) {}

  std::string method;  // "GET" / "POST"
  std::string path;
  std::string query;   // without '?'
  As as;
  int status;
  std::map<std::string, std::string> headers;
  std::function<void(ApiTestHost&, fake::RouteId)> before;  // e.g. script an upstream failure
  std::string body;
};

std::vector<Example> examples(const ApiTestHost& running) {
  const std::string btc = "exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT&interval=1h&start=2024-01-01";
  const As admin = As::Admin;
  const std::map<std::string, std::string> form = {{"Content-Type", "application/x-www-form-urlencoded"},
                                                   {"Authorization", running.basic_authorization(As::Market)}};
  std::map<std::string, std::string> wrong_secret = form;
  wrong_secret["Authorization"] = "Basic " + std::string("bm9ib2R5Om5vdGhpbmc=");  // nobody:nothing
  std::vector<Example> list = {
      {"POST", "/v1/auth/token", "", As::Anonymous, 200, form, {}, "grant_type=client_credentials"},
      {"POST", "/v1/auth/token", "", As::Anonymous, 400, form, {}, "grant_type=password"},
      {"POST", "/v1/auth/token", "", As::Anonymous, 401, wrong_secret, {}, "grant_type=client_credentials"},
      {"GET", "/health", "", As::Anonymous},
      {"GET", "/ready", "", As::Anonymous},
      {"GET", "/openapi.json", "", As::Anonymous},
      {"GET", "/v1/exchanges", ""},
      {"GET", "/v1/exchanges", "x=1", As::Market, 400},
      {"GET", "/v1/exchanges", "", As::Anonymous, 401},
      {"GET", "/v1/intervals", ""},
      {"GET", "/v1/symbols", "status=all&limit=3"},
      {"GET", "/v1/symbols", "status=all&limit=3", As::Market, 200, {{"Accept", "text/csv"}}},
      {"GET", "/v1/symbols", "limit=0", As::Market, 400},
      {"GET", "/v1/symbols", "exchange=nosuch", As::Market, 404},
      {"GET", "/v1/symbols/resolve", "exchange=binance_futures&native=BTCUSDT"},
      {"GET", "/v1/symbols/resolve", "exchange=binance_futures&native=NOPE", As::Market, 404},
      {"GET", "/v1/symbols/changes", "exchange=binance_futures"},
      {"GET", "/v1/symbols/changes", "since=x", As::Market, 400},
      {"GET", "/v1/candles", btc + "&end=2024-01-02"},
      {"GET", "/v1/candles", btc + "&end=2024-01-02&format=csv"},
      {"GET", "/v1/candles", btc + "&end=2023-01-01", As::Market, 400},
      {"GET", "/v1/candles", "exchange=binance_futures&symbol=NOPE&interval=1h&start=0&end=1", As::Market, 404},
      {"GET", "/v1/candles", btc + "&end=2024-01-02", As::Market, 502, {},
       [](ApiTestHost& host, fake::RouteId route) {
         // Three times: a 5xx is retried twice by the host (net::RetryingUpstream).
         const fake::FakeResponse bad_gateway = fake::FakeResponse::html_error_page(502);
         host.exchange().script(route, {bad_gateway, bad_gateway, bad_gateway});
       }},
      {"GET", "/v1/candles", btc + "&end=2024-01-02", As::Market, 503, {},
       [](ApiTestHost& host, fake::RouteId route) {
         host.exchange().script(route, {fake::FakeResponse::json("{}", 429).with_retry_after("1")});
       }},
      {"GET", "/v1/admin/sync-runs", "limit=5", admin},
      {"GET", "/v1/admin/sync-runs", "", As::Market, 403},
      {"POST", "/v1/admin/sync", "exchange=binance_futures", admin},
      {"POST", "/v1/admin/sync", "exchange=nosuch", admin, 404},
      {"POST", "/v1/admin/sync", "", admin, 400},
  };
  return list;
}

TEST_F(OpenApiConformance, EveryDocumentedOperationAnswersAsDocumented) {
  std::set<OperationKey> answered_200;
  for (const Example& example : examples(*host_)) {
    const std::string target = example.path + (example.query.empty() ? "" : "?" + example.query);
    SCOPED_TRACE(example.method + " " + target);
    if (example.before) example.before(*host_, klines_);
    const HttpResult response =
        host_->request(example.method, target, example.as, example.headers, example.body);
    const OperationKey op{example.path, lower(example.method)};
    ASSERT_EQ(response.status, example.status) << response.body.substr(0, 400);
    EXPECT_TRUE(checker_.documents_status(op.first, op.second, response.status))
        << "status " << response.status << " is not documented";
    ASSERT_NE(response.header("content-type"), nullptr);
    std::string content_type = *response.header("content-type");
    content_type = content_type.substr(0, content_type.find(';'));
    // H7; the token endpoint's 400/401 are RFC 6749 §5.2 error objects instead.
    if (response.status >= 400 && op.first != "/v1/auth/token") {
      EXPECT_EQ(content_type, "application/problem+json") << "H7";
    }
    const auto schema = checker_.response_schema(op.first, op.second, response.status, content_type);
    ASSERT_TRUE(schema) << "no schema documented for " << content_type;
    if (content_type == "text/csv") {
      EXPECT_GE(parse_csv(response.body).size(), 1u);
    } else {
      Poco::Dynamic::Var body;
      ASSERT_NO_THROW(body = parse_json(response.body)) << response.body.substr(0, 200);
      for (const std::string& error : checker_.check(schema, body)) ADD_FAILURE() << error;
    }
    if (response.status == 200) answered_200.insert(op);
  }
  for (const OperationKey& op : documented_operations(checker_)) {
    EXPECT_EQ(answered_200.count(op), 1u) << "no successful example for " << op.second << " " << op.first;
  }
}

TEST_F(OpenApiConformance, UndocumentedPathsAre404Problems) {
  for (const char* target : {"/v2/candles", "/v1/admin", "/v1/symbols/", "//v1/symbols", "/v1/../v1/exchanges",
                             "/debug", "/v1/admin/clients"}) {
    expect_problem(host_->get(target), 404, "not-found");
  }
}

TEST_F(OpenApiConformance, TheCheckerCatchesUndocumentedAndMistypedMembers) {
  // The checker must be able to fail, or the test above proves nothing.
  const auto schema = checker_.response_schema("/v1/exchanges", "get", 200, "application/json");
  ASSERT_TRUE(schema);
  EXPECT_FALSE(checker_.check(schema, parse_json(R"({"exchanges":[{"id":"x"}]})")).empty());
  EXPECT_FALSE(checker_.check(schema, parse_json(R"({"exchanges":[],"path":"/opt"})")).empty());
  EXPECT_FALSE(checker_.check(schema, parse_json(R"({"exchanges":{}})")).empty());
  EXPECT_TRUE(checker_.check(schema, parse_json(R"({"exchanges":[]})")).empty());
  const auto candles = checker_.response_schema("/v1/candles", "get", 200, "application/json");
  const std::string ok_candle =
      R"({"open_time":1,"close_time":2,"open":"1.5","high":"2","low":"1","close":"1.5","volume":"0",)"
      R"("quote_volume":null,"trades":null,"closed":true})";
  const std::string doc = R"({"exchange":"e","symbol":"s","native_symbol":"n","interval":"1h","start":0,"end":1,)"
                          R"("available_from":null,"candles":[)";
  EXPECT_TRUE(checker_.check(candles, parse_json(doc + ok_candle + "]}")).empty());
  std::string number_price = ok_candle;
  number_price.replace(number_price.find("\"1.5\""), 5, "1.5");
  EXPECT_FALSE(checker_.check(candles, parse_json(doc + number_price + "]}")).empty()) << "prices must be strings";
  std::string trailing_zero = ok_candle;
  trailing_zero.replace(trailing_zero.find("\"1.5\""), 5, "\"1.50\"");
  EXPECT_FALSE(checker_.check(candles, parse_json(doc + trailing_zero + "]}")).empty()) << "decimal pattern";
  const auto problem = checker_.response_schema("/v1/candles", "get", 400, "application/problem+json");
  EXPECT_FALSE(checker_.check(problem, parse_json(
                                          R"({"type":"https://mdp.dev/problems/nope","title":"t","status":400,"detail":"d"})"))
                   .empty())
      << "type enum";
}

}  // namespace
}  // namespace mdp::api::test
