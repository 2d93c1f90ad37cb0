// The host's answer to GET /ready: cached state that start-up and a background refresher
// update, so a /ready request never opens a database connection itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ReadinessProbe.hpp"

namespace mdp::app {

// When one loaded exchange last synced its metadata successfully (sync_runs).
struct ExchangeSyncFreshness {
  std::string exchange;
  std::optional<std::int64_t> last_success_ms;  // UTC ms; nullopt = never
};

class ReadinessState final : public http::ReadinessProbe {
 public:
  void set_database(bool reachable) { database_ok_.store(reachable); }
  void set_migrations(bool current) { migrations_ok_.store(current); }
  // Plugins: ready when at least one loaded; `detail` names the failed ones.
  void set_plugins(bool any_loaded, std::string detail);
  // Metadata freshness of every loaded exchange, one check "sync:<id>" each (detail: last
  // success, ISO-8601, or "never"). Like plugins, one synced exchange is enough to serve:
  // a never-synced exchange fails its check only while no exchange has synced at all.
  void set_sync_freshness(std::vector<ExchangeSyncFreshness> exchanges);

  std::vector<http::ReadinessCheck> checks() override;

 private:
  std::atomic<bool> database_ok_{false};
  std::atomic<bool> migrations_ok_{false};
  std::mutex mutex_;
  bool plugins_ok_ = false;
  std::string plugins_detail_ = "not loaded yet";
  std::optional<std::vector<ExchangeSyncFreshness>> sync_;  // nullopt until first read
};

}  // namespace mdp::app
