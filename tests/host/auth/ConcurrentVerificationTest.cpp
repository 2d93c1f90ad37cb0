// RELIABILITY.md J17: 64 threads verifying (and minting) tokens at once for a few seconds,
// through the same objects the server shares: no crash, and every answer right.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "JwtSigner.hpp"
#include "JwtTestSupport.hpp"
#include "JwtVerifier.hpp"
#include "TokenIssuer.hpp"
#include "VerifiedTokenCache.hpp"

namespace mdp::auth {
namespace {

TEST(ConcurrentVerification, SixtyFourThreadsForAFewSeconds) {
  const auto key = make_hs256_key(test::kSecret);
  JwtRules rules;
  rules.issuer = std::string(test::kIssuer);
  rules.audience = std::string(test::kAudience);
  const JwtVerifier verifier(key, rules);
  const TokenIssuer issuer(std::make_shared<JwtSigner>(key), rules.issuer, rules.audience, 900);
  VerifiedTokenCache cache(256);  // small, so eviction runs concurrently too
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string shared_token = issuer.issue("mdp_shared", {"market:read"}, now).access_token;
  const std::string forged = test::sign_hs256(test::kHeader, test::Claims(now).json(), "wrong-key-wrong-key-wrong-key-wrong");

  std::atomic<bool> stop{false};
  std::atomic<long> verified{0};
  std::atomic<long> wrong_answers{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 64; ++t) {
    threads.emplace_back([&, t] {
      long round = 0;
      while (!stop.load()) {
        ++round;
        const std::string own = issuer.issue("mdp_t" + std::to_string(t), {"market:read"}, now).access_token;
        for (const std::string* token : {&own, &shared_token}) {
          std::optional<Principal> principal = cache.find(*token, now);
          if (!principal) {
            VerificationResult result = verifier.verify(*token, now);
            if (!result.principal) {
              ++wrong_answers;
              continue;
            }
            cache.insert(*token, *result.principal, now);
            principal = result.principal;
          }
          if (!principal->has_scope("market:read")) ++wrong_answers;
          ++verified;
        }
        if (verifier.verify(forged, now).principal) ++wrong_answers;
        if (verifier.verify(own.substr(0, own.size() - 2), now).principal) ++wrong_answers;
        if (round % 64 == 0) std::this_thread::yield();
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(3));
  stop = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong_answers.load(), 0);
  EXPECT_GT(verified.load(), 64);
  EXPECT_LE(cache.size(), cache.capacity());
}

}  // namespace
}  // namespace mdp::auth
