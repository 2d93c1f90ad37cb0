// JwtVerifier against RELIABILITY.md J1–J9: every refusal names the check that fired, so a
// test cannot pass because an earlier, unrelated check refused the token.
#include <gtest/gtest.h>

#include <string>

#include "Base64.hpp"
#include "JwtSigner.hpp"
#include "JwtTestSupport.hpp"
#include "JwtVerifier.hpp"

namespace mdp::auth {
namespace {

using test::Claims;
using test::kHeader;
using test::json_string;
using test::sign_hs256;

constexpr std::int64_t kNow = 1'750'000'000;

JwtRules rules() {
  JwtRules r;
  r.issuer = std::string(test::kIssuer);
  r.audience = std::string(test::kAudience);
  r.leeway_s = 60;
  r.max_lifetime_s = 3600;
  return r;
}

class JwtVerifierTest : public ::testing::Test {
 protected:
  JwtVerifier verifier{make_hs256_key(test::kSecret), rules()};

  TokenRejection check(const std::string& token, std::int64_t now = kNow) const {
    const VerificationResult result = verifier.verify(token, now);
    // Nothing about the token is handed out unless it passed (J3).
    EXPECT_EQ(result.principal.has_value(), result.rejection == TokenRejection::None) << token;
    return result.rejection;
  }
  static std::string valid() { return sign_hs256(kHeader, Claims(kNow).json()); }
};

TEST_F(JwtVerifierTest, AcceptsAValidTokenAndReportsItsClaims) {
  const VerificationResult result = verifier.verify(valid(), kNow);
  ASSERT_EQ(result.rejection, TokenRejection::None);
  ASSERT_TRUE(result.principal);
  EXPECT_EQ(result.principal->client_id, test::kClientId);
  EXPECT_EQ(result.principal->scopes, std::vector<std::string>{"market:read"});
  EXPECT_EQ(result.principal->expires_at, kNow + 600);
}

TEST_F(JwtVerifierTest, SignerOutputVerifies) {
  JwtSigner signer(make_hs256_key(test::kSecret));
  AccessTokenClaims claims;
  claims.issuer = std::string(test::kIssuer);
  claims.audience = std::string(test::kAudience);
  claims.client_id = "mdp_abc";
  claims.scope = "market:read admin";
  claims.jwt_id = "j1";
  claims.issued_at = kNow;
  claims.expires_at = kNow + 900;
  const std::string token = signer.sign(claims);
  const VerificationResult result = verifier.verify(token, kNow + 10);
  ASSERT_EQ(result.rejection, TokenRejection::None) << to_string(result.rejection);
  EXPECT_TRUE(result.principal->has_scope("admin"));
  EXPECT_TRUE(result.principal->has_scope("market:read"));
  // The header is exactly what RFC 9068 asks for.
  EXPECT_EQ(*base64url_decode(token.substr(0, token.find('.'))), R"({"alg":"HS256","typ":"at+jwt"})");
}

// J1: alg none in every spelling, with an empty, missing or copied signature.
TEST_F(JwtVerifierTest, RefusesAlgNoneInEverySpelling) {
  const std::string payload = test::b64url(Claims(kNow).json());
  const std::string copied_signature = valid().substr(valid().rfind('.') + 1);
  for (const std::string alg : {"none", "None", "NONE", "nOnE", "none ", ""}) {
    const std::string header = test::b64url(R"({"alg":")" + alg + R"(","typ":"at+jwt"})");
    for (const std::string& token : {header + "." + payload + ".", header + "." + payload,
                                     header + "." + payload + "." + copied_signature}) {
      const TokenRejection rejection = check(token);
      EXPECT_NE(rejection, TokenRejection::None) << alg;
    }
    EXPECT_EQ(check(header + "." + payload + "." + copied_signature), TokenRejection::AlgorithmNotAllowed) << alg;
  }
}

// J2: algorithms other than the configured one, including RS256/ES256 and HS512 keyed
// with our own secret (the classic key-confusion attack), and a missing alg.
TEST_F(JwtVerifierTest, RefusesEveryAlgorithmButTheConfiguredOne) {
  const std::string claims = Claims(kNow).json();
  for (const std::string alg : {"HS384", "HS512", "RS256", "ES256", "PS256", "hs256", "HS256 "}) {
    const std::string header = R"({"alg":")" + alg + R"(","typ":"at+jwt"})";
    const std::string input = test::b64url(header) + "." + test::b64url(claims);
    // Signed with our secret under the named algorithm where that is possible.
    const std::string signature = alg == "HS512" ? test::hmac_sha512_raw(test::kSecret, input)
                                                 : test::hmac_sha256_raw(test::kSecret, input);
    EXPECT_EQ(check(input + "." + test::b64url(signature)), TokenRejection::AlgorithmNotAllowed) << alg;
  }
  EXPECT_EQ(check(sign_hs256(R"({"typ":"at+jwt"})", claims)), TokenRejection::AlgorithmNotAllowed);
  EXPECT_EQ(check(sign_hs256(R"({"alg":["HS256"],"typ":"at+jwt"})", claims)), TokenRejection::AlgorithmNotAllowed);
  EXPECT_EQ(check(sign_hs256(R"({"alg":null,"typ":"at+jwt"})", claims)), TokenRejection::AlgorithmNotAllowed);
}

// J3: tampered payload, stripped or flipped signature, wrong key.
TEST_F(JwtVerifierTest, RefusesTamperedOrUnsignedTokens) {
  const std::string token = valid();
  const std::size_t last_dot = token.rfind('.');
  const std::string signature = token.substr(last_dot + 1);
  const std::string tampered_payload = test::b64url(Claims(kNow).set("scope", json_string("market:read admin")).json());
  EXPECT_EQ(check(test::b64url(std::string(kHeader)) + "." + tampered_payload + "." + signature),
            TokenRejection::BadSignature);
  EXPECT_EQ(check(token.substr(0, last_dot + 1)), TokenRejection::Malformed);  // "h.p."
  EXPECT_EQ(check(token.substr(0, last_dot)), TokenRejection::Malformed);      // "h.p"

  std::string raw = *base64url_decode(signature);
  for (std::size_t bit = 0; bit < raw.size() * 8; bit += 37) {
    std::string flipped = raw;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_EQ(check(token.substr(0, last_dot + 1) + test::b64url(flipped)), TokenRejection::BadSignature) << bit;
  }
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).json(), "another-secret-of-sufficient-length-000")),
            TokenRejection::BadSignature);
  // A truncated or lengthened (but canonical) signature.
  EXPECT_EQ(check(token.substr(0, last_dot + 1) + test::b64url(raw.substr(0, 31))), TokenRejection::BadSignature);
  EXPECT_EQ(check(token.substr(0, last_dot + 1) + test::b64url(raw + "A")), TokenRejection::BadSignature);
}

// J4: only the canonical compact form.
TEST_F(JwtVerifierTest, RefusesNonCanonicalForms) {
  const std::string token = valid();
  const std::size_t last_dot = token.rfind('.');
  const std::string signature = token.substr(last_dot + 1);
  ASSERT_EQ(signature.size(), 43U);  // 32 bytes: the last symbol carries 2 unused bits

  EXPECT_EQ(check(token + ".x"), TokenRejection::Malformed);        // 4 segments
  EXPECT_EQ(check(token + ".x.y"), TokenRejection::Malformed);      // 5 segments
  EXPECT_EQ(check(token + "="), TokenRejection::Malformed);         // padding
  EXPECT_EQ(check(token + "A"), TokenRejection::BadSignature);      // canonical, but 33 bytes
  EXPECT_EQ(check(token + "*x"), TokenRejection::Malformed);
  EXPECT_EQ(check(" " + token), TokenRejection::Malformed);
  EXPECT_EQ(check(token + "\n"), TokenRejection::Malformed);
  EXPECT_EQ(check("." + token), TokenRejection::Malformed);
  EXPECT_EQ(check(token.substr(0, 5) + "+" + token.substr(6)), TokenRejection::Malformed);
  EXPECT_EQ(check(token.substr(0, 5) + "/" + token.substr(6)), TokenRejection::Malformed);

  // The same signature bytes with a non-zero unused trailing bit: decodes the same in a
  // lenient decoder, refused here.
  std::string changed = signature;
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::size_t value = alphabet.find(changed.back());
  changed.back() = alphabet[value ^ 1];
  EXPECT_EQ(check(token.substr(0, last_dot + 1) + changed), TokenRejection::Malformed);

  // Padded header/payload segments.
  const std::string padded_header = base64_encode_padded(R"({"alg":"HS256","typ":"at+jwt" })");
  ASSERT_NE(padded_header.find('='), std::string::npos);
  EXPECT_EQ(check(padded_header + token.substr(token.find('.'))), TokenRejection::Malformed);
  // Malformed base64 or JSON in each part.
  const std::string payload_b64 = test::b64url(Claims(kNow).json());
  EXPECT_EQ(check("e30$." + payload_b64 + "." + signature), TokenRejection::Malformed);
  EXPECT_EQ(check(test::b64url("{\"alg\":\"HS256\",") + "." + payload_b64 + "." + signature), TokenRejection::Malformed);
  EXPECT_EQ(check(test::b64url("[1]") + "." + payload_b64 + "." + signature), TokenRejection::Malformed);
  EXPECT_EQ(check(sign_hs256(kHeader, "{\"exp\":1,")), TokenRejection::Malformed);
  EXPECT_EQ(check(sign_hs256(kHeader, "not json")), TokenRejection::Malformed);
  EXPECT_EQ(check(sign_hs256(kHeader, "")), TokenRejection::Malformed);
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).json() + "x")), TokenRejection::Malformed);
  EXPECT_EQ(check(sign_hs256(kHeader, "\xEF\xBB\xBF" + Claims(kNow).json())), TokenRejection::Malformed);  // BOM
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).set("jti", "\"\xC0\xAF\"").json())), TokenRejection::Malformed);
  EXPECT_EQ(check(""), TokenRejection::Malformed);
  EXPECT_EQ(check(".."), TokenRejection::Malformed);
}

// J5: size cap before any decoding; deep nesting refused without trouble.
TEST_F(JwtVerifierTest, RefusesOversizedAndDeeplyNestedTokens) {
  const std::string big = sign_hs256(kHeader, Claims(kNow).set("pad", json_string(std::string(5000, 'a'))).json());
  EXPECT_EQ(check(big), TokenRejection::TooLarge);
  EXPECT_EQ(check(std::string(9000, 'A')), TokenRejection::TooLarge);
  std::string deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).set("deep", deep).json())), TokenRejection::Malformed);
  EXPECT_EQ(check(sign_hs256(R"({"alg":"HS256","typ":"at+jwt","x":[[[[[]]]]]})", Claims(kNow).json())),
            TokenRejection::Malformed);
}

// J6: exp/nbf/iat must be integers in [0, 2^53).
TEST_F(JwtVerifierTest, RefusesTimesOfTheWrongTypeOrRange) {
  for (const std::string name : {"exp", "iat", "nbf"}) {
    for (const std::string value : {"\"1750000600\"", "true", "[1750000600]", "1750000600.5", "1.7500006e9", "-1",
                                    "9007199254740992", "1e300", "null", "{}"}) {
      EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).set(name, value).json())), TokenRejection::InvalidClaims)
          << name << "=" << value;
    }
  }
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).remove("exp").json())), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).remove("iat").json())), TokenRejection::InvalidClaims);
  // The largest accepted NumericDate: 2^53 - 1 (refused for lifetime, not for its type).
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).set("exp", "9007199254740991").json())),
            TokenRejection::LifetimeTooLong);
}

// J7: 60 s leeway on exp, nbf and iat; lifetime cap.
TEST_F(JwtVerifierTest, AppliesTheLeewayAndTheLifetimeCap) {
  const auto with = [](std::int64_t iat, std::int64_t exp) {
    return sign_hs256(kHeader, Claims(kNow).set("iat", std::to_string(iat)).set("exp", std::to_string(exp)).json());
  };
  EXPECT_EQ(check(with(kNow - 600, kNow - 30)), TokenRejection::None);
  EXPECT_EQ(check(with(kNow - 600, kNow - 59)), TokenRejection::None);
  EXPECT_EQ(check(with(kNow - 600, kNow - 60)), TokenRejection::Expired);
  EXPECT_EQ(check(with(kNow - 600, kNow - 61)), TokenRejection::Expired);
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).set("nbf", std::to_string(kNow + 30)).json())), TokenRejection::None);
  EXPECT_EQ(check(sign_hs256(kHeader, Claims(kNow).set("nbf", std::to_string(kNow + 120)).json())),
            TokenRejection::NotYetValid);
  EXPECT_EQ(check(with(kNow + 30, kNow + 600)), TokenRejection::None);
  EXPECT_EQ(check(with(kNow + 61, kNow + 600)), TokenRejection::IssuedInFuture);
  EXPECT_EQ(check(with(kNow, kNow + 3600)), TokenRejection::None);
  EXPECT_EQ(check(with(kNow, kNow + 3601)), TokenRejection::LifetimeTooLong);
  EXPECT_EQ(check(with(kNow, kNow)), TokenRejection::InvalidClaims);
}

// J8: iss, aud, typ, sub/client_id, jti, scope syntax, duplicate claims.
TEST_F(JwtVerifierTest, ChecksIssuerAudienceTypeAndIdentity) {
  const auto token = [](const Claims& claims) { return sign_hs256(kHeader, claims.json()); };
  EXPECT_EQ(check(token(Claims(kNow).set("iss", json_string("evil")))), TokenRejection::WrongIssuer);
  EXPECT_EQ(check(token(Claims(kNow).remove("iss"))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).set("aud", json_string("other")))), TokenRejection::WrongAudience);
  EXPECT_EQ(check(token(Claims(kNow).set("aud", "[]"))), TokenRejection::WrongAudience);
  EXPECT_EQ(check(token(Claims(kNow).set("aud", R"(["other","mdp-api-test"])"))), TokenRejection::None);
  EXPECT_EQ(check(token(Claims(kNow).set("aud", R"(["mdp-api-test",1])"))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).set("aud", "1"))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).remove("aud"))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).set("sub", json_string("someone-else")))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).remove("client_id"))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).set("client_id", json_string("a b")).set("sub", json_string("a b")))),
            TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).remove("jti"))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).set("jti", json_string("")))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).set("scope", "[\"market:read\"]"))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).set("scope", json_string("market:read  admin")))), TokenRejection::InvalidClaims);
  EXPECT_EQ(check(token(Claims(kNow).remove("scope"))), TokenRejection::None);

  const std::string claims = Claims(kNow).json();
  EXPECT_EQ(check(sign_hs256(R"({"alg":"HS256"})", claims)), TokenRejection::WrongType);
  EXPECT_EQ(check(sign_hs256(R"({"alg":"HS256","typ":"JWS"})", claims)), TokenRejection::WrongType);
  EXPECT_EQ(check(sign_hs256(R"({"alg":"HS256","typ":1})", claims)), TokenRejection::WrongType);
  EXPECT_EQ(check(sign_hs256(R"({"alg":"HS256","typ":"JWT"})", claims)), TokenRejection::None);
  EXPECT_EQ(check(sign_hs256(R"({"alg":"HS256","typ":"application/AT+JWT"})", claims)), TokenRejection::None);

  // Duplicate claim names are refused, whichever value comes last.
  const std::string duplicate_exp = claims.substr(0, claims.size() - 1) + ",\"exp\":1}";
  EXPECT_EQ(check(sign_hs256(kHeader, duplicate_exp)), TokenRejection::Malformed);
  const std::string early_then_late = "{\"exp\":1," + claims.substr(1);
  EXPECT_EQ(check(sign_hs256(kHeader, early_then_late)), TokenRejection::Malformed);
  EXPECT_EQ(check(sign_hs256(R"({"alg":"HS256","alg":"HS256","typ":"at+jwt"})", claims)), TokenRejection::Malformed);
}

// J9: header parameters that point elsewhere or demand extensions are refused unread.
TEST_F(JwtVerifierTest, RefusesKeyHintsAndCriticalExtensions) {
  const std::string claims = Claims(kNow).json();
  for (const std::string& extra : std::vector<std::string>{
           R"("kid":"' OR 1=1--")", R"("kid":"../../etc/passwd")", "\"kid\":\"" + std::string(300, 'k') + "\"",
        R"("jku":"http://127.0.0.1:1/jwks")", R"("x5u":"http://127.0.0.1:1/cert")", R"("jwk":{"kty":"oct","k":"AAAA"})",
        R"("x5c":["MIIB"])", R"("crit":["exp"])", R"("crit":[])", R"("b64":false)", R"("zip":"DEF")", R"("cty":"JWT")"}) {
    const std::string header = R"({"alg":"HS256","typ":"at+jwt",)" + extra + "}";
    EXPECT_EQ(check(sign_hs256(header, claims)), TokenRejection::UnacceptableHeader) << extra;
  }
  EXPECT_EQ(check(sign_hs256("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + std::string(10'000, 'k') + "\"}",
                             claims)),
            TokenRejection::TooLarge);
}

// RFC 7515 Appendix A.1: the published HS256 vector passes the signature layer (its exp is
// in 2011 and it has no iat, so the claims are what refuse it).
TEST_F(JwtVerifierTest, Rfc7515AppendixA1PassesTheSignatureLayer) {
  const std::string key =
      *base64url_decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
  const std::string token =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
      ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
      ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const auto jws_key = make_hs256_key(key);
  const std::size_t last_dot = token.rfind('.');
  EXPECT_TRUE(jws_key->verify(token.substr(0, last_dot), *base64url_decode(token.substr(last_dot + 1))));
  EXPECT_EQ(jws_key->sign(token.substr(0, last_dot)), *base64url_decode(token.substr(last_dot + 1)));

  JwtVerifier rfc_verifier(jws_key, JwtRules{"joe", "anyone", 60, 3600, 4096});
  EXPECT_EQ(rfc_verifier.verify(token, 1300819380 - 100).rejection, TokenRejection::InvalidClaims);  // no iat
}

}  // namespace
}  // namespace mdp::auth
