#include "ReadinessState.hpp"

#include <algorithm>

#include "Time.hpp"

namespace mdp::app {

void ReadinessState::set_plugins(bool any_loaded, std::string detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  plugins_ok_ = any_loaded;
  plugins_detail_ = std::move(detail);
}

void ReadinessState::set_sync_freshness(std::vector<ExchangeSyncFreshness> exchanges) {
  std::lock_guard<std::mutex> lock(mutex_);
  sync_ = std::move(exchanges);
}

std::vector<http::ReadinessCheck> ReadinessState::checks() {
  std::vector<http::ReadinessCheck> out;
  const bool db = database_ok_.load();
  out.push_back({"database", db, db ? "reachable" : "unreachable"});
  const bool migrations = migrations_ok_.load();
  out.push_back({"migrations", migrations, migrations ? "current" : "pending"});
  std::lock_guard<std::mutex> lock(mutex_);
  out.push_back({"plugins", plugins_ok_, plugins_detail_});
  if (!sync_) {
    out.push_back({"sync", false, "not read yet"});
  } else if (sync_->empty()) {
    out.push_back({"sync", false, "no exchange loaded"});
  } else {
    const bool any_synced = std::any_of(sync_->begin(), sync_->end(),
                                        [](const ExchangeSyncFreshness& e) { return e.last_success_ms.has_value(); });
    for (const ExchangeSyncFreshness& e : *sync_) {
      out.push_back({"sync:" + e.exchange, any_synced,
                     e.last_success_ms ? domain::format_iso8601(*e.last_success_ms) : "never"});
    }
  }
  return out;
}

}  // namespace mdp::app
