#include "JwtVerifier.hpp"

#include <algorithm>
#include <stdexcept>

#include "Base64.hpp"
#include "ClaimsValidator.hpp"
#include "JsonObjectParser.hpp"

namespace mdp::auth {
namespace {

bool is_segment_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool equals_lower(std::string_view text, std::string_view lower) noexcept {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = (text[i] >= 'A' && text[i] <= 'Z') ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lower[i]) return false;
  }
  return true;
}

// The header as JSON: small; one level of nesting so unknown members (jwk, crit) are
// recognised and refused by name.
constexpr JsonParseLimits kHeaderLimits{512, 2, 8};
// The claims: room for arrays and small nested members (ignored), nothing deep.
constexpr JsonParseLimits kClaimsLimits{4096, 4, 64};

TokenRejection check_header(const JsonObject& header, std::string_view algorithm) {
  for (const auto& [name, value] : header.members()) {
    if (name != "alg" && name != "typ") return TokenRejection::UnacceptableHeader;
    static_cast<void>(value);
  }
  const JsonValue* alg = header.find("alg");
  if (alg == nullptr || alg->kind != JsonValue::Kind::String || alg->text != algorithm) {
    return TokenRejection::AlgorithmNotAllowed;
  }
  const JsonValue* typ = header.find("typ");
  if (typ == nullptr || typ->kind != JsonValue::Kind::String) return TokenRejection::WrongType;
  if (!equals_lower(typ->text, "at+jwt") && !equals_lower(typ->text, "application/at+jwt") &&
      !equals_lower(typ->text, "jwt")) {
    return TokenRejection::WrongType;
  }
  return TokenRejection::None;
}

VerificationResult refused(TokenRejection rejection) {
  VerificationResult result;
  result.rejection = rejection;
  return result;
}

}  // namespace

JwtVerifier::JwtVerifier(std::shared_ptr<const JwsKey> key, JwtRules rules) : key_(std::move(key)), rules_(std::move(rules)) {
  if (!key_) throw std::invalid_argument("JwtVerifier needs a key");
}

VerificationResult JwtVerifier::verify(std::string_view token, std::int64_t now_s) const noexcept {
  try {
    return verify_or_throw(token, now_s);
  } catch (...) {
    return refused(TokenRejection::Malformed);
  }
}

VerificationResult JwtVerifier::verify_or_throw(std::string_view token, std::int64_t now_s) const {
  if (token.size() > rules_.max_token_bytes) return refused(TokenRejection::TooLarge);
  if (!std::all_of(token.begin(), token.end(), [](char c) { return is_segment_char(c) || c == '.'; })) {
    return refused(TokenRejection::Malformed);
  }
  const std::size_t first = token.find('.');
  const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return refused(TokenRejection::Malformed);
  }
  const std::string_view header_text = token.substr(0, first);
  const std::string_view payload_text = token.substr(first + 1, second - first - 1);
  const std::string_view signature_text = token.substr(second + 1);
  if (header_text.empty() || payload_text.empty() || signature_text.empty()) return refused(TokenRejection::Malformed);

  const std::optional<std::string> header_json = base64url_decode(header_text);
  if (!header_json) return refused(TokenRejection::Malformed);
  const std::optional<JsonObject> header = JsonObjectParser::parse(*header_json, kHeaderLimits);
  if (!header) return refused(TokenRejection::Malformed);
  if (const TokenRejection problem = check_header(*header, key_->algorithm()); problem != TokenRejection::None) {
    return refused(problem);
  }

  const std::optional<std::string> signature = base64url_decode(signature_text);
  if (!signature) return refused(TokenRejection::Malformed);
  if (!key_->verify(token.substr(0, second), *signature)) return refused(TokenRejection::BadSignature);

  const std::optional<std::string> payload_json = base64url_decode(payload_text);
  if (!payload_json) return refused(TokenRejection::Malformed);
  const std::optional<JsonObject> claims = JsonObjectParser::parse(*payload_json, kClaimsLimits);
  if (!claims) return refused(TokenRejection::Malformed);

  Principal principal;
  const TokenRejection verdict = validate_claims(*claims, rules_, now_s, principal);
  if (verdict != TokenRejection::None) return refused(verdict);
  VerificationResult result;
  result.rejection = TokenRejection::None;
  result.principal = std::move(principal);
  return result;
}

}  // namespace mdp::auth
