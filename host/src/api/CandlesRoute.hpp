// GET /v1/candles (scope market:read): candles of one symbol and interval over [start, end)
// on open time, fetched through the exchange's plugin (the host paginates), ascending,
// without duplicates; JSON or CSV.
//
// Parameters: exchange, symbol (canonical) or native (the exchange's id) — exactly one,
// interval, start (required), end (default: now), limit (first N buckets of the range,
// 1..max_rows), include_open (default false: the in-progress candle is left out), format.
// A range holding more than max_rows buckets (or needing more than max_pages upstream
// requests) is refused with 400 before anything is fetched: narrow it or pass `limit`.
//
// Closed ranges: include_open=false, the effective end fixed by the parameters (`end`, or
// `limit` reaching no further than now) and at or before the open time of the in-progress
// candle when the fetch starts (the service's clock). Only their successful answers are
// kept in the ResponseCache (for `cache_ttl`) and carry Cache-Control
// "private, max-age=<cache_ttl in s>"; every other 200 carries "private, no-cache".
#pragma once

#include <chrono>
#include <memory>

#include "ApiRoute.hpp"
#include "CandleRequestService.hpp"
#include "ResponseCache.hpp"

namespace mdp::api {

class CandlesRoute : public ApiRoute {
 public:
  // `timeout` bounds the whole request (every page, across retries) as its CallContext.
  // `cache` may be null (nothing cached).
  CandlesRoute(std::shared_ptr<const service::CandleRequestService> service, std::chrono::milliseconds timeout,
               std::shared_ptr<ResponseCache> cache = nullptr, std::chrono::milliseconds cache_ttl = {});

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::CandleRequestService> service_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<ResponseCache> cache_;
  std::chrono::milliseconds cache_ttl_;
};

// Whether `result` (fetched for `request` when the clock read `now_ms`) is a closed range
// in the sense above.
bool is_closed_range(const service::CandleRequest& request, const service::CandleResult& result,
                     std::int64_t now_ms);

}  // namespace mdp::api
