// Poco asks this for a handler per request; each is a RequestPipeline over the shared
// context (router, validators, registry, loggers).
#pragma once

#include <memory>

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "RequestPipelineContext.hpp"

namespace mdp::http {

class RequestPipelineFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RequestPipelineFactory(std::shared_ptr<RequestPipelineContext> context) : context_(std::move(context)) {}

  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

 private:
  std::shared_ptr<RequestPipelineContext> context_;
};

}  // namespace mdp::http
