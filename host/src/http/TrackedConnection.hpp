// Poco's HTTPServerConnection, registered in the ConnectionRegistry for as long as it runs
// and with a send timeout (Poco sets only the receive timeout, so a client that stops
// reading a large response would otherwise hold the thread forever).
//
// Poco answers only MessageException with its own bare 400. Anything else thrown while it
// reads a request head (SyntaxException for "Content-Length: abc", a receive timeout in
// the middle of a head) ends the connection with no answer at all; here it gets a problem
// response instead (400, or 408 for a timeout) and one access-log line. Our own pipeline
// never throws, so nothing has been sent on the connection when this happens.
#pragma once

#include <memory>

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Timespan.h>

#include "ConnectionRegistry.hpp"

namespace mdp::http {

class TrackedConnection : public Poco::Net::HTTPServerConnection {
 public:
  TrackedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr factory, std::shared_ptr<ConnectionRegistry> registry,
                    Poco::Timespan send_timeout, Poco::Logger& access_log);

  void run() override;

 private:
  void answer_unparsed_request(bool timed_out) noexcept;

  std::shared_ptr<ConnectionRegistry> registry_;
  Poco::Timespan send_timeout_;
  Poco::Logger& access_log_;
};

}  // namespace mdp::http
