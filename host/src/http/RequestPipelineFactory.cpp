#include "RequestPipelineFactory.hpp"

#include "RequestPipeline.hpp"

namespace mdp::http {

Poco::Net::HTTPRequestHandler* RequestPipelineFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new RequestPipeline(context_);
}

}  // namespace mdp::http
