// SymbolSyncJob against real databases (SQLite file and a fresh PostgreSQL schema) with a
// scriptable adapter: what a sync writes, what a failed or refused sync leaves alone, the
// lock between syncers, cancellation and lost connections.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "Database.hpp"
#include "StorageTestSupport.hpp"
#include "SymbolRepository.hpp"
#include "SymbolSyncJob.hpp"
#include "SyncFailure.hpp"
#include "SyncRunRepository.hpp"
#include "SyncScheduler.hpp"
#include "SyncTestSupport.hpp"

namespace mdp::sync {
namespace {

using namespace std::chrono_literals;
using storage::Dialect;
using storage::SyncOutcome;
using test::FakeExchangeAdapter;

constexpr const char* kExchange = "fake";

bool starts_with(const std::optional<std::string>& text, const std::string& prefix) {
  return text && text->rfind(prefix, 0) == 0;
}

class SymbolSyncJobTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    try {
      tdb_ = std::make_unique<storage::test::TestDatabase>(GetParam());
      if (GetParam() == Dialect::PostgreSQL) {
        // Our own connections carry a unique application_name, so a test can cut exactly
        // them (a server restart as this process sees it) without touching anyone else's.
        storage::DatabaseUrl url = tdb_->url();
        application_name_ = "mdp_sync_" + tdb_->schema();
        url.application_name = application_name_;
        own_db_ = std::make_unique<storage::Database>(url);
      }
      storage::test::migrate_and_add_exchange(db(), kExchange);
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    adapter_ = std::make_shared<FakeExchangeAdapter>(kExchange);
    adapter_->set_symbols(test::spots(kExchange, 3));
  }

  storage::Database& db() { return own_db_ ? *own_db_ : tdb_->db(); }
  // A second connection pool to the same data: "another host" on PostgreSQL.
  storage::Database& other_db() { return tdb_->db(); }

  SymbolSyncOptions options() {
    SymbolSyncOptions o;
    o.wall_clock_ms = [this] { return clock_.load(); };
    return o;
  }
  AdapterLookup lookup() {
    return [adapter = adapter_](const std::string& id) -> std::shared_ptr<domain::ExchangeAdapter> {
      return id == kExchange ? adapter : nullptr;
    };
  }
  SymbolSyncJob job() { return SymbolSyncJob(db(), lookup(), options()); }

  domain::SyncRunSummary sync(SymbolSyncJob& j) {
    const domain::CallContext context = domain::CallContext::with_timeout(30s, &shutdown_);
    return j.sync_now(kExchange, context);
  }
  domain::SyncRunSummary sync() {
    SymbolSyncJob j = job();
    return sync(j);
  }

  std::vector<std::string> rows() { return test::symbol_rows(db(), kExchange); }
  std::int64_t changes() { return test::count_rows(db(), "symbol_changes"); }
  std::optional<storage::SyncRun> run(std::int64_t id) { return storage::SyncRunRepository(db()).find(id); }

  std::unique_ptr<storage::test::TestDatabase> tdb_;
  std::unique_ptr<storage::Database> own_db_;
  std::string application_name_;
  std::shared_ptr<FakeExchangeAdapter> adapter_;
  std::atomic<std::int64_t> clock_{1'700'000'000'000};
  std::atomic<bool> shutdown_{false};
};

TEST_P(SymbolSyncJobTest, FirstSyncFillsTheTablesAndASecondIdenticalSyncChangesNothing) {
  const domain::SyncRunSummary first = sync();
  EXPECT_EQ(first.outcome, "succeeded");
  EXPECT_EQ(first.exchange, kExchange);
  EXPECT_EQ(first.added, 3);
  EXPECT_EQ(first.changed, 0);
  EXPECT_EQ(first.delisted, 0);
  EXPECT_FALSE(first.error);
  ASSERT_GT(first.run_id, 0);
  const auto first_run = run(first.run_id);
  ASSERT_TRUE(first_run);
  EXPECT_EQ(first_run->outcome, SyncOutcome::Succeeded);
  EXPECT_EQ(first_run->counts.added, 3);
  EXPECT_EQ(first_run->started_at_ms, clock_.load());
  EXPECT_TRUE(first_run->finished_at_ms);
  EXPECT_EQ(test::count_rows(db(), "symbols"), 3);
  EXPECT_EQ(changes(), 0);

  const std::vector<storage::StoredSymbol> before = storage::SymbolRepository(db()).load_exchange(kExchange);
  clock_ += 60'000;
  const domain::SyncRunSummary second = sync();
  EXPECT_EQ(second.outcome, "succeeded");
  EXPECT_EQ(second.added, 0);
  EXPECT_EQ(second.changed, 0);
  EXPECT_EQ(second.delisted, 0);
  EXPECT_EQ(run(second.run_id)->counts.added, 0);
  EXPECT_EQ(test::count_rows(db(), "symbols"), 3);
  EXPECT_EQ(changes(), 0);
  const std::vector<storage::StoredSymbol> after = storage::SymbolRepository(db()).load_exchange(kExchange);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].updated_at_ms, before[i].updated_at_ms) << "an unchanged row is not rewritten";
    EXPECT_EQ(after[i].first_seen_ms, before[i].first_seen_ms);
    EXPECT_EQ(after[i].last_seen_ms, clock_.load()) << "last_seen follows the latest sync that listed it";
  }
}

TEST_P(SymbolSyncJobTest, ChangedAnswerGivesOneInsertOneChangeOneDelisting) {
  ASSERT_EQ(sync().outcome, "succeeded");
  std::vector<domain::Symbol> next = test::spots(kExchange, 3);
  next[0].tick_size = "0.05";              // C0: tick changed
  next.pop_back();                         // C2: gone
  next.push_back(test::spot(kExchange, "NEW"));  // NEW: listed
  adapter_->set_symbols(next);
  clock_ += 60'000;

  const domain::SyncRunSummary summary = sync();
  EXPECT_EQ(summary.outcome, "succeeded");
  EXPECT_EQ(summary.added, 1);
  EXPECT_EQ(summary.changed, 1);
  EXPECT_EQ(summary.delisted, 1);

  storage::SymbolChangeQuery query;
  query.exchange = kExchange;
  const auto log = storage::SymbolRepository(db()).list_changes(query);
  ASSERT_EQ(log.size(), 2u);
  std::size_t tick_rows = 0, status_rows = 0;
  for (const auto& change : log) {
    EXPECT_EQ(change.sync_run_id, summary.run_id);
    EXPECT_EQ(change.changed_at_ms, clock_.load());
    if (change.field == "tick_size") {
      ++tick_rows;
      EXPECT_EQ(change.symbol, "C0/USDT");
      EXPECT_EQ(change.old_value, "0.01");
      EXPECT_EQ(change.new_value, "0.05");
    } else if (change.field == "status") {
      ++status_rows;
      EXPECT_EQ(change.symbol, "C2/USDT");
      EXPECT_EQ(change.new_value, "delisted");
    }
  }
  EXPECT_EQ(tick_rows, 1u);
  EXPECT_EQ(status_rows, 1u);

  storage::SymbolRepository symbols(db());
  const auto gone = symbols.find(kExchange, "C2/USDT");
  ASSERT_TRUE(gone) << "a delisted symbol is kept";
  EXPECT_EQ(gone->status, domain::SymbolStatus::Delisted);
  EXPECT_EQ(gone->delisted_at_ms, clock_.load());
  EXPECT_EQ(symbols.find(kExchange, "C0/USDT")->tick_size, "0.05");
  EXPECT_EQ(symbols.find(kExchange, "NEW/USDT")->first_seen_ms, clock_.load());
  EXPECT_EQ(test::count_rows(db(), "symbols"), 4);
}

TEST_P(SymbolSyncJobTest, UpstreamFailuresChangeNothingAndSayWhy) {
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();
  const auto log = changes();
  std::vector<domain::Symbol> changed = test::spots(kExchange, 2);  // would delist and change
  changed[0].tick_size = "1";
  adapter_->set_symbols(changed);

  struct Case {
    domain::AdapterError error;
    std::string reason_prefix;
  };
  const std::vector<Case> cases = {
      {domain::AdapterError(domain::AdapterErrorCode::UpstreamUnavailable, "binance_futures: HTTP 500", -1, 500),
       "upstream upstream_unavailable: binance_futures: HTTP 500"},
      {domain::AdapterError(domain::AdapterErrorCode::Timeout, "deadline passed"), "upstream timeout:"},
      {domain::AdapterError(domain::AdapterErrorCode::UpstreamProtocol, "exchangeInfo: truncated JSON"),
       "upstream upstream_protocol: exchangeInfo: truncated JSON"},
      {domain::AdapterError(domain::AdapterErrorCode::PluginBadOutput, "row 3: tick_size is not a decimal"),
       "upstream plugin_bad_output:"},
  };
  for (const Case& c : cases) {
    adapter_->fail_with(c.error);
    clock_ += 1000;
    const domain::SyncRunSummary summary = sync();
    EXPECT_EQ(summary.outcome, "failed");
    EXPECT_TRUE(starts_with(summary.error, c.reason_prefix)) << summary.error.value_or("<none>");
    const auto recorded = run(summary.run_id);
    ASSERT_TRUE(recorded);
    EXPECT_EQ(recorded->outcome, SyncOutcome::Failed);
    EXPECT_EQ(recorded->error, summary.error);
    EXPECT_EQ(recorded->counts.added + recorded->counts.changed + recorded->counts.delisted, 0);
    EXPECT_EQ(rows(), snapshot) << c.reason_prefix;
    EXPECT_EQ(changes(), log);
  }
}

TEST_P(SymbolSyncJobTest, AnEmptyAnswerIsRefusedEvenForATinyExchangeAndOnTheFirstSync) {
  adapter_->set_symbols({});
  domain::SyncRunSummary summary = sync();
  EXPECT_EQ(summary.outcome, "failed");
  EXPECT_TRUE(starts_with(summary.error, "suspect answer refused: the exchange listed no symbols"))
      << summary.error.value_or("");
  EXPECT_EQ(test::count_rows(db(), "symbols"), 0);

  adapter_->set_symbols(test::spots(kExchange, 1));
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();
  adapter_->set_symbols({});
  summary = sync();
  EXPECT_EQ(summary.outcome, "failed");
  EXPECT_EQ(summary.error, "suspect answer refused: the exchange listed no symbols (1 active stored); nothing applied");
  EXPECT_EQ(run(summary.run_id)->error, summary.error);
  EXPECT_EQ(rows(), snapshot);
  EXPECT_EQ(changes(), 0);
}

TEST_P(SymbolSyncJobTest, DelistingMoreThanTheConfiguredShareIsRefused) {
  adapter_->set_symbols(test::spots(kExchange, 10));
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();

  adapter_->set_symbols(test::spots(kExchange, 4));  // 6 of 10 gone: 60% > 50%
  const domain::SyncRunSummary refused = sync();
  EXPECT_EQ(refused.outcome, "failed");
  EXPECT_EQ(refused.error,
            "suspect answer refused: it would delist 6 of 10 active symbols (60%), above the limit of 50% "
            "(sync.max_delist_fraction); nothing applied");
  EXPECT_EQ(rows(), snapshot);
  EXPECT_EQ(changes(), 0);

  SymbolSyncOptions lenient = options();
  lenient.max_delist_fraction = 0.7;
  SymbolSyncJob lenient_job(db(), lookup(), lenient);
  const domain::SyncRunSummary accepted = sync(lenient_job);
  EXPECT_EQ(accepted.outcome, "succeeded") << accepted.error.value_or("");
  EXPECT_EQ(accepted.delisted, 6);
}

TEST_P(SymbolSyncJobTest, DelistingExactlyTheConfiguredShareIsApplied) {
  adapter_->set_symbols(test::spots(kExchange, 4));
  ASSERT_EQ(sync().outcome, "succeeded");
  adapter_->set_symbols(test::spots(kExchange, 2));  // 2 of 4 = the 50% limit
  const domain::SyncRunSummary summary = sync();
  EXPECT_EQ(summary.outcome, "succeeded") << summary.error.value_or("");
  EXPECT_EQ(summary.delisted, 2);
}

TEST_P(SymbolSyncJobTest, AnUnusableAnswerChangesNothing) {
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();

  std::vector<domain::Symbol> duplicates = test::spots(kExchange, 3);
  duplicates.push_back(duplicates.front());
  adapter_->set_symbols(duplicates);
  domain::SyncRunSummary summary = sync();
  EXPECT_EQ(summary.outcome, "failed");
  EXPECT_TRUE(starts_with(summary.error, "upstream answer unusable:")) << summary.error.value_or("");

  std::vector<domain::Symbol> bad = test::spots(kExchange, 3);
  bad.push_back(test::spot(kExchange, "BAD", "0.0100"));  // not a canonical decimal
  adapter_->set_symbols(bad);
  summary = sync();
  EXPECT_EQ(summary.outcome, "failed");
  EXPECT_TRUE(starts_with(summary.error, "upstream answer refused by storage:")) << summary.error.value_or("");

  EXPECT_EQ(rows(), snapshot);
  EXPECT_EQ(changes(), 0);
}

TEST_P(SymbolSyncJobTest, ASecondSyncerIsSkippedWhileOneHoldsTheLock) {
  adapter_->hold();
  domain::SyncRunSummary first;
  std::thread syncer([&] { first = sync(); });
  ASSERT_TRUE(adapter_->wait_until_held());

  // PostgreSQL: another pool (another host). SQLite: one process, so the same database.
  SymbolSyncJob second(GetParam() == Dialect::PostgreSQL ? other_db() : db(), lookup(), options());
  const domain::SyncRunSummary skipped = sync(second);
  adapter_->release();
  syncer.join();

  EXPECT_EQ(skipped.outcome, "skipped");
  EXPECT_EQ(skipped.error, "another sync of this exchange holds the lock sync:fake");
  const auto skipped_run = run(skipped.run_id);
  ASSERT_TRUE(skipped_run);
  EXPECT_EQ(skipped_run->outcome, SyncOutcome::Skipped);
  EXPECT_EQ(adapter_->calls(), 1) << "the skipped syncer never asked the exchange";

  EXPECT_EQ(first.outcome, "succeeded");
  EXPECT_EQ(first.added, 3);
  EXPECT_EQ(test::count_rows(db(), "symbols"), 3);
  const auto runs = test::runs_of(db(), kExchange);
  ASSERT_EQ(runs.size(), 2u);

  // With the lock free again, the other syncer syncs (nothing to do).
  const domain::SyncRunSummary later = sync(second);
  EXPECT_EQ(later.outcome, "succeeded");
  EXPECT_EQ(later.added + later.changed + later.delisted, 0);
}

TEST_P(SymbolSyncJobTest, SyncersRacingNeverFailNorDuplicate) {
  SymbolSyncJob a(db(), lookup(), options());
  SymbolSyncJob b(GetParam() == Dialect::PostgreSQL ? other_db() : db(), lookup(), options());
  for (int round = 0; round < 5; ++round) {
    std::atomic<int> ready{0};
    domain::SyncRunSummary ra, rb;
    auto go = [&](SymbolSyncJob& j, domain::SyncRunSummary& out) {
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      out = sync(j);
    };
    std::thread ta([&] { go(a, ra); });
    std::thread tb([&] { go(b, rb); });
    ta.join();
    tb.join();
    for (const auto* r : {&ra, &rb}) {
      EXPECT_NE(r->outcome, "failed") << r->error.value_or("");
    }
    EXPECT_TRUE(ra.outcome == "succeeded" || rb.outcome == "succeeded");
  }
  EXPECT_EQ(test::count_rows(db(), "symbols"), 3);
  std::int64_t added = 0;
  for (const auto& r : test::runs_of(db(), kExchange)) added += r.counts.added;
  EXPECT_EQ(added, 3) << "the symbols were inserted once in total";
}

TEST_P(SymbolSyncJobTest, AScheduledSyncSkipsWhenAnotherHostJustSyncedButAnAdminSyncRuns) {
  SymbolSyncOptions o = options();
  o.skip_scheduled_if_synced_within = 30min;
  SymbolSyncJob host_a(db(), lookup(), o);
  SymbolSyncJob host_b(GetParam() == Dialect::PostgreSQL ? other_db() : db(), lookup(), o);
  const auto context = domain::CallContext::with_timeout(30s);

  EXPECT_EQ(host_a.run_scheduled(kExchange, context), JobOutcome::Succeeded);
  clock_ += 10 * 60'000;
  EXPECT_EQ(host_b.run_scheduled(kExchange, context), JobOutcome::Skipped);
  const auto skipped = test::runs_of(db(), kExchange).back();
  EXPECT_EQ(skipped.outcome, SyncOutcome::Skipped);
  EXPECT_EQ(skipped.error, "synced 600 s ago (by this or another host)");
  EXPECT_EQ(adapter_->calls(), 1);

  EXPECT_EQ(host_b.sync_now(kExchange, context).outcome, "succeeded") << "an admin's sync is never skipped";
  clock_ += 31 * 60'000;
  EXPECT_EQ(host_a.run_scheduled(kExchange, context), JobOutcome::Succeeded) << "the last success is old enough";

  std::size_t succeeded = 0;
  for (const auto& r : test::runs_of(db(), kExchange)) succeeded += r.outcome == SyncOutcome::Succeeded ? 1 : 0;
  EXPECT_EQ(succeeded, 3u);
}

TEST_P(SymbolSyncJobTest, ShutdownInsideTheTransactionRollsBack) {
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();
  std::vector<domain::Symbol> next = test::spots(kExchange, 3);
  next[1].tick_size = "0.5";
  next.push_back(test::spot(kExchange, "NEW"));
  adapter_->set_symbols(next);

  SymbolSyncOptions o = options();
  bool inside_transaction = false;
  o.on_before_commit = [&](const std::string&) {
    // Every write of this sync is done, uncommitted; now the process is told to stop.
    inside_transaction = true;
    shutdown_ = true;
  };
  SymbolSyncJob j(db(), lookup(), o);
  const domain::SyncRunSummary summary = sync(j);
  EXPECT_TRUE(inside_transaction);
  EXPECT_EQ(summary.outcome, "failed");
  EXPECT_EQ(summary.error, std::string(kInterruptedReason));
  shutdown_ = false;
  EXPECT_EQ(run(summary.run_id)->outcome, SyncOutcome::Failed);
  EXPECT_EQ(run(summary.run_id)->error, std::string(kInterruptedReason));
  EXPECT_EQ(rows(), snapshot) << "rolled back";
  EXPECT_EQ(changes(), 0);

  const domain::SyncRunSummary next_run = sync();
  EXPECT_EQ(next_run.outcome, "succeeded");
  EXPECT_EQ(next_run.added, 1);
  EXPECT_EQ(next_run.changed, 1);
}

TEST_P(SymbolSyncJobTest, ShutdownWhileFetchingRecordsAnInterruptedRun) {
  adapter_->hold();
  domain::SyncRunSummary summary;
  std::thread syncer([&] { summary = sync(); });
  ASSERT_TRUE(adapter_->wait_until_held());
  shutdown_ = true;
  syncer.join();
  EXPECT_EQ(summary.outcome, "failed");
  EXPECT_EQ(summary.error, std::string(kInterruptedReason));
  EXPECT_EQ(run(summary.run_id)->error, std::string(kInterruptedReason));
  EXPECT_EQ(test::count_rows(db(), "symbols"), 0);
}

TEST_P(SymbolSyncJobTest, RunsLeftRunningByAStoppedProcessAreFailedAtTheNextSync) {
  storage::SyncRunRepository runs(db());
  const std::int64_t orphan = runs.start(kExchange, clock_.load() - 5000);
  const std::int64_t other_exchange = runs.start("elsewhere", clock_.load() - 5000);
  const domain::SyncRunSummary summary = sync();
  EXPECT_EQ(summary.outcome, "succeeded");
  const auto orphan_run = run(orphan);
  EXPECT_EQ(orphan_run->outcome, SyncOutcome::Failed);
  EXPECT_TRUE(starts_with(orphan_run->error, "interrupted")) << orphan_run->error.value_or("");
  EXPECT_EQ(run(other_exchange)->outcome, SyncOutcome::Running) << "only the locked exchange's rows";
}

TEST_P(SymbolSyncJobTest, AnExchangeThatIsNotLoadedIsAnInvalidArgument) {
  SymbolSyncJob j = job();
  const domain::CallContext context = domain::CallContext::with_timeout(5s);
  EXPECT_THROW(j.sync_now("unknown", context), std::invalid_argument);
  EXPECT_EQ(test::count_rows(db(), "sync_runs"), 0);
}

TEST_P(SymbolSyncJobTest, SchedulerShutdownDuringASyncRollsBackAndJoins) {
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();
  adapter_->set_symbols(test::spots(kExchange, 5));
  adapter_->hold();

  SymbolSyncJob j = job();
  SyncSchedule schedule;
  schedule.interval = 1h;
  schedule.jitter = 0ms;
  schedule.job_timeout = 60s;
  SyncScheduler scheduler({kExchange}, schedule,
                          [&j](const std::string& id, const domain::CallContext& c) { return j.run_scheduled(id, c); });
  scheduler.start();
  ASSERT_TRUE(adapter_->wait_until_held());
  scheduler.stop();  // cancels the running sync's context and joins its thread

  const auto runs = test::runs_of(db(), kExchange);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs.back().outcome, SyncOutcome::Failed);
  EXPECT_EQ(runs.back().error, std::string(kInterruptedReason));
  EXPECT_EQ(rows(), snapshot);
}

INSTANTIATE_TEST_SUITE_P(BothDialects, SymbolSyncJobTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param_info) {
                           return storage::test::dialect_name(param_info.param);
                         });

// ---- PostgreSQL only: connections lost during a sync ------------------------------------

class PostgresRestartTest : public SymbolSyncJobTest {};

TEST_P(PostgresRestartTest, ConnectionsCutInsideTheTransactionFailThatRunAndTheNextSucceeds) {
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();
  std::vector<domain::Symbol> next = test::spots(kExchange, 3);
  next[0].tick_size = "0.2";
  next.push_back(test::spot(kExchange, "NEW"));
  adapter_->set_symbols(next);

  SymbolSyncOptions o = options();
  int terminated = 0;
  o.on_before_commit = [&](const std::string&) {
    // The lock's session and the transaction's session both go, as in a server restart.
    terminated = test::terminate_backends(other_db(), application_name_);
  };
  SymbolSyncJob j(db(), lookup(), o);
  const domain::SyncRunSummary failed = sync(j);
  EXPECT_GE(terminated, 2);
  EXPECT_EQ(failed.outcome, "failed");
  EXPECT_TRUE(starts_with(failed.error, "lock lost:") || starts_with(failed.error, "database unavailable:"))
      << failed.error.value_or("");
  const auto recorded = run(failed.run_id);
  ASSERT_TRUE(recorded);
  EXPECT_EQ(recorded->outcome, SyncOutcome::Failed);
  EXPECT_EQ(rows(), snapshot) << "the previous snapshot is intact";
  EXPECT_EQ(changes(), 0);

  const domain::SyncRunSummary next_run = sync();
  EXPECT_EQ(next_run.outcome, "succeeded") << next_run.error.value_or("");
  EXPECT_EQ(next_run.added, 1);
  EXPECT_EQ(next_run.changed, 1);
}

TEST_P(PostgresRestartTest, ConnectionsCutWhileFetchingFailThatRunAndTheNextSucceeds) {
  ASSERT_EQ(sync().outcome, "succeeded");
  const auto snapshot = rows();
  adapter_->set_symbols(test::spots(kExchange, 4));
  adapter_->hold();
  domain::SyncRunSummary failed;
  std::thread syncer([&] { failed = sync(); });
  ASSERT_TRUE(adapter_->wait_until_held());
  EXPECT_GE(test::terminate_backends(other_db(), application_name_), 1);
  adapter_->release();
  syncer.join();

  EXPECT_EQ(failed.outcome, "failed");
  EXPECT_TRUE(starts_with(failed.error, "lock lost:")) << failed.error.value_or("");
  // The lock's name already carries its "sync:" prefix: said once, not twice.
  EXPECT_NE(failed.error.value_or("").find(std::string("holding sync:") + kExchange + " ended"), std::string::npos)
      << failed.error.value_or("");
  EXPECT_EQ(run(failed.run_id)->outcome, SyncOutcome::Failed);
  EXPECT_EQ(rows(), snapshot);

  const domain::SyncRunSummary next_run = sync();
  EXPECT_EQ(next_run.outcome, "succeeded") << next_run.error.value_or("");
  EXPECT_EQ(next_run.added, 1);
}

INSTANTIATE_TEST_SUITE_P(PostgreSQL, PostgresRestartTest, ::testing::Values(Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param_info) {
                           return storage::test::dialect_name(param_info.param);
                         });

TEST(SymbolSyncJobDatabaseDown, AnUnreachableDatabaseFailsWithoutARunRow) {
  storage::Database unreachable(storage::parse_database_url("postgresql://mdp:mdp@127.0.0.1:1/mdp_test"));
  auto adapter = std::make_shared<FakeExchangeAdapter>(kExchange);
  SymbolSyncJob j(unreachable, [adapter](const std::string&) { return adapter; });
  const domain::CallContext context = domain::CallContext::with_timeout(10s);
  const domain::SyncRunSummary summary = j.sync_now(kExchange, context);
  EXPECT_EQ(summary.outcome, "failed");
  EXPECT_EQ(summary.run_id, 0);
  EXPECT_TRUE(starts_with(summary.error, "database unavailable:")) << summary.error.value_or("");
  EXPECT_EQ(adapter->calls(), 0);
  EXPECT_EQ(j.run_scheduled(kExchange, context), JobOutcome::Failed);
}

}  // namespace
}  // namespace mdp::sync
