// Refuses new connections once the server is draining. Poco's TCPServer::stop() clears
// the queue of accepted connections without answering them (RELIABILITY.md H10); with this
// filter the acceptor keeps running during the drain but closes new sockets at once, so
// stop() only runs after the queue has emptied on its own.
#pragma once

#include <memory>

#include <Poco/Net/TCPServer.h>

#include "RequestPipelineContext.hpp"

namespace mdp::http {

class DrainingConnectionFilter : public Poco::Net::TCPServerConnectionFilter {
 public:
  explicit DrainingConnectionFilter(std::shared_ptr<const RequestPipelineContext> context)
      : context_(std::move(context)) {}

  bool accept(const Poco::Net::StreamSocket&) override { return !context_->draining.load(); }

 private:
  std::shared_ptr<const RequestPipelineContext> context_;
};

}  // namespace mdp::http
