// What the process tests read about a running mdp-host from outside (/proc) and how they wait
// for it: shared by the database-fault tests and the soak tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <thread>

namespace mdp::app::integration {

inline double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// Polls `pred` every `every` until it holds or `limit` has passed; the last answer counts.
template <class Pred>
bool poll_until(Pred pred, std::chrono::milliseconds limit,
                std::chrono::milliseconds every = std::chrono::milliseconds(100)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(every);
  }
  return pred();
}

// Entries of a /proc directory (0 when it is gone).
inline std::size_t count_entries(const std::string& directory) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(directory, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

inline std::size_t open_fds(pid_t pid) { return count_entries("/proc/" + std::to_string(pid) + "/fd"); }

// VmRSS in kB, -1 when the process is gone.
inline std::int64_t rss_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

}  // namespace mdp::app::integration
