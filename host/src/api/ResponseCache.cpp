#include "ResponseCache.hpp"

#include <stdexcept>

namespace mdp::api {

std::shared_ptr<const CachedResponse> CachedResponse::capture(http::Response& response) {
  auto cached = std::make_shared<CachedResponse>();
  cached->status = response.status();
  cached->content_type = response.content_type();
  cached->headers = response.headers();
  cached->body = response.share_body();
  return cached;
}

void CachedResponse::apply_to(http::Response& response) const {
  response.set_status(status);
  response.set_content_type(content_type);
  for (const auto& [name, value] : headers) response.set_header(name, value);
  response.set_shared_body(body);
}

ResponseCache::ResponseCache(std::size_t max_bytes, Clock clock, std::size_t shards)
    : max_bytes_(max_bytes), shard_max_bytes_(shards == 0 ? 0 : max_bytes / shards), clock_(std::move(clock)) {
  if (shards == 0) throw std::invalid_argument("ResponseCache needs at least one shard");
  if (!clock_) throw std::invalid_argument("ResponseCache needs a clock");
  shards_.reserve(shards);
  for (std::size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

ResponseCache::Shard& ResponseCache::shard_for(const std::string& key) {
  return *shards_[std::hash<std::string>{}(key) % shards_.size()];
}

void ResponseCache::erase(Shard& shard, std::list<Entry>::iterator it) {
  shard.bytes -= it->bytes;
  shard.index.erase(std::string_view(it->key));
  shard.lru.erase(it);
}

std::shared_ptr<const CachedResponse> ResponseCache::find(const std::string& key) {
  if (!enabled()) return nullptr;
  const auto now = clock_();
  Shard& shard = shard_for(key);
  const std::lock_guard<std::mutex> lock(shard.mutex);
  const auto found = shard.index.find(std::string_view(key));
  if (found == shard.index.end()) return nullptr;
  const auto it = found->second;
  if (it->expires <= now) {
    erase(shard, it);
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it);
  return it->value;
}

void ResponseCache::store(const std::string& key, std::string scope, std::shared_ptr<const CachedResponse> value,
                          std::chrono::milliseconds ttl, std::uint64_t generation) {
  if (!enabled() || !value || !value->body || ttl.count() <= 0) return;
  std::size_t bytes = kEntryOverheadBytes + key.size() + scope.size() + value->content_type.size() +
                      value->body->size();
  for (const auto& [name, field] : value->headers) bytes += name.size() + field.size();
  if (bytes > shard_max_bytes_) return;
  const auto expires = clock_() + ttl;

  Shard& shard = shard_for(key);
  std::list<Entry> evicted;  // destroyed after the lock is released
  {
    const std::lock_guard<std::mutex> lock(shard.mutex);
    // Checked under the shard lock: invalidate() bumps the generation before it takes the
    // shard locks, so an entry stored here either sees the new generation or is dropped.
    if (generation_.load(std::memory_order_acquire) != generation) return;
    if (const auto found = shard.index.find(std::string_view(key)); found != shard.index.end()) {
      shard.bytes -= found->second->bytes;
      evicted.splice(evicted.end(), shard.lru, found->second);
      shard.index.erase(found);
    }
    while (shard.bytes + bytes > shard_max_bytes_ && !shard.lru.empty()) {
      const auto last = std::prev(shard.lru.end());
      shard.bytes -= last->bytes;
      shard.index.erase(std::string_view(last->key));
      evicted.splice(evicted.end(), shard.lru, last);
    }
    shard.lru.push_front(Entry{key, std::move(scope), std::move(value), expires, bytes});
    shard.index.emplace(std::string_view(shard.lru.front().key), shard.lru.begin());
    shard.bytes += bytes;
  }
}

void ResponseCache::invalidate(std::string_view exchange) {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  for (const auto& shard : shards_) {
    std::list<Entry> dropped;  // destroyed after the lock is released
    const std::lock_guard<std::mutex> lock(shard->mutex);
    for (auto it = shard->lru.begin(); it != shard->lru.end();) {
      const auto next = std::next(it);
      if (it->scope.empty() || it->scope == exchange) {
        shard->bytes -= it->bytes;
        shard->index.erase(std::string_view(it->key));
        dropped.splice(dropped.end(), shard->lru, it);
      }
      it = next;
    }
  }
}

std::size_t ResponseCache::bytes() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    const std::lock_guard<std::mutex> lock(shard->mutex);
    total += shard->bytes;
  }
  return total;
}

std::size_t ResponseCache::entries() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    const std::lock_guard<std::mutex> lock(shard->mutex);
    total += shard->lru.size();
  }
  return total;
}

}  // namespace mdp::api
