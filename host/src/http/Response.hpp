// What a route produces: status, content type, extra headers and the whole body in one
// buffer. Routes never touch the socket; the pipeline sends a Response in one place
// (ResponseWriter), with Content-Length, so the write path can be optimised there alone.
//
// Content-Length, Connection, Transfer-Encoding, Date and X-Request-Id belong to the writer
// and cannot be set here; header names must be tokens and values must not contain CR, LF
// or NUL (std::invalid_argument otherwise, which the pipeline answers with a 500).
#pragma once

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

  std::string& body() noexcept { return body_; }
  const std::string& body() const noexcept { return body_; }

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
  bool close_connection_ = false;
};

inline constexpr std::string_view kJsonContentType = "application/json";
inline constexpr std::string_view kProblemContentType = "application/problem+json";

}  // namespace mdp::http
