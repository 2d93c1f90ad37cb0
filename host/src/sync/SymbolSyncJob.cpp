#include "SymbolSyncJob.hpp"

#include <Poco/Logger.h>

#include <chrono>
#include <limits>
#include <optional>
#include <stdexcept>

#include "Database.hpp"
#include "SymbolDiff.hpp"
#include "SymbolRepository.hpp"
#include "SyncFailure.hpp"
#include "SyncRunRepository.hpp"

namespace mdp::sync {
namespace {

Poco::Logger& logger() { return Poco::Logger::get("sync"); }

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Stops the sync while nothing is committed when the context says so.
void throw_if_cancelled(const domain::CallContext& context) {
  if (!context.cancelled()) return;
  throw SyncAborted(context.expired() ? kTimedOutReason : kInterruptedReason);
}

std::string counts_text(const storage::SyncCounts& counts) {
  return "added " + std::to_string(counts.added) + ", changed " + std::to_string(counts.changed) + ", delisted " +
         std::to_string(counts.delisted);
}

}  // namespace

SymbolSyncJob::SymbolSyncJob(storage::Database& db, AdapterLookup adapters, SymbolSyncOptions options)
    : db_(db), adapters_(std::move(adapters)), options_(std::move(options)) {
  if (!adapters_) throw std::invalid_argument("SymbolSyncJob needs an adapter lookup");
  if (!(options_.max_delist_fraction > 0.0) || options_.max_delist_fraction > 1.0) {
    throw std::invalid_argument("max_delist_fraction must be in (0, 1]");
  }
}

std::int64_t SymbolSyncJob::now_ms() const {
  return options_.wall_clock_ms ? options_.wall_clock_ms() : system_now_ms();
}

domain::SyncRunSummary SymbolSyncJob::sync_now(const std::string& exchange, const domain::CallContext& context) {
  return run(exchange, context, false);
}

domain::SyncRunSummary SymbolSyncJob::run(const std::string& exchange, const domain::CallContext& context,
                                          bool scheduled) {
  const std::shared_ptr<domain::ExchangeAdapter> adapter = adapters_(exchange);
  if (!adapter) throw std::invalid_argument("exchange '" + exchange + "' is not loaded");

  domain::SyncRunSummary summary;
  summary.exchange = exchange;
  storage::SyncRunRepository runs(db_);

  // 1. The lock, and the run row. Without a database there is nothing to record in.
  std::unique_ptr<storage::NamedLock> lock;
  try {
    lock = db_.try_lock("sync:" + exchange);
    std::optional<std::string> skip_reason;
    if (!lock) {
      skip_reason = "another sync of this exchange holds the lock sync:" + exchange;
    } else if (scheduled && options_.skip_scheduled_if_synced_within.count() > 0) {
      // Read under the lock: a peer's sync of this exchange is either finished or not begun.
      const std::optional<std::int64_t> last = runs.last_success(exchange);
      const std::int64_t age_ms = last ? now_ms() - *last : 0;
      if (last && age_ms < options_.skip_scheduled_if_synced_within.count()) {
        skip_reason = "synced " + std::to_string(age_ms / 1000) + " s ago (by this or another host)";
      }
    }
    if (skip_reason) {
      summary.outcome = "skipped";
      summary.error = skip_reason;
      summary.run_id = runs.record_skipped(exchange, *skip_reason, now_ms());
      logger().information("sync %s skipped: %s", exchange, *skip_reason);
      return summary;
    }
    // Holding the lock, every 'running' row of this exchange belongs to a process that died.
    const std::size_t orphans = runs.fail_interrupted(exchange, std::numeric_limits<std::int64_t>::max(), now_ms());
    if (orphans > 0) {
      logger().warning("sync %s: marked %z run(s) left running by a stopped process as failed", exchange, orphans);
    }
    summary.run_id = runs.start(exchange, now_ms());
  } catch (...) {
    summary.outcome = "failed";
    summary.error = describe_sync_failure(std::current_exception(), context);
    logger().warning("sync %s failed before it started: %s", exchange, *summary.error);
    return summary;
  }

  // 2. The sync itself: nothing is committed unless every step succeeds.
  storage::SyncCounts counts;
  try {
    throw_if_cancelled(context);
    const std::vector<domain::Symbol> fetched = adapter->list_symbols(context);
    throw_if_cancelled(context);
    storage::SymbolRepository symbols(db_);
    const storage::SymbolDiff diff = storage::diff_symbols(symbols.load_exchange(exchange), fetched);
    if (auto suspect = suspect_answer(diff, fetched.size(), options_.max_delist_fraction)) {
      throw SyncAborted(*suspect);
    }
    storage::NamedLock& held = *lock;
    counts = symbols.apply_sync(exchange, diff, summary.run_id, now_ms(), [this, &exchange, &context, &held] {
      if (options_.on_before_commit) options_.on_before_commit(exchange);
      throw_if_cancelled(context);
      if (!held.still_held()) {
        throw SyncAborted("lock lost: the database connection holding " + held.name() +
                          " ended during the sync; nothing applied");
      }
    });
  } catch (...) {
    std::string internal;
    summary.outcome = "failed";
    summary.error = describe_sync_failure(std::current_exception(), context, &internal);
    if (!internal.empty()) logger().error("sync %s: unexpected error: %s", exchange, internal);
    logger().warning("sync %s failed (run %Ld): %s", exchange, static_cast<Poco::Int64>(summary.run_id),
                     *summary.error);
    try {
      runs.finish(summary.run_id, storage::SyncOutcome::Failed, {}, summary.error, now_ms());
    } catch (const std::exception& e) {
      // Left 'running': the next sync of this exchange marks it failed (interrupted).
      logger().error("sync %s: cannot record the failure of run %Ld: %s", exchange,
                     static_cast<Poco::Int64>(summary.run_id), std::string(e.what()));
    }
    return summary;
  }

  // 3. Committed: tell the listener, record the counts. A failure here loses only the bookkeeping.
  if (options_.on_committed) {
    try {
      options_.on_committed(exchange);
    } catch (const std::exception& e) {
      logger().error("sync %s: on_committed failed: %s", exchange, std::string(e.what()));
    }
  }
  summary.outcome = "succeeded";
  summary.added = counts.added;
  summary.changed = counts.changed;
  summary.delisted = counts.delisted;
  try {
    runs.finish(summary.run_id, storage::SyncOutcome::Succeeded, counts, std::nullopt, now_ms());
  } catch (const std::exception& e) {
    logger().error("sync %s: applied (%s) but cannot record run %Ld as succeeded: %s", exchange,
                   counts_text(counts), static_cast<Poco::Int64>(summary.run_id), std::string(e.what()));
  }
  logger().information("sync %s succeeded (run %Ld): %s", exchange, static_cast<Poco::Int64>(summary.run_id),
                       counts_text(counts));
  return summary;
}

JobOutcome SymbolSyncJob::run_scheduled(const std::string& exchange, const domain::CallContext& context) noexcept {
  try {
    const domain::SyncRunSummary summary = run(exchange, context, true);
    if (summary.outcome == "succeeded") return JobOutcome::Succeeded;
    if (summary.outcome == "skipped") return JobOutcome::Skipped;
    return JobOutcome::Failed;
  } catch (const std::exception& e) {
    try {
      logger().error("sync %s: %s", exchange, std::string(e.what()));
    } catch (...) {
    }
    return JobOutcome::Failed;
  } catch (...) {
    return JobOutcome::Failed;
  }
}

}  // namespace mdp::sync
