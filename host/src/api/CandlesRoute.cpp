#include "CandlesRoute.hpp"

#include <stdexcept>

#include "CandleRepresentation.hpp"
#include "Parameters.hpp"
#include "ResponseFormat.hpp"

namespace mdp::api {

CandlesRoute::CandlesRoute(std::shared_ptr<const service::CandleRequestService> service,
                           std::chrono::milliseconds timeout)
    : ApiRoute(kScopeMarketRead), service_(std::move(service)), timeout_(timeout) {
  if (!service_) throw std::invalid_argument("CandlesRoute needs a CandleRequestService");
}

void CandlesRoute::serve(const http::Request& request, http::Response& response) const {
  request.reject_unknown_parameters(
      {"exchange", "symbol", "native", "interval", "start", "end", "limit", "include_open", "format"});
  service::CandleRequest query;
  query.exchange = required_text(request, "exchange");
  query.symbol = optional_text(request, "symbol");
  query.native_symbol = optional_text(request, "native");
  if (query.symbol.has_value() == query.native_symbol.has_value()) {
    reject_parameter(query.symbol ? "native" : "symbol", "give exactly one of 'symbol' (canonical) and 'native'");
  }
  query.interval = required_text(request, "interval");
  const std::optional<std::int64_t> start = optional_time(request, "start");
  if (!start) reject_parameter("start", "missing required query parameter 'start'");
  query.start_ms = *start;
  query.end_ms = optional_time(request, "end");
  if (query.end_ms && *query.end_ms <= query.start_ms) {
    reject_parameter("end", "parameter 'end' must be after 'start' (the range is [start, end))");
  }
  const std::size_t max_rows = service_->candles().limits().max_rows;
  if (const auto limit = optional_count(request, "limit", 1, max_rows)) query.limit = static_cast<std::size_t>(*limit);
  query.include_open = optional_flag(request, "include_open").value_or(false);
  const ResponseFormat format = negotiate_format(request);

  const domain::CallContext context = domain::CallContext::with_timeout(timeout_);
  const service::CandleResult result = service_->fetch(query, context);

  if (format == ResponseFormat::Csv) {
    response.set_status(200);
    response.set_content_type(std::string(kCsvContentType));
    response.set_header("Content-Disposition", "attachment; filename=\"" + candles_csv_filename(result) + "\"");
    write_candles_csv(response.body(), result);
    return;
  }
  write_candles_json(response.start_json(200), result);
}

}  // namespace mdp::api
