// One endpoint's logic. Called concurrently from the server's threads: implementations
// must be thread-safe (usually stateless, with thread-safe services injected).
//
// Answer by filling `response` (e.g. response.start_json()), or throw ProblemError for a
// client error. Any other exception becomes a 500 problem with a generic detail; its text
// is logged, never sent.
#pragma once

#include <string_view>

namespace mdp::http {

class Request;
class Response;

class Route {
 public:
  virtual ~Route() = default;
  virtual void handle(const Request& request, Response& response) = 0;
  // The OAuth scope a caller's token must carry ("market:read", "admin"); "" = no
  // authentication (health, readiness, the token endpoint, the OpenAPI document). The
  // pipeline's auth stage enforces it before handle() runs.
  virtual std::string_view required_scope() const { return {}; }
};

}  // namespace mdp::http
