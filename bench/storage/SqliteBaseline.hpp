// The SQLite limit the storage figures are shown beside: the same symbol rows inserted with
// bare sqlite3 (one transaction, one prepared INSERT stepped per row, values bound) into the
// `symbols` table of a migrated database file, with the pragmas storage::Database sets (WAL,
// synchronous NORMAL, foreign keys on).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "MarketModel.hpp"

struct sqlite3;

namespace mdp::bench {

class SqliteBaseline {
 public:
  // Opens `file` (already migrated, with the exchange row). Throws std::runtime_error.
  explicit SqliteBaseline(const std::filesystem::path& file);
  ~SqliteBaseline();
  SqliteBaseline(const SqliteBaseline&) = delete;
  SqliteBaseline& operator=(const SqliteBaseline&) = delete;

  void clear();  // DELETE FROM symbols
  // Inserts every symbol (first_seen = last_seen = updated_at = now_ms) in one transaction;
  // returns the rows inserted. Throws std::runtime_error with SQLite's message.
  std::size_t insert(const std::vector<domain::Symbol>& symbols, std::int64_t now_ms);

 private:
  void exec(const char* sql);
  sqlite3* db_ = nullptr;
};

}  // namespace mdp::bench
