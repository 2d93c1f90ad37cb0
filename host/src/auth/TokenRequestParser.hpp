// Reads an OAuth 2.0 client-credentials token request (RFC 6749 §4.4.2) from an HTTP
// request, strictly:
//   - client authentication: HTTP Basic (RFC 6749 §2.3.1, preferred; id and secret are
//     form-urlencoded before base64) or client_id/client_secret in the body, never both;
//   - body: application/x-www-form-urlencoded or application/json (an object of strings);
//     a parameter given twice is refused (§3.2), unknown parameters are ignored (§3.2);
//   - grant_type must be "client_credentials"; scope, when given, RFC 6749 §3.3 syntax of
//     known scopes.
// Errors carry the §5.2 code to answer with; nothing here touches secrets beyond copying.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mdp::http {
class Request;
}

namespace mdp::auth {

struct TokenRequest {
  std::string client_id;
  std::string client_secret;
  // Requested scopes; empty = everything the client is granted.
  std::vector<std::string> scopes;
};

struct OAuthError {
  std::string code;         // invalid_request, invalid_client, unsupported_grant_type, invalid_scope
  std::string description;  // client-facing, never secret material
};

struct TokenRequestParse {
  std::optional<TokenRequest> request;  // set when error is empty
  std::optional<OAuthError> error;
  // The client sent an Authorization header, or no credentials at all: an invalid_client
  // answer is then 401 with "WWW-Authenticate: Basic" (RFC 6749 §5.2).
  bool challenge_basic = false;
};

TokenRequestParse parse_token_request(const http::Request& request);

// application/x-www-form-urlencoded value decoding: %XX and '+'. nullopt for a bad escape.
std::optional<std::string> form_decode(std::string_view text);

}  // namespace mdp::auth
