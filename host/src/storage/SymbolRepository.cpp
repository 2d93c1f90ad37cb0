#include "SymbolRepository.hpp"

#include <algorithm>

#include "Sql.hpp"
#include "SqliteStatement.hpp"
#include "mdp/decimal.hpp"

namespace mdp::storage {
namespace {

using domain::Symbol;

// Column order shared by every SELECT (see read_symbol). PostgreSQL numeric columns are read
// as ::text: Poco would turn NUMERIC into double.
std::string select_columns(Dialect dialect) {
  const bool pg = dialect == Dialect::PostgreSQL;
  auto dec = [pg](const char* column) { return pg ? std::string(column) + "::text" : std::string(column); };
  return "id, exchange, symbol, native_symbol, market_type, base, quote, settle, " + dec("tick_size") + ", " +
         dec("lot_step") + ", " + dec("min_qty") + ", " + dec("min_notional") + ", " + dec("contract_size") +
         ", price_max_decimals, price_max_sig_figs, alias_of, native_status, status, listed_at, delivery_at, "
         "first_seen, last_seen, delisted_at, updated_at";
}

std::optional<std::int32_t> opt_int32(const sql::Row& row, std::size_t col) {
  auto value = row.opt_int64(col);
  if (!value) return std::nullopt;
  return static_cast<std::int32_t>(*value);
}

StoredSymbol read_symbol(const sql::Row& row) {
  StoredSymbol s;
  s.id = row.int64(0);
  s.exchange = row.text(1);
  s.symbol = row.text(2);
  s.native_symbol = row.text(3);
  const auto type = domain::market_type_from_string(row.text(4));
  if (!type) throw DatabaseError("symbols.market_type holds an unknown value", {}, "bad stored value");
  s.market_type = *type;
  s.base = row.text(5);
  s.quote = row.text(6);
  s.settle = row.opt_text(7);
  s.tick_size = row.opt_text(8);
  s.lot_step = row.opt_text(9);
  s.min_qty = row.opt_text(10);
  s.min_notional = row.opt_text(11);
  s.contract_size = row.opt_text(12);
  s.price_max_decimals = opt_int32(row, 13);
  s.price_max_sig_figs = opt_int32(row, 14);
  s.alias_of = row.opt_text(15);
  s.native_status = row.opt_text(16);
  const auto status = domain::symbol_status_from_string(row.text(17));
  if (!status) throw DatabaseError("symbols.status holds an unknown value", {}, "bad stored value");
  s.status = *status;
  s.listed_at_ms = row.opt_int64(18);
  s.delivery_at_ms = row.opt_int64(19);
  s.first_seen_ms = row.int64(20);
  s.last_seen_ms = row.int64(21);
  s.delisted_at_ms = row.opt_int64(22);
  s.updated_at_ms = row.int64(23);
  return s;
}

std::vector<StoredSymbol> read_symbols(const sql::Rows& rows) {
  std::vector<StoredSymbol> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(read_symbol(rows[i]));
  return out;
}

void check_decimal(const Symbol& s, const char* field, const std::optional<std::string>& value) {
  if (value && !mdp::is_canonical_decimal(*value)) {
    throw InvalidValue(std::string(field) + " of " + sql::sanitize_text(s.symbol, 100) +
                       " is not a canonical decimal");
  }
}

// Everything apply_sync writes is checked before the transaction starts, so a bad value
// never leaves a half-applied sync (and never reaches libpq, which truncates at NUL).
void validate_symbol(const std::string& exchange, const Symbol& s) {
  if (!s.exchange.empty() && s.exchange != exchange) {
    throw InvalidValue("symbol " + sql::sanitize_text(s.symbol, 100) + " belongs to exchange " +
                       sql::sanitize_text(s.exchange, 64) + ", not " + exchange);
  }
  if (s.symbol.empty() || s.native_symbol.empty() || s.base.empty() || s.quote.empty()) {
    throw InvalidValue("symbol, native symbol, base and quote must not be empty");
  }
  sql::check_text("symbol", s.symbol);
  sql::check_text("native_symbol", s.native_symbol);
  sql::check_text("base", s.base);
  sql::check_text("quote", s.quote);
  for (const auto* opt : {&s.settle, &s.alias_of, &s.native_status}) {
    if (*opt) sql::check_text("symbol text field", **opt);
  }
  check_decimal(s, "tick_size", s.tick_size);
  check_decimal(s, "lot_step", s.lot_step);
  check_decimal(s, "min_qty", s.min_qty);
  check_decimal(s, "min_notional", s.min_notional);
  check_decimal(s, "contract_size", s.contract_size);
}

std::optional<std::int64_t> widen(const std::optional<std::int32_t>& v) {
  if (!v) return std::nullopt;
  return *v;
}

std::string text_of(domain::MarketType type) { return std::string(domain::to_string(type)); }
std::string text_of(domain::SymbolStatus status) { return std::string(domain::to_string(status)); }

// Column arrays for the PostgreSQL unnest() statements, in kSymbolArrayColumns order.
struct SymbolArrays {
  std::vector<std::optional<std::string>> symbol, native_symbol, market_type, base, quote, settle, tick_size,
      lot_step, min_qty, min_notional, contract_size, alias_of, native_status, status;
  std::vector<std::optional<std::int64_t>> price_max_decimals, price_max_sig_figs, listed_at, delivery_at;

  void add(const Symbol& s) {
    symbol.emplace_back(s.symbol);
    native_symbol.emplace_back(s.native_symbol);
    market_type.emplace_back(text_of(s.market_type));
    base.emplace_back(s.base);
    quote.emplace_back(s.quote);
    settle.push_back(s.settle);
    tick_size.push_back(s.tick_size);
    lot_step.push_back(s.lot_step);
    min_qty.push_back(s.min_qty);
    min_notional.push_back(s.min_notional);
    contract_size.push_back(s.contract_size);
    price_max_decimals.push_back(widen(s.price_max_decimals));
    price_max_sig_figs.push_back(widen(s.price_max_sig_figs));
    alias_of.push_back(s.alias_of);
    native_status.push_back(s.native_status);
    status.emplace_back(text_of(s.status));
    listed_at.push_back(s.listed_at_ms);
    delivery_at.push_back(s.delivery_at_ms);
  }

  void bind(sql::Query& q) const {
    q.text("symbol", sql::pg_text_array("symbol", symbol))
        .text("native_symbol", sql::pg_text_array("native_symbol", native_symbol))
        .text("market_type", sql::pg_text_array("market_type", market_type))
        .text("base", sql::pg_text_array("base", base))
        .text("quote", sql::pg_text_array("quote", quote))
        .text("settle", sql::pg_text_array("settle", settle))
        .text("tick_size", sql::pg_text_array("tick_size", tick_size))
        .text("lot_step", sql::pg_text_array("lot_step", lot_step))
        .text("min_qty", sql::pg_text_array("min_qty", min_qty))
        .text("min_notional", sql::pg_text_array("min_notional", min_notional))
        .text("contract_size", sql::pg_text_array("contract_size", contract_size))
        .text("price_max_decimals", sql::pg_int_array(price_max_decimals))
        .text("price_max_sig_figs", sql::pg_int_array(price_max_sig_figs))
        .text("alias_of", sql::pg_text_array("alias_of", alias_of))
        .text("native_status", sql::pg_text_array("native_status", native_status))
        .text("status", sql::pg_text_array("status", status))
        .text("listed_at", sql::pg_int_array(listed_at))
        .text("delivery_at", sql::pg_int_array(delivery_at));
  }
};

constexpr const char* kUnnestSymbols =
    "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
    "?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[], ?::numeric[], "
    "?::integer[], ?::integer[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[]) "
    "AS u(symbol, native_symbol, market_type, base, quote, settle, tick_size, lot_step, min_qty, "
    "min_notional, contract_size, price_max_decimals, price_max_sig_figs, alias_of, native_status, status, "
    "listed_at, delivery_at)";

constexpr const char* kInsertColumns =
    "exchange, symbol, native_symbol, market_type, base, quote, settle, tick_size, lot_step, min_qty, "
    "min_notional, contract_size, price_max_decimals, price_max_sig_figs, alias_of, native_status, status, "
    "listed_at, delivery_at, first_seen, last_seen, delisted_at, updated_at";

// Binds the 18 per-symbol values in kInsertColumns order (after exchange) for SQLite.
void bind_symbol_row(sql::SqliteStatement& q, const Symbol& s) {
  q.text("symbol", s.symbol)
      .text("native_symbol", s.native_symbol)
      .text("market_type", text_of(s.market_type))
      .text("base", s.base)
      .text("quote", s.quote)
      .opt_text("settle", s.settle)
      .opt_text("tick_size", s.tick_size)
      .opt_text("lot_step", s.lot_step)
      .opt_text("min_qty", s.min_qty)
      .opt_text("min_notional", s.min_notional)
      .opt_text("contract_size", s.contract_size)
      .opt_int64(widen(s.price_max_decimals))
      .opt_int64(widen(s.price_max_sig_figs))
      .opt_text("alias_of", s.alias_of)
      .opt_text("native_status", s.native_status)
      .text("status", text_of(s.status))
      .opt_int64(s.listed_at_ms)
      .opt_int64(s.delivery_at_ms);
}

struct ChangeRow {
  std::string symbol;
  FieldChange change;
};

std::size_t apply_postgresql(Lease& lease, const std::string& exchange, const SymbolDiff& diff,
                             const std::vector<ChangeRow>& changes, std::optional<std::int64_t> run_id,
                             std::int64_t now, SyncCounts& counts) {
  if (!diff.added.empty()) {
    SymbolArrays arrays;
    for (const auto& s : diff.added) arrays.add(s);
    sql::Query q(lease, "symbols.sync.insert",
                 std::string("INSERT INTO symbols (") + kInsertColumns +
                     ") SELECT ?, u.symbol, u.native_symbol, u.market_type, u.base, u.quote, u.settle, "
                     "u.tick_size, u.lot_step, u.min_qty, u.min_notional, u.contract_size, u.price_max_decimals, "
                     "u.price_max_sig_figs, u.alias_of, u.native_status, u.status, u.listed_at, u.delivery_at, "
                     "CAST(? AS BIGINT), CAST(? AS BIGINT), "
                     "CASE WHEN u.status = 'delisted' THEN CAST(? AS BIGINT) END, CAST(? AS BIGINT) FROM " +
                     kUnnestSymbols + " ON CONFLICT (exchange, symbol) DO NOTHING");
    q.text("exchange", exchange).int64(now).int64(now).int64(now).int64(now);
    arrays.bind(q);
    counts.added = static_cast<std::int64_t>(q.execute());
  }
  if (!diff.changed.empty()) {
    SymbolArrays arrays;
    for (const auto& c : diff.changed) arrays.add(c.after);
    sql::Query q(lease, "symbols.sync.update",
                 std::string("UPDATE symbols AS s SET native_symbol = u.native_symbol, market_type = u.market_type, "
                             "base = u.base, quote = u.quote, settle = u.settle, tick_size = u.tick_size, "
                             "lot_step = u.lot_step, min_qty = u.min_qty, min_notional = u.min_notional, "
                             "contract_size = u.contract_size, price_max_decimals = u.price_max_decimals, "
                             "price_max_sig_figs = u.price_max_sig_figs, alias_of = u.alias_of, "
                             "native_status = u.native_status, status = u.status, listed_at = u.listed_at, "
                             "delivery_at = u.delivery_at, last_seen = CAST(? AS BIGINT), "
                             "updated_at = CAST(? AS BIGINT), delisted_at = CASE WHEN u.status = 'delisted' "
                             "THEN COALESCE(s.delisted_at, CAST(? AS BIGINT)) END FROM ") +
                     kUnnestSymbols + " WHERE s.exchange = ? AND s.symbol = u.symbol");
    q.int64(now).int64(now).int64(now);
    arrays.bind(q);
    q.text("exchange", exchange);
    counts.changed = static_cast<std::int64_t>(q.execute());
  }
  if (!diff.delisted.empty()) {
    std::vector<std::optional<std::string>> names;
    for (const auto& s : diff.delisted) names.emplace_back(s.symbol);
    counts.delisted = static_cast<std::int64_t>(
        sql::Query(lease, "symbols.sync.delist",
                   "UPDATE symbols SET status = 'delisted', delisted_at = CAST(? AS BIGINT), "
                   "updated_at = CAST(? AS BIGINT) WHERE exchange = ? AND symbol = ANY(?::text[]) "
                   "AND status <> 'delisted'")
            .int64(now)
            .int64(now)
            .text("exchange", exchange)
            .text("symbol", sql::pg_text_array("symbol", names))
            .execute());
  }
  if (!diff.unchanged_seen.empty()) {
    std::vector<std::optional<std::string>> names(diff.unchanged_seen.begin(), diff.unchanged_seen.end());
    sql::Query(lease, "symbols.sync.seen",
               "UPDATE symbols SET last_seen = CAST(? AS BIGINT) WHERE exchange = ? AND symbol = ANY(?::text[])")
        .int64(now)
        .text("exchange", exchange)
        .text("symbol", sql::pg_text_array("symbol", names))
        .execute();
  }
  if (changes.empty()) return 0;
  std::vector<std::optional<std::string>> symbols, fields, olds, news;
  for (const auto& row : changes) {
    symbols.emplace_back(row.symbol);
    fields.emplace_back(row.change.field);
    olds.push_back(row.change.old_value);
    news.push_back(row.change.new_value);
  }
  return sql::Query(lease, "symbol_changes.insert",
                    "INSERT INTO symbol_changes (exchange, symbol, field, old_value, new_value, changed_at, "
                    "sync_run_id) SELECT ?, u.symbol, u.field, u.old_value, u.new_value, CAST(? AS BIGINT), "
                    "CAST(? AS BIGINT) FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) "
                    "AS u(symbol, field, old_value, new_value)")
      .text("exchange", exchange)
      .int64(now)
      .opt_int64(run_id)
      .text("symbol", sql::pg_text_array("symbol", symbols))
      .text("field", sql::pg_text_array("field", fields))
      .text("old_value", sql::pg_text_array("old_value", olds))
      .text("new_value", sql::pg_text_array("new_value", news))
      .execute();
}

// SQLite runs in-process: each statement is compiled once per sync (only when it has rows)
// and executed per row with re-bound values, inside the single transaction.
void apply_sqlite(Lease& lease, const std::string& exchange, const SymbolDiff& diff,
                  const std::vector<ChangeRow>& changes, std::optional<std::int64_t> run_id, std::int64_t now,
                  SyncCounts& counts) {
  if (!diff.added.empty()) {
    sql::SqliteStatement q(lease, "symbols.sync.insert",
                           std::string("INSERT INTO symbols (") + kInsertColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (exchange, symbol) DO NOTHING");
    for (const auto& s : diff.added) {
      q.text("exchange", exchange);
      bind_symbol_row(q, s);
      q.int64(now).int64(now);
      q.opt_int64(s.status == domain::SymbolStatus::Delisted ? std::optional<std::int64_t>(now) : std::nullopt);
      q.int64(now);
      counts.added += static_cast<std::int64_t>(q.execute());
    }
  }
  if (!diff.changed.empty()) {
    sql::SqliteStatement q(lease, "symbols.sync.update",
                           "UPDATE symbols SET symbol = ?, native_symbol = ?, market_type = ?, base = ?, quote = ?, "
                           "settle = ?, tick_size = ?, lot_step = ?, min_qty = ?, min_notional = ?, "
                           "contract_size = ?, price_max_decimals = ?, price_max_sig_figs = ?, alias_of = ?, "
                           "native_status = ?, status = ?, listed_at = ?, delivery_at = ?, last_seen = ?, "
                           "updated_at = ?, delisted_at = ? WHERE exchange = ? AND symbol = ?");
    for (const auto& c : diff.changed) {
      const Symbol& s = c.after;
      std::optional<std::int64_t> delisted_at;
      if (s.status == domain::SymbolStatus::Delisted) delisted_at = c.before.delisted_at_ms.value_or(now);
      bind_symbol_row(q, s);
      q.int64(now).int64(now).opt_int64(delisted_at).text("exchange", exchange).text("symbol", c.before.symbol);
      counts.changed += static_cast<std::int64_t>(q.execute());
    }
  }
  if (!diff.delisted.empty()) {
    sql::SqliteStatement q(lease, "symbols.sync.delist",
                           "UPDATE symbols SET status = 'delisted', delisted_at = ?, updated_at = ? "
                           "WHERE exchange = ? AND symbol = ? AND status <> 'delisted'");
    for (const auto& s : diff.delisted) {
      counts.delisted +=
          static_cast<std::int64_t>(q.int64(now).int64(now).text("exchange", exchange).text("symbol", s.symbol).execute());
    }
  }
  if (!diff.unchanged_seen.empty()) {
    sql::SqliteStatement q(lease, "symbols.sync.seen",
                           "UPDATE symbols SET last_seen = ? WHERE exchange = ? AND symbol = ?");
    for (const auto& name : diff.unchanged_seen) q.int64(now).text("exchange", exchange).text("symbol", name).execute();
  }
  if (!changes.empty()) {
    sql::SqliteStatement q(lease, "symbol_changes.insert",
                           "INSERT INTO symbol_changes (exchange, symbol, field, old_value, new_value, changed_at, "
                           "sync_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& row : changes) {
      q.text("exchange", exchange)
          .text("symbol", row.symbol)
          .text("field", row.change.field)
          .opt_text("old_value", row.change.old_value)
          .opt_text("new_value", row.change.new_value)
          .int64(now)
          .opt_int64(run_id)
          .execute();
    }
  }
}

std::string like_pattern(const std::string& search) {
  std::string out = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out + "%";
}

}  // namespace

SymbolPage SymbolRepository::list(const SymbolQuery& query) {
  const std::size_t limit = std::clamp<std::size_t>(query.limit, 1, kMaxSymbolPage);
  std::string where;
  auto add = [&where](const char* condition) {
    where += where.empty() ? " WHERE " : " AND ";
    where += condition;
  };
  // Only fixed condition fragments with placeholders are appended; values are all bound.
  if (query.exchange) add("exchange = ?");
  if (query.market_type) add("market_type = ?");
  if (!query.statuses.empty()) {
    std::string in = "status IN (";
    for (std::size_t i = 0; i < query.statuses.size(); ++i) in += i ? ", ?" : "?";
    add((in + ")").c_str());
  }
  if (query.base) add("base = ?");
  if (query.quote) add("quote = ?");
  if (query.search) add("(upper(symbol) LIKE ? ESCAPE '\\' OR upper(native_symbol) LIKE ? ESCAPE '\\')");
  if (query.after) add("(exchange, symbol) > (?, ?)");
  const std::string text = "SELECT " + select_columns(db_.dialect()) + " FROM symbols" + where +
                           " ORDER BY exchange, symbol LIMIT ?";

  return db_.with_lease(
      [&](Lease& lease) {
        sql::Query q(lease, "symbols.list", text);
        if (query.exchange) q.text("exchange", *query.exchange);
        if (query.market_type) q.text("market_type", text_of(*query.market_type));
        for (auto status : query.statuses) q.text("status", text_of(status));
        if (query.base) q.text("base", *query.base);
        if (query.quote) q.text("quote", *query.quote);
        if (query.search) {
          const std::string pattern = like_pattern(*query.search);
          q.text("search", pattern).text("search", pattern);
        }
        if (query.after) q.text("cursor exchange", query.after->exchange).text("cursor symbol", query.after->symbol);
        q.int64(static_cast<std::int64_t>(limit + 1));
        SymbolPage page;
        page.items = read_symbols(q.rows());
        if (page.items.size() > limit) {
          page.items.resize(limit);
          page.next = SymbolCursor{page.items.back().exchange, page.items.back().symbol};
        }
        return page;
      },
      true);
}

std::optional<StoredSymbol> SymbolRepository::find(const std::string& exchange, const std::string& symbol) {
  return db_.with_lease(
      [&](Lease& lease) -> std::optional<StoredSymbol> {
        auto rows = read_symbols(sql::Query(lease, "symbols.find",
                                            "SELECT " + select_columns(db_.dialect()) +
                                                " FROM symbols WHERE exchange = ? AND symbol = ?")
                                     .text("exchange", exchange)
                                     .text("symbol", symbol)
                                     .rows());
        if (rows.empty()) return std::nullopt;
        return rows.front();
      },
      true);
}

std::optional<StoredSymbol> SymbolRepository::find_by_native(const std::string& exchange,
                                                             const std::string& native_symbol) {
  return db_.with_lease(
      [&](Lease& lease) -> std::optional<StoredSymbol> {
        auto rows = read_symbols(sql::Query(lease, "symbols.find_by_native",
                                            "SELECT " + select_columns(db_.dialect()) +
                                                " FROM symbols WHERE exchange = ? AND native_symbol = ?")
                                     .text("exchange", exchange)
                                     .text("native_symbol", native_symbol)
                                     .rows());
        if (rows.empty()) return std::nullopt;
        return rows.front();
      },
      true);
}

std::vector<StoredSymbol> SymbolRepository::load_exchange(const std::string& exchange) {
  return db_.with_lease(
      [&](Lease& lease) {
        return read_symbols(sql::Query(lease, "symbols.load_exchange",
                                       "SELECT " + select_columns(db_.dialect()) +
                                           " FROM symbols WHERE exchange = ? ORDER BY symbol")
                                .text("exchange", exchange)
                                .rows());
      },
      true);
}

SyncCounts SymbolRepository::apply_sync(const std::string& exchange, const SymbolDiff& diff,
                                        std::optional<std::int64_t> sync_run_id, std::int64_t now_ms,
                                        const std::function<void()>& before_commit) {
  sql::check_text("exchange", exchange);
  for (const auto& s : diff.added) validate_symbol(exchange, s);
  for (const auto& c : diff.changed) {
    validate_symbol(exchange, c.after);
    if (c.after.symbol != c.before.symbol) throw InvalidValue("a changed symbol must keep its canonical name");
  }
  for (const auto& name : diff.unchanged_seen) sql::check_text("symbol", name);

  std::vector<ChangeRow> changes;
  for (const auto& c : diff.changed) {
    for (const auto& f : c.tracked) changes.push_back(ChangeRow{c.after.symbol, f});
  }
  for (const auto& s : diff.delisted) {
    changes.push_back(ChangeRow{s.symbol, FieldChange{"status", text_of(s.status), text_of(domain::SymbolStatus::Delisted)}});
  }

  SyncCounts counts;
  Lease lease = db_.acquire();
  Transaction tx(lease);
  if (db_.dialect() == Dialect::PostgreSQL) {
    apply_postgresql(lease, exchange, diff, changes, sync_run_id, now_ms, counts);
  } else {
    apply_sqlite(lease, exchange, diff, changes, sync_run_id, now_ms, counts);
  }
  if (before_commit) before_commit();  // throws to roll back (tx's destructor)
  tx.commit();
  return counts;
}

std::vector<SymbolChangeRecord> SymbolRepository::list_changes(const SymbolChangeQuery& query) {
  const std::size_t limit = std::clamp<std::size_t>(query.limit, 1, 10000);
  std::string where;
  auto add = [&where](const char* condition) {
    where += where.empty() ? " WHERE " : " AND ";
    where += condition;
  };
  if (query.exchange) add("exchange = ?");
  if (query.symbol) add("symbol = ?");
  if (query.since_ms) add("changed_at >= ?");
  const std::string text =
      "SELECT id, exchange, symbol, field, old_value, new_value, changed_at, sync_run_id FROM symbol_changes" +
      where + " ORDER BY changed_at, id LIMIT ?";
  return db_.with_lease(
      [&](Lease& lease) {
        sql::Query q(lease, "symbol_changes.list", text);
        if (query.exchange) q.text("exchange", *query.exchange);
        if (query.symbol) q.text("symbol", *query.symbol);
        if (query.since_ms) q.int64(*query.since_ms);
        q.int64(static_cast<std::int64_t>(limit));
        sql::Rows rows = q.rows();
        std::vector<SymbolChangeRecord> out;
        for (std::size_t i = 0; i < rows.size(); ++i) {
          SymbolChangeRecord r;
          r.id = rows[i].int64(0);
          r.exchange = rows[i].text(1);
          r.symbol = rows[i].text(2);
          r.field = rows[i].text(3);
          r.old_value = rows[i].opt_text(4);
          r.new_value = rows[i].opt_text(5);
          r.changed_at_ms = rows[i].int64(6);
          r.sync_run_id = rows[i].opt_int64(7);
          out.push_back(std::move(r));
        }
        return out;
      },
      true);
}

}  // namespace mdp::storage
