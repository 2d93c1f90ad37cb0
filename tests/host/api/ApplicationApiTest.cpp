// The API as mdp-host serves it: app::Application (the composition root itself, role api,
// PostgreSQL), the real binance_futures plugin against the fake exchange. Two things only a
// whole host can show:
//  - the router the host builds (operational + token + /v1 routes) is exactly the OpenAPI
//    document's set of operations, with the documented scopes (RELIABILITY.md A6);
//  - issue 5's "done when" path: create a client, get a token with client credentials,
//    sync, list Binance perpetuals, download a month of 1h BTC candles as CSV.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <Poco/AutoPtr.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Util/MapConfiguration.h>

#include "ApiTestSupport.hpp"
#include "AppConfig.hpp"
#include "Application.hpp"
#include "ClientAdmin.hpp"
#include "GeneratedKlines.hpp"
#include "OpenApiDocument.hpp"
#include "SecretHasher.hpp"
#include "StorageTestSupport.hpp"

namespace mdp::api::test {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') throw std::runtime_error(std::string(name) + " is not set (run through ctest)");
  return value;
}

class ApplicationApi : public ::testing::Test {
 protected:
  void SetUp() override {
    exchange_.get("/fapi/v1/exchangeInfo",
                  fake::FakeResponse::file(binance_fixture_path("exchangeInfo_all_kinds.json")));
    serve_generated_klines(exchange_);
    try {
      database_ = std::make_unique<storage::test::TestDatabase>(storage::Dialect::PostgreSQL);
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    const std::string base = storage::test::test_database_url();
    Poco::AutoPtr<Poco::Util::MapConfiguration> file(new Poco::Util::MapConfiguration);
    file->setString("role", "api");
    file->setString("database.url",
                    base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + database_->schema());
    file->setString("database.schema_dir", (storage::test::source_dir() / "schema").string());
    file->setString("server.host", "127.0.0.1");
    file->setString("server.port", "0");
    file->setString("server.threads", "8");
    file->setString("plugins.dir", environment("MDP_PLUGIN_BUILD_DIR"));
    file->setString("plugins.verify_permissions", "false");
    file->setString("plugins.enabled", kBinance);
    file->setString(std::string("plugins.") + kBinance + ".base_url", exchange_.base_url());
    file->setString("auth.jwt_secret", "api-application-test-Zq8Wm3Rt6Yu1Io4Pa7Sd0Fg2Hj5Kl9");
    app::AppConfig config = app::load_app_config(*file, app::Environment{}, app::CommandLine{});
    app_ = std::make_unique<app::Application>(config, app::AppPaths{environment("MDP_BINARY_DIR") + "/bin"});
    app_->start();
  }

  void TearDown() override {
    if (app_) app_->stop();
    app_.reset();
  }

  HttpResult request(const std::string& method, const std::string& target,
                     const std::map<std::string, std::string>& headers = {}, const std::string& body = {}) {
    return send_request(app_->http_port(), method, target, headers, body);
  }

  fake::FakeExchangeServer exchange_;
  std::unique_ptr<storage::test::TestDatabase> database_;
  std::unique_ptr<app::Application> app_;
};

TEST_F(ApplicationApi, TheHostsRouterIsTheOpenApiDocument) {
  ASSERT_NE(app_->router(), nullptr);
  const SchemaChecker checker(parse_openapi_document());
  expect_router_matches_document(*app_->router(), checker);
  EXPECT_EQ(request("GET", "/openapi.json").body, std::string(openapi_document()));
}

TEST_F(ApplicationApi, ANewUserGetsATokenListsPerpetualsAndDownloadsAMonthOfCandlesAsCsv) {
  // `mdp-host clients add research --scopes market:read,admin`, in process.
  auth::ClientAdmin clients(app_->database(), std::make_shared<auth::SecretHasher>());
  const auth::CreatedClient client = clients.create("research", {"market:read", "admin"});

  // curl -u "$ID:$SECRET" -d grant_type=client_credentials http://host/v1/auth/token
  Poco::Net::HTTPRequest basic;
  Poco::Net::HTTPBasicCredentials(client.id, client.secret).authenticate(basic);
  const HttpResult token = request("POST", "/v1/auth/token",
                                   {{"Authorization", basic.get("Authorization")},
                                    {"Content-Type", "application/x-www-form-urlencoded"}},
                                   "grant_type=client_credentials");
  ASSERT_EQ(token.status, 200) << token.body;
  const std::map<std::string, std::string> bearer = {
      {"Authorization", "Bearer " + json_object(token)->getValue<std::string>("access_token")}};

  const HttpResult sync = request("POST", "/v1/admin/sync?exchange=binance_futures", bearer);
  ASSERT_EQ(sync.status, 200) << sync.body;
  ASSERT_EQ(json_object(sync)->getValue<std::string>("outcome"), "succeeded") << sync.body;

  const HttpResult perpetuals = request("GET", "/v1/symbols?exchange=binance_futures&type=perpetual", bearer);
  ASSERT_EQ(perpetuals.status, 200) << perpetuals.body;
  const auto symbols = json_object(perpetuals)->getArray("symbols");
  std::vector<std::string> names;
  for (const auto& item : *symbols) names.push_back(item.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("symbol"));
  EXPECT_NE(std::find(names.begin(), names.end(), "BTC/USDT:USDT"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "ETH/BTC:BTC"), names.end());

  std::map<std::string, std::string> csv = bearer;
  csv["Accept"] = "text/csv";
  const HttpResult month = request(
      "GET", "/v1/candles?exchange=binance_futures&symbol=BTC/USDT:USDT&interval=1h&start=2024-01-01&end=2024-02-01",
      csv);
  ASSERT_EQ(month.status, 200) << month.body.substr(0, 300);
  EXPECT_EQ(*month.header("content-type"), "text/csv; charset=utf-8");
  const auto records = parse_csv(month.body);
  ASSERT_EQ(records.size(), 1u + 31 * 24);
  const ExpectedCandle last = expected_candle(1706742000000, 3'600'000);  // 2024-01-31T23:00Z
  EXPECT_EQ(records.back(), (std::vector<std::string>{std::to_string(last.open_time), std::to_string(last.close_time),
                                                       last.open, last.high, last.low, last.close, last.volume,
                                                       last.quote_volume, std::to_string(last.trades), "true"}));

  // And the errors a new user meets answer with problem documents.
  expect_problem(request("GET", "/v1/candles?exchange=binance_futures&symbol=BTC/USDT:USDT&interval=1h&start=2024-01-01"
                                "&end=2024-01-02"),
                 401, "unauthorized");
  expect_problem(request("GET", "/v1/candles?exchange=binance_futures&symbol=BTC/EUR&interval=1h&start=2024-01-01"
                                "&end=2024-01-02",
                         bearer),
                 404, "not-found");
}

}  // namespace
}  // namespace mdp::api::test
