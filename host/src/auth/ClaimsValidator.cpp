#include "ClaimsValidator.hpp"

#include <algorithm>

namespace mdp::auth {
namespace {

bool numeric_date(const JsonValue* value, std::int64_t& out) {
  if (value == nullptr || value->kind != JsonValue::Kind::Integer) return false;
  if (value->integer < 0 || value->integer > kMaxNumericDate) return false;
  out = value->integer;
  return true;
}

const std::string* string_claim(const JsonObject& claims, std::string_view name) {
  const JsonValue* value = claims.find(name);
  if (value == nullptr || value->kind != JsonValue::Kind::String) return nullptr;
  return &value->text;
}

bool is_scope_char(char c) noexcept { return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E); }

}  // namespace

bool is_valid_client_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

bool parse_scope_list(std::string_view text, std::vector<std::string>& scopes) {
  std::vector<std::string> parsed;
  std::size_t start = 0;
  while (true) {
    const std::size_t space = text.find(' ', start);
    const std::string_view token = text.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start);
    if (token.empty() || !std::all_of(token.begin(), token.end(), is_scope_char)) return false;
    if (std::find(parsed.begin(), parsed.end(), token) == parsed.end()) parsed.emplace_back(token);
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  scopes = std::move(parsed);
  return true;
}

TokenRejection validate_claims(const JsonObject& claims, const JwtRules& rules, std::int64_t now_s,
                               Principal& principal) {
  std::int64_t exp = 0;
  std::int64_t iat = 0;
  if (!numeric_date(claims.find("exp"), exp) || !numeric_date(claims.find("iat"), iat)) {
    return TokenRejection::InvalidClaims;
  }
  std::int64_t nbf = 0;
  const JsonValue* nbf_value = claims.find("nbf");
  if (nbf_value != nullptr && !numeric_date(nbf_value, nbf)) return TokenRejection::InvalidClaims;

  const std::string* iss = string_claim(claims, "iss");
  const std::string* sub = string_claim(claims, "sub");
  const std::string* client_id = string_claim(claims, "client_id");
  const std::string* jti = string_claim(claims, "jti");
  const JsonValue* aud = claims.find("aud");
  if (iss == nullptr || sub == nullptr || client_id == nullptr || jti == nullptr || jti->empty() || aud == nullptr) {
    return TokenRejection::InvalidClaims;
  }
  if (*sub != *client_id || !is_valid_client_id(*client_id)) return TokenRejection::InvalidClaims;
  std::vector<std::string> scopes;
  if (const JsonValue* scope = claims.find("scope")) {
    if (scope->kind != JsonValue::Kind::String || !parse_scope_list(scope->text, scopes)) {
      return TokenRejection::InvalidClaims;
    }
  }
  bool audience_ok = false;
  if (aud->kind == JsonValue::Kind::String) {
    audience_ok = aud->text == rules.audience;
  } else if (aud->kind == JsonValue::Kind::Array && aud->array_of_strings) {
    audience_ok = std::find(aud->strings.begin(), aud->strings.end(), rules.audience) != aud->strings.end();
  } else {
    return TokenRejection::InvalidClaims;
  }

  // Times first: they are what a legitimate client most often gets wrong.
  if (now_s >= exp + rules.leeway_s) return TokenRejection::Expired;
  if (nbf_value != nullptr && now_s + rules.leeway_s < nbf) return TokenRejection::NotYetValid;
  if (now_s + rules.leeway_s < iat) return TokenRejection::IssuedInFuture;
  if (exp <= iat) return TokenRejection::InvalidClaims;
  if (exp - iat > rules.max_lifetime_s) return TokenRejection::LifetimeTooLong;
  if (*iss != rules.issuer) return TokenRejection::WrongIssuer;
  if (!audience_ok) return TokenRejection::WrongAudience;

  principal.client_id = *client_id;
  principal.scopes = std::move(scopes);
  principal.expires_at = exp;
  return TokenRejection::None;
}

}  // namespace mdp::auth
