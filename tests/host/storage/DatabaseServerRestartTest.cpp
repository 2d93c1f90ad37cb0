// Database against a real PostgreSQL server going down and coming back (RELIABILITY.md D2,
// D3), on a private throwaway cluster: never the shared one on 5432.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "Database.hpp"
#include "Sql.hpp"
#include "ThrowawayPostgres.hpp"

using namespace mdp::storage;
using namespace std::chrono_literals;
using mdp::test::StopMode;
using mdp::test::ThrowawayPostgres;

namespace {

std::int64_t select_one(Database& db) {
  Lease lease = db.acquire();
  return sql::Query(lease, "t", "SELECT 1").rows()[0].int64(0);
}

class DatabaseServerRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      pg_ = std::make_unique<ThrowawayPostgres>();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }
  DatabaseUrl url() const { return parse_database_url(pg_->url() + "?connect_timeout=10"); }

  std::unique_ptr<ThrowawayPostgres> pg_;
};

// While the server is down, only PQping is tried (one at a time, every ping_interval); the
// 1 s connection-attempt cap (probe_interval) is for connects that keep failing although the
// server answers pings. So the first request after the server is back is served: with a
// probe_interval of a minute, a breaker that waited probe_interval between pings would refuse it.
TEST_F(DatabaseServerRestart, TheFirstRequestAfterTheServerIsBackIsServed) {
  DatabaseOptions options;
  options.probe_interval = 60s;
  options.ping_interval = 0ms;
  Database db(url(), options);
  ASSERT_EQ(select_one(db), 1);

  pg_->stop(StopMode::Fast);
  EXPECT_THROW(select_one(db), DatabaseUnavailable);  // the pooled session notices, marks down
  EXPECT_TRUE(db.stats().marked_down);
  EXPECT_THROW(select_one(db), DatabaseUnavailable);  // PQping refused
  EXPECT_THROW(select_one(db), DatabaseUnavailable);

  pg_->start();
  EXPECT_EQ(select_one(db), 1) << "the breaker kept refusing after the server was back";
  EXPECT_FALSE(db.stats().marked_down);
}

// A restart behind idle pooled sessions (libpq still calls them CONNECTION_OK): at most one
// request fails, the others get sessions validated and re-established in place.
TEST_F(DatabaseServerRestart, AtMostOneFailureWhenEveryPooledSessionDiedInARestart) {
  DatabaseOptions options;
  options.max_sessions = 3;
  Database db(url(), options);
  {
    std::vector<Lease> leases;
    for (int i = 0; i < 3; ++i) leases.push_back(db.acquire());
    for (Lease& lease : leases) EXPECT_EQ(sql::Query(lease, "t", "SELECT 1").rows()[0].int64(0), 1);
  }
  pg_->restart(StopMode::Fast);

  int failures = 0;
  for (int i = 0; i < 9; ++i) {
    try {
      EXPECT_EQ(select_one(db), 1);
    } catch (const DatabaseUnavailable& e) {
      ++failures;
      EXPECT_TRUE(is_connection_loss(e)) << e.what();
    }
  }
  EXPECT_LE(failures, 1);
  EXPECT_EQ(select_one(db), 1);
}

}  // namespace
