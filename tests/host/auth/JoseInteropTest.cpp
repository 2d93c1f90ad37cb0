// RELIABILITY.md J16: tokens minted by npm `jose` (an independent implementation) are
// accepted by our verifier exactly when they should be, and jose accepts the tokens we
// issue. Needs node and the jose package (the auth_install_jose test installs it).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "EcTestKeys.hpp"
#include "JwtSigner.hpp"
#include "JwtTestSupport.hpp"
#include "JwtVerifier.hpp"
#include "TokenIssuer.hpp"

namespace mdp::auth {
namespace {

// 64 bytes, so HS512 minted with the same secret is a fair key-confusion attempt.
const std::string kInteropSecret = "interop-secret-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKL";

struct NodeResult {
  int status = -1;
  std::string out;
};

NodeResult node(const std::string& arguments) {
  const char* script = std::getenv("MDP_JOSE_SCRIPT");
  if (script == nullptr) ADD_FAILURE() << "MDP_JOSE_SCRIPT is not set (run through ctest)";
  const std::string command = "node '" + std::string(script ? script : "") + "' " + arguments + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  NodeResult result;
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe.get())) result.out += buffer;
  result.status = WEXITSTATUS(pclose(pipe.release()));
  while (!result.out.empty() && (result.out.back() == '\n' || result.out.back() == '\r')) result.out.pop_back();
  return result;
}

std::string single_quoted(const std::string& text) { return "'" + text + "'"; }

class JoseInteropTest : public ::testing::Test {
 protected:
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
  const std::shared_ptr<const JwsKey> key = make_hs256_key(kInteropSecret);
  const JwtVerifier verifier{key, JwtRules{std::string(test::kIssuer), std::string(test::kAudience), 60, 3600, 4096}};

  std::string mint(const test::Claims& claims, const std::string& alg = "HS256", const std::string& typ = "at+jwt",
                   const std::string& secret = kInteropSecret) {
    const NodeResult result = node("mint " + single_quoted(secret) + " " + single_quoted(claims.json()) + " " + alg +
                                   " " + single_quoted(typ));
    EXPECT_EQ(result.status, 0) << result.out;
    return result.out;
  }
  TokenRejection judge(const std::string& token) { return verifier.verify(token, now).rejection; }
};

TEST_F(JoseInteropTest, ValidJoseTokensAreAccepted) {
  const std::string token = mint(test::Claims(now));
  ASSERT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;
  const VerificationResult result = verifier.verify(token, now);
  ASSERT_EQ(result.rejection, TokenRejection::None) << to_string(result.rejection) << " " << token;
  EXPECT_EQ(result.principal->client_id, test::kClientId);
  EXPECT_TRUE(result.principal->has_scope("market:read"));

  EXPECT_EQ(judge(mint(test::Claims(now), "HS256", "JWT")), TokenRejection::None);
  EXPECT_EQ(judge(mint(test::Claims(now).set("aud", R"(["elsewhere","mdp-api-test"])"))), TokenRejection::None);
}

TEST_F(JoseInteropTest, InvalidJoseTokensAreRefusedForTheRightReason) {
  EXPECT_EQ(judge(mint(test::Claims(now).set("iat", std::to_string(now - 700)).set("exp", std::to_string(now - 120)))),
            TokenRejection::Expired);
  EXPECT_EQ(judge(mint(test::Claims(now).set("nbf", std::to_string(now + 600)))), TokenRejection::NotYetValid);
  EXPECT_EQ(judge(mint(test::Claims(now), "HS256", "at+jwt", "a-wrong-key-that-is-also-long-enough-000000")),
            TokenRejection::BadSignature);
  EXPECT_EQ(judge(mint(test::Claims(now), "HS512")), TokenRejection::AlgorithmNotAllowed);
  EXPECT_EQ(judge(mint(test::Claims(now), "HS256", "")), TokenRejection::WrongType);
  EXPECT_EQ(judge(mint(test::Claims(now).set("aud", "\"elsewhere\""))), TokenRejection::WrongAudience);
  EXPECT_EQ(judge(mint(test::Claims(now).set("iss", "\"someone\""))), TokenRejection::WrongIssuer);

  const NodeResult none = node("mint-none " + single_quoted(test::Claims(now).json()));
  ASSERT_EQ(none.status, 0) << none.out;
  // jose writes "h.p." (empty signature): refused by the format check; with a signature
  // copied from a valid token, by the algorithm allowlist.
  EXPECT_EQ(judge(none.out), TokenRejection::Malformed) << none.out;
  const std::string valid = mint(test::Claims(now));
  EXPECT_EQ(judge(none.out + valid.substr(valid.rfind('.') + 1)), TokenRejection::AlgorithmNotAllowed);

  const NodeResult es256 = node("mint-es256 " + single_quoted(test::Claims(now).json()));
  ASSERT_EQ(es256.status, 0) << es256.out;
  EXPECT_EQ(judge(es256.out), TokenRejection::AlgorithmNotAllowed);  // HS256-only deployment
}

TEST_F(JoseInteropTest, JoseAcceptsTheTokensWeIssue) {
  const TokenIssuer issuer(std::make_shared<JwtSigner>(key), std::string(test::kIssuer), std::string(test::kAudience), 900);
  const IssuedToken token = issuer.issue("mdp_interop", {"market:read", "admin"}, now);
  const NodeResult verified = node("verify " + single_quoted(kInteropSecret) + " " + token.access_token + " " +
                                   std::string(test::kIssuer) + " " + std::string(test::kAudience));
  ASSERT_EQ(verified.status, 0) << verified.out;
  EXPECT_NE(verified.out.find(R"("typ":"at+jwt")"), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find(R"("client_id":"mdp_interop")"), std::string::npos) << verified.out;
  EXPECT_NE(verified.out.find(R"("scope":"market:read admin")"), std::string::npos) << verified.out;

  // The same check fails when it should, so the passing answer above means something.
  std::string tampered = token.access_token;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(node("verify " + single_quoted(kInteropSecret) + " " + tampered + " " + std::string(test::kIssuer) + " " +
                 std::string(test::kAudience))
                .status,
            1);
  EXPECT_EQ(node("verify " + single_quoted(kInteropSecret) + " " + token.access_token + " other-issuer " +
                 std::string(test::kAudience))
                .status,
            1);
}

// ES256 both ways with one P-256 key: jose signs with the PKCS#8 private key and we verify;
// we sign and jose verifies with the SPKI public key.
TEST_F(JoseInteropTest, Es256InBothDirections) {
  const test::PemKeyPair pair = test::generate_ec_key("P-256");
  const std::string private_file = test::write_temp_file(pair.private_pkcs8);
  const std::string public_file = test::write_temp_file(pair.public_spki);
  const auto es_key = load_es256_key(private_file);
  const JwtVerifier es_verifier(es_key, JwtRules{std::string(test::kIssuer), std::string(test::kAudience), 60, 3600, 4096});

  const NodeResult minted = node("mint-es256-key '" + private_file + "' " + single_quoted(test::Claims(now).json()));
  ASSERT_EQ(minted.status, 0) << minted.out;
  const VerificationResult accepted = es_verifier.verify(minted.out, now);
  EXPECT_EQ(accepted.rejection, TokenRejection::None) << to_string(accepted.rejection);

  const NodeResult foreign = node("mint-es256 " + single_quoted(test::Claims(now).json()));
  ASSERT_EQ(foreign.status, 0) << foreign.out;
  EXPECT_EQ(es_verifier.verify(foreign.out, now).rejection, TokenRejection::BadSignature);
  // jose HS256 keyed with our public key's PEM: the key-confusion attack.
  EXPECT_EQ(es_verifier.verify(mint(test::Claims(now), "HS256", "at+jwt", pair.public_spki), now).rejection,
            TokenRejection::AlgorithmNotAllowed);
  const NodeResult expired = node("mint-es256-key '" + private_file + "' " +
                                  single_quoted(test::Claims(now).set("iat", std::to_string(now - 900))
                                                    .set("exp", std::to_string(now - 100)).json()));
  EXPECT_EQ(es_verifier.verify(expired.out, now).rejection, TokenRejection::Expired);

  const TokenIssuer issuer(std::make_shared<JwtSigner>(es_key), std::string(test::kIssuer), std::string(test::kAudience), 900);
  const std::string ours = issuer.issue("mdp_es", {"market:read"}, now).access_token;
  const NodeResult verified = node("verify-es256 '" + public_file + "' " + ours + " " + std::string(test::kIssuer) + " " +
                                   std::string(test::kAudience));
  EXPECT_EQ(verified.status, 0) << verified.out;
  EXPECT_NE(verified.out.find(R"("alg":"ES256")"), std::string::npos) << verified.out;
  const std::string stranger_file = test::write_temp_file(test::generate_ec_key().public_spki);
  const NodeResult other_key = node("verify-es256 '" + stranger_file + "' " + ours + " " + std::string(test::kIssuer) +
                                    " " + std::string(test::kAudience));
  EXPECT_EQ(other_key.status, 1) << other_key.out;
  for (const std::string& file : {private_file, public_file, stranger_file}) std::filesystem::remove(file);
}

}  // namespace
}  // namespace mdp::auth
