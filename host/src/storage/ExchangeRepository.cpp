#include "ExchangeRepository.hpp"

#include "Interval.hpp"
#include "Sql.hpp"

namespace mdp::storage {
namespace {

// INSERT … ON CONFLICT … DO UPDATE exists in both dialects (SQLite >= 3.24): one statement,
// no read-then-write race between two hosts.
constexpr const char* kUpsert =
    "INSERT INTO exchanges (id, name, plugin_version, abi, status, status_reason, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, plugin_version = EXCLUDED.plugin_version, "
    "abi = EXCLUDED.abi, status = EXCLUDED.status, status_reason = EXCLUDED.status_reason, "
    "updated_at = EXCLUDED.updated_at";

constexpr const char* kSelect =
    "SELECT e.id, e.name, e.plugin_version, e.abi, e.status, e.status_reason, e.updated_at, "
    "(SELECT MAX(r.finished_at) FROM sync_runs r WHERE r.exchange = e.id AND r.outcome = 'succeeded') "
    "FROM exchanges e";

void check_exchange_id(const std::string& id) {
  bool ok = !id.empty() && id.size() <= 64;
  for (char c : id) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-');
  if (!ok) throw InvalidValue("exchange id must match [a-z0-9_-]{1,64}");
}

ExchangeRecord read_exchange(const sql::Row& row) {
  ExchangeRecord record;
  record.id = row.text(0);
  record.name = row.text(1);
  record.plugin_version = row.text(2);
  record.abi = row.text(3);
  const auto status = exchange_status_from_string(row.text(4));
  if (!status) throw DatabaseError("exchanges.status holds an unknown value", {}, "bad stored value");
  record.status = *status;
  record.status_reason = row.opt_text(5);
  record.updated_at_ms = row.int64(6);
  record.last_successful_sync_ms = row.opt_int64(7);
  return record;
}

void upsert_on(Lease& lease, const ExchangeRecord& exchange, std::int64_t now_ms) {
  check_exchange_id(exchange.id);
  sql::Query(lease, "exchanges.upsert", kUpsert)
      .text("exchange id", exchange.id)
      .text("exchange name", exchange.name)
      .text("plugin version", exchange.plugin_version)
      .text("abi", exchange.abi)
      .text("status", std::string(to_string(exchange.status)))
      .opt_text("status reason", exchange.status_reason)
      .int64(now_ms)
      .execute();
}

void replace_intervals_on(Lease& lease, const std::string& exchange,
                          const std::vector<domain::ExchangeInterval>& intervals) {
  check_exchange_id(exchange);
  for (const auto& interval : intervals) {
    if (!domain::find_interval(interval.interval)) {
      throw InvalidValue("interval '" + interval.interval + "' is not in the canonical catalogue");
    }
    if (interval.page_cap == 0 || interval.page_cap > 0x7fffffffU) {
      throw InvalidValue("page cap of interval '" + interval.interval + "' must be 1..2^31-1");
    }
  }
  sql::Query(lease, "exchange_intervals.delete", "DELETE FROM exchange_intervals WHERE exchange = ?")
      .text("exchange id", exchange)
      .execute();
  for (const auto& interval : intervals) {
    sql::Query(lease, "exchange_intervals.insert",
               "INSERT INTO exchange_intervals (exchange, \"interval\", native_code, page_cap) VALUES (?, ?, ?, ?)")
        .text("exchange id", exchange)
        .text("interval", interval.interval)
        .text("native code", interval.native_code)
        .int64(interval.page_cap)
        .execute();
  }
}

}  // namespace

void ExchangeRepository::upsert(const ExchangeRecord& exchange, std::int64_t now_ms) {
  Lease lease = db_.acquire();
  upsert_on(lease, exchange, now_ms);
}

void ExchangeRepository::replace_intervals(const std::string& exchange,
                                           const std::vector<domain::ExchangeInterval>& intervals) {
  Lease lease = db_.acquire();
  Transaction tx(lease);
  replace_intervals_on(lease, exchange, intervals);
  tx.commit();
}

void ExchangeRepository::record_loaded(const domain::ExchangeDescriptor& descriptor, std::int64_t now_ms) {
  ExchangeRecord record;
  record.id = descriptor.id;
  record.name = descriptor.name;
  record.plugin_version = descriptor.version;
  record.abi = descriptor.abi;
  record.status = ExchangeStatus::Loaded;
  Lease lease = db_.acquire();
  Transaction tx(lease);
  upsert_on(lease, record, now_ms);
  replace_intervals_on(lease, descriptor.id, descriptor.intervals);
  tx.commit();
}

std::vector<ExchangeRecord> ExchangeRepository::list() {
  return db_.with_lease(
      [](Lease& lease) {
        sql::Rows rows = sql::Query(lease, "exchanges.list", std::string(kSelect) + " ORDER BY e.id").rows();
        std::vector<ExchangeRecord> out;
        out.reserve(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(read_exchange(rows[i]));
        return out;
      },
      true);
}

std::optional<ExchangeRecord> ExchangeRepository::find(const std::string& id) {
  return db_.with_lease(
      [&id](Lease& lease) -> std::optional<ExchangeRecord> {
        sql::Rows rows =
            sql::Query(lease, "exchanges.find", std::string(kSelect) + " WHERE e.id = ?").text("exchange id", id).rows();
        if (rows.empty()) return std::nullopt;
        return read_exchange(rows[0]);
      },
      true);
}

std::vector<domain::ExchangeInterval> ExchangeRepository::intervals(const std::string& exchange) {
  return db_.with_lease(
      [&exchange](Lease& lease) {
        sql::Rows rows = sql::Query(lease, "exchange_intervals.list",
                                    "SELECT ei.\"interval\", ei.native_code, ei.page_cap FROM exchange_intervals ei "
                                    "JOIN intervals i ON i.code = ei.\"interval\" "
                                    "WHERE ei.exchange = ? ORDER BY i.sort_order")
                             .text("exchange id", exchange)
                             .rows();
        std::vector<domain::ExchangeInterval> out;
        for (std::size_t i = 0; i < rows.size(); ++i) {
          out.push_back(domain::ExchangeInterval{rows[i].text(0), rows[i].text(1),
                                                 static_cast<std::uint32_t>(rows[i].int64(2))});
        }
        return out;
      },
      true);
}

}  // namespace mdp::storage
