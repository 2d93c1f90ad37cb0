#include "SyncRunsRoute.hpp"

#include <stdexcept>

#include "JsonWriter.hpp"
#include "Parameters.hpp"

namespace mdp::api {

SyncRunsRoute::SyncRunsRoute(std::shared_ptr<const service::SyncAdminService> service)
    : ApiRoute(kScopeAdmin), service_(std::move(service)) {
  if (!service_) throw std::invalid_argument("SyncRunsRoute needs a SyncAdminService");
}

void SyncRunsRoute::serve(const http::Request& request, http::Response& response) const {
  request.reject_unknown_parameters({"exchange", "limit"});
  const std::optional<std::string> exchange = optional_text(request, "exchange");
  const std::size_t limit =
      optional_count(request, "limit", 1, service::kMaxSyncRunsPerPage).value_or(kDefaultSyncRunsPerPage);
  const std::vector<service::SyncRunInfo> runs = service_->recent_runs(exchange, limit);
  http::JsonWriter json(response.start_json(200));
  json.begin_object().key("runs").begin_array();
  for (const service::SyncRunInfo& run : runs) {
    json.begin_object();
    json.key("id").integer(run.id);
    json.key("exchange").string(run.exchange);
    json.key("started_at").integer(run.started_at_ms);
    json.key("finished_at");
    run.finished_at_ms ? json.integer(*run.finished_at_ms) : json.null();
    json.key("outcome").string(run.outcome);
    json.key("added").integer(run.added);
    json.key("changed").integer(run.changed);
    json.key("delisted").integer(run.delisted);
    json.key("error");
    run.error ? json.string(*run.error) : json.null();
    json.end_object();
  }
  json.end_array().end_object();
  response.set_header("Cache-Control", "no-store");
}

}  // namespace mdp::api
