// Issue 8 "Load and soak": the real mdp-host (binance_futures plugin, SQLite) against a fake
// exchange on 127.0.0.1, driven by wrk at saturation on GET /v1/candles (744 closed 1h
// candles) and GET /v1/symbols, a bearer token on every request, for MDP_SOAK_SECONDS
// (default 10; the nightly soak sets hours). Asserts: every answer is 2xx (429 and 503 are
// counted apart and must not happen either: the client rate limit is off and the server has
// a thread per wrk connection), the host is alive and healthy afterwards, and its RSS at the
// end is within 10 % + 2 MiB of the RSS after the warm-up. Prints p99 (wrk's, closed loop)
// and RSS, and writes them to $MDP_BINARY_DIR/reports/soak.json (docs/reliability.md).
#include <gtest/gtest.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MDP_TEST_HAS_ASAN 1
#endif
#endif
#ifndef MDP_TEST_HAS_ASAN
#define MDP_TEST_HAS_ASAN 0
#endif
#include <signal.h>
#include <unistd.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "FakeExchangeServer.hpp"
#include "FigureReport.hpp"
#include "HostConfigFile.hpp"
#include "HostProcess.hpp"
#include "HttpProbe.hpp"
#include "IntegrationPaths.hpp"
#include "ProcessProbes.hpp"
#include "ScratchDir.hpp"

namespace mdp::app::integration {
namespace {

using namespace std::chrono_literals;

constexpr int kConnections = 16;
constexpr std::int64_t kRssSlackKb = 2048;  // + 10 % of the warm RSS
const std::string kCandles =
    "/v1/candles?exchange=binance_futures&symbol=BTC/USDT:USDT&interval=1h&start=1704067200000&end=1706745600000";
const std::string kSymbols = "/v1/symbols?exchange=binance_futures&limit=1000";

// wrk alternates between the two targets, counts answers by status and prints them as JSON.
// response() makes wrk hand every answer to Lua (slower than bare wrk): fine for a soak.
constexpr const char* kWrkScript = R"lua(
-- Each wrk thread has its own Lua state: counts live there, done() collects them.
local paths = {}
for p in string.gmatch(os.getenv("SOAK_PATHS"), "[^|]+") do table.insert(paths, p) end
local n = 0
local threads = {}
counts = {}
setup = function(thread) table.insert(threads, thread) end
request = function()
  n = n + 1
  return wrk.format(nil, paths[(n % #paths) + 1])
end
response = function(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
done = function(summary, latency, requests)
  local e = summary.errors
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(total) do table.insert(parts, string.format('"%d":%d', status, count)) end
  io.write(string.format('SOAK {"requests":%d,"duration_us":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"by_status":{%s}}\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99), latency.max,
    table.concat(parts, ",")))
end
)lua";

int soak_seconds() {
  const char* text = std::getenv("MDP_SOAK_SECONDS");
  if (text == nullptr || *text == '\0') return 10;
  const int value = std::atoi(text);
  return value > 0 ? value : 10;
}

std::optional<std::filesystem::path> find_in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / program;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

struct WrkRun {
  std::optional<ExitStatus> status;
  Poco::JSON::Object::Ptr figures;  // null: no SOAK line
  std::string output;
};

class HostSoak : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto wrk = find_in_path("wrk");
    ASSERT_TRUE(wrk.has_value()) << "wrk is not installed (it is in .ci/apt-packages.txt)";
    wrk_ = *wrk;
    const std::filesystem::path offline = source_dir() / "examples" / "offline" / "binance";
    exchange_.get("/fapi/v1/exchangeInfo", fake::FakeResponse::file((offline / "exchangeInfo.json").string()));
    exchange_.get("/fapi/v1/klines", fake::FakeResponse::file((offline / "klines-BTCUSDT-1h-2024-01.json").string()));
    const std::filesystem::path plugins = work_.make_dir("plugins");
    ScratchDir::install_plugin(plugin_build_dir() / "mdp-binance_futures.so", plugins, "binance_futures");

    HostSettings settings = base_host_settings(work_.path());
    settings["plugins.enabled"] = "binance_futures";
    settings["plugins.binance_futures.base_url"] = exchange_.base_url();
    settings["upstream.binance_futures.budget_per_minute"] = "1000000";  // candles may go upstream each time
    settings["api.rate_limit_per_minute"] = "0";  // saturation must not meet the client rate limit
    settings["server.threads"] = std::to_string(kConnections + 4);
    // One token for the whole run, however long MDP_SOAK_SECONDS is (the setting caps at a day).
    settings["auth.token_ttl_s"] = std::to_string(std::min(86400, soak_seconds() + 3600));
    settings["sync.interval_s"] = "86400";
    settings["sync.jitter_s"] = "0";
    const auto config = write_host_config(work_ / "mdp.properties", settings);
    host_ = std::make_unique<HostProcess>(host_binary(), std::vector<std::string>{"--config", config.string(), "--dev"},
                                          work_.path());
    const auto port = host_->wait_for_listening_port();
    ASSERT_TRUE(port.has_value()) << "mdp-host did not start listening:\n" << host_->output();
    port_ = *port;
    ASSERT_TRUE(host_->wait_for_output("sync binance_futures succeeded")) << host_->output();
    token_ = fetch_token(dev_output("client_id"), dev_output("client_secret"));
    ASSERT_FALSE(token_.empty());
  }

  // "client_id: ..." / "client_secret: ..." of the dev client the host printed (--dev).
  std::string dev_output(const std::string& field) const {
    std::smatch match;
    const std::string out = host_->stdout_text();
    if (std::regex_search(out, match, std::regex(field + R"(:\s+(\S+))"))) return match[1];
    ADD_FAILURE() << "no --dev " << field << " in the output:\n" << out;
    return {};
  }

  // POST /v1/auth/token with HTTP Basic (docs/api.md "Authentication"): a market:read token.
  std::string fetch_token(const std::string& client_id, const std::string& secret) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", port_);
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/v1/auth/token", Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::HTTPBasicCredentials(client_id, secret).authenticate(request);
    const std::string body = "grant_type=client_credentials&scope=market:read";
    request.setContentType("application/x-www-form-urlencoded");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK) << text;
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) return {};
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("access_token");
  }

  // Starts wrk for `seconds` against both targets; `on_started` runs while it loads the host.
  template <typename Fn>
  WrkRun run_wrk(const std::string& name, int seconds, Fn on_started) {
    const std::filesystem::path script = work_ / "soak.lua";
    write_file(script, kWrkScript);
    HostProcess wrk(wrk_,
                    {"-t1", "-c" + std::to_string(kConnections), "-d" + std::to_string(seconds) + "s", "--timeout", "30s",
                     "-H", "Authorization: Bearer " + token_, "-s", script.string(),
                     "http://127.0.0.1:" + std::to_string(port_) + "/"},
                    work_.path(), {{"SOAK_PATHS", kCandles + "|" + kSymbols}}, name);
    on_started();
    WrkRun run;
    run.status = wrk.wait_for_exit(std::chrono::seconds(seconds) + 120s);
    run.output = wrk.output();
    const auto at = run.output.find("SOAK ");
    if (at != std::string::npos) {
      const std::string line = run.output.substr(at + 5, run.output.find('\n', at) - at - 5);
      run.figures = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    }
    return run;
  }

  ScratchDir work_{"mdp-host-soak"};
  fake::FakeExchangeServer exchange_;
  std::filesystem::path wrk_;
  std::unique_ptr<HostProcess> host_;
  std::uint16_t port_ = 0;
  std::string token_;
};

std::int64_t count_of(const Poco::JSON::Object::Ptr& by_status, const std::string& status) {
  return by_status->has(status) ? by_status->getValue<std::int64_t>(status) : 0;
}

TEST_F(HostSoak, SaturatedCandlesAndSymbolsStayAllTwoHundredWithFlatRss) {
  if (HasFatalFailure()) return;
  const pid_t pid = host_->pid();

  const int seconds = soak_seconds();
  const int warmup_seconds = std::max(3, std::min(30, seconds / 4));
  const WrkRun warmup = run_wrk("wrk-warmup", warmup_seconds, [] {});
  ASSERT_TRUE(warmup.figures) << warmup.output;
  const std::int64_t rss_warm = rss_kb(pid);

  std::int64_t rss_max = rss_warm;
  const WrkRun soak = run_wrk("wrk-soak", seconds, [&] {
    // RSS once a second while wrk runs (the peak is reported, not asserted).
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end && host_->running()) {
      rss_max = std::max(rss_max, rss_kb(pid));
      std::this_thread::sleep_for(1s);
    }
  });
  ASSERT_TRUE(soak.status.has_value() && soak.status->exited && soak.status->code == 0) << soak.output;
  ASSERT_TRUE(soak.figures) << soak.output;
  const std::int64_t rss_end = rss_kb(pid);

  const auto by_status = soak.figures->getObject("by_status");
  const auto requests = soak.figures->getValue<std::int64_t>("requests");
  const std::int64_t ok = count_of(by_status, "200");
  const std::int64_t limited = count_of(by_status, "429");
  const std::int64_t unavailable = count_of(by_status, "503");
  const double p99_ms = soak.figures->getValue<double>("p99_us") / 1000.0;
  const double rps = static_cast<double>(requests) / (soak.figures->getValue<double>("duration_us") / 1e6);

  Poco::JSON::Object::Ptr figures = new Poco::JSON::Object;
  figures->set("seconds", seconds);
  figures->set("warmup_seconds", warmup_seconds);
  figures->set("connections", kConnections);
  figures->set("targets", kCandles + " | " + kSymbols);
  figures->set("requests", requests);
  figures->set("requests_per_s", rps);
  figures->set("status_200", ok);
  figures->set("status_429", limited);
  figures->set("status_503", unavailable);
  figures->set("socket_errors", soak.figures->getValue<std::int64_t>("socket_errors"));
  figures->set("p50_ms", soak.figures->getValue<double>("p50_us") / 1000.0);
  figures->set("p99_ms", p99_ms);
  figures->set("max_ms", soak.figures->getValue<double>("max_us") / 1000.0);
  figures->set("rss_after_warmup_kb", rss_warm);
  figures->set("rss_end_kb", rss_end);
  figures->set("rss_max_kb", rss_max);
  std::cout << "soak: " << seconds << " s, " << requests << " requests (" << rps << " req/s), 200: " << ok
            << ", 429: " << limited << ", 503: " << unavailable << ", p99 " << p99_ms << " ms (wrk, closed loop), RSS "
            << rss_warm << " kB after warm-up, " << rss_end << " kB at the end, peak " << rss_max << " kB\n";
  try {
    mdp::test::record_figures("soak.json", "host_soak", figures);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "figures not recorded: " << e.what();
  }

  EXPECT_GT(requests, 0);
  EXPECT_EQ(ok, requests) << "every answer must be 200: " << soak.output;
  EXPECT_EQ(limited, 0) << "429: the client rate limit is off in this test";
  EXPECT_EQ(unavailable, 0) << "503: the server has a thread for every wrk connection";
  EXPECT_EQ(soak.figures->getValue<std::int64_t>("socket_errors"), 0) << soak.output;
  EXPECT_TRUE(host_->running()) << host_->output();
  EXPECT_EQ(http_get(port_, "/health", 60s).status, 200);
#if defined(__SANITIZE_ADDRESS__) || MDP_TEST_HAS_ASAN
  // ASan keeps freed memory in its quarantine (256 MB by default): RSS says nothing about us
  // there. The figures are still printed and recorded; the bound holds for real builds.
  std::cout << "[soak] RSS bound not asserted under AddressSanitizer\n";
#else
  EXPECT_LE(rss_end, rss_warm + rss_warm / 10 + kRssSlackKb)
      << "RSS grew from " << rss_warm << " kB after the warm-up to " << rss_end << " kB";
#endif
}

}  // namespace
}  // namespace mdp::app::integration
