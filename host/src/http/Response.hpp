// What a route produces: status, content type, extra headers and the whole body in one
// buffer (its own, or a shared immutable one: share_body() / set_shared_body() let a
// response cache hand the same bytes to every request without copying them). Routes never
// touch the socket; the pipeline sends a Response in one place
// (ResponseWriter), with Content-Length, so the write path can be optimised there alone.
//
// Content-Length, Connection, Transfer-Encoding, Date and X-Request-Id belong to the writer
// and cannot be set here; header names must be tokens and values must not contain CR, LF
// or NUL (std::invalid_argument otherwise, which the pipeline answers with a 500).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "Problem.hpp"
#include "Request.hpp"

namespace mdp::http {

class Response {
 public:
  explicit Response(std::string request_id = {}) : request_id_(std::move(request_id)) {}

  int status() const noexcept { return status_; }
  void set_status(int status);
  const std::string& content_type() const noexcept { return content_type_; }
  void set_content_type(std::string content_type);
  // Replaces a header of the same name (case-insensitive) or adds it.
  void set_header(std::string_view name, std::string value);
  const HeaderList& headers() const noexcept { return headers_; }
  const std::string* header(std::string_view name) const noexcept;

  // The body to write into; a shared body set before is copied in first.
  std::string& body();
  // The body as it will be sent: the shared one when set, else the own buffer.
  const std::string& body() const noexcept { return shared_body_ ? *shared_body_ : body_; }
  // Moves the body into an immutable shared buffer (kept as this response's body) and
  // returns it, e.g. for a cache; no copy.
  std::shared_ptr<const std::string> share_body();
  // Sends `body` (not null) without copying it; replaces the body.
  void set_shared_body(std::shared_ptr<const std::string> body);

  // Status + "application/json", and the (cleared) body buffer to write into.
  std::string& start_json(int status = 200);
  // Renders the problem with this response's request id as `instance`.
  void set_problem(const Problem& problem);

  // Ask for "Connection: close" after this response.
  void close_connection() noexcept { close_connection_ = true; }
  bool closes_connection() const noexcept { return close_connection_; }

  const std::string& request_id() const noexcept { return request_id_; }

 private:
  std::string request_id_;
  int status_ = 200;
  std::string content_type_;
  HeaderList headers_;
  std::string body_;
  std::shared_ptr<const std::string> shared_body_;  // when set, the body (body_ is empty)
  bool close_connection_ = false;
};

inline constexpr std::string_view kJsonContentType = "application/json";
inline constexpr std::string_view kProblemContentType = "application/problem+json";

}  // namespace mdp::http
