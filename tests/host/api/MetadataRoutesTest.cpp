// GET /v1/exchanges, /v1/intervals, /v1/symbols, /v1/symbols/resolve, /v1/symbols/changes,
// POST /v1/admin/sync and GET /v1/admin/sync-runs over real HTTP: the catalogue is filled
// by the syncer through the real binance_futures plugin from a fixture served by the fake
// exchange, into PostgreSQL (and SQLite where the route has dialect-specific SQL).
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ApiTestSupport.hpp"
#include "FakeExchangeServer.hpp"

namespace mdp::api::test {
namespace {

using storage::Dialect;

HostOptions with_dialect(Dialect dialect) {
  HostOptions options;
  options.dialect = dialect;
  return options;
}

std::vector<std::string> symbol_names(const Poco::JSON::Object::Ptr& page) {
  std::vector<std::string> names;
  for (const auto& item : *page->getArray("symbols")) {
    names.push_back(item.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("symbol"));
  }
  return names;
}

class MetadataRoutes : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    try {
      host_ = std::make_unique<ApiTestHost>(with_dialect(GetParam()));
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }
  std::unique_ptr<ApiTestHost> host_;
};

TEST_P(MetadataRoutes, ExchangesListsLoadedAndFailedPluginsWithCapabilitiesAndLastSync) {
  const HttpResult response = host_->get("/v1/exchanges");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(*response.header("content-type"), "application/json");
  const auto exchanges = json_object(response)->getArray("exchanges");
  ASSERT_EQ(exchanges->size(), 1u);
  const auto binance = exchanges->getObject(0);
  EXPECT_EQ(binance->getValue<std::string>("id"), kBinance);
  EXPECT_EQ(binance->getValue<std::string>("status"), "loaded");
  EXPECT_TRUE(binance->isNull("status_reason"));
  EXPECT_EQ(binance->getValue<std::string>("abi"), "1.0");
  EXPECT_FALSE(binance->getValue<std::string>("plugin_version").empty());
  EXPECT_TRUE(binance->getObject("capabilities")->getValue<bool>("candles"));
  EXPECT_TRUE(binance->getObject("capabilities")->getValue<bool>("symbols"));
  EXPECT_EQ(binance->getObject("capabilities")->getValue<int>("intervals"), 15);
  EXPECT_FALSE(binance->isNull("last_successful_sync")) << "the host synced once before serving";
}

TEST_P(MetadataRoutes, IntervalsHasTheCatalogueAndPerExchangeSupport) {
  const HttpResult response = host_->get("/v1/intervals");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = json_object(response);
  const auto catalogue = body->getArray("intervals");
  ASSERT_EQ(catalogue->size(), 15u);
  EXPECT_EQ(catalogue->getObject(0)->getValue<std::string>("code"), "1m");
  EXPECT_EQ(catalogue->getObject(0)->getValue<std::int64_t>("duration_ms"), 60'000);
  EXPECT_EQ(catalogue->getObject(0)->getValue<std::string>("calendar_rule"), "fixed");
  EXPECT_EQ(catalogue->getObject(13)->getValue<std::string>("calendar_rule"), "week_monday");
  EXPECT_EQ(catalogue->getObject(14)->getValue<std::string>("code"), "1M");
  EXPECT_EQ(catalogue->getObject(14)->getValue<std::string>("calendar_rule"), "calendar_month");
  const auto exchanges = body->getArray("exchanges");
  ASSERT_EQ(exchanges->size(), 1u);
  const auto supported = exchanges->getObject(0)->getArray("intervals");
  ASSERT_EQ(supported->size(), 15u);
  EXPECT_EQ(supported->getObject(5)->getValue<std::string>("code"), "1h");
  EXPECT_EQ(supported->getObject(5)->getValue<std::string>("native_code"), "1h");
  EXPECT_EQ(supported->getObject(5)->getValue<int>("page_cap"), 1500);
}

TEST_P(MetadataRoutes, SymbolsExcludeDelistedUnlessAskedAndFilter) {
  const auto all = json_object(host_->get("/v1/symbols?status=all&limit=1000"));
  const std::vector<std::string> every = symbol_names(all);
  const auto active = json_object(host_->get("/v1/symbols"));
  const std::vector<std::string> listed = symbol_names(active);
  const auto delisted = json_object(host_->get("/v1/symbols?status=delisted"));
  const std::vector<std::string> gone = symbol_names(delisted);
  ASSERT_FALSE(gone.empty()) << "the fixture has delisted markets (DELIVERED, CLOSE)";
  EXPECT_EQ(listed.size() + gone.size(), every.size());
  for (const auto& item : *delisted->getArray("symbols")) {
    EXPECT_EQ(item.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("status"), "delisted");
  }
  for (const std::string& name : gone) EXPECT_EQ(std::count(listed.begin(), listed.end(), name), 0) << name;
  EXPECT_TRUE(active->isNull("next_cursor"));
  EXPECT_TRUE(std::is_sorted(every.begin(), every.end()));

  // Filters: type, base, quote, q (case-insensitive, canonical or native), status lists.
  const auto futures = json_object(host_->get("/v1/symbols?type=future&status=all"))->getArray("symbols");
  EXPECT_GT(futures->size(), 0u);
  for (const auto& item : *futures) {
    EXPECT_EQ(item.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("market_type"), "future");
  }
  EXPECT_EQ(symbol_names(json_object(host_->get("/v1/symbols?base=BTC&quote=USDC"))),
            std::vector<std::string>{"BTC/USDC:USDC"});
  EXPECT_EQ(symbol_names(json_object(host_->get("/v1/symbols?q=pepe"))), std::vector<std::string>{"1000PEPE/USDT:USDT"});
  EXPECT_EQ(symbol_names(json_object(host_->get("/v1/symbols?q=1000pepeusdt"))),
            std::vector<std::string>{"1000PEPE/USDT:USDT"})
      << "q matches the native symbol too";
  const auto halted = json_object(host_->get("/v1/symbols?status=halted,pre_trading"))->getArray("symbols");
  EXPECT_GT(halted->size(), 0u);
  for (const auto& item : *halted) {
    const std::string status = item.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("status");
    EXPECT_TRUE(status == "halted" || status == "pre_trading") << status;
  }
  EXPECT_EQ(symbol_names(json_object(host_->get("/v1/symbols?exchange=binance_futures&base=NOSUCH"))).size(), 0u);
}

TEST_P(MetadataRoutes, SymbolObjectsCarryExactDecimalsAndExplicitNulls) {
  const auto page = json_object(host_->get("/v1/symbols?base=BTC&quote=USDT&type=perpetual"));
  const auto symbols = page->getArray("symbols");
  ASSERT_EQ(symbols->size(), 1u);
  const auto btc = symbols->getObject(0);
  EXPECT_EQ(btc->getValue<std::string>("symbol"), "BTC/USDT:USDT");
  EXPECT_EQ(btc->getValue<std::string>("native_symbol"), "BTCUSDT");
  EXPECT_EQ(btc->getValue<std::string>("settle"), "USDT");
  EXPECT_EQ(btc->getValue<std::string>("contract_size"), "1");
  EXPECT_TRUE(btc->get("tick_size").isString()) << "decimals travel as strings";
  EXPECT_TRUE(btc->isNull("price_max_decimals"));
  EXPECT_TRUE(btc->isNull("delisted_at"));
  EXPECT_TRUE(btc->isNull("alias_of"));
  for (const char* secret : {"path", "secret", "password", ".so"}) {
    EXPECT_EQ(host_->get("/v1/symbols?status=all&limit=1000").body.find(secret), std::string::npos) << secret;
  }
}

TEST_P(MetadataRoutes, CursorPagesCoverEverySymbolOnceInOrder) {
  const std::vector<std::string> every = symbol_names(json_object(host_->get("/v1/symbols?status=all&limit=1000")));
  std::vector<std::string> paged;
  std::string target = "/v1/symbols?status=all&limit=4";
  for (int pages = 0; pages < 100; ++pages) {
    const HttpResult response = host_->get(target);
    ASSERT_EQ(response.status, 200) << response.body;
    const auto page = json_object(response);
    const std::vector<std::string> names = symbol_names(page);
    EXPECT_LE(names.size(), 4u);
    paged.insert(paged.end(), names.begin(), names.end());
    if (page->isNull("next_cursor")) {
      EXPECT_EQ(response.header("x-next-cursor"), nullptr);
      break;
    }
    const std::string cursor = page->getValue<std::string>("next_cursor");
    ASSERT_NE(response.header("x-next-cursor"), nullptr);
    EXPECT_EQ(*response.header("x-next-cursor"), cursor);
    target = "/v1/symbols?status=all&limit=4&cursor=" + cursor;
  }
  EXPECT_EQ(paged, every);
}

TEST_P(MetadataRoutes, SymbolsAsCsvParseBackToTheJsonValues) {
  const auto json = json_object(host_->get("/v1/symbols?status=all&limit=1000"));
  const HttpResult csv = host_->get("/v1/symbols?status=all&limit=1000", As::Market, {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(*csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(*csv.header("content-disposition"), "attachment; filename=\"symbols.csv\"");
  const auto records = parse_csv(csv.body);
  const auto items = json->getArray("symbols");
  ASSERT_EQ(records.size(), items->size() + 1);
  const std::vector<std::string>& header = records[0];
  EXPECT_EQ(header.front(), "exchange");
  for (std::size_t row = 0; row < items->size(); ++row) {
    const auto object = items->getObject(static_cast<unsigned>(row));
    ASSERT_EQ(records[row + 1].size(), header.size());
    ASSERT_EQ(object->size(), header.size()) << "CSV columns are exactly the JSON members";
    for (std::size_t col = 0; col < header.size(); ++col) {
      const Poco::Dynamic::Var value = object->get(header[col]);
      const std::string expected = value.isEmpty() ? "" : value.convert<std::string>();
      EXPECT_EQ(records[row + 1][col], expected) << header[col] << " of row " << row;
    }
  }
  // format=csv does the same.
  EXPECT_EQ(host_->get("/v1/symbols?status=all&limit=1000&format=csv").body, csv.body);
}

TEST_P(MetadataRoutes, ResolveMapsBothWaysAnd404sTheUnknown) {
  const HttpResult by_native = host_->get("/v1/symbols/resolve?exchange=binance_futures&native=BTCUSDT");
  ASSERT_EQ(by_native.status, 200) << by_native.body;
  EXPECT_EQ(json_object(by_native)->getValue<std::string>("symbol"), "BTC/USDT:USDT");
  const HttpResult by_symbol =
      host_->get("/v1/symbols/resolve?exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT-250328");
  ASSERT_EQ(by_symbol.status, 200) << by_symbol.body;
  EXPECT_EQ(json_object(by_symbol)->getValue<std::string>("native_symbol"), "BTCUSDT_250328");
  // Non-ASCII native ids resolve too.
  const HttpResult unicode =
      host_->get("/v1/symbols/resolve?exchange=binance_futures&native=%E5%B8%81%E5%AE%89%E4%BA%BA%E7%94%9FUSDT");
  ASSERT_EQ(unicode.status, 200) << unicode.body;
  EXPECT_EQ(json_object(unicode)->getValue<std::string>("base"), "\xE5\xB8\x81\xE5\xAE\x89\xE4\xBA\xBA\xE7\x94\x9F");

  expect_problem(host_->get("/v1/symbols/resolve?exchange=binance_futures&native=NOPEUSDT"), 404, "not-found",
                 "NOPEUSDT");
  expect_problem(host_->get("/v1/symbols/resolve?exchange=nosuch&native=BTCUSDT"), 404, "not-found",
                 "unknown exchange 'nosuch'");
  expect_problem(host_->get("/v1/symbols/resolve?exchange=binance_futures"), 400, "bad-request", "exactly one");
  expect_problem(host_->get("/v1/symbols/resolve?exchange=binance_futures&native=A&symbol=B"), 400, "bad-request",
                 "exactly one");
}

TEST_P(MetadataRoutes, SymbolErrorsNameTheParameter) {
  struct Case {
    const char* target;
    const char* parameter;
  };
  for (const Case& c : {Case{"/v1/symbols?limit=1001", "limit"}, Case{"/v1/symbols?limit=0", "limit"},
                        Case{"/v1/symbols?limit=abc", "limit"}, Case{"/v1/symbols?type=option", "type"},
                        Case{"/v1/symbols?status=open", "status"}, Case{"/v1/symbols?status=trading,", "status"},
                        Case{"/v1/symbols?cursor=garbage", "cursor"}, Case{"/v1/symbols?format=xml", "format"},
                        Case{"/v1/symbols?exchange=", "exchange"},
                        Case{"/v1/symbols/changes?since=yesterday", "since"},
                        Case{"/v1/symbols/changes?limit=5001", "limit"},
                        Case{"/v1/symbols/changes?symbol=BTC%2FUSDT%3AUSDT", "exchange"}}) {
    const HttpResult response = host_->get(c.target);
    expect_problem(response, 400, "bad-request", std::string("'") + c.parameter + "'");
    EXPECT_EQ(problem_parameter(response), c.parameter) << c.target;
  }
  expect_problem(host_->get("/v1/symbols?sort=symbol"), 400, "bad-request", "unknown query parameter 'sort'");
  expect_problem(host_->get("/v1/symbols?limit=1&limit=2"), 400, "bad-request", "duplicate");
  expect_problem(host_->get("/v1/symbols?exchange=nosuch"), 404, "not-found", "unknown exchange");
}

TEST_P(MetadataRoutes, ChangesShowWhatASyncChanged) {
  // The exchange changes the first symbol's (BTCUSDT's) tick size.
  std::string body = fake::FakeResponse::file(binance_fixture_path("exchangeInfo_all_kinds.json")).body;
  ASSERT_NE(body.find("\"tickSize\": \"0.10\""), std::string::npos) << "fixture changed: adapt this test";
  body.replace(body.find("\"tickSize\": \"0.10\""), std::string("\"tickSize\": \"0.10\"").size(), "\"tickSize\": \"0.20\"");
  host_->exchange().set_default(host_->exchange_info_route(), fake::FakeResponse::json(body));
  const HttpResult sync = host_->post("/v1/admin/sync?exchange=binance_futures");
  ASSERT_EQ(sync.status, 200) << sync.body;
  const auto summary = json_object(sync);
  EXPECT_EQ(summary->getValue<std::string>("outcome"), "succeeded");
  EXPECT_EQ(summary->getValue<int>("changed"), 1);

  const HttpResult changes = host_->get("/v1/symbols/changes?exchange=binance_futures");
  ASSERT_EQ(changes.status, 200) << changes.body;
  const auto log = json_object(changes);
  EXPECT_FALSE(log->getValue<bool>("has_more"));
  const auto rows = log->getArray("changes");
  ASSERT_EQ(rows->size(), 1u) << changes.body;
  const auto change = rows->getObject(0);
  EXPECT_EQ(change->getValue<std::string>("field"), "tick_size");
  EXPECT_EQ(change->getValue<std::string>("old_value"), "0.1");
  EXPECT_EQ(change->getValue<std::string>("new_value"), "0.2");
  EXPECT_EQ(change->getValue<std::int64_t>("sync_run_id"), summary->getValue<std::int64_t>("run_id"));
  const std::string symbol = change->getValue<std::string>("symbol");
  const std::int64_t at = change->getValue<std::int64_t>("changed_at");

  const std::string by_symbol = "/v1/symbols/changes?exchange=binance_futures&symbol=" + symbol;
  EXPECT_EQ(json_object(host_->get(by_symbol))->getArray("changes")->size(), 1u);
  EXPECT_EQ(json_object(host_->get(by_symbol + "&since=" + std::to_string(at)))->getArray("changes")->size(), 1u);
  EXPECT_EQ(json_object(host_->get(by_symbol + "&since=" + std::to_string(at + 1)))->getArray("changes")->size(), 0u);
  expect_problem(host_->get("/v1/symbols/changes?exchange=binance_futures&symbol=NOPE%2FUSDT"), 404, "not-found");
}

TEST_P(MetadataRoutes, AdminSyncAndRunsNeedTheAdminScope) {
  const HttpResult forbidden = host_->post("/v1/admin/sync?exchange=binance_futures", {}, As::Market);
  EXPECT_EQ(forbidden.status, 403) << forbidden.body;
  EXPECT_EQ(host_->get("/v1/admin/sync-runs", As::Market).status, 403);
  EXPECT_EQ(host_->get("/v1/admin/sync-runs", As::Anonymous).status, 401);
  EXPECT_EQ(host_->get("/v1/exchanges", As::Anonymous).status, 401);
  EXPECT_EQ(host_->get("/v1/exchanges", As::Invalid).status, 401);

  const HttpResult sync = host_->post("/v1/admin/sync?exchange=binance_futures");
  ASSERT_EQ(sync.status, 200) << sync.body;
  const auto summary = json_object(sync);
  EXPECT_EQ(summary->getValue<std::string>("outcome"), "succeeded");
  EXPECT_EQ(summary->getValue<std::string>("exchange"), kBinance);
  EXPECT_EQ(summary->getValue<int>("added"), 0) << "the catalogue was filled before; nothing new";
  EXPECT_TRUE(summary->isNull("error"));

  const HttpResult runs = host_->get("/v1/admin/sync-runs?exchange=binance_futures&limit=5", As::Admin);
  ASSERT_EQ(runs.status, 200) << runs.body;
  const auto list = json_object(runs)->getArray("runs");
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->getObject(0)->getValue<std::int64_t>("id"), summary->getValue<std::int64_t>("run_id"))
      << "newest first";
  EXPECT_EQ(list->getObject(1)->getValue<std::string>("outcome"), "succeeded");
  EXPECT_EQ(json_object(host_->get("/v1/admin/sync-runs?limit=1", As::Admin))->getArray("runs")->size(), 1u);

  expect_problem(host_->post("/v1/admin/sync?exchange=nosuch"), 404, "not-found", "unknown exchange");
  expect_problem(host_->post("/v1/admin/sync"), 400, "bad-request", "'exchange'");
  expect_problem(host_->post("/v1/admin/sync?exchange=binance_futures", R"({"exchange":"x"})"), 400, "bad-request",
                 "no request body");
  expect_problem(host_->get("/v1/admin/sync-runs?limit=201", As::Admin), 400, "bad-request", "'limit'");
  expect_problem(host_->get("/v1/admin/sync-runs?exchange=nosuch", As::Admin), 404, "not-found");
  EXPECT_EQ(host_->get("/v1/admin/sync?exchange=binance_futures", As::Admin).status, 405);
}

TEST_P(MetadataRoutes, AFailedSyncIsReportedInTheSummary) {
  host_->exchange().set_default(host_->exchange_info_route(), fake::FakeResponse::html_error_page(502));
  const HttpResult sync = host_->post("/v1/admin/sync?exchange=binance_futures");
  ASSERT_EQ(sync.status, 200) << sync.body;
  const auto summary = json_object(sync);
  EXPECT_EQ(summary->getValue<std::string>("outcome"), "failed");
  EXPECT_FALSE(summary->isNull("error"));
  const auto runs = json_object(host_->get("/v1/admin/sync-runs?exchange=binance_futures", As::Admin));
  EXPECT_EQ(runs->getArray("runs")->getObject(0)->getValue<std::string>("outcome"), "failed");
}

INSTANTIATE_TEST_SUITE_P(Dialects, MetadataRoutes, ::testing::Values(Dialect::PostgreSQL, Dialect::SQLite),
                         [](const ::testing::TestParamInfo<Dialect>& p) { return std::string(storage::to_string(p.param)); });

TEST(MetadataRoutesFailures, AFailedPluginIsListedWithItsReasonAndNoDirectories) {
  HostOptions options;
  options.plugins = {kBinance, "ghost"};
  ApiTestHost host(options);
  const auto exchanges = json_object(host.get("/v1/exchanges"))->getArray("exchanges");
  ASSERT_EQ(exchanges->size(), 2u);
  const auto ghost = exchanges->getObject(1);
  EXPECT_EQ(ghost->getValue<std::string>("id"), "ghost");
  EXPECT_EQ(ghost->getValue<std::string>("status"), "failed");
  const std::string reason = ghost->getValue<std::string>("status_reason");
  EXPECT_NE(reason.find("mdp-ghost.so"), std::string::npos) << reason;
  EXPECT_NE(reason.find("not found"), std::string::npos) << reason;
  EXPECT_EQ(reason.find('/'), std::string::npos) << "the plugin directory is not the client's business: " << reason;
  EXPECT_FALSE(ghost->getObject("capabilities")->getValue<bool>("candles"));

  expect_problem(host.post("/v1/admin/sync?exchange=ghost"), 503, "unavailable", "failed to load");
  expect_problem(host.get("/v1/candles?exchange=ghost&symbol=X&interval=1h&start=0&end=1"), 503, "unavailable",
                 "failed to load");
}

TEST(MetadataRoutesFailures, DatabaseDownIs503WithRetryAfter) {
  HostOptions options;
  options.unreachable_database = true;
  options.exchange_info_fixture.clear();
  ApiTestHost host(options);
  for (const char* target : {"/v1/exchanges", "/v1/intervals", "/v1/symbols", "/v1/symbols/changes",
                             "/v1/symbols/resolve?exchange=binance_futures&native=BTCUSDT",
                             "/v1/candles?exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT&interval=1h&start=0&end=3600000"}) {
    const HttpResult response = host.get(target);
    expect_problem(response, 503, "db-unavailable");
    ASSERT_NE(response.header("retry-after"), nullptr) << target;
    EXPECT_EQ(*response.header("retry-after"), "5");
  }
  expect_problem(host.get("/v1/admin/sync-runs", As::Admin), 503, "db-unavailable");
  EXPECT_EQ(host.klines_requests().size(), 0u);
}

// RELIABILITY D4: every pooled session is busy (held here, as long requests would) → a
// DB-bound request waits the pool's bounded acquire time, then gets 503 db-unavailable with
// Retry-After, never a 500; once sessions come back the same route is 200.
TEST(MetadataRoutesFailures, MoreDatabaseBoundRequestsThanPooledSessionsGet503WithRetryAfter) {
  ApiTestHost host;
  ASSERT_EQ(host.get("/v1/symbols?exchange=binance_futures").status, 200);
  {
    std::vector<storage::Lease> held;
    for (std::size_t i = 0; i < host.db().options().max_sessions; ++i) held.push_back(host.db().acquire());
    ASSERT_EQ(host.db().stats().in_use, host.db().options().max_sessions);
    for (const char* target : {"/v1/symbols?exchange=binance_futures", "/v1/exchanges"}) {
      const HttpResult response = host.get(target);
      expect_problem(response, 503, "db-unavailable");
      ASSERT_NE(response.header("retry-after"), nullptr) << target;
      EXPECT_EQ(response.body.find("pool"), std::string::npos) << response.body;
      EXPECT_EQ(response.body.find("within"), std::string::npos) << response.body;
    }
  }
  EXPECT_EQ(host.get("/v1/symbols?exchange=binance_futures").status, 200);
  EXPECT_EQ(host.db().stats().in_use, 0u);
}

}  // namespace
}  // namespace mdp::api::test
