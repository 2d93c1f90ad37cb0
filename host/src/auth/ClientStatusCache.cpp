#include "ClientStatusCache.hpp"

#include <stdexcept>

namespace mdp::auth {

ClientStatusCache::ClientStatusCache(Lookup lookup, std::int64_t ttl_ms, std::size_t max_entries)
    : lookup_(std::move(lookup)), ttl_ms_(ttl_ms), max_entries_(max_entries == 0 ? 1 : max_entries) {
  if (!lookup_) throw std::invalid_argument("ClientStatusCache needs a lookup");
  if (ttl_ms_ <= 0) throw std::invalid_argument("ClientStatusCache needs a positive TTL");
}

std::optional<bool> ClientStatusCache::is_active(const std::string& client_id, std::int64_t now_ms) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = entries_.find(client_id);
    // A clock that went backwards makes the entry stale too.
    if (found != entries_.end() && now_ms >= found->second.checked_at_ms &&
        now_ms - found->second.checked_at_ms < ttl_ms_) {
      return found->second.active;
    }
  }
  bool active = false;
  try {
    active = lookup_(client_id);
  } catch (...) {
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= max_entries_ && entries_.find(client_id) == entries_.end()) entries_.clear();
  entries_[client_id] = Entry{active, now_ms};
  return active;
}

}  // namespace mdp::auth
