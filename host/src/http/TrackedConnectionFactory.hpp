// Makes a TrackedConnection for each accepted socket (in place of Poco's
// HTTPServerConnectionFactory), which is how the registry learns about connections.
#pragma once

#include <memory>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Timespan.h>

#include "ConnectionRegistry.hpp"

namespace mdp::http {

class TrackedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  TrackedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                           std::shared_ptr<ConnectionRegistry> registry, Poco::Timespan send_timeout,
                           Poco::Logger& access_log);

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
  std::shared_ptr<ConnectionRegistry> registry_;
  Poco::Timespan send_timeout_;
  Poco::Logger& access_log_;
};

}  // namespace mdp::http
