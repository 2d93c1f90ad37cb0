// Keeps docs/syncer.md honest: every ```sql block of its "Reading sync_runs and
// symbol_changes" section runs on both dialects (```sql postgresql / ```sql sqlite blocks on
// their own dialect only) against a database the real sync job filled, and returns rows.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "Sql.hpp"
#include "StorageTestSupport.hpp"
#include "SymbolSyncJob.hpp"
#include "SyncRunRepository.hpp"
#include "SyncTestSupport.hpp"

namespace mdp::sync {
namespace {

using namespace std::chrono_literals;
using storage::Dialect;

struct SqlBlock {
  std::string dialect;  // "" = both
  std::string text;
};

std::vector<SqlBlock> doc_sql_blocks() {
  std::ifstream in(storage::test::source_dir() / "docs" / "syncer.md");
  if (!in) throw std::runtime_error("docs/syncer.md not found");
  std::vector<SqlBlock> blocks;
  std::string line;
  std::optional<SqlBlock> open;
  while (std::getline(in, line)) {
    if (!open && line.rfind("```sql", 0) == 0) {
      open = SqlBlock{line.size() > 7 ? line.substr(7) : "", ""};
    } else if (open && line.rfind("```", 0) == 0) {
      blocks.push_back(*open);
      open.reset();
    } else if (open) {
      open->text += line + "\n";
    }
  }
  return blocks;
}

class SyncerDocsSqlTest : public ::testing::TestWithParam<Dialect> {};

TEST_P(SyncerDocsSqlTest, EveryQueryOfTheDocRunsAndFindsRows) {
  std::unique_ptr<storage::test::TestDatabase> tdb;
  try {
    tdb = std::make_unique<storage::test::TestDatabase>(GetParam());
    storage::test::migrate_and_add_exchange(tdb->db(), "binance_futures");
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  // A history with something in every table the queries read: a success that adds, a
  // failure, a success that changes a tick and delists one, and one run left running.
  auto adapter = std::make_shared<test::FakeExchangeAdapter>("binance_futures");
  auto perpetual = [](const std::string& base, const std::string& tick) {
    domain::Symbol s = test::spot("binance_futures", base, tick);
    s.market_type = domain::MarketType::Perpetual;
    s.symbol = base + "/USDT:USDT";
    s.settle = "USDT";
    s.contract_size = "1";
    return s;
  };
  SymbolSyncJob job(tdb->db(), [adapter](const std::string&) { return adapter; });
  const auto context = domain::CallContext::with_timeout(30s);
  adapter->set_symbols({perpetual("BTC", "0.1"), perpetual("ETH", "0.01"), perpetual("XRP", "0.0001")});
  ASSERT_EQ(job.sync_now("binance_futures", context).outcome, "succeeded");
  adapter->fail_with(domain::AdapterError(domain::AdapterErrorCode::UpstreamUnavailable, "HTTP 503"));
  ASSERT_EQ(job.sync_now("binance_futures", context).outcome, "failed");
  adapter->set_symbols({perpetual("BTC", "0.1"), perpetual("ETH", "0.05")});
  ASSERT_EQ(job.sync_now("binance_futures", context).outcome, "succeeded");
  storage::SyncRunRepository(tdb->db()).start("binance_futures", 1);

  const std::string own = std::string(storage::to_string(GetParam()));
  std::size_t ran = 0;
  for (const SqlBlock& block : doc_sql_blocks()) {
    if (!block.dialect.empty() && block.dialect != own) continue;
    std::string text = block.text;
    while (!text.empty() && (text.back() == '\n' || text.back() == ';')) text.pop_back();
    storage::Lease lease = tdb->db().acquire();
    try {
      storage::sql::Rows rows = storage::sql::Query(lease, "docs.syncer", text).rows();
      EXPECT_GT(rows.size(), 0u) << text;
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << "\n" << text;
    }
    ++ran;
  }
  EXPECT_EQ(ran, 9u) << "8 portable blocks and 1 for this dialect";
}

INSTANTIATE_TEST_SUITE_P(BothDialects, SyncerDocsSqlTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param_info) {
                           return storage::test::dialect_name(param_info.param);
                         });

}  // namespace
}  // namespace mdp::sync
