// Running one metadata sync of one exchange on demand (POST /v1/admin/sync). Implemented by
// the syncer (sync layer); the API sees only this interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "CallContext.hpp"

namespace mdp::domain {

struct SyncRunSummary {
  std::int64_t run_id = 0;     // sync_runs.id (0 when nothing was recorded)
  std::string exchange;
  std::string outcome;         // succeeded | failed | skipped
  std::int64_t added = 0;
  std::int64_t changed = 0;
  std::int64_t delisted = 0;
  std::optional<std::string> error;  // safe to show an admin: no SQL, no upstream body
};

class MetadataSync {
 public:
  virtual ~MetadataSync() = default;
  // Syncs now, in the caller's thread. Throws std::invalid_argument for an exchange that is
  // not loaded; every other failure is reported in the summary (and in sync_runs).
  virtual SyncRunSummary sync_now(const std::string& exchange, const CallContext& context) = 0;
};

}  // namespace mdp::domain
