// mdp-bench-fake-binance [--delay-ms 50] [--symbols 1] [--threads 32] [--port 0]
// A fake Binance USD-M REST server on 127.0.0.1 for the fetch and scale benchmarks (issue 11
// targets 3 and 5): GET /fapi/v1/klines generated for any symbol, interval, startTime,
// endTime and limit (GeneratedBinance.hpp), GET /fapi/v1/exchangeInfo with --symbols
// generated perpetuals, both after --delay-ms. Every response carries X-MBX-USED-WEIGHT-1M
// (weight counted in fixed UTC minutes, as Binance does). Prints its URL on stdout, stops on
// SIGINT/SIGTERM. Built on the tests' FakeExchangeServer (loopback only).
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <string_view>
#include <string>

#include "FakeExchangeServer.hpp"
#include "GeneratedBinance.hpp"

namespace {

using mdp::fake::FakeResponse;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::int64_t> number_param(const mdp::fake::RecordedRequest& request, std::string_view name) {
  const std::optional<std::string> text = request.param(name);
  if (!text || text->empty() || text->size() > 18) return std::nullopt;
  char* end = nullptr;
  const long long value = std::strtoll(text->c_str(), &end, 10);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(value);
}

// Request weight used in the current UTC minute, as X-MBX-USED-WEIGHT-1M reports it.
class WeightCounter {
 public:
  std::int64_t add(int weight, std::int64_t at_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t minute = at_ms / 60'000;
    if (minute != minute_) {
      minute_ = minute;
      used_ = 0;
    }
    used_ += weight;
    return used_;
  }

 private:
  std::mutex mutex_;
  std::int64_t minute_ = 0;
  std::int64_t used_ = 0;
};

bool parse_option(const std::string& text, long min, long max, long& out) {
  char* end = nullptr;
  out = std::strtol(text.c_str(), &end, 10);
  return !text.empty() && end != nullptr && *end == '\0' && out >= min && out <= max;
}

}  // namespace

int main(int argc, char** argv) {
  long delay_ms = 50;
  long symbols = 1;
  mdp::fake::FakeExchangeServer::Options options;
  options.threads = 32;
  options.max_log_entries = 1'000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: mdp-bench-fake-binance [--delay-ms 50] [--symbols 1] [--threads 32] [--port 0]\n";
      return 0;
    }
    const std::string text = i + 1 < argc ? argv[++i] : "";
    long value = 0;
    if (arg == "--delay-ms" && parse_option(text, 0, 60'000, value)) {
      delay_ms = value;
    } else if (arg == "--symbols" && parse_option(text, 1, 100'000, value)) {
      symbols = value;
    } else if (arg == "--threads" && parse_option(text, 1, 1024, value)) {
      options.threads = static_cast<int>(value);
    } else if (arg == "--port" && parse_option(text, 0, 65535, value)) {
      options.port = static_cast<std::uint16_t>(value);
    } else {
      std::cerr << "mdp-bench-fake-binance: bad argument '" << arg << " " << text << "' (see --help)\n";
      return 2;
    }
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    const std::chrono::milliseconds delay(delay_ms);
    WeightCounter weight;
    // Generated once: the host syncs it, and its bytes do not depend on the request.
    const std::string exchange_info = mdp::bench::binance_exchange_info(static_cast<std::size_t>(symbols), now_ms());
    mdp::fake::FakeExchangeServer server(options);
    server.add_route({"GET", "/fapi/v1/exchangeInfo", {}, {}}, [&](const mdp::fake::RecordedRequest&) {
      FakeResponse response = FakeResponse::json(exchange_info);
      response.with_delay(delay).with_header("X-MBX-USED-WEIGHT-1M", std::to_string(weight.add(1, now_ms())));
      return response;
    });
    server.add_route({"GET", "/fapi/v1/klines", {}, {}}, [&](const mdp::fake::RecordedRequest& request) {
      mdp::bench::KlinesQuery query;
      query.symbol = request.param("symbol").value_or("");
      query.interval = request.param("interval").value_or("");
      query.start_ms = number_param(request, "startTime");
      query.end_ms = number_param(request, "endTime");
      query.limit = number_param(request, "limit");
      mdp::bench::GeneratedBody generated = mdp::bench::binance_klines(query, now_ms());
      FakeResponse response = FakeResponse::json(std::move(generated.body), generated.status);
      response.with_delay(delay).with_header("X-MBX-USED-WEIGHT-1M",
                                             std::to_string(weight.add(generated.weight, now_ms())));
      return response;
    });
    std::cout << server.base_url() << std::endl;
    std::cerr << "mdp-bench-fake-binance: " << symbols << " symbols, " << delay_ms << " ms before every response"
              << std::endl;
    sigdelset(&stop_signals, SIGPIPE);
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cerr << "mdp-bench-fake-binance: stopping, served " << server.request_count() << " requests" << std::endl;
    server.stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mdp-bench-fake-binance: " << e.what() << std::endl;
    return 2;
  }
}
