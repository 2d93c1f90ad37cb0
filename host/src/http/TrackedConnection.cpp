#include "TrackedConnection.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>

#include "AccessLogLine.hpp"
#include "Problem.hpp"
#include "RawProblemResponse.hpp"
#include "RequestId.hpp"

namespace mdp::http {

TrackedConnection::TrackedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                                     Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                                     std::shared_ptr<ConnectionRegistry> registry, Poco::Timespan send_timeout,
                                     Poco::Logger& access_log)
    : Poco::Net::HTTPServerConnection(socket, params, factory),
      registry_(std::move(registry)),
      send_timeout_(send_timeout),
      access_log_(access_log) {}

void TrackedConnection::run() {
  try {
    socket().setSendTimeout(send_timeout_);
  } catch (...) {
    return;  // the peer is already gone
  }
  ConnectionRegistry::Scope scope(*registry_, socket());
  try {
    Poco::Net::HTTPServerConnection::run();
  } catch (const Poco::TimeoutException&) {
    answer_unparsed_request(true);
  } catch (const Poco::Net::NetException&) {
    // Reset or broken pipe: there is nobody left to answer.
  } catch (const Poco::Exception&) {
    answer_unparsed_request(false);
  } catch (...) {
  }
}

void TrackedConnection::answer_unparsed_request(bool timed_out) noexcept {
  try {
    // Poco's session has already closed its socket on the way out of run(); the registry
    // entry's duplicate descriptor still holds the connection open.
    ConnectionRegistry::Entry* entry = ConnectionRegistry::current();
    if (!entry || !registry_->claim_final_answer(*entry)) return;  // the reaper answered 408
    const std::string request_id = new_request_id();
    const Problem problem = timed_out ? Problem(ProblemType::RequestTimeout, "request head not received in time")
                                      : Problem(ProblemType::BadRequest, "malformed request head");
    const std::size_t bytes = send_raw_problem(entry->fd(), problem, request_id);
    registry_->linger_on_close(*entry);  // the rest of that request may still be arriving
    if (access_log_.information()) {
      const std::string remote = ConnectionRegistry::peer_host(entry->fd());
      access_log_.information(AccessLogLine{"-", "-", problem.status(), 0, request_id, {}, remote, bytes}.format());
    }
  } catch (...) {
  }
}

}  // namespace mdp::http
