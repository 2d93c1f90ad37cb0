// HTTP/1.1 response parsing for HttpTransport, over an abstract byte source so framing
// rules are unit-tested without sockets. We read responses ourselves (instead of Poco's
// response streams) because Poco 1.11 reports a chunked body cut short by a closed
// connection as a normal end of stream, applies only per-recv timeouts, and RFC 2047-decodes
// header values; here a truncated body is always an error, the cap is enforced at cap+1
// bytes and the source enforces one deadline for the whole response.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "UpstreamHttp.hpp"

namespace mdp::net {

// A failure with its UpstreamFailure kind and a short message that never quotes the body.
class TransportError : public std::runtime_error {
 public:
  TransportError(domain::UpstreamFailure failure, const std::string& message)
      : std::runtime_error(message), failure_(failure) {}
  domain::UpstreamFailure failure() const noexcept { return failure_; }

 private:
  domain::UpstreamFailure failure_;
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `length` bytes into `buffer`; 0 at end of stream. Throws TransportError.
  virtual std::size_t receive(char* buffer, std::size_t length) = 0;
};

struct ResponseLimits {
  std::size_t max_body_bytes = 16u * 1024u * 1024u;
  std::size_t max_header_bytes = 64u * 1024u;  // status line + all header lines
  std::size_t max_header_count = 200;
};

struct ParsedResponse {
  std::int32_t status = 0;
  int version_minor = 1;  // HTTP/1.x
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;
  bool reusable = false;  // fully read, framed by length or chunks, and keep-alive

  // First value of a header (name in lower case), or nullptr.
  const std::string* header(const std::string& lower_name) const;
};

class ResponseReader {
 public:
  ResponseReader(ByteSource& source, ResponseLimits limits);

  // Reads one response (skipping interim 1xx responses). Throws TransportError:
  // ReadFailed for malformed or truncated responses, TooLarge over the body cap, and
  // whatever the source throws (Timeout, Cancelled, ReadFailed).
  ParsedResponse read();

  // Bytes taken from the source so far (0 means the peer sent nothing at all).
  std::uint64_t bytes_received() const noexcept { return received_; }

 private:
  // Makes bytes available, asking the source for at most `max` when the buffer is empty;
  // false at end of stream.
  bool fill(std::size_t max = static_cast<std::size_t>(-1));
  int get();    // next byte or -1
  // A line without its CRLF (bare LF accepted); false at end of stream before any byte.
  bool read_line(std::string& line, std::size_t max_length, std::size_t& budget);
  void read_head(ParsedResponse& response);
  void read_fixed(ParsedResponse& response, std::uint64_t length);
  void read_chunked(ParsedResponse& response);
  void read_to_close(ParsedResponse& response);
  void append_body(ParsedResponse& response, const char* data, std::size_t length);

  ByteSource& source_;
  ResponseLimits limits_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t received_ = 0;
};

}  // namespace mdp::net
