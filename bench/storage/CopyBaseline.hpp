// The PostgreSQL limit the storage figures are compared with: the same symbol rows sent with
// a bare libpq `COPY … FROM STDIN` (text format, one COPY, autocommit) into a table shaped
// like `symbols` (CREATE TABLE … (LIKE symbols INCLUDING ALL): same columns, types, CHECKs,
// unique keys and indexes; no foreign key). Encoding the rows is part of the timed work, as
// building the array parameters is part of apply_sync's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "DatabaseUrl.hpp"
#include "MarketModel.hpp"

struct pg_conn;

namespace mdp::bench {

class CopyBaseline {
 public:
  // Connects with libpq to the database `url` names, search_path = `schema`.
  // Throws std::runtime_error when the connection fails.
  CopyBaseline(const storage::DatabaseUrl& url, const std::string& schema);
  ~CopyBaseline();
  CopyBaseline(const CopyBaseline&) = delete;
  CopyBaseline& operator=(const CopyBaseline&) = delete;

  // CREATE [TEMP] TABLE <name> (LIKE symbols INCLUDING ALL). `name` is a fixed identifier.
  void create_table(const std::string& name, bool temporary);
  void truncate(const std::string& name);
  // One COPY of every symbol (first_seen = last_seen = updated_at = now_ms); returns the
  // row count the server reports. Throws std::runtime_error with the server's message.
  std::size_t copy(const std::string& name, const std::vector<domain::Symbol>& symbols, std::int64_t now_ms);

 private:
  void exec(const std::string& sql);
  pg_conn* conn_ = nullptr;
  std::string buffer_;  // reused COPY text
};

}  // namespace mdp::bench
