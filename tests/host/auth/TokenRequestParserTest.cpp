#include <gtest/gtest.h>

#include "Base64.hpp"
#include "Request.hpp"
#include "TokenRequestParser.hpp"

namespace mdp::auth {
namespace {

http::Request request(const std::string& body, const std::string& content_type = "application/x-www-form-urlencoded",
                      const std::vector<std::string>& authorization = {}) {
  http::Request r;
  http::HeaderList headers;
  if (!content_type.empty()) headers.emplace_back("Content-Type", content_type);
  for (const auto& value : authorization) headers.emplace_back("Authorization", value);
  r.set_headers(headers);
  r.set_body(body);
  return r;
}

std::string basic(const std::string& id, const std::string& secret) { return "Basic " + base64_encode_padded(id + ":" + secret); }

std::string error_of(const TokenRequestParse& parse) { return parse.error ? parse.error->code : "none"; }

TEST(TokenRequestParser, ReadsBasicFormAndJsonCredentials) {
  const TokenRequestParse with_basic =
      parse_token_request(request("grant_type=client_credentials&scope=market%3Aread", "application/x-www-form-urlencoded; charset=UTF-8",
                                  {basic("mdp_x", "s+e/c=r:et")}));
  ASSERT_TRUE(with_basic.request) << error_of(with_basic);
  EXPECT_EQ(with_basic.request->client_id, "mdp_x");
  EXPECT_EQ(with_basic.request->client_secret, "s e/c=r:et");  // form-decoded, split at the first ':'
  EXPECT_EQ(with_basic.request->scopes, std::vector<std::string>{"market:read"});
  EXPECT_TRUE(with_basic.challenge_basic);

  const TokenRequestParse form =
      parse_token_request(request("grant_type=client_credentials&client_id=mdp_y&client_secret=abc&ignored=1"));
  ASSERT_TRUE(form.request);
  EXPECT_EQ(form.request->client_id, "mdp_y");
  EXPECT_EQ(form.request->client_secret, "abc");
  EXPECT_TRUE(form.request->scopes.empty());
  EXPECT_FALSE(form.challenge_basic);

  const TokenRequestParse json = parse_token_request(
      request(R"({"grant_type":"client_credentials","client_id":"mdp_z","client_secret":"q","scope":"admin market:read"})",
              "application/json"));
  ASSERT_TRUE(json.request);
  EXPECT_EQ(json.request->client_id, "mdp_z");
  EXPECT_EQ(json.request->scopes, (std::vector<std::string>{"admin", "market:read"}));
}

TEST(TokenRequestParser, AnswersEachRfc6749ErrorCode) {
  const std::string creds = "&client_id=a&client_secret=b";
  EXPECT_EQ(error_of(parse_token_request(request("client_id=a&client_secret=b"))), "invalid_request");
  EXPECT_EQ(error_of(parse_token_request(request(""))), "invalid_request");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=password" + creds))), "unsupported_grant_type");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=authorization_code" + creds))), "unsupported_grant_type");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials&grant_type=client_credentials" + creds))),
            "invalid_request");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials&scope=write" + creds))), "invalid_scope");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials&scope=" + creds))), "invalid_scope");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials%ZZ" + creds))), "invalid_request");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials" + creds, "text/plain"))), "invalid_request");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials" + creds, ""))), "invalid_request");
  EXPECT_EQ(error_of(parse_token_request(request(R"({"grant_type":"client_credentials","client_id":1})", "application/json"))),
            "invalid_request");
  EXPECT_EQ(error_of(parse_token_request(request(R"({"grant_type":"client_credentials","grant_type":"x"})", "application/json"))),
            "invalid_request");

  // Client authentication problems: invalid_client, challenged with Basic.
  const TokenRequestParse none = parse_token_request(request("grant_type=client_credentials"));
  EXPECT_EQ(error_of(none), "invalid_client");
  EXPECT_TRUE(none.challenge_basic);
  const TokenRequestParse half = parse_token_request(request("grant_type=client_credentials&client_id=a"));
  EXPECT_EQ(error_of(half), "invalid_client");
  const TokenRequestParse bearer = parse_token_request(request("grant_type=client_credentials", "application/x-www-form-urlencoded", {"Bearer abc"}));
  EXPECT_EQ(error_of(bearer), "invalid_client");
  EXPECT_TRUE(bearer.challenge_basic);
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials", "application/x-www-form-urlencoded", {"Basic !!!"}))),
            "invalid_client");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials", "application/x-www-form-urlencoded",
                                                 {"Basic " + base64_encode_padded("no-colon")}))),
            "invalid_client");
  // Two methods, or two Authorization headers.
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials" + creds, "application/x-www-form-urlencoded", {basic("a", "b")}))),
            "invalid_request");
  EXPECT_EQ(error_of(parse_token_request(request("grant_type=client_credentials", "application/x-www-form-urlencoded",
                                                 {basic("a", "b"), basic("a", "b")}))),
            "invalid_request");
}

TEST(TokenRequestParser, FormDecoding) {
  EXPECT_EQ(form_decode("a+b%20c%2B%3a"), "a b c+:");
  EXPECT_FALSE(form_decode("%"));
  EXPECT_FALSE(form_decode("%4"));
  EXPECT_FALSE(form_decode("%G0"));
}

}  // namespace
}  // namespace mdp::auth
