// Exchanges (one per plugin) and the intervals each supports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "Database.hpp"
#include "ExchangeAdapter.hpp"
#include "StorageModel.hpp"

namespace mdp::storage {

class ExchangeRepository {
 public:
  explicit ExchangeRepository(Database& db) : db_(db) {}

  // Inserts or updates the exchange row (name, version, abi, status, reason, updated_at).
  // Throws InvalidValue (bad id/text), DatabaseError, DatabaseUnavailable.
  void upsert(const ExchangeRecord& exchange, std::int64_t now_ms);

  // Replaces the exchange's exchange_intervals with `intervals` in one transaction. Every
  // code must be in the canonical catalogue (InvalidValue otherwise).
  void replace_intervals(const std::string& exchange, const std::vector<domain::ExchangeInterval>& intervals);

  // What the plugin loader calls for a loaded plugin: upsert(status loaded) + intervals,
  // in one transaction.
  void record_loaded(const domain::ExchangeDescriptor& descriptor, std::int64_t now_ms);

  // Every exchange, ordered by id, with its last successful sync time.
  std::vector<ExchangeRecord> list();
  std::optional<ExchangeRecord> find(const std::string& id);

  // Supported intervals of one exchange, in catalogue order.
  std::vector<domain::ExchangeInterval> intervals(const std::string& exchange);

 private:
  Database& db_;
};

}  // namespace mdp::storage
