// RELIABILITY.md L3 "Chaos soak": the real mdp-host (binance_futures plugin) on a private
// PostgreSQL cluster (ThrowawayPostgres, never the shared one) against a fake exchange on
// 127.0.0.1, under closed-loop load from C++ clients (candles that go upstream every time:
// the response cache is off; symbols from the database) for MDP_CHAOS_SOAK_SECONDS
// (default 30) in six equal phases:
//   normal | klines answer 429 (Retry-After 1) | klines answer 418 (Retry-After 2) | normal |
//   PostgreSQL restarted (pg_ctl restart -m fast) | normal.
// Asserts: the host process stays up (same pid); every answer is 200 or a 503 problem with
// Retry-After whose type is upstream-rate-limited (the exchange's 429 and 418 both map to it,
// docs/api.md; there is no separate "banned" type), db-unavailable, or unavailable (admission
// control's deliberate 503 when every worker thread is busy); each fault was seen by
// at least one request; after the load, candles succeed again and the host's open fds and
// threads (/proc/<pid>/fd, /proc/<pid>/task) come back within a small bound of the baseline
// taken after a warm-up at the same concurrency (pooled connections: within their pools' caps). Figures are printed and merged into
// $MDP_BINARY_DIR/reports/soak.json under "chaos_soak". ctest -L soak.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
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
constexpr const char* kJwtSecret = "chaos-soak-process-test-3e8b1f6a9d2c4e7b0a5f8c1d3e6b9a2f";
constexpr int kClients = 4;
constexpr int kServerThreads = 8;
constexpr int kTokenTtlSeconds = 3600;
constexpr std::chrono::seconds kClientTimeout{60};   // a hang shows as a slow request, not a lost one
constexpr std::chrono::seconds kRequestDeadline{30};  // slower than this counts as a hang
constexpr std::chrono::seconds kRecoveryWait{120};
constexpr std::chrono::seconds kSettleWait{60};  // fds/threads back to baseline within this
// fds: the pooled connections (PostgreSQL: database.pool_size plus dedicated lock/probe
// sessions; the exchange: keep-alive, at most one per concurrent candles request plus one) may end up
// fuller than after the warm-up, so they are held to their caps; every other fd (files,
// pipes, the listener, client connections) to the baseline + kMaxOtherFdGrowth.
constexpr std::size_t kDbPoolSize = 4;
constexpr std::size_t kMaxPostgresFds = kDbPoolSize + 2;
constexpr std::size_t kMaxExchangeFds = kClients + 1;
constexpr std::size_t kMaxOtherFdGrowth = 2;
constexpr std::size_t kMaxThreadGrowth = 2;
const std::string kCandles =
    "/v1/candles?exchange=binance_futures&symbol=BTC/USDT:USDT&interval=1h&start=1704067200000&end=1706745600000";
const std::string kSymbols = "/v1/symbols?exchange=binance_futures&limit=50";
// unavailable = admission control's deliberate 503 when every worker is busy (a slow build,
// e.g. under ASan, queues requests behind the 429/418 waits and the restart).
const std::set<std::string> kAllowedProblems{"upstream-rate-limited", "db-unavailable", "unavailable"};

int chaos_seconds() {
  const char* text = std::getenv("MDP_CHAOS_SOAK_SECONDS");
  const int value = (text != nullptr && *text != '\0') ? std::atoi(text) : 0;
  return value >= 12 ? value : 30;
}

std::size_t threads_of(pid_t pid) { return count_entries("/proc/" + std::to_string(pid) + "/task"); }

// The host's open fds by kind, for the figures and failure messages: TCP sockets by the peer
// they talk to (/proc/<pid>/net/tcp{,6}: inode -> ports), other sockets, pipes, files.
std::map<std::string, std::size_t> fds_by_kind(pid_t pid, std::uint16_t pg_port, std::uint16_t exchange_port,
                                               std::uint16_t host_port) {
  std::map<std::string, std::pair<unsigned, unsigned>> ports;  // inode -> (local, remote)
  for (const char* table : {"tcp", "tcp6"}) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/net/" + table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string sl, local, remote, st, queues, timer, retr, uid, timeout, inode;
      fields >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid >> timeout >> inode;
      const auto port_of = [](const std::string& address) {
        const auto colon = address.rfind(':');
        return colon == std::string::npos ? 0u : static_cast<unsigned>(std::stoul(address.substr(colon + 1), nullptr, 16));
      };
      if (!inode.empty()) ports[inode] = {port_of(local), port_of(remote)};
    }
  }
  std::map<std::string, std::size_t> kinds;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::error_code link_ec;
    const std::string target = std::filesystem::read_symlink(it->path(), link_ec).string();
    std::string kind = "file";
    if (target.rfind("socket:[", 0) == 0) {
      const auto found = ports.find(target.substr(8, target.size() - 9));
      if (found == ports.end()) {
        kind = "socket (unix/other)";
      } else if (found->second.second == pg_port) {
        kind = "tcp postgres";
      } else if (found->second.second == exchange_port) {
        kind = "tcp exchange";
      } else if (found->second.first == host_port) {
        kind = found->second.second == 0 ? "tcp listen" : "tcp client";
      } else {
        kind = "tcp other";
      }
    } else if (target.rfind("pipe:", 0) == 0) {
      kind = "pipe";
    } else if (target.rfind("anon_inode:", 0) == 0) {
      kind = target;
    }
    ++kinds[kind];
  }
  return kinds;
}

std::size_t of_kind(const std::map<std::string, std::size_t>& kinds, const std::string& kind) {
  const auto found = kinds.find(kind);
  return found == kinds.end() ? 0 : found->second;
}
std::size_t other_fds(const std::map<std::string, std::size_t>& kinds) {
  std::size_t n = 0;
  for (const auto& [kind, count] : kinds) n += count;
  return n - of_kind(kinds, "tcp postgres") - of_kind(kinds, "tcp exchange");
}

std::string to_text(const std::map<std::string, std::size_t>& kinds) {
  std::string text;
  for (const auto& [kind, n] : kinds) text += (text.empty() ? "" : ", ") + kind + ": " + std::to_string(n);
  return text;
}

bool allowed_failure(const Reply& reply) {
  return reply.status == 503 && reply.content_type.rfind("application/problem+json", 0) == 0 &&
         !reply.retry_after.empty() && kAllowedProblems.count(reply.problem_type) == 1;
}

std::string describe(const Sample& sample) {
  return sample.target + " -> " + std::to_string(sample.reply.status) + " '" + sample.reply.problem_type +
         "' retry-after '" + sample.reply.retry_after + "' (" + std::to_string(sample.reply.seconds) + " s) " +
         sample.reply.error + " " + sample.reply.body.substr(0, 300);
}

class HostChaosSoak : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      pg_ = std::make_unique<mdp::test::ThrowawayPostgres>();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    const std::filesystem::path offline = source_dir() / "examples" / "offline" / "binance";
    exchange_.get("/fapi/v1/exchangeInfo", fake::FakeResponse::file((offline / "exchangeInfo.json").string()));
    klines_page_ = fake::FakeResponse::file((offline / "klines-BTCUSDT-1h-2024-01.json").string());
    klines_ = exchange_.get("/fapi/v1/klines", klines_page_);
    const std::filesystem::path plugins = work_.make_dir("plugins");
    ScratchDir::install_plugin(plugin_build_dir() / (std::string("mdp-") + kExchange + ".so"), plugins, kExchange);

    HostSettings settings = base_host_settings(work_.path());
    settings["database.url"] = pg_->url() + "?connect_timeout=5";
    settings["database.pool_size"] = std::to_string(kDbPoolSize);
    settings["plugins.enabled"] = kExchange;
    settings[std::string("plugins.") + kExchange + ".base_url"] = exchange_.base_url();
    settings[std::string("upstream.") + kExchange + ".budget_per_minute"] = "1000000";
    settings["auth.jwt_secret"] = kJwtSecret;
    settings["auth.token_ttl_s"] = std::to_string(kTokenTtlSeconds);
    settings["api.rate_limit_per_minute"] = "0";  // the load must not meet the client rate limit
    settings["cache.max_bytes"] = "0";            // every candles request goes upstream
    settings["server.threads"] = std::to_string(kServerThreads);
    settings["sync.interval_s"] = "86400";
    settings["sync.jitter_s"] = "0";
    const auto config = write_host_config(work_ / "mdp.properties", settings);
    host_ = std::make_unique<HostProcess>(host_binary(), std::vector<std::string>{"--config", config.string(), "--dev"},
                                          work_.path());
    const auto port = host_->wait_for_listening_port();
    ASSERT_TRUE(port.has_value()) << "mdp-host did not start listening:\n" << log_tail();
    port_ = *port;
    ASSERT_TRUE(poll_until([&] { return get("/ready").status == 200; }, kRecoveryWait, 200ms))
        << get("/ready").body << log_tail();
    std::smatch match;
    const std::string out = host_->stdout_text();
    ASSERT_TRUE(std::regex_search(out, match, std::regex(R"(client_id:\s+(\S+))"))) << "no --dev client:\n" << out;
    auto signer = std::make_shared<const auth::JwtSigner>(auth::make_hs256_key(kJwtSecret));
    const auth::TokenIssuer issuer(signer, "mdp", "mdp-api", kTokenTtlSeconds);
    const auto now_s =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    token_ = issuer.issue(match[1], {"market:read"}, now_s).access_token;
  }

  std::string log_tail() const {
    const std::string out = host_->output();
    return out.size() > 6000 ? "…" + out.substr(out.size() - 6000) : out;
  }

  Reply get(const std::string& target) const { return authorized_get(port_, target, token_, kClientTimeout); }

  ScratchDir work_{"mdp-host-chaos-soak"};
  std::unique_ptr<mdp::test::ThrowawayPostgres> pg_;
  fake::FakeExchangeServer exchange_;
  fake::FakeResponse klines_page_ = fake::FakeResponse::json("[]");
  fake::RouteId klines_ = -1;
  std::unique_ptr<HostProcess> host_;
  std::uint16_t port_ = 0;
  std::string token_;
};

TEST_F(HostChaosSoak, Upstream429Then418AndAPostgresRestartUnderLoadKeepTheHostUpWithOnlyAllowedFailures) {
  if (HasFatalFailure()) return;
  const pid_t pid = host_->pid();
  const std::vector<std::string> targets{kCandles, kSymbols};
  ASSERT_EQ(get(kCandles).status, 200) << get(kCandles).body;

  // Baseline after a warm-up at the load's concurrency (the server's pool threads, the
  // database pool and the upstream keep-alive connections have their working size).
  {
    RequestLoad warm(port_, targets, token_, kClients, kClientTimeout);
    ASSERT_TRUE(warm.wait_for_more(100, 120s));
  }
  std::this_thread::sleep_for(1s);
  const std::size_t fds_base = open_fds(pid);
  const std::size_t threads_base = threads_of(pid);
  auto fd_kinds = [&] { return fds_by_kind(pid, pg_->port(), exchange_.port(), port_); };
  const auto fds_base_kinds = fd_kinds();
  const std::size_t other_fds_base = other_fds(fds_base_kinds);

  const int total_s = chaos_seconds();
  const auto phase = std::chrono::milliseconds(total_s * 1000 / 6);
  std::size_t fds_peak = fds_base, threads_peak = threads_base;
  auto sample_peaks = [&] {
    fds_peak = std::max(fds_peak, open_fds(pid));
    threads_peak = std::max(threads_peak, threads_of(pid));
  };
  auto run_phase = [&](Clock::time_point until) {
    while (Clock::now() < until && host_->running()) {
      sample_peaks();
      std::this_thread::sleep_for(200ms);
    }
  };

  RequestLoad load(port_, targets, token_, kClients, kClientTimeout);
  const auto t0 = Clock::now();
  run_phase(t0 + phase);
  const std::size_t hits_before_429 = exchange_.hits(klines_);
  const auto rate_limited_at = Clock::now();
  exchange_.set_default(klines_, fake::FakeResponse::json(R"({"code":-1003,"msg":"Too many requests."})", 429)
                                     .with_retry_after("1"));
  run_phase(t0 + 2 * phase);
  const std::size_t hits_before_418 = exchange_.hits(klines_);
  const auto banned_at = Clock::now();
  exchange_.set_default(klines_, fake::FakeResponse::json(R"({"code":-1003,"msg":"Way too many requests; IP banned."})",
                                                          418)
                                     .with_retry_after("2"));
  run_phase(t0 + 3 * phase);
  const std::size_t hits_before_ok = exchange_.hits(klines_);
  const auto upstream_ok_at = Clock::now();
  exchange_.set_default(klines_, klines_page_);
  run_phase(t0 + 4 * phase);
  const auto restart_begin = Clock::now();
  bool restarted = true;
  try {
    pg_->restart(StopMode::Fast);
  } catch (const std::exception& e) {
    restarted = false;
    ADD_FAILURE() << "PostgreSQL restart failed: " << e.what();
  }
  const auto restart_end = Clock::now();
  sample_peaks();
  run_phase(std::max(t0 + 6 * phase, restart_end + phase));
  load.stop();
  const auto load_end = Clock::now();
  const bool alive_after_load = host_->running();

  // Classify every answer, and per fault window count the answers that show the fault.
  const std::vector<Sample> samples = load.samples();
  std::size_t ok = 0, bad = 0;
  std::size_t in_429 = 0, in_418 = 0, db_unavailable = 0;
  double slowest = 0;
  std::map<std::string, std::size_t> by_kind;
  std::vector<std::string> bad_samples;
  for (const Sample& s : samples) {
    slowest = std::max(slowest, s.reply.seconds);
    if (s.reply.status == 200) {
      ++ok;
      ++by_kind["200"];
      continue;
    }
    ++by_kind[std::to_string(s.reply.status) + " " + (s.reply.problem_type.empty() ? s.reply.error : s.reply.problem_type)];
    if (!allowed_failure(s.reply)) {
      ++bad;
      if (bad_samples.size() < 8) bad_samples.push_back(describe(s));
      continue;
    }
    if (s.reply.problem_type == "db-unavailable") ++db_unavailable;
    if (s.reply.problem_type == "upstream-rate-limited") {
      if (s.started >= rate_limited_at && s.started < banned_at) ++in_429;
      // From 1 s in (the 429's Retry-After has passed) to 2 s after (the ban's Retry-After).
      if (s.started >= banned_at + 1s && s.started < upstream_ok_at + 2s) ++in_418;
    }
  }

  // After the load: candles succeed again, then fds and threads settle back.
  const auto recovery_begin = Clock::now();
  const bool recovered = poll_until([&] { return get(kCandles).status == 200 && get(kSymbols).status == 200; },
                                    kRecoveryWait, 250ms);
  const double recovery_s = seconds_between(recovery_begin, Clock::now());
  std::size_t fds_after = open_fds(pid), threads_after = threads_of(pid);
  auto fds_after_kinds = fd_kinds();
  const auto fds_settled = [&] {
    return other_fds(fds_after_kinds) <= other_fds_base + kMaxOtherFdGrowth &&
           of_kind(fds_after_kinds, "tcp postgres") <= kMaxPostgresFds &&
           of_kind(fds_after_kinds, "tcp exchange") <= kMaxExchangeFds;
  };
  const auto settle_begin = Clock::now();
  poll_until(
      [&] {
        fds_after = open_fds(pid);
        fds_after_kinds = fd_kinds();
        threads_after = threads_of(pid);
        return fds_settled() && threads_after <= threads_base + kMaxThreadGrowth;
      },
      kSettleWait, 250ms);
  const double settle_s = seconds_between(settle_begin, Clock::now());

  const double load_s = seconds_between(t0, load_end);
  std::cout << "[figures] chaos soak: " << load_s << " s of load (" << kClients << " clients), " << samples.size()
            << " requests: " << ok << " x 200, " << (samples.size() - ok - bad) << " allowed 503 problems ("
            << in_429 << " upstream-rate-limited in the 429 phase, " << in_418 << " in the 418 phase, " << db_unavailable
            << " db-unavailable), " << bad << " other; slowest " << slowest << " s; klines upstream hits 429 phase "
            << (hits_before_418 - hits_before_429) << ", 418 phase " << (hits_before_ok - hits_before_418)
            << "; PG restart " << seconds_between(restart_begin, restart_end) << " s; recovered in " << recovery_s
            << " s; fds " << fds_base << " -> peak " << fds_peak << " -> " << fds_after << ", threads " << threads_base
            << " -> peak " << threads_peak << " -> " << threads_after << " (settled in " << settle_s << " s)"
            << std::endl;
  for (const auto& [kind, n] : by_kind) std::cout << "  " << kind << ": " << n << "\n";
  std::cout << "  fds at the baseline: " << to_text(fds_base_kinds) << "\n  fds after: " << to_text(fds_after_kinds)
            << std::endl;

  Poco::JSON::Object::Ptr figures = new Poco::JSON::Object;
  figures->set("seconds", total_s);
  figures->set("load_seconds", load_s);
  figures->set("clients", kClients);
  figures->set("phases", "normal | klines 429 (Retry-After 1) | klines 418 (Retry-After 2) | normal | "
                         "pg_ctl restart -m fast | normal");
  figures->set("targets", kCandles + " | " + kSymbols);
  figures->set("requests", static_cast<Poco::UInt64>(samples.size()));
  figures->set("status_200", static_cast<Poco::UInt64>(ok));
  figures->set("failed_otherwise", static_cast<Poco::UInt64>(bad));
  Poco::JSON::Object::Ptr kinds = new Poco::JSON::Object;
  for (const auto& [kind, n] : by_kind) kinds->set(kind, static_cast<Poco::UInt64>(n));
  figures->set("by_status_and_type", kinds);
  figures->set("upstream_rate_limited_in_429_phase", static_cast<Poco::UInt64>(in_429));
  figures->set("upstream_rate_limited_in_418_phase", static_cast<Poco::UInt64>(in_418));
  figures->set("db_unavailable", static_cast<Poco::UInt64>(db_unavailable));
  figures->set("klines_upstream_hits_429_phase", static_cast<Poco::UInt64>(hits_before_418 - hits_before_429));
  figures->set("klines_upstream_hits_418_phase", static_cast<Poco::UInt64>(hits_before_ok - hits_before_418));
  figures->set("slowest_request_s", slowest);
  figures->set("seconds_pg_restart", seconds_between(restart_begin, restart_end));
  figures->set("seconds_to_recover_after_load", recovery_s);
  figures->set("fds_baseline", static_cast<Poco::UInt64>(fds_base));
  figures->set("fds_peak", static_cast<Poco::UInt64>(fds_peak));
  figures->set("fds_after", static_cast<Poco::UInt64>(fds_after));
  figures->set("fds_baseline_by_kind", to_text(fds_base_kinds));
  figures->set("fds_after_by_kind", to_text(fds_after_kinds));
  figures->set("threads_baseline", static_cast<Poco::UInt64>(threads_base));
  figures->set("threads_peak", static_cast<Poco::UInt64>(threads_peak));
  figures->set("threads_after", static_cast<Poco::UInt64>(threads_after));
  figures->set("seconds_to_settle", settle_s);
  try {
    mdp::test::record_figures("soak.json", "chaos_soak", figures);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "figures not recorded: " << e.what();
  }

  EXPECT_TRUE(alive_after_load) << log_tail();
  EXPECT_TRUE(host_->running()) << log_tail();
  EXPECT_EQ(host_->pid(), pid) << "no host restart";
  EXPECT_TRUE(restarted);
  EXPECT_GT(ok, 0u);
  EXPECT_EQ(bad, 0u) << "only 200 or a 503 problem (upstream-rate-limited, db-unavailable, unavailable) with Retry-After:\n"
                     << ::testing::PrintToString(bad_samples);
  EXPECT_LT(slowest, static_cast<double>(kRequestDeadline.count())) << "a request hung past the deadline";
  EXPECT_GE(in_429, 1u) << "the exchange's 429s were not seen by any request";
  EXPECT_GE(in_418, 1u) << "the exchange's 418 ban was not seen by any request";
  EXPECT_GE(hits_before_ok - hits_before_418, 1u) << "no klines request reached the exchange during the 418 phase";
  EXPECT_GE(db_unavailable, 1u) << "the PostgreSQL restart was not seen by any request";
  EXPECT_TRUE(recovered) << "candles/symbols did not succeed again after the load:\n" << log_tail();
  EXPECT_TRUE(fds_settled()) << "open fds did not come back to the baseline (other fds + " << kMaxOtherFdGrowth
                             << ", PostgreSQL <= " << kMaxPostgresFds << ", exchange <= " << kMaxExchangeFds
                             << "): " << to_text(fds_base_kinds) << " -> " << to_text(fds_after_kinds);
  EXPECT_LE(threads_after, threads_base + kMaxThreadGrowth) << "threads did not come back to the baseline";
}

}  // namespace
}  // namespace mdp::app::integration
