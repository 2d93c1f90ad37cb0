// The host's answer to GET /ready: cached state that start-up and a background refresher
// update, so a /ready request never opens a database connection itself.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "ReadinessProbe.hpp"

namespace mdp::app {

class ReadinessState final : public http::ReadinessProbe {
 public:
  void set_database(bool reachable) { database_ok_.store(reachable); }
  void set_migrations(bool current) { migrations_ok_.store(current); }
  // Plugins: ready when at least one loaded; `detail` names the failed ones.
  void set_plugins(bool any_loaded, std::string detail);

  std::vector<http::ReadinessCheck> checks() override;

 private:
  std::atomic<bool> database_ok_{false};
  std::atomic<bool> migrations_ok_{false};
  std::mutex mutex_;
  bool plugins_ok_ = false;
  std::string plugins_detail_ = "not loaded yet";
};

}  // namespace mdp::app
