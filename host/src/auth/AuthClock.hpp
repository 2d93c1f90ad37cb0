// Wall-clock time for token checks, injectable so tests can move it (expiry, revocation
// TTL) without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace mdp::auth {

// Milliseconds since the Unix epoch.
using AuthClock = std::function<std::int64_t()>;

inline std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace mdp::auth
