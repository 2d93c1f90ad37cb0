// The syncer as mdp-host composes it (Application): the interval catalogue written at
// load, the scheduler in roles syncer/all only, the on-demand sync in every role, /ready's
// per-exchange freshness, and a shutdown that cancels a running sync. Real binance_futures
// plugin against FakeExchangeServer; SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cstdlib>

#include "AppConfig.hpp"
#include "Application.hpp"
#include "ExchangeRepository.hpp"
#include "FakeExchangeServer.hpp"
#include "MetadataSync.hpp"
#include "StorageTestSupport.hpp"
#include "SyncFailure.hpp"
#include "SyncRunRepository.hpp"
#include "SyncTestSupport.hpp"
#include "Time.hpp"

namespace mdp::sync {
namespace {

using namespace std::chrono_literals;
using storage::Dialect;
using storage::SyncOutcome;

constexpr const char* kExchange = "binance_futures";

std::string fixture(const std::string& name) {
  return (storage::test::source_dir() / "tests" / "fixtures" / "binance_futures" / name).string();
}

struct Ready {
  int status = 0;
  Poco::JSON::Object::Ptr sync_check;  // the "sync:binance_futures" entry, null when absent
};

Ready get_ready(std::uint16_t port) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ready", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  std::string body;
  Poco::StreamCopier::copyToString(in, body);
  Ready ready;
  ready.status = static_cast<int>(response.getStatus());
  const auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  const auto checks = root->getArray("checks");
  for (std::size_t i = 0; checks && i < checks->size(); ++i) {
    const auto check = checks->getObject(static_cast<unsigned>(i));
    if (check->getValue<std::string>("name") == std::string("sync:") + kExchange) ready.sync_check = check;
  }
  return ready;
}

class ApplicationSyncTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    route_ = server_.get("/fapi/v1/exchangeInfo", fake::FakeResponse::file(fixture("exchangeInfo_sync_v1.json")));
    try {
      tdb_ = std::make_unique<storage::test::TestDatabase>(GetParam());
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }

  app::AppConfig config(app::Role role) const {
    app::AppConfig c;
    c.role = role;
    if (GetParam() == Dialect::SQLite) {
      c.database_url = "sqlite:" + tdb_->url().sqlite_path;
    } else {
      const std::string base = storage::test::test_database_url();
      c.database_url = base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + tdb_->schema();
    }
    c.schema_dir = storage::test::schema_root().string();
    c.server_port = 0;
    c.server_threads = 4;
    c.jwt_secret = std::string(48, 'k');
    const char* plugin_dir = std::getenv("MDP_PLUGIN_BUILD_DIR");
    c.plugin_dir = plugin_dir ? plugin_dir : "";
    c.plugin_verify_permissions = false;
    c.plugins.push_back({kExchange, {{"base_url", server_.base_url()}}});
    c.upstream[kExchange] = app::UpstreamSettings{};
    c.sync_interval_s = 3600;
    c.sync_jitter_s = 0;
    c.sync_retry_initial_s = 1;
    c.sync_retry_max_s = 2;
    return c;
  }

  std::vector<storage::SyncRun> runs() { return test::runs_of(tdb_->db(), kExchange); }

  fake::FakeExchangeServer server_;
  fake::RouteId route_ = -1;
  std::unique_ptr<storage::test::TestDatabase> tdb_;
};

TEST_P(ApplicationSyncTest, SyncerRoleRecordsTheIntervalsSyncsAtStartAndTurnsReady) {
  app::Application application(config(app::Role::Syncer), {});
  application.start();

  // The interval catalogue comes from the plugin descriptor, written when the plugin loads.
  const auto intervals = storage::ExchangeRepository(application.database()).intervals(kExchange);
  ASSERT_EQ(intervals.size(), 15u);
  EXPECT_EQ(intervals.front().interval, "1m");
  EXPECT_EQ(intervals.back().interval, "1M");
  for (const auto& i : intervals) {
    EXPECT_EQ(i.native_code, i.interval);
    EXPECT_EQ(i.page_cap, 1500u);
  }

  ASSERT_TRUE(test::eventually([&] {
    const auto r = runs();
    return !r.empty() && r.back().outcome == SyncOutcome::Succeeded;
  })) << "the scheduler syncs every exchange at start";
  EXPECT_EQ(runs().back().counts.added, 4);
  EXPECT_EQ(test::count_rows(tdb_->db(), "symbols"), 4);

  Ready ready;
  ASSERT_TRUE(test::eventually([&] {
    ready = get_ready(application.http_port());
    return ready.status == 200;
  })) << "ready once a sync succeeded (the watcher refreshes the cached freshness)";
  ASSERT_TRUE(ready.sync_check);
  EXPECT_TRUE(ready.sync_check->getValue<bool>("ok"));
  const std::string detail = ready.sync_check->getValue<std::string>("detail");
  EXPECT_EQ(detail, domain::format_iso8601(*runs().back().finished_at_ms));
  ASSERT_TRUE(application.metadata_sync());
  application.stop();
}

TEST_P(ApplicationSyncTest, ApiRoleDoesNotScheduleButSyncsOnDemand) {
  app::Application application(config(app::Role::Api), {});
  application.start();
  Ready ready = get_ready(application.http_port());
  EXPECT_EQ(ready.status, 503) << "no exchange ever synced";
  ASSERT_TRUE(ready.sync_check);
  EXPECT_FALSE(ready.sync_check->getValue<bool>("ok"));
  EXPECT_EQ(ready.sync_check->getValue<std::string>("detail"), "never");
  EXPECT_TRUE(runs().empty()) << "an api host runs no scheduler";
  EXPECT_EQ(server_.hits(route_), 0u);

  const std::shared_ptr<domain::MetadataSync> sync = application.metadata_sync();
  ASSERT_TRUE(sync);
  const auto context = domain::CallContext::with_timeout(30s);
  const domain::SyncRunSummary summary = sync->sync_now(kExchange, context);
  EXPECT_EQ(summary.outcome, "succeeded") << summary.error.value_or("");
  EXPECT_EQ(summary.added, 4);
  EXPECT_THROW(sync->sync_now("not_loaded", context), std::invalid_argument);

  EXPECT_TRUE(test::eventually([&] { return get_ready(application.http_port()).status == 200; }));
  application.stop();
}

TEST_P(ApplicationSyncTest, StopCancelsARunningSyncAndRollsItBack) {
  server_.set_default(route_, fake::FakeResponse::file(fixture("exchangeInfo_sync_v1.json")).with_delay(60s));
  app::Application application(config(app::Role::All), {});
  application.start();
  ASSERT_TRUE(server_.wait_for_requests(1, 20s)) << "the first sync is asking the exchange";
  application.stop();  // returns only once the scheduler's thread is joined

  const auto r = runs();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].outcome, SyncOutcome::Failed);
  EXPECT_EQ(r[0].error, std::string(kInterruptedReason));
  EXPECT_EQ(test::count_rows(tdb_->db(), "symbols"), 0);
}

INSTANTIATE_TEST_SUITE_P(BothDialects, ApplicationSyncTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param_info) {
                           return storage::test::dialect_name(param_info.param);
                         });

}  // namespace
}  // namespace mdp::sync
