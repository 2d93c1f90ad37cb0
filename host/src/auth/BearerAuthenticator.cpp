#include "BearerAuthenticator.hpp"

#include <stdexcept>

namespace mdp::auth {

BearerAuthenticator::BearerAuthenticator(std::shared_ptr<const JwtVerifier> verifier,
                                         std::shared_ptr<VerifiedTokenCache> cache,
                                         std::shared_ptr<ClientStatusCache> clients, AuthClock clock)
    : verifier_(std::move(verifier)),
      cache_(std::move(cache)),
      clients_(std::move(clients)),
      clock_(std::move(clock)),
      log_(Poco::Logger::get("auth")) {
  if (!verifier_ || !cache_ || !clients_ || !clock_) throw std::invalid_argument("BearerAuthenticator: missing dependency");
}

http::AuthDecision BearerAuthenticator::authenticate(std::string_view token, std::string_view required_scope) {
  http::AuthDecision decision;
  decision.outcome = http::AuthDecision::Outcome::InvalidToken;
  try {
    const std::int64_t now_ms = clock_();
    const std::int64_t now_s = now_ms / 1000;
    std::optional<Principal> principal = cache_->find(token, now_s);
    if (!principal) {
      VerificationResult result = verifier_->verify(token, now_s);
      if (!result.principal) {
        if (log_.debug()) log_.debug(std::string("bearer token refused: ") + to_string(result.rejection));
        return decision;
      }
      principal = std::move(result.principal);
      cache_->insert(token, *principal, now_s);
    }

    const std::optional<bool> active = clients_->is_active(principal->client_id, now_ms);
    if (!active) {
      decision.outcome = http::AuthDecision::Outcome::Unavailable;
      return decision;
    }
    if (!*active) {
      if (log_.debug()) log_.debug("bearer token refused: client " + principal->client_id + " is revoked or unknown");
      return decision;
    }
    decision.client_id = principal->client_id;
    decision.outcome = principal->has_scope(required_scope) ? http::AuthDecision::Outcome::Authenticated
                                                            : http::AuthDecision::Outcome::InsufficientScope;
    return decision;
  } catch (...) {
    // Out of memory or a crypto failure: refuse, never let it escape as a 500 with text.
    decision.outcome = http::AuthDecision::Outcome::InvalidToken;
    decision.client_id.clear();
    return decision;
  }
}

}  // namespace mdp::auth
