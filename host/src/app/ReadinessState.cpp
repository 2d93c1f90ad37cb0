#include "ReadinessState.hpp"

namespace mdp::app {

void ReadinessState::set_plugins(bool any_loaded, std::string detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  plugins_ok_ = any_loaded;
  plugins_detail_ = std::move(detail);
}

std::vector<http::ReadinessCheck> ReadinessState::checks() {
  std::vector<http::ReadinessCheck> out;
  const bool db = database_ok_.load();
  out.push_back({"database", db, db ? "reachable" : "unreachable"});
  const bool migrations = migrations_ok_.load();
  out.push_back({"migrations", migrations, migrations ? "current" : "pending"});
  std::lock_guard<std::mutex> lock(mutex_);
  out.push_back({"plugins", plugins_ok_, plugins_detail_});
  return out;
}

}  // namespace mdp::app
