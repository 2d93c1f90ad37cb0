// The one place a Response goes onto the wire, always with Content-Length.
// - Small bodies (<= kSingleBufferLimit): Poco's sendBuffer(), so head and body leave in
//   one buffered write.
// - Larger bodies: the head through Poco, flushed, then the body in one
//   StreamSocket::sendBytes loop on the request's socket. Poco 1.11 would push it through
//   a 4 KiB stream buffer, 8x slower for a 192 KB body (PERFORMANCE.md §3).
// - HEAD: the GET response's head, Content-Length of the GET body, no body.
// - A request with an HTTP version other than 1.0/1.1 is answered as HTTP/1.1 (Poco would
//   echo "HTTP/9.9").
// Throws whatever the socket throws (peer gone, send timeout); the caller closes.
#pragma once

#include <cstddef>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "Response.hpp"

namespace mdp::http {

class ResponseWriter {
 public:
  static constexpr std::size_t kSingleBufferLimit = 4096;

  // Returns the number of body bytes sent.
  static std::size_t write(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& out,
                           const Response& response, bool head_only, bool close_connection);
};

}  // namespace mdp::http
