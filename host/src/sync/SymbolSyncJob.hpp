// One metadata sync of one exchange (issue 4; storage/README.md "One sync of one exchange"):
//
//   lock "sync:<exchange>"  (PostgreSQL advisory lock on a dedicated session; held elsewhere
//                            → a 'skipped' sync_runs row, nothing else; a scheduled sync also
//                            skips when the exchange synced successfully very recently)
//   → fail the runs a crashed process left 'running' for this exchange
//   → start a sync_runs row
//   → list_symbols through the exchange's adapter
//   → diff against the stored symbols → refuse a suspect diff (DelistGuard)
//   → apply in ONE transaction; just before the commit: not cancelled, lock still held
//   → finish the run with the counts, or failed with a short, safe reason.
//
// Any failure (upstream error or malformed answer, database error, lost lock, shutdown)
// commits nothing: the previous metadata stays as it was. Thread-safe: the scheduler and
// the admin API may call it at once (the lock makes one of them skip).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "CallContext.hpp"
#include "DelistGuard.hpp"
#include "ExchangeAdapter.hpp"
#include "MetadataSync.hpp"
#include "SyncScheduler.hpp"

namespace mdp::storage {
class Database;
}

namespace mdp::sync {

// The adapter of a loaded exchange, or null when the exchange is not loaded.
using AdapterLookup = std::function<std::shared_ptr<domain::ExchangeAdapter>(const std::string& exchange)>;

struct SymbolSyncOptions {
  // sync.max_delist_fraction: in (0, 1]; see DelistGuard.hpp for the exact rule.
  double max_delist_fraction = kDefaultMaxDelistFraction;
  // UTC ms for sync_runs and symbol timestamps; the system clock when empty.
  std::function<std::int64_t()> wall_clock_ms;
  // Scheduled syncs only (never an admin's sync_now): skip, recording a 'skipped' run, when
  // the exchange's last successful sync (by this or another host) ended less than this long
  // ago. With several hosts on one database this gives about one sync per period instead of
  // one per host (RELIABILITY.md D7). 0 = off. mdp-host uses sync.interval_s / 2.
  std::chrono::milliseconds skip_scheduled_if_synced_within{0};
  // Called inside the sync's transaction after every write, just before the job's last
  // checks (not cancelled, lock still held) and the commit. For tests and instrumentation:
  // it lets a test cancel, or cut the database connection, at exactly that point. Whatever
  // it throws rolls the sync back.
  std::function<void(const std::string& exchange)> on_before_commit;
  // Called right after a sync of `exchange` committed (every successful sync changes
  // something: last_seen at least), e.g. to drop cached API responses of that exchange.
  // Must be cheap; whatever it throws is logged and ignored.
  std::function<void(const std::string& exchange)> on_committed;
};

class SymbolSyncJob final : public domain::MetadataSync {
 public:
  // `db` and whatever `adapters` returns must outlive the job. Throws std::invalid_argument
  // for a max_delist_fraction outside (0, 1] or an empty lookup.
  SymbolSyncJob(storage::Database& db, AdapterLookup adapters, SymbolSyncOptions options = {});

  // Syncs now in the caller's thread. Throws std::invalid_argument for an exchange that is
  // not loaded; every other failure is in the summary (and in sync_runs when the database
  // was reachable).
  domain::SyncRunSummary sync_now(const std::string& exchange, const domain::CallContext& context) override;

  // The scheduler's job (SyncScheduler::Job): sync_now plus the recent-success skip; never
  // throws.
  JobOutcome run_scheduled(const std::string& exchange, const domain::CallContext& context) noexcept;

 private:
  domain::SyncRunSummary run(const std::string& exchange, const domain::CallContext& context, bool scheduled);
  std::int64_t now_ms() const;

  storage::Database& db_;
  AdapterLookup adapters_;
  SymbolSyncOptions options_;
};

}  // namespace mdp::sync
