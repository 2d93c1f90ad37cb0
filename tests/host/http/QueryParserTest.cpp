#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "QueryParser.hpp"

namespace mdp::http {
namespace {

struct RejectCase {
  const char* query;
  QueryErrorKind kind;
  const char* parameter;  // expected in the error ("" = none named)
};

class QueryParserRejects : public ::testing::TestWithParam<RejectCase> {};

TEST_P(QueryParserRejects, WithPreciseReason) {
  const RejectCase& c = GetParam();
  const QueryParseResult result = QueryParser().parse(c.query);
  ASSERT_FALSE(result.ok()) << c.query;
  EXPECT_EQ(result.error->kind, c.kind) << c.query;
  EXPECT_EQ(result.error->parameter, c.parameter) << c.query;
  EXPECT_TRUE(result.parameters.empty());
  EXPECT_FALSE(result.error->message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table, QueryParserRejects,
    ::testing::Values(
        RejectCase{"symbol=%ZZ", QueryErrorKind::BadEscape, "symbol"},
        RejectCase{"symbol=%4", QueryErrorKind::BadEscape, "symbol"},
        RejectCase{"symbol=%", QueryErrorKind::BadEscape, "symbol"},
        RejectCase{"sym%ZZbol=1", QueryErrorKind::BadEscape, ""},
        RejectCase{"symbol=%00", QueryErrorKind::ControlCharacter, "symbol"},
        RejectCase{"symbol=a%0Ab", QueryErrorKind::ControlCharacter, "symbol"},
        RejectCase{"symbol=%7F", QueryErrorKind::ControlCharacter, "symbol"},
        RejectCase{"%00=1", QueryErrorKind::ControlCharacter, ""},
        RejectCase{"symbol=%C0%AF", QueryErrorKind::InvalidUtf8, "symbol"},
        RejectCase{"symbol=%FF", QueryErrorKind::InvalidUtf8, "symbol"},
        RejectCase{"symbol=%ED%A0%80", QueryErrorKind::InvalidUtf8, "symbol"},
        RejectCase{"symbol=BTC&symbol=ETH", QueryErrorKind::DuplicateParameter, "symbol"},
        RejectCase{"symbol=BTC&sym%62ol=ETH", QueryErrorKind::DuplicateParameter, "symbol"},
        RejectCase{"a=1&&b=2", QueryErrorKind::EmptyParameter, ""},
        RejectCase{"a=1&", QueryErrorKind::EmptyParameter, ""},
        RejectCase{"&a=1", QueryErrorKind::EmptyParameter, ""},
        RejectCase{"=1", QueryErrorKind::EmptyName, ""},
        RejectCase{"a=b c", QueryErrorKind::InvalidCharacter, "a"},
        RejectCase{"a=1#frag", QueryErrorKind::InvalidCharacter, "a"},
        RejectCase{"a=\"x\"", QueryErrorKind::InvalidCharacter, "a"},
        RejectCase{"a=\xC3\xA9", QueryErrorKind::InvalidCharacter, "a"},  // raw non-ASCII: must be encoded
        RejectCase{"a=[1]", QueryErrorKind::InvalidCharacter, "a"}));

TEST(QueryParserTest, EmptyQueryHasNoParameters) {
  const QueryParseResult result = QueryParser().parse("");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.parameters.empty());
}

TEST(QueryParserTest, DecodesPercentAndPlusKeepsOrder) {
  const QueryParseResult result = QueryParser().parse("symbol=BTC%2FUSDT%3AUSDT&q=hello+world&caf%C3%A9=%E2%82%AC");
  ASSERT_TRUE(result.ok()) << result.error->message();
  ASSERT_EQ(result.parameters.size(), 3U);
  EXPECT_EQ(*result.parameters.find("symbol"), "BTC/USDT:USDT");
  EXPECT_EQ(*result.parameters.find("q"), "hello world");
  EXPECT_EQ(*result.parameters.find("café"), "€");
  EXPECT_EQ(result.parameters.entries()[0].first, "symbol");
  EXPECT_EQ(result.parameters.entries()[2].first, "café");
}

// A colliding market's symbol carries "~" + its native symbol (CONTRACT.md rule 31); '~' is
// unreserved, so clients send it raw or as %7E and both decode to the same symbol.
TEST(QueryParserTest, TildeOfACollisionSuffixDecodesRawOrEncoded) {
  const QueryParseResult raw = QueryParser().parse("symbol=BTC/USD~BTCAUCTION-USD");
  ASSERT_TRUE(raw.ok()) << raw.error->message();
  EXPECT_EQ(*raw.parameters.find("symbol"), "BTC/USD~BTCAUCTION-USD");
  const QueryParseResult encoded = QueryParser().parse("symbol=TINY%2FUSDC%7E%405");
  ASSERT_TRUE(encoded.ok()) << encoded.error->message();
  EXPECT_EQ(*encoded.parameters.find("symbol"), "TINY/USDC~@5");
  const QueryParseResult lower = QueryParser().parse("symbol=TINY%2FUSDC%7e@5");
  ASSERT_TRUE(lower.ok()) << lower.error->message();
  EXPECT_EQ(*lower.parameters.find("symbol"), "TINY/USDC~@5");
}

TEST(QueryParserTest, EncodedPlusStaysPlus) {
  const QueryParseResult result = QueryParser().parse("t=2024-01-01T00:00:00%2B00:00");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result.parameters.find("t"), "2024-01-01T00:00:00+00:00");
}

TEST(QueryParserTest, EmptyValuesArePresent) {
  const QueryParseResult result = QueryParser().parse("a=&flag&b=x=y");
  ASSERT_TRUE(result.ok());
  ASSERT_NE(result.parameters.find("a"), nullptr);
  EXPECT_EQ(*result.parameters.find("a"), "");
  ASSERT_NE(result.parameters.find("flag"), nullptr);
  EXPECT_EQ(*result.parameters.find("flag"), "");
  EXPECT_EQ(*result.parameters.find("b"), "x=y");  // split on the first '=' only
  EXPECT_EQ(result.parameters.find("missing"), nullptr);
}

TEST(QueryParserTest, CapsParameterCount) {
  QueryLimits limits;
  limits.max_parameters = 3;
  const QueryParser parser(limits);
  EXPECT_TRUE(parser.parse("a=1&b=2&c=3").ok());
  const QueryParseResult result = parser.parse("a=1&b=2&c=3&d=4");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, QueryErrorKind::TooManyParameters);
}

TEST(QueryParserTest, CapsNameAndValueLength) {
  QueryLimits limits;
  limits.max_name_bytes = 4;
  limits.max_value_bytes = 5;
  const QueryParser parser(limits);
  EXPECT_TRUE(parser.parse("abcd=12345").ok());
  EXPECT_TRUE(parser.parse("abcd=%41%41%41%41%41").ok());  // the cap applies after decoding
  auto result = parser.parse("abcde=1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, QueryErrorKind::NameTooLong);
  result = parser.parse("abcd=123456");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->kind, QueryErrorKind::ValueTooLong);
  EXPECT_EQ(result.error->parameter, "abcd");
}

TEST(QueryParserTest, MessagesNameTheParameter) {
  auto result = QueryParser().parse("limit=1&limit=2");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->message(), "duplicate query parameter 'limit'");
  result = QueryParser().parse("symbol=%ZZ");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->message(), "malformed percent-escape in the query string in parameter 'symbol'");
}

TEST(QueryParametersTest, FirstNotInNamesTheFirstUnknown) {
  const QueryParseResult result = QueryParser().parse("exchange=x&bogus=1&other=2");
  ASSERT_TRUE(result.ok());
  const std::string* unknown = result.parameters.first_not_in({"exchange", "symbol"});
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(*unknown, "bogus");
  EXPECT_EQ(result.parameters.first_not_in({"exchange", "bogus", "other"}), nullptr);
}

}  // namespace
}  // namespace mdp::http
