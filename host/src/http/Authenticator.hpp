// The seam between the request pipeline and whatever checks access tokens (mdp_auth's
// BearerAuthenticator in the host). The http layer owns the HTTP side of RFC 6750 (which
// header, which scheme, which status and WWW-Authenticate value); an Authenticator only
// judges a bearer token against the scope a route requires, so http never depends on how
// tokens are built.
//
// The pipeline calls it for every route whose required_scope() is not empty, after
// routing and query parsing, before the route runs (AuthorizationStage).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mdp::http {

struct AuthDecision {
  enum class Outcome {
    Authenticated,      // the token is valid and carries the scope
    InvalidToken,       // 401 error="invalid_token"; never says which check failed
    InsufficientScope,  // 403 error="insufficient_scope"
    Unavailable,        // the client's status cannot be checked right now: 503
  };

  Outcome outcome = Outcome::InvalidToken;
  // The token's client_id, set for Authenticated and InsufficientScope (the access log
  // shows it); never the token.
  std::string client_id;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // `token` is the b64token of "Authorization: Bearer <token>", at most
  // kMaxBearerTokenBytes long; `required_scope` is never empty. Called concurrently from
  // every server thread: implementations must be thread-safe and should not throw (a throw
  // becomes a 500).
  virtual AuthDecision authenticate(std::string_view token, std::string_view required_scope) = 0;
};

// Longer Authorization values are refused before any decoding (RELIABILITY.md J5).
inline constexpr std::size_t kMaxBearerTokenBytes = 4096;

}  // namespace mdp::http
