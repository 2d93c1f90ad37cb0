// sync_runs: one row per metadata sync attempt of one exchange.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "Database.hpp"
#include "StorageModel.hpp"

namespace mdp::storage {

inline constexpr std::size_t kMaxSyncErrorBytes = 2000;

class SyncRunRepository {
 public:
  explicit SyncRunRepository(Database& db) : db_(db) {}

  // Inserts a 'running' row; returns its id.
  std::int64_t start(const std::string& exchange, std::int64_t now_ms);
  // Sets outcome (not Running), counts, error and finished_at. `error` is stored sanitised
  // (NUL / invalid UTF-8 replaced, cut to kMaxSyncErrorBytes). Throws DatabaseError when
  // the run does not exist or is already finished.
  void finish(std::int64_t id, SyncOutcome outcome, const SyncCounts& counts,
              const std::optional<std::string>& error, std::int64_t now_ms);
  // A finished 'skipped' row in one statement (another host held the lock, ...).
  std::int64_t record_skipped(const std::string& exchange, const std::string& reason, std::int64_t now_ms);
  // Marks 'running' rows started before `started_before_ms` as failed ("interrupted"): runs a
  // crashed process left behind. With several hosts, call it for one exchange while holding
  // that exchange's sync lock (a running row of a live peer would be failed otherwise).
  // Returns the number of rows changed.
  std::size_t fail_interrupted(const std::optional<std::string>& exchange, std::int64_t started_before_ms,
                               std::int64_t now_ms);

  std::optional<SyncRun> find(std::int64_t id);
  // Newest first; all exchanges when `exchange` is empty.
  std::vector<SyncRun> list_recent(const std::optional<std::string>& exchange, std::size_t limit);
  // finished_at of the latest succeeded run.
  std::optional<std::int64_t> last_success(const std::string& exchange);
  std::map<std::string, std::int64_t> last_success_all();

 private:
  Database& db_;
};

}  // namespace mdp::storage
