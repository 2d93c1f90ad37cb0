// Checks a parsed request head against our limits and framing rules, before any body byte
// is read and before routing. Poco 1.11 is lenient where it must not be (RELIABILITY.md
// §3.1, §8 #10/#12): it serves CL+TE, duplicate and negative Content-Length and HTTP/9.9,
// and has no URI/total-header/body caps of its own that answer with a problem.
//
// Rules, in the order they are checked (the first failure wins):
//   version not HTTP/1.0 or HTTP/1.1 -> 505 (or 400 if it is not "HTTP/d.d")
//   target not in origin-form ("/…")  -> 400  (absolute-form and "*" are not served)
//   target longer than max_uri_bytes  -> 414
//   header bytes above max_header_bytes (sum of name + value + 4 per field) -> 431
//   Content-Length with Transfer-Encoding, Content-Length twice or not 1..18 digits,
//   Transfer-Encoding twice, not exactly "chunked", or on HTTP/1.0 -> 400
//   GET or HEAD with a body (Content-Length > 0 or chunked) -> 400
//   Content-Length above max_body_bytes -> 413 (nothing read)
// When a problem comes back and the request declared a body (or its framing is broken),
// the connection must be closed: we cannot know where the next request would start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "HttpMethod.hpp"
#include "Problem.hpp"
#include "Request.hpp"

namespace mdp::http {

struct RequestHeadLimits {
  std::size_t max_uri_bytes = 2048;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 8 * 1024;
};

struct BodyFraming {
  enum class Kind { None, Length, Chunked };
  Kind kind = Kind::None;
  std::uint64_t length = 0;  // for Length
};

struct RequestHeadVerdict {
  std::optional<Problem> problem;
  bool close_connection = false;
  BodyFraming body;
};

class RequestHeadValidator {
 public:
  explicit RequestHeadValidator(RequestHeadLimits limits) : limits_(limits) {}

  RequestHeadVerdict check(HttpMethod method, std::string_view version, std::string_view target,
                           const HeaderList& headers) const;

  const RequestHeadLimits& limits() const noexcept { return limits_; }

 private:
  RequestHeadLimits limits_;
};

}  // namespace mdp::http
