// The whole sync path with nothing faked but the exchange: the real binance_futures plugin
// (.so, loaded by PluginRegistry), the real HttpTransport, FakeExchangeServer on 127.0.0.1
// serving tests/fixtures/binance_futures bodies, and a real database (SQLite, PostgreSQL).
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "ExchangeRepository.hpp"
#include "FakeExchangeServer.hpp"
#include "HttpTransport.hpp"
#include "Migrator.hpp"
#include "PluginRegistry.hpp"
#include "StorageTestSupport.hpp"
#include "SymbolRepository.hpp"
#include "SymbolSyncJob.hpp"
#include "SyncRunRepository.hpp"
#include "SyncScheduler.hpp"
#include "SyncTestSupport.hpp"

namespace mdp::sync {
namespace {

using namespace std::chrono_literals;
using storage::Dialect;
using storage::SyncOutcome;

constexpr const char* kExchange = "binance_futures";

std::string fixture(const std::string& name) {
  return (storage::test::source_dir() / "tests" / "fixtures" / "binance_futures" / name).string();
}

std::string plugin_dir() {
  const char* dir = std::getenv("MDP_PLUGIN_BUILD_DIR");
  if (dir == nullptr || *dir == '\0') throw std::runtime_error("MDP_PLUGIN_BUILD_DIR is not set (run through ctest)");
  return dir;
}

bool starts_with(const std::optional<std::string>& text, const std::string& prefix) {
  return text && text->rfind(prefix, 0) == 0;
}

class PluginSyncTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    route_ = server_.get("/fapi/v1/exchangeInfo", fake::FakeResponse::file(fixture("exchangeInfo_sync_v1.json")));

    net::UpstreamConfig upstream;
    upstream.exchange = kExchange;
    upstream.allowed_base_urls = {server_.base_url()};
    upstream.connect_timeout = 2s;
    upstream.read_timeout = 1s;  // the "slow upstream" case answers after 3 s
    transport_ = std::make_unique<net::HttpTransport>(std::vector<net::UpstreamConfig>{upstream});

    plugins::PluginsConfig config;
    config.plugin_dir = plugin_dir();
    config.check_file_permissions = false;  // build trees may be group-writable; not what is tested here
    config.enabled.push_back({kExchange, {{"base_url", server_.base_url()}}});
    registry_ = std::make_unique<plugins::PluginRegistry>(config, *transport_);
    ASSERT_TRUE(registry_->find(kExchange)) << registry_->statuses().front().reason;

    try {
      tdb_ = std::make_unique<storage::test::TestDatabase>(GetParam());
      storage::Migrator(db(), storage::test::schema_root()).migrate();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    // What Application::record_exchanges does for a loaded plugin.
    storage::ExchangeRepository(db()).record_loaded(*registry_->statuses().front().descriptor, 1000);
    job_ = std::make_unique<SymbolSyncJob>(
        db(), [this](const std::string& id) { return registry_->find(id); }, SymbolSyncOptions{});
  }

  storage::Database& db() { return tdb_->db(); }
  domain::SyncRunSummary sync() {
    const auto context = domain::CallContext::with_timeout(30s);
    return job_->sync_now(kExchange, context);
  }
  std::vector<std::string> rows() { return test::symbol_rows(db(), kExchange); }
  std::int64_t changes() { return test::count_rows(db(), "symbol_changes"); }

  // Destroyed bottom-up: job, registry (before the transport its adapters use), transport.
  fake::FakeExchangeServer server_;
  fake::RouteId route_ = -1;
  std::unique_ptr<net::HttpTransport> transport_;
  std::unique_ptr<plugins::PluginRegistry> registry_;
  std::unique_ptr<storage::test::TestDatabase> tdb_;
  std::unique_ptr<SymbolSyncJob> job_;
};

TEST_P(PluginSyncTest, FixturesFillTheTablesRepeatChangesNothingAndAChangeGivesOneOfEach) {
  const domain::SyncRunSummary first = sync();
  ASSERT_EQ(first.outcome, "succeeded") << first.error.value_or("");
  EXPECT_EQ(first.added, 4);
  storage::SymbolRepository symbols(db());
  const auto eth = symbols.find(kExchange, "ETH/USDT:USDT");
  ASSERT_TRUE(eth);
  EXPECT_EQ(eth->native_symbol, "ETHUSDT");
  EXPECT_EQ(eth->tick_size, "0.01");
  EXPECT_EQ(eth->min_notional, "20");
  EXPECT_EQ(symbols.find(kExchange, "SOL/USDT:USDT")->tick_size, "0.01") << "canonical decimal of 0.0100";
  EXPECT_EQ(symbols.find_by_native(kExchange, "XRPUSDT")->symbol, "XRP/USDT:USDT");

  const auto snapshot_updated = symbols.load_exchange(kExchange);
  const domain::SyncRunSummary second = sync();
  ASSERT_EQ(second.outcome, "succeeded");
  EXPECT_EQ(second.added + second.changed + second.delisted, 0);
  EXPECT_EQ(test::count_rows(db(), "symbols"), 4);
  EXPECT_EQ(changes(), 0);
  const auto after_second = symbols.load_exchange(kExchange);
  for (std::size_t i = 0; i < after_second.size(); ++i) {
    EXPECT_EQ(after_second[i].updated_at_ms, snapshot_updated[i].updated_at_ms);
  }

  server_.set_default(route_, fake::FakeResponse::file(fixture("exchangeInfo_sync_v2.json")));
  const domain::SyncRunSummary third = sync();
  ASSERT_EQ(third.outcome, "succeeded") << third.error.value_or("");
  EXPECT_EQ(third.added, 1);
  EXPECT_EQ(third.changed, 1);
  EXPECT_EQ(third.delisted, 1);
  storage::SymbolChangeQuery query;
  query.exchange = kExchange;
  const auto log = symbols.list_changes(query);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].sync_run_id, third.run_id);
  const auto& tick = log[0].field == "tick_size" ? log[0] : log[1];
  const auto& status = log[0].field == "tick_size" ? log[1] : log[0];
  EXPECT_EQ(tick.symbol, "ETH/USDT:USDT");
  EXPECT_EQ(tick.old_value, "0.01");
  EXPECT_EQ(tick.new_value, "0.05");
  EXPECT_EQ(status.field, "status");
  EXPECT_EQ(status.symbol, "XRP/USDT:USDT");
  EXPECT_EQ(status.old_value, "trading");
  EXPECT_EQ(status.new_value, "delisted");
  EXPECT_EQ(symbols.find(kExchange, "XRP/USDT:USDT")->status, domain::SymbolStatus::Delisted);
  EXPECT_TRUE(symbols.find(kExchange, "DOGE/USDT:USDT"));

  const auto runs = test::runs_of(db(), kExchange);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[2].counts.added, 1);
  EXPECT_EQ(runs[2].counts.changed, 1);
  EXPECT_EQ(runs[2].counts.delisted, 1);
  EXPECT_EQ(server_.hits(route_), 3u);
}

TEST_P(PluginSyncTest, UpstreamFailuresLeaveTheMetadataAsItWasAndSayWhy) {
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();
  server_.set_default(route_, fake::FakeResponse::file(fixture("exchangeInfo_sync_v2.json")));

  struct Case {
    fake::FakeResponse response;
    std::string reason_prefix;
    std::string reason_contains = {};
  };
  std::vector<Case> cases;
  cases.push_back({fake::FakeResponse::json("{}", 500), "upstream upstream_unavailable:"});
  // The transport's read timeout (1 s) fires while the sync still has time: the upstream was
  // too slow, i.e. unavailable (issue 3), not a timeout of the sync's own call.
  cases.push_back({fake::FakeResponse::file(fixture("exchangeInfo_sync_v2.json")).with_delay(3s),
                   "upstream upstream_unavailable:", "upstream timed out after"});
  cases.push_back({fake::FakeResponse::file(fixture("exchangeInfo_truncated.json")), "upstream upstream_protocol:"});
  cases.push_back({fake::FakeResponse::file(fixture("exchangeInfo_sync_v2.json")).with_truncation(700),
                   "upstream upstream_unavailable:"});
  cases.push_back({fake::FakeResponse::file(fixture("exchangeInfo_empty_symbols.json")),
                   "suspect answer refused: the exchange listed no symbols (4 active stored)"});
  for (const Case& c : cases) {
    server_.enqueue(route_, c.response);
    const domain::SyncRunSummary summary = sync();
    EXPECT_EQ(summary.outcome, "failed") << c.reason_prefix;
    EXPECT_TRUE(starts_with(summary.error, c.reason_prefix)) << summary.error.value_or("<none>");
    EXPECT_NE(summary.error.value_or("").find(c.reason_contains), std::string::npos) << summary.error.value_or("<none>");
    const auto recorded = storage::SyncRunRepository(db()).find(summary.run_id);
    ASSERT_TRUE(recorded);
    EXPECT_EQ(recorded->outcome, SyncOutcome::Failed);
    EXPECT_EQ(recorded->error, summary.error);
    EXPECT_EQ(rows(), snapshot) << c.reason_prefix;
    EXPECT_EQ(changes(), 0);
  }
  // The exchange answers properly again: the change goes through.
  const domain::SyncRunSummary recovered = sync();
  EXPECT_EQ(recovered.outcome, "succeeded") << recovered.error.value_or("");
  EXPECT_EQ(recovered.added, 1);
}

TEST_P(PluginSyncTest, AFailedSyncIsRetriedWithBackoffUntilItSucceeds) {
  server_.script(route_, {fake::FakeResponse::json("{}", 500), fake::FakeResponse::json("{}", 503)});
  SyncSchedule schedule;
  schedule.interval = 1h;
  schedule.jitter = 0ms;
  schedule.retry_initial = 20ms;
  schedule.retry_max = 100ms;
  schedule.job_timeout = 30s;
  SyncScheduler scheduler({kExchange}, schedule,
                          [this](const std::string& id, const domain::CallContext& c) { return job_->run_scheduled(id, c); });
  scheduler.start();
  const bool synced = test::eventually([&] {
    const auto runs = test::runs_of(db(), kExchange);
    return !runs.empty() && runs.back().outcome == SyncOutcome::Succeeded;
  });
  scheduler.stop();
  ASSERT_TRUE(synced);
  const auto runs = test::runs_of(db(), kExchange);
  ASSERT_EQ(runs.size(), 3u) << "two failures, one success, then the hour-long period";
  EXPECT_EQ(runs[0].outcome, SyncOutcome::Failed);
  EXPECT_EQ(runs[1].outcome, SyncOutcome::Failed);
  EXPECT_EQ(runs[2].outcome, SyncOutcome::Succeeded);
  EXPECT_EQ(runs[2].counts.added, 4);
  EXPECT_EQ(server_.hits(route_), 3u);
  EXPECT_EQ(scheduler.consecutive_failures(kExchange), 0);
}

INSTANTIATE_TEST_SUITE_P(BothDialects, PluginSyncTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param_info) {
                           return storage::test::dialect_name(param_info.param);
                         });

}  // namespace
}  // namespace mdp::sync
