#include "AdminSyncRoute.hpp"

#include <stdexcept>

#include "JsonWriter.hpp"
#include "Parameters.hpp"

namespace mdp::api {

AdminSyncRoute::AdminSyncRoute(std::shared_ptr<const service::SyncAdminService> service)
    : ApiRoute(kScopeAdmin), service_(std::move(service)) {
  if (!service_) throw std::invalid_argument("AdminSyncRoute needs a SyncAdminService");
}

void AdminSyncRoute::serve(const http::Request& request, http::Response& response) const {
  request.reject_unknown_parameters({"exchange"});
  reject_body(request);
  const std::string exchange = required_text(request, "exchange");
  const domain::SyncRunSummary summary = service_->sync_now(exchange);
  http::JsonWriter json(response.start_json(200));
  json.begin_object();
  json.key("run_id").integer(summary.run_id);
  json.key("exchange").string(summary.exchange.empty() ? exchange : summary.exchange);
  json.key("outcome").string(summary.outcome);
  json.key("added").integer(summary.added);
  json.key("changed").integer(summary.changed);
  json.key("delisted").integer(summary.delisted);
  json.key("error");
  summary.error ? json.string(*summary.error) : json.null();
  json.end_object();
  response.set_header("Cache-Control", "no-store");
}

}  // namespace mdp::api
