#include "CandlesRoute.hpp"

#include <stdexcept>

#include "CandleRepresentation.hpp"
#include "Interval.hpp"
#include "Parameters.hpp"
#include "ResponseCacheKey.hpp"
#include "ResponseFormat.hpp"

namespace mdp::api {
namespace {

std::string candles_cache_key(const service::CandleRequest& query, ResponseFormat format) {
  ResponseCacheKey key("/v1/candles");
  key.add("exchange", query.exchange)
      .add_optional("symbol", query.symbol)
      .add_optional("native", query.native_symbol)
      .add("interval", query.interval)
      .add("start", query.start_ms)
      .add_optional("end", query.end_ms)
      .add_optional("limit", query.limit ? std::optional<std::int64_t>(static_cast<std::int64_t>(*query.limit)) : std::nullopt)
      .add("include_open", query.include_open ? "1" : "0")
      .add("format", format == ResponseFormat::Csv ? "csv" : "json");
  return key.text();
}

}  // namespace

bool is_closed_range(const service::CandleRequest& request, const service::CandleResult& result,
                     std::int64_t now_ms) {
  if (request.include_open) return false;
  const std::optional<domain::Interval> interval = domain::find_interval(result.interval);
  if (!interval) return false;
  // Without `end`, the end is now unless `limit` ends the range earlier: only then is it
  // the same for every later request with these parameters.
  const bool end_fixed =
      request.end_ms.has_value() ||
      (request.limit && result.end_ms == service::end_after_buckets(result.interval, request.start_ms, *request.limit));
  return end_fixed && result.end_ms <= domain::align_down(*interval, now_ms);
}

CandlesRoute::CandlesRoute(std::shared_ptr<const service::CandleRequestService> service,
                           std::chrono::milliseconds timeout, std::shared_ptr<ResponseCache> cache,
                           std::chrono::milliseconds cache_ttl)
    : ApiRoute(kScopeMarketRead),
      service_(std::move(service)),
      timeout_(timeout),
      cache_(std::move(cache)),
      cache_ttl_(cache_ttl) {
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

  // Only a request that can be a closed range is looked up (and later stored).
  const bool may_cache = cache_ && cache_->enabled() && !query.include_open && (query.end_ms || query.limit);
  std::string key;
  if (may_cache) {
    key = candles_cache_key(query, format);
    if (const auto hit = cache_->find(key)) {
      hit->apply_to(response);
      return;
    }
  }
  const std::uint64_t generation = cache_ ? cache_->generation() : 0;
  const std::int64_t now_ms = service_->now_ms();  // before the fetch: what was closed then stays closed

  const domain::CallContext context = domain::CallContext::with_timeout(timeout_);
  const service::CandleResult result = service_->fetch(query, context);

  if (format == ResponseFormat::Csv) {
    response.set_status(200);
    response.set_content_type(std::string(kCsvContentType));
    response.set_header("Content-Disposition", "attachment; filename=\"" + candles_csv_filename(result) + "\"");
    write_candles_csv(response.body(), result);
  } else {
    write_candles_json(response.start_json(200), result);
  }
  const bool closed = is_closed_range(query, result, now_ms);
  const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(cache_ttl_).count();
  response.set_header("Cache-Control",
                      closed && max_age > 0 ? "private, max-age=" + std::to_string(max_age) : "private, no-cache");
  if (may_cache && closed) {
    cache_->store(key, query.exchange, CachedResponse::capture(response), cache_ttl_, generation);
  }
}

}  // namespace mdp::api
