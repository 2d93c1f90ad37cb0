// State shared by every request handler of one server. Held by shared_ptr from the handler
// factory, so it outlives any connection thread that is still finishing after stop().
#pragma once

#include <atomic>
#include <memory>

#include <Poco/Logger.h>

#include "ConnectionRegistry.hpp"
#include "QueryParser.hpp"
#include "RequestHeadValidator.hpp"
#include "Router.hpp"

namespace mdp::http {

struct RequestPipelineContext {
  RequestPipelineContext(std::shared_ptr<const Router> router_, RequestHeadLimits head_limits,
                         QueryLimits query_limits, std::shared_ptr<ConnectionRegistry> registry_,
                         Poco::Logger& access_log_, Poco::Logger& error_log_)
      : router(std::move(router_)),
        head_validator(head_limits),
        query_parser(query_limits),
        registry(std::move(registry_)),
        access_log(access_log_),
        error_log(error_log_) {}

  const std::shared_ptr<const Router> router;
  const RequestHeadValidator head_validator;
  const QueryParser query_parser;
  const std::shared_ptr<ConnectionRegistry> registry;
  // Set by HttpServer::stop(): new connections are refused, every response closes its
  // connection, so the server empties.
  std::atomic<bool> draining{false};
  Poco::Logger& access_log;  // "http.access": one line per request
  Poco::Logger& error_log;   // "http.error": exception text, with the request id
};

}  // namespace mdp::http
