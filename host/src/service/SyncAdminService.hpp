// The admin routes' use cases: run a metadata sync of one exchange now (through the
// syncer's domain::MetadataSync) and list recent sync runs (sync_runs).
//
// thread: const methods, safe from any server thread; sync_now blocks its caller for the
// length of the sync (bounded by the timeout given at construction).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "MetadataSync.hpp"

namespace mdp::storage {
class Database;
}
namespace mdp::plugins {
class PluginRegistry;
}

namespace mdp::service {

struct SyncRunInfo {
  std::int64_t id = 0;
  std::string exchange;
  std::int64_t started_at_ms = 0;
  std::optional<std::int64_t> finished_at_ms;
  std::string outcome;  // running | succeeded | failed | skipped
  std::int64_t added = 0;
  std::int64_t changed = 0;
  std::int64_t delisted = 0;
  std::optional<std::string> error;
};

inline constexpr std::size_t kMaxSyncRunsPerPage = 200;

class SyncAdminService {
 public:
  // `sync` may be null (a host without a syncer): sync_now then throws CapabilityUnavailable.
  // database and plugins must outlive the service.
  SyncAdminService(storage::Database& database, const plugins::PluginRegistry& plugins,
                   std::shared_ptr<domain::MetadataSync> sync, std::chrono::milliseconds timeout)
      : database_(database), plugins_(plugins), sync_(std::move(sync)), timeout_(timeout) {}

  // Throws NotFound (exchange not configured here), CapabilityUnavailable (its plugin
  // failed, or no syncer), StoreUnavailable. A sync that ran and failed is not an exception:
  // the summary says so.
  domain::SyncRunSummary sync_now(const std::string& exchange) const;

  // Newest first. Throws NotFound for an exchange the database does not know.
  std::vector<SyncRunInfo> recent_runs(const std::optional<std::string>& exchange, std::size_t limit) const;

 private:
  storage::Database& database_;
  const plugins::PluginRegistry& plugins_;
  std::shared_ptr<domain::MetadataSync> sync_;
  std::chrono::milliseconds timeout_;
};

}  // namespace mdp::service
