// ES256 keys: sign/verify through JwtSigner/JwtVerifier, the JWS R || S form, refusal of
// every other algorithm (including HS256 keyed with the public key: RFC 8725 §2.1's
// confusion), and key-file checks.
#include <gtest/gtest.h>

#include <filesystem>

#include "Base64.hpp"
#include "EcTestKeys.hpp"
#include "JwsKey.hpp"
#include "JwtSigner.hpp"
#include "JwtTestSupport.hpp"
#include "JwtVerifier.hpp"

namespace mdp::auth {
namespace {

constexpr std::int64_t kNow = 1'750'000'000;

const test::PemKeyPair& p256() {
  static const test::PemKeyPair pair = test::generate_ec_key("P-256");
  return pair;
}

AccessTokenClaims claims() {
  AccessTokenClaims c;
  c.issuer = std::string(test::kIssuer);
  c.audience = std::string(test::kAudience);
  c.client_id = "mdp_es";
  c.scope = "market:read";
  c.jwt_id = "j";
  c.issued_at = kNow;
  c.expires_at = kNow + 600;
  return c;
}

JwtRules rules() { return JwtRules{std::string(test::kIssuer), std::string(test::kAudience), 60, 3600, 4096}; }

TEST(Es256Key, SignsAndVerifiesInTheJwsForm) {
  const auto key = make_es256_key_from_pem(p256().private_pkcs8);
  EXPECT_EQ(key->algorithm(), "ES256");
  const std::string token = JwtSigner(key).sign(claims());
  EXPECT_EQ(*base64url_decode(token.substr(0, token.find('.'))), R"({"alg":"ES256","typ":"at+jwt"})");
  EXPECT_EQ(base64url_decode(token.substr(token.rfind('.') + 1))->size(), 64U);  // R || S, not DER

  const JwtVerifier verifier(key, rules());
  const VerificationResult result = verifier.verify(token, kNow);
  ASSERT_EQ(result.rejection, TokenRejection::None) << to_string(result.rejection);
  EXPECT_EQ(result.principal->client_id, "mdp_es");
  // The SEC1 spelling of the same key verifies the same token.
  EXPECT_EQ(JwtVerifier(make_es256_key_from_pem(p256().private_sec1), rules()).verify(token, kNow).rejection,
            TokenRejection::None);
}

TEST(Es256Key, RefusesOtherKeysOtherFormsAndOtherAlgorithms) {
  const auto key = make_es256_key_from_pem(p256().private_pkcs8);
  const JwtVerifier verifier(key, rules());
  const std::string token = JwtSigner(key).sign(claims());
  const std::string input = token.substr(0, token.rfind('.'));
  const std::string raw = *base64url_decode(token.substr(token.rfind('.') + 1));

  // Another P-256 key.
  const auto other = make_es256_key_from_pem(test::generate_ec_key("P-256").private_pkcs8);
  EXPECT_EQ(verifier.verify(JwtSigner(other).sign(claims()), kNow).rejection, TokenRejection::BadSignature);
  // Truncated, lengthened, zeroed, flipped signatures.
  EXPECT_EQ(verifier.verify(input + "." + test::b64url(raw.substr(0, 63)), kNow).rejection, TokenRejection::BadSignature);
  EXPECT_EQ(verifier.verify(input + "." + test::b64url(raw + "x"), kNow).rejection, TokenRejection::BadSignature);
  EXPECT_EQ(verifier.verify(input + "." + test::b64url(std::string(64, '\0')), kNow).rejection,
            TokenRejection::BadSignature);
  std::string flipped = raw;
  flipped[40] = static_cast<char>(flipped[40] ^ 0x01);
  EXPECT_EQ(verifier.verify(input + "." + test::b64url(flipped), kNow).rejection, TokenRejection::BadSignature);
  // A tampered payload.
  AccessTokenClaims admin = claims();
  admin.scope = "market:read admin";
  const std::string forged = JwtSigner(other).sign(admin);
  EXPECT_EQ(verifier.verify(forged.substr(0, forged.rfind('.')) + token.substr(token.rfind('.')), kNow).rejection,
            TokenRejection::BadSignature);

  // HS256 keyed with the public key's PEM text, and alg none: refused by the allowlist.
  const std::string claims_json = test::Claims(kNow).json();
  EXPECT_EQ(verifier.verify(test::sign_hs256(test::kHeader, claims_json, p256().public_spki), kNow).rejection,
            TokenRejection::AlgorithmNotAllowed);
  EXPECT_EQ(verifier.verify(test::b64url(R"({"alg":"none","typ":"at+jwt"})") + "." + test::b64url(claims_json) + "." +
                                test::b64url(raw),
                            kNow)
                .rejection,
            TokenRejection::AlgorithmNotAllowed);
  // An HS256 verifier refuses ES256 tokens.
  EXPECT_EQ(JwtVerifier(make_hs256_key(test::kSecret), rules()).verify(token, kNow).rejection,
            TokenRejection::AlgorithmNotAllowed);
}

TEST(Es256Key, KeyFilesMustHoldAP256PrivateKey) {
  const std::string good = test::write_temp_file(p256().private_pkcs8);
  EXPECT_EQ(load_es256_key(good)->algorithm(), "ES256");
  const std::string p384 = test::write_temp_file(test::generate_ec_key("P-384").private_pkcs8);
  const std::string rsa = test::write_temp_file(test::generate_rsa_key().private_pkcs8);
  const std::string public_only = test::write_temp_file(p256().public_spki);
  const std::string garbage = test::write_temp_file("not a key");
  for (const std::string& path : {p384, rsa, public_only, garbage, std::string("/nonexistent/es256.pem")}) {
    try {
      load_es256_key(path);
      ADD_FAILURE() << path << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
  for (const std::string& path : {good, p384, rsa, public_only, garbage}) std::filesystem::remove(path);
}

}  // namespace
}  // namespace mdp::auth
