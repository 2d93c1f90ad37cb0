// Whether a client may still use its tokens, cached per client for a short TTL, so
// revoking a client (mdp-host clients revoke) stops its tokens within `ttl` on every
// host (RELIABILITY.md J11) without a database round trip per request.
//
// The lookup answers true (active), false (revoked or unknown) or throws when the store
// cannot be asked (DatabaseUnavailable). With no fresh answer cached, a failed lookup is
// "unknown" (nullopt): callers refuse the request (fail closed) with a 503.
// Bounded: when `max_entries` is reached the cache is emptied and refills on demand.
// Thread-safe; the lookup runs outside the lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace mdp::auth {

class ClientStatusCache {
 public:
  using Lookup = std::function<bool(const std::string& client_id)>;

  // ttl_ms > 0; throws std::invalid_argument otherwise or for a null lookup.
  ClientStatusCache(Lookup lookup, std::int64_t ttl_ms, std::size_t max_entries = 10'000);

  // now_ms: wall-clock milliseconds (the authenticator's clock).
  std::optional<bool> is_active(const std::string& client_id, std::int64_t now_ms);

 private:
  struct Entry {
    bool active = false;
    std::int64_t checked_at_ms = 0;
  };

  const Lookup lookup_;
  const std::int64_t ttl_ms_;
  const std::size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace mdp::auth
