#include "ExchangesRoute.hpp"

#include <stdexcept>

#include "JsonWriter.hpp"

namespace mdp::api {

ExchangesRoute::ExchangesRoute(std::shared_ptr<const service::ExchangeInfoService> service)
    : ApiRoute(kScopeMarketRead), service_(std::move(service)) {
  if (!service_) throw std::invalid_argument("ExchangesRoute needs an ExchangeInfoService");
}

void ExchangesRoute::serve(const http::Request& request, http::Response& response) const {
  request.reject_unknown_parameters({});
  const std::vector<service::ExchangeSummary> exchanges = service_->exchanges();
  http::JsonWriter json(response.start_json(200));
  json.begin_object().key("exchanges").begin_array();
  for (const service::ExchangeSummary& e : exchanges) {
    json.begin_object();
    json.key("id").string(e.id);
    json.key("name").string(e.name);
    json.key("plugin_version").string(e.plugin_version);
    json.key("abi").string(e.abi);
    json.key("status").string(e.status);
    json.key("status_reason");
    e.status_reason ? json.string(*e.status_reason) : json.null();
    json.key("capabilities").begin_object();
    json.key("candles").boolean(e.candles_supported);
    json.key("symbols").boolean(e.symbols_supported);
    json.key("intervals").unsigned_integer(e.interval_count);
    json.end_object();
    json.key("last_successful_sync");
    e.last_successful_sync_ms ? json.integer(*e.last_successful_sync_ms) : json.null();
    json.end_object();
  }
  json.end_array().end_object();
}

}  // namespace mdp::api
