// A deliberately dumb HTTP/1.1 client over a raw socket, for requests no well-behaved
// client library would send (CL+TE, HTTP/9.9, trickled headers) and for checking
// exactly what comes back, including whether the server closed the connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

namespace mdp::http::test {

struct RawResponse {
  std::string status_line;
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; last one wins
  std::string body;

  const std::string* header(const std::string& lower_name) const {
    const auto found = headers.find(lower_name);
    return found == headers.end() ? nullptr : &found->second;
  }
};

class RawHttpClient {
 public:
  explicit RawHttpClient(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));

  void send(const std::string& bytes);
  // Reads one response. With `head_only`, no body is read whatever Content-Length says.
  // nullopt when the connection closed before a complete head arrived.
  std::optional<RawResponse> read_response(bool head_only = false);
  std::optional<RawResponse> request(const std::string& bytes, bool head_only = false) {
    send(bytes);
    return read_response(head_only);
  }
  // True when the server closes the connection (EOF or reset) within `within`.
  bool closed_by_server(std::chrono::milliseconds within);

  Poco::Net::StreamSocket& socket() { return socket_; }

 private:
  bool fill();  // one recv into buffer_; false on EOF/reset/timeout

  Poco::Net::StreamSocket socket_;
  std::string buffer_;
};

// "GET <target> HTTP/1.1" with Host and any extra header lines (each ending in \r\n).
std::string simple_request(const std::string& method, const std::string& target, const std::string& extra = {});

}  // namespace mdp::http::test
