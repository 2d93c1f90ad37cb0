#include "SymbolService.hpp"

#include <algorithm>

#include "ExchangeRepository.hpp"
#include "StoreGuard.hpp"
#include "SymbolRepository.hpp"

namespace mdp::service {
namespace {

SymbolInfo to_info(storage::StoredSymbol&& stored) {
  SymbolInfo info;
  static_cast<domain::Symbol&>(info) = std::move(static_cast<domain::Symbol&>(stored));
  info.first_seen_ms = stored.first_seen_ms;
  info.last_seen_ms = stored.last_seen_ms;
  info.delisted_at_ms = stored.delisted_at_ms;
  info.updated_at_ms = stored.updated_at_ms;
  return info;
}

std::optional<SymbolInfo> to_info(std::optional<storage::StoredSymbol>&& stored) {
  if (!stored) return std::nullopt;
  return to_info(std::move(*stored));
}

}  // namespace

void SymbolService::require_exchange(const std::string& exchange) const {
  if (!is_plausible_exchange_id(exchange) || !storage::ExchangeRepository(database_).find(exchange)) {
    throw NotFound("unknown exchange '" + shorten_for_message(exchange) + "'; see GET /v1/exchanges");
  }
}

SymbolListing SymbolService::list(const SymbolFilter& filter) const {
  return guard_store([&] {
    if (filter.exchange) require_exchange(*filter.exchange);
    storage::SymbolQuery query;
    query.exchange = filter.exchange;
    query.market_type = filter.market_type;
    query.statuses = filter.statuses;
    query.base = filter.base;
    query.quote = filter.quote;
    query.search = filter.search;
    query.limit = std::clamp<std::size_t>(filter.limit, 1, kMaxSymbolsPerPage);
    if (filter.after) query.after = storage::SymbolCursor{filter.after->exchange, filter.after->symbol};
    storage::SymbolPage page = storage::SymbolRepository(database_).list(query);
    SymbolListing listing;
    listing.symbols.reserve(page.items.size());
    for (auto& stored : page.items) listing.symbols.push_back(to_info(std::move(stored)));
    if (page.next) listing.next = SymbolPosition{page.next->exchange, page.next->symbol};
    return listing;
  });
}

std::optional<SymbolInfo> SymbolService::find(const std::string& exchange, const std::string& symbol) const {
  return guard_store([&] {
    require_exchange(exchange);
    return to_info(storage::SymbolRepository(database_).find(exchange, symbol));
  });
}

std::optional<SymbolInfo> SymbolService::find_by_native(const std::string& exchange,
                                                        const std::string& native_symbol) const {
  return guard_store([&] {
    require_exchange(exchange);
    return to_info(storage::SymbolRepository(database_).find_by_native(exchange, native_symbol));
  });
}

SymbolChangeLog SymbolService::changes(const SymbolChangeFilter& filter) const {
  return guard_store([&] {
    storage::SymbolRepository symbols(database_);
    if (filter.exchange) require_exchange(*filter.exchange);
    if (filter.symbol) {
      if (!filter.exchange) throw RequestRejected("symbol", "parameter 'symbol' needs 'exchange'");
      if (!symbols.find(*filter.exchange, *filter.symbol)) {
        throw NotFound("unknown symbol '" + shorten_for_message(*filter.symbol) + "' on exchange '" +
                       *filter.exchange + "'");
      }
    }
    storage::SymbolChangeQuery query;
    query.exchange = filter.exchange;
    query.symbol = filter.symbol;
    query.since_ms = filter.since_ms;
    const std::size_t limit = std::clamp<std::size_t>(filter.limit, 1, kMaxChangesPerPage);
    query.limit = limit + 1;  // one more than asked tells whether more follow
    std::vector<storage::SymbolChangeRecord> records = symbols.list_changes(query);
    SymbolChangeLog log;
    log.has_more = records.size() > limit;
    if (log.has_more) records.resize(limit);
    log.changes.reserve(records.size());
    for (auto& r : records) {
      log.changes.push_back(SymbolChange{r.id, std::move(r.exchange), std::move(r.symbol), std::move(r.field),
                                         std::move(r.old_value), std::move(r.new_value), r.changed_at_ms,
                                         r.sync_run_id});
    }
    return log;
  });
}

}  // namespace mdp::service
