#include "IntervalsRoute.hpp"

#include <stdexcept>

#include "Interval.hpp"
#include "JsonWriter.hpp"

namespace mdp::api {

std::string_view calendar_rule(const domain::Interval& interval) {
  if (interval.calendar_month) return "calendar_month";
  if (interval.code == "1w") return "week_monday";
  return "fixed";
}

IntervalsRoute::IntervalsRoute(std::shared_ptr<const service::ExchangeInfoService> service)
    : ApiRoute(kScopeMarketRead), service_(std::move(service)) {
  if (!service_) throw std::invalid_argument("IntervalsRoute needs an ExchangeInfoService");
}

void IntervalsRoute::serve(const http::Request& request, http::Response& response) const {
  request.reject_unknown_parameters({});
  const std::vector<service::ExchangeIntervals> per_exchange = service_->intervals();
  http::JsonWriter json(response.start_json(200));
  json.begin_object().key("intervals").begin_array();
  for (const domain::Interval& interval : domain::interval_catalogue()) {
    json.begin_object();
    json.key("code").string(interval.code);
    json.key("duration_ms").integer(interval.duration_ms);
    json.key("calendar_rule").string(calendar_rule(interval));
    json.end_object();
  }
  json.end_array();
  json.key("exchanges").begin_array();
  for (const service::ExchangeIntervals& exchange : per_exchange) {
    json.begin_object();
    json.key("exchange").string(exchange.exchange);
    json.key("intervals").begin_array();
    for (const domain::ExchangeInterval& supported : exchange.intervals) {
      json.begin_object();
      json.key("code").string(supported.interval);
      json.key("native_code").string(supported.native_code);
      json.key("page_cap").unsigned_integer(supported.page_cap);
      json.end_object();
    }
    json.end_array().end_object();
  }
  json.end_array().end_object();
}

}  // namespace mdp::api
