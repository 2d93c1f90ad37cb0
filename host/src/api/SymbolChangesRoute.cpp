#include "SymbolChangesRoute.hpp"

#include <stdexcept>

#include "JsonWriter.hpp"
#include "Parameters.hpp"

namespace mdp::api {

SymbolChangesRoute::SymbolChangesRoute(std::shared_ptr<const service::SymbolService> service)
    : ApiRoute(kScopeMarketRead), service_(std::move(service)) {
  if (!service_) throw std::invalid_argument("SymbolChangesRoute needs a SymbolService");
}

void SymbolChangesRoute::serve(const http::Request& request, http::Response& response) const {
  request.reject_unknown_parameters({"exchange", "symbol", "since", "limit"});
  service::SymbolChangeFilter filter;
  filter.exchange = optional_text(request, "exchange");
  filter.symbol = optional_text(request, "symbol");
  if (filter.symbol && !filter.exchange) reject_parameter("exchange", "parameter 'symbol' needs 'exchange'");
  filter.since_ms = optional_time(request, "since");
  filter.limit = optional_count(request, "limit", 1, service::kMaxChangesPerPage).value_or(kDefaultChangesPerPage);

  const service::SymbolChangeLog log = service_->changes(filter);
  std::string& body = response.start_json(200);
  body.reserve(128 + log.changes.size() * 200);
  http::JsonWriter json(body);
  json.begin_object().key("changes").begin_array();
  for (const service::SymbolChange& change : log.changes) {
    json.begin_object();
    json.key("id").integer(change.id);
    json.key("exchange").string(change.exchange);
    json.key("symbol").string(change.symbol);
    json.key("field").string(change.field);
    json.key("old_value");
    change.old_value ? json.string(*change.old_value) : json.null();
    json.key("new_value");
    change.new_value ? json.string(*change.new_value) : json.null();
    json.key("changed_at").integer(change.changed_at_ms);
    json.key("sync_run_id");
    change.sync_run_id ? json.integer(*change.sync_run_id) : json.null();
    json.end_object();
  }
  json.end_array();
  json.key("has_more").boolean(log.has_more);
  json.end_object();
}

}  // namespace mdp::api
