// Minimal HTTP client for the tests: one GET to 127.0.0.1, never throws.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mdp::app::integration {

struct ProbeResult {
  int status = 0;     // 0: no HTTP answer (see error)
  std::string body;
  std::string content_type;
  std::string error;  // why there was no answer
};

// GET http://127.0.0.1:<port><target>. The timeout is generous on purpose (loaded machine).
ProbeResult http_get(std::uint16_t port, const std::string& target,
                     std::chrono::seconds timeout = std::chrono::seconds(30));

// Asks GET /health again and again on a background thread until stopped, and remembers every
// answer that was not a 200: "the host keeps answering /health throughout".
class HealthWatcher {
 public:
  explicit HealthWatcher(std::uint16_t port);
  ~HealthWatcher();
  HealthWatcher(const HealthWatcher&) = delete;
  HealthWatcher& operator=(const HealthWatcher&) = delete;

  void stop();
  std::size_t answered_200() const noexcept { return ok_.load(); }
  std::vector<std::string> failures() const;

 private:
  void run();

  std::uint16_t port_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> ok_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> failures_;
  std::thread thread_;
};

}  // namespace mdp::app::integration
