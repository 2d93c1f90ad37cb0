#include "AccessToken.hpp"

namespace mdp::auth {

const char* to_string(TokenRejection rejection) noexcept {
  switch (rejection) {
    case TokenRejection::None: return "none";
    case TokenRejection::TooLarge: return "too_large";
    case TokenRejection::Malformed: return "malformed";
    case TokenRejection::UnacceptableHeader: return "unacceptable_header";
    case TokenRejection::AlgorithmNotAllowed: return "algorithm_not_allowed";
    case TokenRejection::WrongType: return "wrong_type";
    case TokenRejection::BadSignature: return "bad_signature";
    case TokenRejection::InvalidClaims: return "invalid_claims";
    case TokenRejection::Expired: return "expired";
    case TokenRejection::NotYetValid: return "not_yet_valid";
    case TokenRejection::IssuedInFuture: return "issued_in_future";
    case TokenRejection::LifetimeTooLong: return "lifetime_too_long";
    case TokenRejection::WrongIssuer: return "wrong_issuer";
    case TokenRejection::WrongAudience: return "wrong_audience";
  }
  return "unknown";
}

}  // namespace mdp::auth
