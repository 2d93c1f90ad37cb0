// GET /v1/candles (scope market:read): candles of one symbol and interval over [start, end)
// on open time, fetched through the exchange's plugin (the host paginates), ascending,
// without duplicates; JSON or CSV.
//
// Parameters: exchange, symbol (canonical) or native (the exchange's id) — exactly one,
// interval, start (required), end (default: now), limit (first N buckets of the range,
// 1..max_rows), include_open (default false: the in-progress candle is left out), format.
// A range holding more than max_rows buckets (or needing more than max_pages upstream
// requests) is refused with 400 before anything is fetched: narrow it or pass `limit`.
#pragma once

#include <chrono>
#include <memory>

#include "ApiRoute.hpp"
#include "CandleRequestService.hpp"

namespace mdp::api {

class CandlesRoute : public ApiRoute {
 public:
  // `timeout` bounds the whole request (every page, across retries) as its CallContext.
  CandlesRoute(std::shared_ptr<const service::CandleRequestService> service, std::chrono::milliseconds timeout);

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::CandleRequestService> service_;
  std::chrono::milliseconds timeout_;
};

}  // namespace mdp::api
