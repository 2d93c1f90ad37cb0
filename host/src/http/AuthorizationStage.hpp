// The pipeline's access stage, run after routing and query parsing, before the route:
//   1. a route with an empty required_scope() is public: nothing happens;
//   2. the Authorization header, per RFC 6750 §2.1/§3.1 (no header, or another scheme such
//      as Basic: 401 "WWW-Authenticate: Bearer" without an error code; two headers or an
//      empty token: 400 error="invalid_request"; a token in the query string is ignored);
//   3. the Authenticator judges the token (401 error="invalid_token" with one fixed body
//      whatever check failed; 403 error="insufficient_scope"; 503 when it cannot decide);
//   4. the per-client rate limit, keyed by the token's client_id (429 with Retry-After,
//      RateLimit-Policy and RateLimit; draft-ietf-httpapi-ratelimit-headers). Admitted
//      responses carry RateLimit-Policy and RateLimit too.
// A protected route on a server without an Authenticator is refused with a 500 (fail
// closed) and logged: that is a wiring mistake, not a client's.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include <Poco/Logger.h>

#include "Authenticator.hpp"
#include "KeyedTokenBucket.hpp"

namespace mdp::http {

class Request;
class Response;

class AuthorizationStage {
 public:
  // No rate limit when `rate_limit` is empty.
  AuthorizationStage(std::shared_ptr<Authenticator> authenticator, std::optional<TokenBucketPolicy> rate_limit,
                     Poco::Logger& error_log);

  // True when the route may run (request.client_id() is then set for a protected route);
  // otherwise `response` holds the answer.
  bool admit(std::string_view required_scope, Request& request, Response& response);

 private:
  bool within_rate_limit(Request& request, Response& response);

  std::shared_ptr<Authenticator> authenticator_;
  std::unique_ptr<KeyedTokenBucket> limiter_;
  Poco::Logger& error_log_;
};

}  // namespace mdp::http
