// State shared by every request handler of one server. Held by shared_ptr from the handler
// factory, so it outlives any connection thread that is still finishing after stop().
#pragma once

#include <atomic>
#include <memory>

#include <Poco/Logger.h>

#include "AuthorizationStage.hpp"
#include "ConnectionRegistry.hpp"
#include "InFlightGate.hpp"
#include "QueryParser.hpp"
#include "RequestHeadValidator.hpp"
#include "Router.hpp"

namespace mdp::http {

struct RequestPipelineContext {
  RequestPipelineContext(std::shared_ptr<const Router> router_, RequestHeadLimits head_limits,
                         QueryLimits query_limits, std::shared_ptr<ConnectionRegistry> registry_,
                         Poco::Logger& access_log_, Poco::Logger& error_log_, int max_in_flight = 0,
                         std::shared_ptr<Authenticator> authenticator = nullptr,
                         std::optional<TokenBucketPolicy> rate_limit = std::nullopt)
      : router(std::move(router_)),
        head_validator(head_limits),
        query_parser(query_limits),
        registry(std::move(registry_)),
        in_flight(max_in_flight),
        authorization(std::move(authenticator), rate_limit, error_log_),
        access_log(access_log_),
        error_log(error_log_) {}

  const std::shared_ptr<const Router> router;
  const RequestHeadValidator head_validator;
  const QueryParser query_parser;
  const std::shared_ptr<ConnectionRegistry> registry;
  InFlightGate in_flight;             // checked first: overload -> 503 (H5)
  AuthorizationStage authorization;   // required scope, bearer token, per-client rate limit
  // Set by HttpServer::stop(): new connections are refused, every response closes its
  // connection, so the server empties.
  std::atomic<bool> draining{false};
  Poco::Logger& access_log;  // "http.access": one line per request
  Poco::Logger& error_log;   // "http.error": exception text, with the request id
};

}  // namespace mdp::http
