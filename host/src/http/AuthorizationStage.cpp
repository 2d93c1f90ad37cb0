#include "AuthorizationStage.hpp"

#include <string>

#include "Problem.hpp"
#include "Request.hpp"
#include "Response.hpp"

namespace mdp::http {

namespace {

// Clients see one body per failure kind; nothing tells them which check failed.
constexpr std::string_view kMissingDetail =
    "this resource needs an access token: send 'Authorization: Bearer <token>' (tokens come from POST /v1/auth/token)";
constexpr std::string_view kInvalidTokenDetail =
    "the access token is not valid (malformed, wrongly signed, expired or revoked); request a new one";
constexpr std::string_view kInternalDetail = "internal error; quote the request id (instance) when reporting it";
// Keys beyond this many distinct clients recycle the least recently seen bucket.
constexpr std::size_t kMaxRateLimitedClients = 100'000;

bool is_b64token_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '+' || c == '/';
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool is_b64token(std::string_view token) noexcept {
  std::size_t i = 0;
  while (i < token.size() && is_b64token_char(token[i])) ++i;
  if (i == 0) return false;
  while (i < token.size() && token[i] == '=') ++i;
  return i == token.size();
}

// A scope value safe inside a quoted WWW-Authenticate parameter (RFC 6749 §3.3 scope-token
// minus '"' and '\\').
bool is_quotable_scope(std::string_view scope) noexcept {
  for (const char c : scope) {
    if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') return false;
  }
  return !scope.empty();
}

void answer_missing(Response& response) {
  response.set_problem(Problem(ProblemType::Unauthorized, std::string(kMissingDetail)).with_header("WWW-Authenticate", "Bearer"));
}

void answer_invalid_request(Response& response, std::string detail) {
  response.set_problem(Problem(ProblemType::BadRequest, std::move(detail))
                           .with_header("WWW-Authenticate", "Bearer error=\"invalid_request\""));
}

void answer_invalid_token(Response& response) {
  response.set_problem(Problem(ProblemType::Unauthorized, std::string(kInvalidTokenDetail))
                           .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\""));
}

std::string policy_field(const TokenBucketPolicy& policy) {
  return "\"per-client\";q=" + std::to_string(policy.per_minute) + ";w=60";
}

std::string limit_field(const BucketDecision& decision) {
  return "\"per-client\";r=" + std::to_string(decision.remaining) + ";t=" +
         std::to_string(decision.allowed ? decision.reset_s : decision.retry_after_s);
}

}  // namespace

AuthorizationStage::AuthorizationStage(std::shared_ptr<Authenticator> authenticator,
                                       std::optional<TokenBucketPolicy> rate_limit, Poco::Logger& error_log)
    : authenticator_(std::move(authenticator)), error_log_(error_log) {
  if (rate_limit) limiter_ = std::make_unique<KeyedTokenBucket>(*rate_limit, kMaxRateLimitedClients);
}

bool AuthorizationStage::admit(std::string_view required_scope, Request& request, Response& response) {
  if (required_scope.empty()) return true;
  if (!authenticator_ || !is_quotable_scope(required_scope)) {
    error_log_.error("request_id=" + request.request_id() + " route " + request.path() +
                     (authenticator_ ? " declares an unusable scope" : " needs a scope but the server has no authenticator"));
    response.set_problem(Problem(ProblemType::Internal, std::string(kInternalDetail)));
    return false;
  }

  const std::size_t headers = request.header_count("Authorization");
  if (headers == 0) {
    answer_missing(response);
    return false;
  }
  if (headers > 1) {
    answer_invalid_request(response, "send exactly one Authorization header");
    return false;
  }
  const std::string_view value = *request.header("Authorization");
  const std::size_t space = value.find(' ');
  const std::string_view scheme = value.substr(0, space);
  if (!equals_ignore_case(scheme, "Bearer")) {
    // Basic or anything else carries no bearer credentials: challenge without an error code.
    answer_missing(response);
    return false;
  }
  std::string_view token = space == std::string_view::npos ? std::string_view{} : value.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty()) {
    answer_invalid_request(response, "the Authorization header carries an empty bearer token");
    return false;
  }
  if (token.size() > kMaxBearerTokenBytes || !is_b64token(token)) {
    answer_invalid_token(response);
    return false;
  }

  AuthDecision decision = authenticator_->authenticate(token, required_scope);
  switch (decision.outcome) {
    case AuthDecision::Outcome::Authenticated:
      request.set_client_id(std::move(decision.client_id));
      return within_rate_limit(request, response);
    case AuthDecision::Outcome::InsufficientScope: {
      request.set_client_id(std::move(decision.client_id));
      const std::string scope(required_scope);
      response.set_problem(
          Problem(ProblemType::Forbidden, "the access token lacks the scope this resource needs: " + scope)
              .with_header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\""));
      return false;
    }
    case AuthDecision::Outcome::Unavailable:
      response.set_problem(
          Problem(ProblemType::Unavailable, "the access token cannot be checked right now; retry later").with_retry_after(5));
      return false;
    case AuthDecision::Outcome::InvalidToken:
      break;
  }
  answer_invalid_token(response);
  return false;
}

bool AuthorizationStage::within_rate_limit(Request& request, Response& response) {
  if (!limiter_) return true;
  const BucketDecision decision = limiter_->take(request.client_id(), KeyedTokenBucket::Clock::now());
  const std::string policy = policy_field(limiter_->policy());
  if (decision.allowed) {
    response.set_header("RateLimit-Policy", policy);
    response.set_header("RateLimit", limit_field(decision));
    return true;
  }
  response.set_problem(Problem(ProblemType::RateLimited, "rate limit of " + std::to_string(limiter_->policy().per_minute) +
                                                             " requests per minute reached; retry after " +
                                                             std::to_string(decision.retry_after_s) + " s")
                           .with_retry_after(static_cast<int>(decision.retry_after_s))
                           .with_header("RateLimit-Policy", policy)
                           .with_header("RateLimit", limit_field(decision)));
  return false;
}

}  // namespace mdp::http
