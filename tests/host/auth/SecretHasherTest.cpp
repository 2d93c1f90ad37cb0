#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "ClientCredentials.hpp"
#include "SecretHasher.hpp"

namespace mdp::auth {
namespace {

const SecretHasher& production_hasher() {
  static const SecretHasher hasher;  // OWASP parameters, what the host uses
  return hasher;
}

TEST(SecretHasher, StoresArgon2idWithOwaspParametersAndASaltPerSecret) {
  const std::string secret = new_client_secret();
  const std::string first = production_hasher().hash(secret);
  const std::string second = production_hasher().hash(secret);
  EXPECT_TRUE(std::regex_match(first, std::regex(R"(\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43})")))
      << first;
  EXPECT_NE(first, second);  // fresh salt
  EXPECT_EQ(first.find(secret), std::string::npos);
  EXPECT_TRUE(production_hasher().verify(secret, first));
  EXPECT_TRUE(production_hasher().verify(secret, second));
  EXPECT_FALSE(production_hasher().verify(secret + "x", first));
  EXPECT_FALSE(production_hasher().verify("", first));
}

TEST(SecretHasher, RefusesMalformedOrOutOfBoundsPhcStrings) {
  const SecretHasher hasher(Argon2Params{64, 1, 1});
  const std::string phc = hasher.hash("s3cret");
  ASSERT_TRUE(hasher.verify("s3cret", phc));
  const std::string tail = phc.substr(phc.find("$", 20));
  for (const std::string& bad : std::vector<std::string>{
           std::string(""), std::string("plaintext"), "$argon2i$v=19$m=64,t=1,p=1" + tail,
           "$argon2id$v=16$m=64,t=1,p=1" + tail, "$argon2id$v=19$m=4194304,t=1,p=1" + tail,
           "$argon2id$v=19$m=64,t=100,p=1" + tail, "$argon2id$v=19$m=64,t=1,p=0" + tail,
           "$argon2id$v=19$t=1,m=64,p=1" + tail, "$argon2id$v=19$m=064,t=1,p=1" + tail,
           phc + "$", phc + "=", phc.substr(0, phc.size() - 1),
       }) {
    EXPECT_FALSE(hasher.verify("s3cret", bad)) << bad;
  }
}

TEST(SecretHasher, GeneratedCredentialsHaveTheDocumentedShape) {
  const std::string id = new_client_id();
  const std::string secret = new_client_secret();
  EXPECT_TRUE(std::regex_match(id, std::regex("mdp_[A-Za-z0-9_-]{16}"))) << id;
  EXPECT_TRUE(std::regex_match(secret, std::regex("[A-Za-z0-9_-]{43}"))) << secret;  // 256 bits
  EXPECT_NE(new_client_secret(), secret);
  EXPECT_EQ(parse_scope_option("market:read, admin,market:read"), (std::vector<std::string>{"market:read", "admin"}));
  EXPECT_THROW(parse_scope_option("market:write"), std::invalid_argument);
  EXPECT_THROW(parse_scope_option("market:read,"), std::invalid_argument);
  EXPECT_TRUE(is_valid_client_name("research-01"));
  EXPECT_FALSE(is_valid_client_name("a b"));
  EXPECT_FALSE(is_valid_client_name(""));
}

}  // namespace
}  // namespace mdp::auth
