#include "CopyBaseline.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <stdexcept>

namespace mdp::bench {
namespace {

constexpr const char* kColumns =
    "exchange, symbol, native_symbol, market_type, base, quote, settle, tick_size, lot_step, min_qty, "
    "min_notional, contract_size, price_max_decimals, price_max_sig_figs, alias_of, native_status, status, "
    "listed_at, delivery_at, first_seen, last_seen, delisted_at, updated_at";

// COPY text format: backslash escapes for the characters that delimit fields and rows.
void append_field(std::string& out, const std::string& value) {
  for (const char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out.push_back(c);
    }
  }
}

void append_field(std::string& out, const std::optional<std::string>& value) {
  if (value) {
    append_field(out, *value);
  } else {
    out += "\\N";
  }
}

template <class Int>
void append_field(std::string& out, const std::optional<Int>& value) {
  if (value) {
    out += std::to_string(*value);
  } else {
    out += "\\N";
  }
}

void append_row(std::string& out, const domain::Symbol& s, std::int64_t now_ms) {
  const std::string now = std::to_string(now_ms);
  append_field(out, s.exchange);
  out.push_back('\t');
  append_field(out, s.symbol);
  out.push_back('\t');
  append_field(out, s.native_symbol);
  out.push_back('\t');
  out += domain::to_string(s.market_type);
  out.push_back('\t');
  append_field(out, s.base);
  out.push_back('\t');
  append_field(out, s.quote);
  for (const auto* text : {&s.settle, &s.tick_size, &s.lot_step, &s.min_qty, &s.min_notional, &s.contract_size}) {
    out.push_back('\t');
    append_field(out, *text);
  }
  out.push_back('\t');
  append_field(out, s.price_max_decimals);
  out.push_back('\t');
  append_field(out, s.price_max_sig_figs);
  out.push_back('\t');
  append_field(out, s.alias_of);
  out.push_back('\t');
  append_field(out, s.native_status);
  out.push_back('\t');
  out += domain::to_string(s.status);
  out.push_back('\t');
  append_field(out, s.listed_at_ms);
  out.push_back('\t');
  append_field(out, s.delivery_at_ms);
  out += '\t' + now + '\t' + now + "\t\\N\t" + now + '\n';  // first_seen, last_seen, delisted_at, updated_at
}

}  // namespace

CopyBaseline::CopyBaseline(const storage::DatabaseUrl& url, const std::string& schema) {
  conn_ = PQconnectdb(url.connector_string().c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw std::runtime_error("libpq connect to " + url.redacted() + " failed: " + message);
  }
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  const char* params[] = {schema.c_str()};
  PGresult* result = PQexecParams(conn_, "SELECT set_config('search_path', $1, false)", 1, nullptr, params,
                                  nullptr, nullptr, 0);
  const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
  PQclear(result);
  if (!ok) throw std::runtime_error(std::string("setting search_path failed: ") + PQerrorMessage(conn_));
}

CopyBaseline::~CopyBaseline() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void CopyBaseline::exec(const std::string& sql) {
  PGresult* result = PQexec(conn_, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  if (!ok) throw std::runtime_error("'" + sql + "' failed: " + PQerrorMessage(conn_));
}

void CopyBaseline::create_table(const std::string& name, bool temporary) {
  exec(std::string("CREATE ") + (temporary ? "TEMP " : "") + "TABLE " + name + " (LIKE symbols INCLUDING ALL)");
}

void CopyBaseline::truncate(const std::string& name) { exec("TRUNCATE " + name); }

std::size_t CopyBaseline::copy(const std::string& name, const std::vector<domain::Symbol>& symbols,
                               std::int64_t now_ms) {
  buffer_.clear();
  for (const auto& s : symbols) append_row(buffer_, s, now_ms);
  PGresult* start = PQexec(conn_, ("COPY " + name + " (" + kColumns + ") FROM STDIN").c_str());
  const bool copying = PQresultStatus(start) == PGRES_COPY_IN;
  PQclear(start);
  if (!copying) throw std::runtime_error(std::string("COPY did not start: ") + PQerrorMessage(conn_));
  if (PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1 ||
      PQputCopyEnd(conn_, nullptr) != 1) {
    throw std::runtime_error(std::string("COPY send failed: ") + PQerrorMessage(conn_));
  }
  std::size_t rows = 0;
  std::string error;
  while (PGresult* result = PQgetResult(conn_)) {
    if (PQresultStatus(result) == PGRES_COMMAND_OK) {
      rows = static_cast<std::size_t>(std::strtoull(PQcmdTuples(result), nullptr, 10));
    } else {
      error = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  if (!error.empty()) throw std::runtime_error("COPY failed: " + error);
  return rows;
}

}  // namespace mdp::bench
