#include <gtest/gtest.h>

#include <set>

#include "ExchangeRepository.hpp"
#include "Migrator.hpp"
#include "Sql.hpp"
#include "StorageTestSupport.hpp"
#include "SymbolDiff.hpp"
#include "SymbolRepository.hpp"
#include "SyncRunRepository.hpp"

using namespace mdp::storage;
using namespace mdp::storage::test;
using mdp::domain::MarketType;
using mdp::domain::Symbol;
using mdp::domain::SymbolStatus;

namespace {

class RepositoryTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    try {
      tdb_ = std::make_unique<TestDatabase>(GetParam());
      migrate_and_add_exchange(db());
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }
  Database& db() { return tdb_->db(); }

  // One sync the way the syncer will do it: load, diff, apply.
  SyncCounts sync(const std::vector<Symbol>& fetched, std::int64_t now, std::optional<std::int64_t> run = {}) {
    SymbolRepository repo(db());
    return repo.apply_sync("ex", diff_symbols(repo.load_exchange("ex"), fetched), run, now);
  }

  std::int64_t count(const std::string& query) {
    Lease lease = db().acquire();
    return sql::Query(lease, "test.count", query).rows()[0].int64(0);
  }

  std::unique_ptr<TestDatabase> tdb_;
};

std::vector<Symbol> three() { return {make_symbol("BTC"), make_symbol("ETH"), make_symbol("XRP")}; }

}  // namespace

TEST_P(RepositoryTest, FirstSyncInsertsSecondIdenticalSyncChangesNothing) {
  SyncCounts first = sync(three(), 2000);
  EXPECT_EQ(first.added, 3);
  EXPECT_EQ(first.changed, 0);
  EXPECT_EQ(first.delisted, 0);

  SyncCounts second = sync(three(), 3000);
  EXPECT_EQ(second.added, 0);
  EXPECT_EQ(second.changed, 0);
  EXPECT_EQ(second.delisted, 0);

  auto btc = SymbolRepository(db()).find("ex", "BTC/USDT");
  ASSERT_TRUE(btc);
  EXPECT_EQ(btc->first_seen_ms, 2000);
  EXPECT_EQ(btc->last_seen_ms, 3000);
  EXPECT_EQ(btc->updated_at_ms, 2000);  // unchanged rows keep updated_at
  EXPECT_EQ(count("SELECT COUNT(*) FROM symbol_changes"), 0);
}

TEST_P(RepositoryTest, ChangedFixtureGivesOneInsertOneChangeRowOneDelisting) {
  SyncRunRepository runs(db());
  sync(three(), 2000);
  const std::int64_t run = runs.start("ex", 5000);
  auto fetched = three();
  fetched[1].tick_size = "0.001";   // ETH tick changed
  fetched.pop_back();               // XRP gone
  fetched.push_back(make_symbol("SOL"));
  SyncCounts counts = sync(fetched, 5000, run);
  EXPECT_EQ(counts.added, 1);
  EXPECT_EQ(counts.changed, 1);
  EXPECT_EQ(counts.delisted, 1);
  runs.finish(run, SyncOutcome::Succeeded, counts, std::nullopt, 5100);

  SymbolRepository repo(db());
  auto xrp = repo.find("ex", "XRP/USDT");
  ASSERT_TRUE(xrp);  // never deleted
  EXPECT_EQ(xrp->status, SymbolStatus::Delisted);
  EXPECT_EQ(xrp->delisted_at_ms.value(), 5000);
  EXPECT_EQ(xrp->last_seen_ms, 2000);
  auto eth = repo.find("ex", "ETH/USDT");
  EXPECT_EQ(eth->tick_size.value(), "0.001");
  EXPECT_EQ(eth->updated_at_ms, 5000);
  EXPECT_EQ(eth->first_seen_ms, 2000);

  const auto changes = repo.list_changes(SymbolChangeQuery{"ex", std::nullopt, 4000, 100});
  ASSERT_EQ(changes.size(), 2u);
  std::set<std::string> seen;
  for (const auto& c : changes) {
    seen.insert(c.symbol + " " + c.field + " " + c.old_value.value_or("-") + " " + c.new_value.value_or("-"));
    EXPECT_EQ(c.changed_at_ms, 5000);
    EXPECT_EQ(c.sync_run_id.value(), run);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"ETH/USDT tick_size 0.01 0.001", "XRP/USDT status trading delisted"}));
  EXPECT_EQ(repo.list_changes(SymbolChangeQuery{"ex", std::string("ETH/USDT"), std::nullopt, 100}).size(), 1u);
  EXPECT_TRUE(repo.list_changes(SymbolChangeQuery{"ex", std::nullopt, 6000, 100}).empty());

  // Same answer again: the delisted one stays delisted, nothing new is logged.
  SyncCounts again = sync(fetched, 6000);
  EXPECT_EQ(again.added + again.changed + again.delisted, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM symbol_changes"), 2);

  // Relisting clears delisted_at and logs the status change.
  fetched.push_back(make_symbol("XRP"));
  SyncCounts relist = sync(fetched, 7000);
  EXPECT_EQ(relist.changed, 1);
  xrp = repo.find("ex", "XRP/USDT");
  EXPECT_EQ(xrp->status, SymbolStatus::Trading);
  EXPECT_FALSE(xrp->delisted_at_ms.has_value());
}

TEST_P(RepositoryTest, DecimalsRoundTripExactly) {
  auto s = make_symbol("SHIB");
  s.tick_size = "0.00000001";
  s.min_notional = "123456789012345678901234.5";
  s.lot_step = "1000000";
  s.min_qty = "0.1234567890123456789012345678";
  s.contract_size = "0.000000000000000001";
  auto perp = make_symbol("BTC", "USDT", MarketType::Perpetual);
  perp.tick_size = "12345678901234567890.123456789";
  sync({s, perp}, 2000);
  SymbolRepository repo(db());
  auto back = repo.find("ex", "SHIB/USDT");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->tick_size.value(), "0.00000001");
  EXPECT_EQ(back->min_notional.value(), "123456789012345678901234.5");
  EXPECT_EQ(back->lot_step.value(), "1000000");
  EXPECT_EQ(back->min_qty.value(), "0.1234567890123456789012345678");
  EXPECT_EQ(back->contract_size.value(), "0.000000000000000001");
  EXPECT_EQ(repo.find("ex", "BTC/USDT:USDT")->tick_size.value(), "12345678901234567890.123456789");
  // Read back equal means the next diff sees no change.
  EXPECT_EQ(sync({s, perp}, 3000).changed, 0);
}

TEST_P(RepositoryTest, NonCanonicalDecimalIsRefusedBeforeWriting) {
  auto s = make_symbol("BTC");
  s.tick_size = "0.010";
  EXPECT_THROW(sync({s}, 2000), InvalidValue);
  s.tick_size = "1e-5";
  EXPECT_THROW(sync({s}, 2000), InvalidValue);
  EXPECT_EQ(count("SELECT COUNT(*) FROM symbols"), 0);
}

TEST_P(RepositoryTest, InjectionStringsAreStoredAsData) {
  const std::string evil = "x'); DROP TABLE symbols; --";
  auto s = make_symbol("BTC");
  s.symbol = evil;
  s.native_symbol = "$1'\";--" + evil;
  s.base = "Robert'); DROP TABLE exchanges;--";
  s.native_status = "?";
  sync({s, make_symbol("ETH")}, 2000);
  SymbolRepository repo(db());
  auto back = repo.find("ex", evil);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->native_symbol, s.native_symbol);
  EXPECT_EQ(back->base, s.base);
  EXPECT_EQ(repo.find_by_native("ex", s.native_symbol)->symbol, evil);
  SymbolQuery q;
  q.search = "DROP TABLE";
  EXPECT_EQ(repo.list(q).items.size(), 1u);
  q.search = "%";
  EXPECT_EQ(repo.list(q).items.size(), 0u);  // LIKE wildcards in the search are literal
  EXPECT_EQ(count("SELECT COUNT(*) FROM symbols"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM exchanges"), 1);
  EXPECT_EQ(repo.find("ex", "ETH/USDT")->base, "ETH");
}

TEST_P(RepositoryTest, NulByteIsRejectedBeforeReachingTheDatabase) {
  auto s = make_symbol("BTC");
  s.native_symbol = std::string("BTC\0USDT", 8);
  try {
    sync({s}, 2000);
    FAIL() << "NUL accepted";
  } catch (const InvalidValue& e) {
    EXPECT_NE(std::string(e.what()).find("NUL"), std::string::npos);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM symbols"), 0);
  EXPECT_THROW(SymbolRepository(db()).find("ex", std::string("BTC\0x", 5)), InvalidValue);
  auto bad_utf8 = make_symbol("ETH");
  bad_utf8.base = "\xff";
  EXPECT_THROW(sync({bad_utf8}, 2000), InvalidValue);
}

TEST_P(RepositoryTest, SymbolOfAnotherExchangeIsRefused) {
  auto s = make_symbol("BTC");
  s.exchange = "other";
  EXPECT_THROW(sync({s}, 2000), InvalidValue);
}

TEST_P(RepositoryTest, KeysetPaginationVisitsEveryRowOnce) {
  ExchangeRecord second;
  second.id = "ex2";
  second.name = "Second";
  ExchangeRepository(db()).upsert(second, 1000);
  std::vector<Symbol> symbols;
  for (int i = 0; i < 23; ++i) symbols.push_back(make_symbol("C" + std::to_string(100 + i)));
  sync(symbols, 2000);
  std::vector<Symbol> other;
  for (int i = 0; i < 4; ++i) {
    auto s = make_symbol("C" + std::to_string(100 + i));
    s.exchange = "ex2";
    other.push_back(s);
  }
  SymbolRepository repo(db());
  repo.apply_sync("ex2", diff_symbols({}, other), std::nullopt, 2000);

  SymbolQuery q;
  q.limit = 10;
  std::vector<std::pair<std::string, std::string>> seen;
  int pages = 0;
  for (;;) {
    SymbolPage page = repo.list(q);
    ++pages;
    for (const auto& s : page.items) seen.emplace_back(s.exchange, s.symbol);
    if (!page.next) break;
    q.after = page.next;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 27u);
  const std::set<std::pair<std::string, std::string>> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), 27u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));  // ASCII names sort alike in both dialects

  SymbolQuery filtered;
  filtered.exchange = "ex2";
  EXPECT_EQ(repo.list(filtered).items.size(), 4u);
  filtered.limit = 4;
  EXPECT_FALSE(repo.list(filtered).next.has_value());  // exactly one full page: no cursor
}

TEST_P(RepositoryTest, ListFilters) {
  auto perp = make_symbol("BTC", "USDT", MarketType::Perpetual);
  auto halted = make_symbol("ETH", "USDC");
  halted.status = SymbolStatus::Halted;
  sync({make_symbol("BTC"), perp, halted, make_symbol("SOL")}, 2000);
  SymbolRepository repo(db());
  SymbolQuery q;
  q.market_type = MarketType::Perpetual;
  EXPECT_EQ(repo.list(q).items.size(), 1u);
  q = {};
  q.statuses = {SymbolStatus::Halted, SymbolStatus::Delisted};
  ASSERT_EQ(repo.list(q).items.size(), 1u);
  EXPECT_EQ(repo.list(q).items[0].symbol, "ETH/USDC");
  q = {};
  q.base = "BTC";
  EXPECT_EQ(repo.list(q).items.size(), 2u);
  q.quote = "USDC";
  EXPECT_EQ(repo.list(q).items.size(), 0u);
  q = {};
  q.search = "btcusdt";  // case-insensitive, matches the native symbol
  EXPECT_EQ(repo.list(q).items.size(), 2u);
  EXPECT_EQ(repo.find_by_native("ex", "BTCUSDT_PERP")->symbol, "BTC/USDT:USDT");
  EXPECT_FALSE(repo.find("ex", "NOPE/USDT").has_value());
  const auto all = repo.load_exchange("ex");
  EXPECT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].price_max_decimals.value(), 2);
  EXPECT_EQ(all[0].listed_at_ms.value(), 1500000000000);
  EXPECT_EQ(all[0].native_status.value(), "TRADING");
}

TEST_P(RepositoryTest, ExchangesAndIntervals) {
  ExchangeRepository repo(db());
  mdp::domain::ExchangeDescriptor d;
  d.id = "binance_futures";
  d.name = "Binance USD-M Futures";
  d.version = "0.3.1";
  d.abi = "1.0";
  d.intervals = {{"1h", "1h", 1500}, {"1m", "1m", 1500}, {"1M", "1M", 1000}};
  repo.record_loaded(d, 1000);
  auto intervals = repo.intervals("binance_futures");
  ASSERT_EQ(intervals.size(), 3u);
  EXPECT_EQ(intervals[0].interval, "1m");  // catalogue order
  EXPECT_EQ(intervals[2].interval, "1M");
  EXPECT_EQ(intervals[2].page_cap, 1000u);

  d.intervals = {{"1d", "1d", 500}};
  repo.record_loaded(d, 2000);
  EXPECT_EQ(repo.intervals("binance_futures").size(), 1u);
  EXPECT_THROW(repo.replace_intervals("binance_futures", {{"7m", "7m", 10}}), InvalidValue);
  EXPECT_EQ(repo.intervals("binance_futures").size(), 1u);

  ExchangeRecord failed;
  failed.id = "broken";
  failed.name = "broken";
  failed.status = ExchangeStatus::Failed;
  failed.status_reason = "abi_major mismatch: plugin 2, host 1";
  repo.upsert(failed, 3000);
  EXPECT_THROW(repo.upsert(ExchangeRecord{"Bad Id", "x", "", "", ExchangeStatus::Loaded, {}, 0, {}}, 1), InvalidValue);

  SyncRunRepository runs(db());
  const auto run = runs.start("binance_futures", 4000);
  runs.finish(run, SyncOutcome::Succeeded, {}, std::nullopt, 4500);
  const auto list = repo.list();
  ASSERT_EQ(list.size(), 3u);  // binance_futures, broken, ex
  EXPECT_EQ(list[0].id, "binance_futures");
  EXPECT_EQ(list[0].last_successful_sync_ms.value(), 4500);
  EXPECT_EQ(list[0].plugin_version, "0.3.1");
  EXPECT_EQ(list[1].status, ExchangeStatus::Failed);
  EXPECT_EQ(list[1].status_reason.value(), failed.status_reason.value());
  EXPECT_FALSE(list[1].last_successful_sync_ms.has_value());
  EXPECT_EQ(repo.find("broken")->updated_at_ms, 3000);
  EXPECT_FALSE(repo.find("nope").has_value());
}

TEST_P(RepositoryTest, SyncRuns) {
  SyncRunRepository runs(db());
  const auto a = runs.start("ex", 1000);
  runs.finish(a, SyncOutcome::Failed, SyncCounts{}, std::string("upstream 500\0 \xff", 15), 1100);
  EXPECT_THROW(runs.finish(a, SyncOutcome::Succeeded, {}, std::nullopt, 1200), DatabaseError);
  const auto b = runs.start("ex", 2000);
  runs.finish(b, SyncOutcome::Succeeded, SyncCounts{3, 1, 2}, std::nullopt, 2100);
  runs.record_skipped("ex", "another host holds the sync lock", 3000);
  const auto stale = runs.start("ex", 3500);
  EXPECT_FALSE(runs.last_success("nope").has_value());
  EXPECT_EQ(runs.last_success("ex").value(), 2100);
  EXPECT_EQ(runs.last_success_all().at("ex"), 2100);

  const auto recent = runs.list_recent(std::string("ex"), 10);
  ASSERT_EQ(recent.size(), 4u);
  EXPECT_EQ(recent[0].id, stale);
  EXPECT_EQ(recent[0].outcome, SyncOutcome::Running);
  EXPECT_EQ(recent[1].outcome, SyncOutcome::Skipped);
  EXPECT_EQ(recent[2].counts.added, 3);
  EXPECT_EQ(recent[2].counts.delisted, 2);
  EXPECT_EQ(recent[3].error.value(), "upstream 500? ?");
  EXPECT_EQ(runs.list_recent(std::nullopt, 2).size(), 2u);

  EXPECT_EQ(runs.fail_interrupted(std::string("other"), 4000, 5000), 0u);
  EXPECT_EQ(runs.fail_interrupted(std::string("ex"), 4000, 5000), 1u);
  EXPECT_EQ(runs.fail_interrupted(std::nullopt, 4000, 5000), 0u);
  const auto after = runs.find(stale);
  EXPECT_EQ(after->outcome, SyncOutcome::Failed);
  EXPECT_EQ(after->finished_at_ms.value(), 5000);
}

TEST_P(RepositoryTest, ApplySyncIsAllOrNothing) {
  sync(three(), 2000);
  // A native symbol colliding with another row violates a unique key mid-transaction.
  auto fetched = three();
  fetched.push_back(make_symbol("SOL"));
  auto clash = make_symbol("ADA");
  clash.native_symbol = "BTCUSDT";
  SymbolRepository repo(db());
  auto diff = diff_symbols(repo.load_exchange("ex"), fetched);
  diff.added.push_back(clash);
  try {
    repo.apply_sync("ex", diff, std::nullopt, 3000);
    FAIL() << "unique violation not reported";
  } catch (const DatabaseError& e) {
    EXPECT_TRUE(e.is_constraint_violation()) << e.what();
    const std::string message = e.what();
    EXPECT_EQ(message.find("INSERT"), std::string::npos) << message;
    EXPECT_EQ(message.find("BTCUSDT"), std::string::npos) << message;
    if (GetParam() == Dialect::PostgreSQL) {
      EXPECT_EQ(e.sqlstate(), "23505");
    }
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM symbols"), 3);
  EXPECT_FALSE(repo.find("ex", "SOL/USDT").has_value());
}

TEST_P(RepositoryTest, TenThousandSymbolsInOneSync) {
  std::vector<Symbol> many;
  for (int i = 0; i < 10000; ++i) many.push_back(make_symbol("T" + std::to_string(i)));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(sync(many, 2000).added, 10000);
  many[5].tick_size = "0.5";
  many.pop_back();
  const SyncCounts second = sync(many, 3000);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(second.changed, 1);
  EXPECT_EQ(second.delisted, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM symbols WHERE last_seen = 3000"), 9999);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 30);
}

INSTANTIATE_TEST_SUITE_P(BothDialects, RepositoryTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param_info) { return dialect_name(param_info.param); });
