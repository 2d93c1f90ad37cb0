#include "TrackedConnectionFactory.hpp"

#include "TrackedConnection.hpp"

namespace mdp::http {

TrackedConnectionFactory::TrackedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                                                   Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                                                   std::shared_ptr<ConnectionRegistry> registry,
                                                   Poco::Timespan send_timeout, Poco::Logger& access_log)
    : params_(std::move(params)),
      factory_(std::move(factory)),
      registry_(std::move(registry)),
      send_timeout_(send_timeout),
      access_log_(access_log) {}

Poco::Net::TCPServerConnection* TrackedConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
  return new TrackedConnection(socket, params_, factory_, registry_, send_timeout_, access_log_);
}

}  // namespace mdp::http
