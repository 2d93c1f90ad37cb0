// Issue 8, "Database faults" (RELIABILITY.md D1–D3), with the real mdp-host binary, the real
// binance_futures plugin against a fake exchange on 127.0.0.1, and a private PostgreSQL
// cluster (ThrowawayPostgres) that the tests stop and restart, never the shared one:
// - PostgreSQL stopped at start: the host serves /health, /ready is 503 naming the database,
//   /v1 answers 503 problems with Retry-After; when PostgreSQL starts, the host migrates,
//   syncs and turns ready, all without a restart.
// - PostgreSQL restarted under load: every request fails cleanly (503 problem, within the
//   deadline) or succeeds; afterwards everything succeeds again, same host process.
// - Open file descriptors stay flat across repeated outages (the Poco 1.11 failed-connect
//   leak is kept away by the breaker).
// The figures are printed and merged into $MDP_BINARY_DIR/reports/db-faults.json.
#include <gtest/gtest.h>
#include <signal.h>

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "AuthorizedGet.hpp"
#include "FakeExchangeServer.hpp"
#include "FigureReport.hpp"
#include "HostConfigFile.hpp"
#include "HostProcess.hpp"
#include "HttpProbe.hpp"
#include "IntegrationPaths.hpp"
#include "JwsKey.hpp"
#include "ProcessProbes.hpp"
#include "RequestLoad.hpp"
#include "ScratchDir.hpp"
#include "ThrowawayPostgres.hpp"
#include "TokenIssuer.hpp"

namespace mdp::app::integration {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using mdp::test::StopMode;

constexpr const char* kExchange = "binance_futures";
constexpr const char* kJwtSecret = "db-faults-process-test-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e";
// The longest any request may take, outage or not: connect + the pool's 2 s acquire wait +
// a statement, on a loaded machine. A request still open after it counts as a hang.
constexpr std::chrono::seconds kRequestDeadline{30};
constexpr std::chrono::seconds kClientTimeout{60};  // the client gives up later, so a hang is seen
constexpr std::chrono::seconds kRecoveryWait{180};
constexpr int kTokenTtlSeconds = 3600;

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// A clean failure: 503, an RFC 9457 problem of a "try again later" type, with Retry-After.
bool failed_cleanly(const Reply& reply) {
  return reply.status == 503 && reply.content_type.rfind("application/problem+json", 0) == 0 &&
         !reply.retry_after.empty() && (reply.problem_type == "db-unavailable" || reply.problem_type == "unavailable");
}

std::string describe(const Sample& sample) {
  return sample.target + " -> " + std::to_string(sample.reply.status) + " " + sample.reply.problem_type + " (" +
         std::to_string(sample.reply.seconds) + " s) " + sample.reply.error + " " + sample.reply.body.substr(0, 300);
}

void record_figures_or_fail(const Poco::JSON::Object::Ptr& figures, const std::string& key) {
  try {
    mdp::test::record_figures("db-faults.json", key, figures);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "figures not recorded: " << e.what();
  }
}

class HostDatabaseFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      pg_ = std::make_unique<mdp::test::ThrowawayPostgres>();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    exchange_info_ = exchange_.get("/fapi/v1/exchangeInfo",
                  fake::FakeResponse::file(own_fixture(kExchange, "exchangeInfo_sync_v1.json").string()));
    const std::filesystem::path plugins = work_.make_dir("plugins");
    ScratchDir::install_plugin(plugin_build_dir() / (std::string("mdp-") + kExchange + ".so"), plugins, kExchange);

    HostSettings settings = base_host_settings(work_.path());
    settings["database.url"] = pg_->url() + "?connect_timeout=5";
    settings["database.pool_size"] = "4";
    settings["plugins.enabled"] = kExchange;
    settings[std::string("plugins.") + kExchange + ".base_url"] = exchange_.base_url();
    settings["auth.jwt_secret"] = kJwtSecret;
    settings["auth.token_ttl_s"] = std::to_string(kTokenTtlSeconds);
    settings["api.rate_limit_per_minute"] = "0";  // the load must not meet the client rate limit
    settings["server.threads"] = "8";
    config_ = write_host_config(work_ / "mdp.properties", settings);
  }

  void start_host() {
    host_ = std::make_unique<HostProcess>(host_binary(), std::vector<std::string>{"--config", config_.string(), "--dev"},
                                          work_.path());
    const auto port = host_->wait_for_listening_port();
    ASSERT_TRUE(port.has_value()) << "mdp-host did not start listening:\n" << log_tail();
    port_ = *port;
  }

  // The end of the host's log (the access log makes the whole of it long).
  std::string log_tail() const {
    const std::string out = host_->output();
    return out.size() > 6000 ? "…" + out.substr(out.size() - 6000) : out;
  }

  Reply get(const std::string& target, const std::string& token = {}) const {
    return authorized_get(port_, target, token, kClientTimeout);
  }

  // Polls /ready until 200; returns how long that took (nullopt: it never did).
  std::optional<double> wait_until_ready() const {
    const auto start = Clock::now();
    if (!poll_until([&] { return get("/ready").status == 200; }, kRecoveryWait, 200ms)) return std::nullopt;
    return seconds_between(start, Clock::now());
  }

  // The --dev client the host created once the database was there (stdout).
  std::string dev_client_id() const {
    std::smatch match;
    const std::string out = host_->stdout_text();
    if (std::regex_search(out, match, std::regex(R"(client_id:\s+(\S+))"))) return match[1];
    return {};
  }

  // A market:read token signed with the configured key (the host still checks the client).
  static std::string token_for(const std::string& client_id) {
    auto signer = std::make_shared<const auth::JwtSigner>(auth::make_hs256_key(kJwtSecret));
    const auth::TokenIssuer issuer(signer, "mdp", "mdp-api", kTokenTtlSeconds);
    const auto now_s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return issuer.issue(client_id, {"market:read"}, now_s).access_token;
  }

  std::string ready_token() {
    const std::string id = dev_client_id();
    EXPECT_FALSE(id.empty()) << "no --dev client in the output:\n" << host_->stdout_text();
    return token_for(id);
  }

  ScratchDir work_{"mdp-host-db-faults"};
  std::unique_ptr<mdp::test::ThrowawayPostgres> pg_;
  fake::FakeExchangeServer exchange_;
  fake::RouteId exchange_info_ = -1;
  std::filesystem::path config_;
  std::unique_ptr<HostProcess> host_;
  std::uint16_t port_ = 0;
};

// D1. PostgreSQL is down when the host starts.
TEST_F(HostDatabaseFaults, PostgresStoppedAtStartServesHealthThenMigratesAndTurnsReadyWhenItStarts) {
  pg_->stop(StopMode::Fast);
  start_host();
  if (HasFatalFailure()) return;
  const pid_t pid = host_->pid();
  HealthWatcher health(port_);

  EXPECT_EQ(get("/health").status, 200);
  const Reply ready = get("/ready");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_NE(ready.body.find(R"({"name":"database","ok":false,"detail":"unreachable"})"), std::string::npos)
      << ready.body;
  EXPECT_NE(ready.body.find(R"({"name":"migrations","ok":false,"detail":"pending"})"), std::string::npos)
      << ready.body;

  // /v1 with a well-signed token: the client cannot be checked, so 503 with Retry-After.
  const Reply data = get("/v1/exchanges", token_for("mdp_someone"));
  EXPECT_TRUE(failed_cleanly(data)) << data.status << " " << data.content_type << " retry-after '"
                                    << data.retry_after << "' " << data.body;
  EXPECT_EQ(data.body.find("unused"), std::string::npos) << "no password in a response: " << data.body;
  const Reply symbols = get("/v1/symbols?exchange=binance_futures", token_for("mdp_someone"));
  EXPECT_TRUE(failed_cleanly(symbols)) << symbols.status << " " << symbols.body;

  // It keeps retrying in the background, and stays up doing so.
  EXPECT_TRUE(poll_until([&] { return count_of(host_->output(), "database unavailable") >= 3; }, 120s))
      << log_tail();
  ASSERT_TRUE(host_->running()) << log_tail();
  EXPECT_EQ(get("/ready").status, 503);

  const auto started = Clock::now();
  pg_->start();
  const std::optional<double> ready_after = wait_until_ready();
  ASSERT_TRUE(ready_after.has_value()) << "not ready after PostgreSQL started:\n"
                                       << get("/ready").body << "\n"
                                       << log_tail();
  const double ready_s = seconds_between(started, Clock::now());
  EXPECT_NE(host_->output().find("database migrated to version"), std::string::npos) << log_tail();
  EXPECT_GE(exchange_.hits(exchange_info_), 1u) << "ready means an exchange synced";

  const Reply exchanges = get("/v1/exchanges", ready_token());
  EXPECT_EQ(exchanges.status, 200) << exchanges.body;
  EXPECT_NE(exchanges.body.find(kExchange), std::string::npos) << exchanges.body;

  health.stop();
  EXPECT_TRUE(health.failures().empty()) << health.failures().front();
  EXPECT_TRUE(host_->running());
  EXPECT_EQ(host_->pid(), pid) << "no host restart";

  Poco::JSON::Object::Ptr figures = new Poco::JSON::Object;
  figures->set("fault", "PostgreSQL stopped when mdp-host starts");
  figures->set("health_200_during_outage", static_cast<Poco::UInt64>(health.answered_200()));
  figures->set("bootstrap_retries_logged", static_cast<Poco::UInt64>(count_of(host_->output(), "database unavailable")));
  figures->set("seconds_pg_start_to_ready", ready_s);
  record_figures_or_fail(figures, "pg_stopped_at_start");
}

// D2. PostgreSQL restarted (pg_ctl restart -m fast) while four clients keep asking.
TEST_F(HostDatabaseFaults, RestartUnderLoadFailsRequestsCleanlyAndLaterOnesSucceedWithoutAHostRestart) {
  start_host();
  if (HasFatalFailure()) return;
  const pid_t pid = host_->pid();
  ASSERT_TRUE(wait_until_ready().has_value()) << get("/ready").body << log_tail();
  const std::string token = ready_token();
  ASSERT_EQ(get("/v1/exchanges", token).status, 200);

  RequestLoad load(port_, {"/v1/exchanges", "/v1/symbols?exchange=binance_futures&limit=50"}, token, 4,
                   kClientTimeout);
  ASSERT_TRUE(load.wait_for_more(40, 120s));
  const auto restart_begin = Clock::now();
  pg_->restart(StopMode::Fast);
  const auto restart_end = Clock::now();

  // Wait for the first success of a request sent after PostgreSQL was back, then keep the
  // load on for 100 more answers: the steady state.
  const bool recovered = poll_until(
      [&] {
        for (const Sample& s : load.samples()) {
          if (s.started >= restart_end && s.reply.status == 200) return true;
        }
        return false;
      },
      kRecoveryWait);
  EXPECT_TRUE(recovered) << "no request succeeded after the restart:\n" << log_tail();
  EXPECT_TRUE(load.wait_for_more(100, 180s));
  load.stop();

  const std::vector<Sample> samples = load.samples();
  std::size_t ok = 0, clean = 0, bad = 0, failed_after_back = 0, in_outage = 0;
  double slowest = 0;
  std::optional<Clock::time_point> first_ok_after;
  std::vector<std::string> bad_samples;
  std::map<std::string, std::size_t> after_back_by_type;
  for (const Sample& s : samples) {
    slowest = std::max(slowest, s.reply.seconds);
    const bool after = s.started >= restart_end;
    if (s.started >= restart_begin && !after) ++in_outage;
    if (s.reply.status == 200) {
      ++ok;
      if (after && (!first_ok_after || s.started < *first_ok_after)) first_ok_after = s.started;
      continue;
    }
    if (after) {
      ++failed_after_back;
      ++after_back_by_type[s.reply.problem_type.empty() ? std::to_string(s.reply.status) : s.reply.problem_type];
    }
    if (failed_cleanly(s.reply)) {
      ++clean;
    } else {
      ++bad;
      if (bad_samples.size() < 5) bad_samples.push_back(describe(s));
    }
  }
  std::cout << "[figures] restart under load: " << samples.size() << " requests, " << ok << " succeeded, " << clean
            << " failed cleanly (503 problem + Retry-After), " << bad << " failed otherwise; " << failed_after_back
            << " failed after PostgreSQL was back; slowest " << slowest << " s" << std::endl;

  EXPECT_EQ(bad, 0u) << "never a 500, a reset or a hang:\n" << ::testing::PrintToString(bad_samples);
  EXPECT_GE(clean, 1u) << "the restart was not seen by any request (it must fail some cleanly)";
  EXPECT_LT(slowest, static_cast<double>(kRequestDeadline.count())) << "a request hung past the deadline";
  // Steady state: the last 50 answers all succeeded.
  ASSERT_GE(samples.size(), 50u);
  for (std::size_t i = samples.size() - 50; i < samples.size(); ++i) {
    EXPECT_EQ(samples[i].reply.status, 200) << describe(samples[i]);
  }
  EXPECT_TRUE(host_->running());
  EXPECT_EQ(host_->pid(), pid) << "no host restart";

  Poco::JSON::Object::Ptr figures = new Poco::JSON::Object;
  figures->set("fault", "pg_ctl restart -m fast under 4 closed-loop clients (/v1/exchanges, /v1/symbols)");
  figures->set("requests", static_cast<Poco::UInt64>(samples.size()));
  figures->set("succeeded", static_cast<Poco::UInt64>(ok));
  figures->set("failed_cleanly_503", static_cast<Poco::UInt64>(clean));
  figures->set("failed_otherwise", static_cast<Poco::UInt64>(bad));
  figures->set("sent_during_restart", static_cast<Poco::UInt64>(in_outage));
  figures->set("failed_after_pg_back", static_cast<Poco::UInt64>(failed_after_back));
  Poco::JSON::Object::Ptr by_type = new Poco::JSON::Object;
  for (const auto& [type, n] : after_back_by_type) by_type->set(type, static_cast<Poco::UInt64>(n));
  figures->set("failed_after_pg_back_by_type", by_type);
  figures->set("seconds_restart", seconds_between(restart_begin, restart_end));
  figures->set("seconds_pg_back_to_first_success",
               first_ok_after ? seconds_between(restart_end, *first_ok_after) : -1.0);
  figures->set("slowest_request_s", slowest);
  record_figures_or_fail(figures, "pg_restart_under_load");
}

// D3. Repeated outages with traffic and readiness polling: the host's fd count stays flat.
TEST_F(HostDatabaseFaults, OpenFileDescriptorsStayFlatAcrossRepeatedOutages) {
  constexpr int kOutages = 3;
  constexpr std::size_t kMaxFdGrowth = 5;  // RELIABILITY.md D3
  start_host();
  if (HasFatalFailure()) return;
  ASSERT_TRUE(wait_until_ready().has_value()) << get("/ready").body << log_tail();
  const std::string token = ready_token();
  const std::vector<std::string> targets{"/v1/exchanges", "/v1/symbols?exchange=binance_futures&limit=50", "/ready"};
  {
    // Warm-up with the same concurrency, so the pool has its working size before counting.
    RequestLoad warm(port_, targets, token, 4, kClientTimeout);
    ASSERT_TRUE(warm.wait_for_more(100, 120s));
  }
  const pid_t pid = host_->pid();
  const std::size_t fds_before = open_fds(pid);
  const std::int64_t rss_before = rss_kb(pid);

  std::size_t outage_requests = 0, outage_bad = 0;
  std::size_t fds_peak = fds_before;
  double longest_recovery_s = 0;
  for (int outage = 0; outage < kOutages; ++outage) {
    pg_->stop(StopMode::Fast);
    const auto down_at = Clock::now();
    {
      RequestLoad load(port_, targets, token, 4, kClientTimeout);
      // At least 150 answers and a few seconds, so the host's background probes run too.
      EXPECT_TRUE(load.wait_for_more(150, 120s));
      poll_until([&] { return Clock::now() - down_at > 4s; }, 10s);
      load.stop();
      for (const Sample& s : load.samples()) {
        ++outage_requests;
        if (s.reply.status != 503 || s.reply.content_type.rfind("application/problem+json", 0) != 0) {
          if (s.reply.status != 200) ++outage_bad;  // a metadata answer from the cache is fine
        }
      }
    }
    fds_peak = std::max(fds_peak, open_fds(pid));
    pg_->start();
    const auto up_at = Clock::now();
    EXPECT_TRUE(poll_until([&] { return get("/v1/exchanges", token).status == 200; }, kRecoveryWait))
        << "outage " << outage << ": no recovery\n"
        << log_tail();
    longest_recovery_s = std::max(longest_recovery_s, seconds_between(up_at, Clock::now()));
    EXPECT_TRUE(poll_until([&] { return get("/ready").status == 200; }, kRecoveryWait));
  }
  // Connections the clients closed may take a moment to go on the server side.
  std::size_t fds_after = open_fds(pid);
  poll_until([&] { return (fds_after = open_fds(pid)) <= fds_before + kMaxFdGrowth; }, 30s, 250ms);
  const std::int64_t rss_after = rss_kb(pid);
  std::cout << "[figures] fds before " << fds_before << ", peak " << fds_peak << ", after " << fds_after << " ("
            << kOutages << " outages, " << outage_requests << " requests during them); RSS " << rss_before
            << " kB -> " << rss_after << " kB" << std::endl;
  EXPECT_LE(fds_after, fds_before + kMaxFdGrowth);
  EXPECT_LE(fds_peak, fds_before + 4 * kMaxFdGrowth) << "fds grew during the outages";
  EXPECT_EQ(outage_bad, 0u) << "every request during an outage is a 503 problem (or a cached 200)";
  EXPECT_TRUE(host_->running());

  Poco::JSON::Object::Ptr figures = new Poco::JSON::Object;
  figures->set("fault", "3 x pg_ctl stop -m fast, >= 4 s and >= 150 requests each, then start");
  figures->set("fds_before", static_cast<Poco::UInt64>(fds_before));
  figures->set("fds_peak_during_outages", static_cast<Poco::UInt64>(fds_peak));
  figures->set("fds_after", static_cast<Poco::UInt64>(fds_after));
  figures->set("requests_during_outages", static_cast<Poco::UInt64>(outage_requests));
  figures->set("rss_kb_before", static_cast<Poco::Int64>(rss_before));
  figures->set("rss_kb_after", static_cast<Poco::Int64>(rss_after));
  figures->set("longest_seconds_pg_start_to_success", longest_recovery_s);
  record_figures_or_fail(figures, "fd_flat_across_outages");
}

}  // namespace
}  // namespace mdp::app::integration
