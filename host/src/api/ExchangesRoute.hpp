// GET /v1/exchanges (scope market:read): every exchange with its plugin version, ABI,
// status on this host (loaded / failed + reason / disabled), capabilities and the time of
// its last successful metadata sync.
#pragma once

#include <memory>

#include "ApiRoute.hpp"
#include "ExchangeInfoService.hpp"

namespace mdp::api {

class ExchangesRoute : public ApiRoute {
 public:
  explicit ExchangesRoute(std::shared_ptr<const service::ExchangeInfoService> service);

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::ExchangeInfoService> service_;
};

}  // namespace mdp::api
