#include "ResponseWriter.hpp"

#include <climits>
#include <ostream>
#include <sys/socket.h>

#include <Poco/Net/HTTPMessage.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

namespace mdp::http {

namespace {

void send_all(Poco::Net::StreamSocket& socket, const char* data, std::size_t size) {
  while (size > 0) {
    const int chunk = static_cast<int>(size > static_cast<std::size_t>(INT_MAX) ? INT_MAX : size);
    const int sent = socket.sendBytes(data, chunk, MSG_NOSIGNAL);
    if (sent <= 0) throw Poco::Net::NetException("connection closed while sending the response body");
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
}

}  // namespace

std::size_t ResponseWriter::write(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& out,
                                  const Response& response, bool head_only, bool close_connection) {
  const std::string& version = request.getVersion();
  if (version != Poco::Net::HTTPMessage::HTTP_1_0 && version != Poco::Net::HTTPMessage::HTTP_1_1) {
    out.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  }
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status()));
  if (!response.content_type().empty()) out.setContentType(response.content_type());
  for (const auto& [name, value] : response.headers()) out.set(name, value);
  if (!response.request_id().empty()) out.set("X-Request-Id", response.request_id());
  if (close_connection) out.setKeepAlive(false);
  out.setChunkedTransferEncoding(false);

  const std::string& body = response.body();
  if (head_only || body.size() <= kSingleBufferLimit) {
    // sendBuffer sets Content-Length and skips the body itself for HEAD.
    out.sendBuffer(body.data(), body.size());
    return head_only ? 0 : body.size();
  }

  out.setContentLength64(static_cast<Poco::Int64>(body.size()));
  std::ostream& head = out.send();
  head.flush();
  if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) {
    send_all(impl->socket(), body.data(), body.size());
  } else {
    head.write(body.data(), static_cast<std::streamsize>(body.size()));
    head.flush();
  }
  return body.size();
}

}  // namespace mdp::http
