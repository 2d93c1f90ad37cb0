#include <gtest/gtest.h>

#include <string>

#include "Base64.hpp"

namespace mdp::auth {
namespace {

TEST(Base64, UrlRoundTripsEveryLengthAndByte) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    const std::string encoded = base64url_encode(bytes);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos);
    ASSERT_EQ(base64url_decode(encoded), bytes) << i;
    bytes.push_back(static_cast<char>(i * 37 + 250));
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64, UrlDecoderRefusesEverythingButTheCanonicalForm) {
  EXPECT_EQ(base64url_decode("YWJj"), "abc");
  EXPECT_FALSE(base64url_decode("YWI="));   // padding
  EXPECT_FALSE(base64url_decode("YWJ"));    // "ab" is YWI: the unused bits of J are not zero
  EXPECT_EQ(base64url_decode("YWI"), "ab");
  EXPECT_FALSE(base64url_decode("Y"));      // length 1 mod 4
  EXPECT_FALSE(base64url_decode("YW Jj"));
  EXPECT_FALSE(base64url_decode("YW+j"));   // standard alphabet
  EXPECT_FALSE(base64url_decode("YW/j"));
  EXPECT_FALSE(base64url_decode("YWJj\n"));
  EXPECT_EQ(base64url_decode(""), "");
}

TEST(Base64, PaddedDecoderWantsExactlyTheEncodersPadding) {
  for (const std::string text : {"", "a", "ab", "abc", "abcd"}) {
    EXPECT_EQ(base64_decode_padded(base64_encode_padded(text)), text);
  }
  EXPECT_EQ(base64_encode_padded("a"), "YQ==");
  EXPECT_FALSE(base64_decode_padded("YQ"));
  EXPECT_FALSE(base64_decode_padded("YQ="));
  EXPECT_FALSE(base64_decode_padded("YWI=="));
  EXPECT_FALSE(base64_decode_padded("YR=="));  // non-zero unused bits
  EXPECT_FALSE(base64_decode_padded("Y==="));
  EXPECT_FALSE(base64_decode_padded("YQ==YQ=="));
  EXPECT_FALSE(base64_decode_padded("YW-j"));  // url alphabet
}

TEST(Base64, UnpaddedStandardIsWhatPhcStringsUse) {
  EXPECT_EQ(base64_encode_unpadded("\xfb\xff"), "+/8");
  EXPECT_EQ(base64_decode_unpadded("+/8"), "\xfb\xff");
  EXPECT_FALSE(base64_decode_unpadded("-_8"));
}

}  // namespace
}  // namespace mdp::auth
