// GET /v1/intervals (scope market:read): the canonical interval catalogue (code, nominal
// duration, calendar rule) and, per exchange, the codes it supports with the exchange's
// native code and how many candles one upstream request returns at most (page cap).
#pragma once

#include <memory>

#include "ApiRoute.hpp"
#include "ExchangeInfoService.hpp"
#include "Interval.hpp"

namespace mdp::api {

class IntervalsRoute : public ApiRoute {
 public:
  explicit IntervalsRoute(std::shared_ptr<const service::ExchangeInfoService> service);

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::ExchangeInfoService> service_;
};

// "fixed" (buckets every duration_ms from the epoch), "week_monday" (1w: weeks start
// Monday 00:00 UTC) or "calendar_month" (1M: the first of each UTC month).
std::string_view calendar_rule(const domain::Interval& interval);

}  // namespace mdp::api
