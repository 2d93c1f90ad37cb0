#include "AuthorizedGet.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

namespace mdp::app::integration {
namespace {

// "type":"https://…/problems/db-unavailable" → "db-unavailable" (flat problem bodies only).
std::string problem_slug(const std::string& body) {
  const std::string key = "\"type\":\"";
  const std::size_t start = body.find(key);
  if (start == std::string::npos) return {};
  const std::size_t end = body.find('"', start + key.size());
  if (end == std::string::npos) return {};
  const std::string uri = body.substr(start + key.size(), end - start - key.size());
  return uri.substr(uri.rfind('/') + 1);
}

}  // namespace

Reply authorized_get(std::uint16_t port, const std::string& target, const std::string& bearer_token,
                     std::chrono::seconds timeout) {
  Reply reply;
  const auto start = std::chrono::steady_clock::now();
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(false);
    if (!bearer_token.empty()) request.set("Authorization", "Bearer " + bearer_token);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    Poco::StreamCopier::copyToString(body, reply.body);
    reply.status = static_cast<int>(response.getStatus());
    reply.content_type = response.getContentType();
    reply.retry_after = response.get("Retry-After", "");
    if (reply.content_type.rfind("application/problem+json", 0) == 0) reply.problem_type = problem_slug(reply.body);
  } catch (const Poco::Exception& e) {
    reply.error = e.displayText();
  } catch (const std::exception& e) {
    reply.error = e.what();
  }
  reply.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return reply;
}

}  // namespace mdp::app::integration
