// BearerAuthenticator with an injected clock and client-status lookup: what gets cached
// (only verified tokens, until exp), revocation through the status cache, fail-closed when
// the status cannot be read, and the scope decision (RELIABILITY.md J11).
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "BearerAuthenticator.hpp"
#include "JwtSigner.hpp"
#include "JwtTestSupport.hpp"
#include "TokenIssuer.hpp"

namespace mdp::auth {
namespace {

using Outcome = http::AuthDecision::Outcome;

class BearerAuthenticatorTest : public ::testing::Test {
 protected:
  const std::shared_ptr<const JwsKey> key = make_hs256_key(test::kSecret);
  std::atomic<std::int64_t> now_ms{1'750'000'000'000};
  int lookups = 0;
  bool revoked = false;
  bool store_down = false;
  std::shared_ptr<VerifiedTokenCache> cache = std::make_shared<VerifiedTokenCache>(100);
  BearerAuthenticator authenticator{
      std::make_shared<JwtVerifier>(key, JwtRules{std::string(test::kIssuer), std::string(test::kAudience), 60, 3600, 4096}),
      cache,
      std::make_shared<ClientStatusCache>(
          [this](const std::string&) {
            ++lookups;
            if (store_down) throw std::runtime_error("database unavailable");
            return !revoked;
          },
          30'000),
      [this] { return now_ms.load(); }};
  TokenIssuer issuer{std::make_shared<JwtSigner>(key), std::string(test::kIssuer), std::string(test::kAudience), 900};

  std::string token(const std::vector<std::string>& scopes = {"market:read"}) {
    return issuer.issue("mdp_reader", scopes, now_ms / 1000).access_token;
  }
};

TEST_F(BearerAuthenticatorTest, CachesOnlyVerifiedTokensAndOnlyUntilExp) {
  const std::string good = token();
  const http::AuthDecision decision = authenticator.authenticate(good, "market:read");
  EXPECT_EQ(decision.outcome, Outcome::Authenticated);
  EXPECT_EQ(decision.client_id, "mdp_reader");
  EXPECT_EQ(cache->size(), 1U);

  for (const std::string& bad : {good + "x", good.substr(0, good.size() - 2), std::string("a.b.c"),
                                 test::sign_hs256(test::kHeader, test::Claims(now_ms / 1000).json(), "x-other-key-long-enough-000000000")}) {
    const http::AuthDecision refused = authenticator.authenticate(bad, "market:read");
    EXPECT_EQ(refused.outcome, Outcome::InvalidToken);
    EXPECT_TRUE(refused.client_id.empty());
  }
  EXPECT_EQ(cache->size(), 1U);  // invalid tokens never cached

  now_ms += (900 + 61) * 1000;  // past exp + leeway: the cached entry must not answer
  EXPECT_EQ(authenticator.authenticate(good, "market:read").outcome, Outcome::InvalidToken);
  EXPECT_EQ(cache->size(), 0U);
}

TEST_F(BearerAuthenticatorTest, RevocationAppliesAfterTheStatusTtlAndAnUnreadableStoreFailsClosed) {
  const std::string good = token();
  EXPECT_EQ(authenticator.authenticate(good, "market:read").outcome, Outcome::Authenticated);
  revoked = true;
  now_ms += 29'000;
  EXPECT_EQ(authenticator.authenticate(good, "market:read").outcome, Outcome::Authenticated);
  EXPECT_EQ(lookups, 1);
  now_ms += 1'000;
  EXPECT_EQ(authenticator.authenticate(good, "market:read").outcome, Outcome::InvalidToken);
  EXPECT_EQ(lookups, 2);

  revoked = false;
  store_down = true;
  now_ms += 30'000;
  EXPECT_EQ(authenticator.authenticate(good, "market:read").outcome, Outcome::Unavailable);
}

TEST_F(BearerAuthenticatorTest, ScopesDecideBetweenAllowedAndForbidden) {
  const std::string reader = token({"market:read"});
  const http::AuthDecision forbidden = authenticator.authenticate(reader, "admin");
  EXPECT_EQ(forbidden.outcome, Outcome::InsufficientScope);
  EXPECT_EQ(forbidden.client_id, "mdp_reader");
  EXPECT_EQ(authenticator.authenticate(token({"market:read", "admin"}), "admin").outcome, Outcome::Authenticated);
  EXPECT_EQ(authenticator.authenticate(token({"admin"}), "market:read").outcome, Outcome::InsufficientScope);
}

}  // namespace
}  // namespace mdp::auth
