// Closed-loop load for the database-fault tests: `threads` clients, each sending GETs (a new
// connection each, targets in turn, `pause` between two) until stopped, every answer kept
// with when it started. The pause keeps fast failures from turning into a CPU hog on a
// shared machine (4 threads, 20 ms: at most 200 requests/s, RELIABILITY.md D2's rate).
// Lets a test say "what happened to the requests that started while PostgreSQL restarted".
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "AuthorizedGet.hpp"

namespace mdp::app::integration {

struct Sample {
  std::chrono::steady_clock::time_point started;
  std::string target;
  Reply reply;
};

class RequestLoad {
 public:
  RequestLoad(std::uint16_t port, std::vector<std::string> targets, std::string bearer_token, int threads,
              std::chrono::seconds request_timeout, std::chrono::milliseconds pause = std::chrono::milliseconds(20));
  ~RequestLoad();
  RequestLoad(const RequestLoad&) = delete;
  RequestLoad& operator=(const RequestLoad&) = delete;

  void stop();
  std::vector<Sample> samples() const;
  std::size_t count() const;
  // Waits until `n` more answers than now arrived (false: `limit` passed first).
  bool wait_for_more(std::size_t n, std::chrono::milliseconds limit);

 private:
  void run(std::size_t first_target);

  std::uint16_t port_;
  std::vector<std::string> targets_;
  std::string token_;
  std::chrono::seconds timeout_;
  std::chrono::milliseconds pause_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<Sample> samples_;
  std::vector<std::thread> threads_;
};

}  // namespace mdp::app::integration
