// Arbitrary bytes through the bearer-token path, three ways:
//   1. as the whole token text (size cap, segment grammar, base64url, header JSON, signature);
//   2. as the header JSON of a token whose payload is valid and whose signature is right,
//      so the header checks run on every input, not only on what survives base64;
//   3. as the payload JSON of a correctly signed token, so the JSON object parser and the
//      claims validator (types, ranges, exp/nbf/iat, iss, aud, scope) see every input.
// Invariants: verify() never throws (noexcept: an escape would terminate), a principal is
// returned exactly when nothing was rejected, and the authenticator agrees with the verifier.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "Base64.hpp"
#include "BearerAuthenticator.hpp"
#include "ClientStatusCache.hpp"
#include "FuzzCheck.hpp"
#include "JwsKey.hpp"
#include "JwtVerifier.hpp"
#include "VerifiedTokenCache.hpp"

namespace {

namespace auth = mdp::auth;

constexpr std::int64_t kNowS = 1'704'067'200;  // 2024-01-01T00:00:00Z; the seeds' iat
constexpr const char* kHeader = R"({"alg":"HS256","typ":"at+jwt"})";
constexpr const char* kPayload =
    R"({"iss":"mdp","aud":"mdp-api","sub":"fuzz-client","client_id":"fuzz-client","scope":"read",)"
    R"("jti":"j1","iat":1704067200,"nbf":1704067200,"exp":1704070800})";

struct Fixture {
  std::shared_ptr<const auth::JwsKey> key = auth::make_hs256_key("fuzz-secret-fuzz-secret-fuzz-secret!");
  std::shared_ptr<const auth::JwtVerifier> verifier = std::make_shared<auth::JwtVerifier>(key, auth::JwtRules{});
  // The cache and the client lookup are what production wires in; the lookup answers
  // "active" for every client so a verified token reaches the scope check.
  auth::BearerAuthenticator authenticator{verifier, std::make_shared<auth::VerifiedTokenCache>(64),
                                          std::make_shared<auth::ClientStatusCache>(
                                              [](const std::string&) { return true; }, 60'000),
                                          [] { return kNowS * 1000; }};
};

std::string signed_token(const auth::JwsKey& key, std::string_view header, std::string_view payload) {
  std::string token = auth::base64url_encode(header);
  token.push_back('.');
  token.append(auth::base64url_encode(payload));
  const std::string signature = key.sign(token);
  token.push_back('.');
  token.append(auth::base64url_encode(signature));
  return token;
}

void verify_both_ways(Fixture& f, std::string_view token) {
  const auth::VerificationResult result = f.verifier->verify(token, kNowS);
  mdp::fuzz::check(result.principal.has_value() == (result.rejection == auth::TokenRejection::None),
                   "a principal exactly when nothing was rejected");
  const mdp::http::AuthDecision decision = f.authenticator.authenticate(token, "read");
  const bool authenticated_or_scoped = decision.outcome == mdp::http::AuthDecision::Outcome::Authenticated ||
                                       decision.outcome == mdp::http::AuthDecision::Outcome::InsufficientScope;
  mdp::fuzz::check(authenticated_or_scoped == result.principal.has_value(),
                   "the authenticator accepts exactly the tokens the verifier accepts");
  if (result.principal) {
    mdp::fuzz::check(decision.client_id == result.principal->client_id, "the authenticator names the verified client");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  const std::string_view input = mdp::fuzz::as_text(data, size);
  verify_both_ways(fixture, input);
  if (size <= 2048) {  // larger ones only hit the size cap once encoded
    verify_both_ways(fixture, signed_token(*fixture.key, input, kPayload));
    verify_both_ways(fixture, signed_token(*fixture.key, kHeader, input));
  }
  return 0;
}
