#include "SyncRunRepository.hpp"

#include <algorithm>

#include "Sql.hpp"

namespace mdp::storage {
namespace {

constexpr const char* kColumns = "id, exchange, started_at, finished_at, outcome, added, changed, delisted, error";

SyncRun read_run(const sql::Row& row) {
  SyncRun run;
  run.id = row.int64(0);
  run.exchange = row.text(1);
  run.started_at_ms = row.int64(2);
  run.finished_at_ms = row.opt_int64(3);
  const auto outcome = sync_outcome_from_string(row.text(4));
  if (!outcome) throw DatabaseError("sync_runs.outcome holds an unknown value", {}, "bad stored value");
  run.outcome = *outcome;
  run.counts.added = row.int64(5);
  run.counts.changed = row.int64(6);
  run.counts.delisted = row.int64(7);
  run.error = row.opt_text(8);
  return run;
}

std::optional<std::string> clean_error(const std::optional<std::string>& error) {
  if (!error) return std::nullopt;
  return sql::sanitize_text(*error, kMaxSyncErrorBytes);
}

}  // namespace

std::int64_t SyncRunRepository::start(const std::string& exchange, std::int64_t now_ms) {
  Lease lease = db_.acquire();
  sql::Rows rows = sql::Query(lease, "sync_runs.start",
                              "INSERT INTO sync_runs (exchange, started_at, outcome) VALUES (?, ?, 'running') "
                              "RETURNING id")
                       .text("exchange", exchange)
                       .int64(now_ms)
                       .rows();
  if (rows.empty()) throw DatabaseError("sync_runs.start: no id returned", {}, "internal");
  return rows[0].int64(0);
}

void SyncRunRepository::finish(std::int64_t id, SyncOutcome outcome, const SyncCounts& counts,
                               const std::optional<std::string>& error, std::int64_t now_ms) {
  if (outcome == SyncOutcome::Running) throw InvalidValue("a sync run cannot finish as 'running'");
  Lease lease = db_.acquire();
  const std::size_t updated =
      sql::Query(lease, "sync_runs.finish",
                 "UPDATE sync_runs SET outcome = ?, added = ?, changed = ?, delisted = ?, error = ?, "
                 "finished_at = ? WHERE id = ? AND outcome = 'running'")
          .text("outcome", std::string(to_string(outcome)))
          .int64(counts.added)
          .int64(counts.changed)
          .int64(counts.delisted)
          .opt_text("error", clean_error(error))
          .int64(now_ms)
          .int64(id)
          .execute();
  if (updated != 1) {
    throw DatabaseError("sync_runs.finish: run " + std::to_string(id) + " is not running", {}, "not running");
  }
}

std::int64_t SyncRunRepository::record_skipped(const std::string& exchange, const std::string& reason,
                                               std::int64_t now_ms) {
  Lease lease = db_.acquire();
  sql::Rows rows = sql::Query(lease, "sync_runs.skipped",
                              "INSERT INTO sync_runs (exchange, started_at, finished_at, outcome, error) "
                              "VALUES (?, ?, ?, 'skipped', ?) RETURNING id")
                       .text("exchange", exchange)
                       .int64(now_ms)
                       .int64(now_ms)
                       .opt_text("error", clean_error(reason))
                       .rows();
  if (rows.empty()) throw DatabaseError("sync_runs.skipped: no id returned", {}, "internal");
  return rows[0].int64(0);
}

std::size_t SyncRunRepository::fail_interrupted(const std::optional<std::string>& exchange,
                                                std::int64_t started_before_ms, std::int64_t now_ms) {
  Lease lease = db_.acquire();
  std::string text =
      "UPDATE sync_runs SET outcome = 'failed', finished_at = ?, "
      "error = 'interrupted: the process stopped during the sync' WHERE outcome = 'running' AND started_at < ?";
  if (exchange) text += " AND exchange = ?";
  sql::Query q(lease, "sync_runs.fail_interrupted", text);
  q.int64(now_ms).int64(started_before_ms);
  if (exchange) q.text("exchange", *exchange);
  return q.execute();
}

std::optional<SyncRun> SyncRunRepository::find(std::int64_t id) {
  return db_.with_lease(
      [&](Lease& lease) -> std::optional<SyncRun> {
        sql::Rows rows =
            sql::Query(lease, "sync_runs.find", std::string("SELECT ") + kColumns + " FROM sync_runs WHERE id = ?")
                .int64(id)
                .rows();
        if (rows.empty()) return std::nullopt;
        return read_run(rows[0]);
      },
      true);
}

std::vector<SyncRun> SyncRunRepository::list_recent(const std::optional<std::string>& exchange, std::size_t limit) {
  const auto n = static_cast<std::int64_t>(std::clamp<std::size_t>(limit, 1, 1000));
  return db_.with_lease(
      [&](Lease& lease) {
        std::string text = std::string("SELECT ") + kColumns + " FROM sync_runs";
        if (exchange) text += " WHERE exchange = ?";
        text += " ORDER BY started_at DESC, id DESC LIMIT ?";
        sql::Query q(lease, "sync_runs.list", text);
        if (exchange) q.text("exchange", *exchange);
        q.int64(n);
        sql::Rows rows = q.rows();
        std::vector<SyncRun> out;
        for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(read_run(rows[i]));
        return out;
      },
      true);
}

std::optional<std::int64_t> SyncRunRepository::last_success(const std::string& exchange) {
  return db_.with_lease(
      [&](Lease& lease) -> std::optional<std::int64_t> {
        sql::Rows rows = sql::Query(lease, "sync_runs.last_success",
                                    "SELECT MAX(finished_at) FROM sync_runs WHERE exchange = ? AND outcome = 'succeeded'")
                             .text("exchange", exchange)
                             .rows();
        if (rows.empty()) return std::nullopt;
        return rows[0].opt_int64(0);
      },
      true);
}

std::map<std::string, std::int64_t> SyncRunRepository::last_success_all() {
  return db_.with_lease(
      [&](Lease& lease) {
        sql::Rows rows = sql::Query(lease, "sync_runs.last_success_all",
                                    "SELECT exchange, MAX(finished_at) FROM sync_runs WHERE outcome = 'succeeded' "
                                    "GROUP BY exchange")
                             .rows();
        std::map<std::string, std::int64_t> out;
        for (std::size_t i = 0; i < rows.size(); ++i) out[rows[i].text(0)] = rows[i].int64(1);
        return out;
      },
      true);
}

}  // namespace mdp::storage
