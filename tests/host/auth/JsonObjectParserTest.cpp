#include <gtest/gtest.h>

#include "JsonObjectParser.hpp"

namespace mdp::auth {
namespace {

std::optional<JsonObject> parse(std::string_view text) { return JsonObjectParser::parse(text); }

TEST(JsonObjectParser, ReadsMembersWithTheirRawTypes) {
  const auto object = parse(R"( {"s":"a\"b\\c\u00e9\ud83d\ude00","i":-42,"big":9223372036854775807,
      "over":9223372036854775808,"f":1.5,"e":1e3,"t":true,"n":null,"a":["x","y"],"m":[1,"x"],"o":{"k":[1]}} )");
  ASSERT_TRUE(object);
  EXPECT_EQ(object->find("s")->text, "a\"b\\c\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(object->find("i")->kind, JsonValue::Kind::Integer);
  EXPECT_EQ(object->find("i")->integer, -42);
  EXPECT_EQ(object->find("big")->integer, 9223372036854775807LL);
  EXPECT_EQ(object->find("over")->kind, JsonValue::Kind::Number);
  EXPECT_EQ(object->find("f")->kind, JsonValue::Kind::Number);
  EXPECT_EQ(object->find("e")->kind, JsonValue::Kind::Number);
  EXPECT_EQ(object->find("t")->kind, JsonValue::Kind::True);
  EXPECT_EQ(object->find("n")->kind, JsonValue::Kind::Null);
  EXPECT_TRUE(object->find("a")->array_of_strings);
  EXPECT_EQ(object->find("a")->strings, (std::vector<std::string>{"x", "y"}));
  EXPECT_FALSE(object->find("m")->array_of_strings);
  EXPECT_EQ(object->find("o")->kind, JsonValue::Kind::Object);
  EXPECT_EQ(object->find("missing"), nullptr);
  EXPECT_EQ(object->members().size(), 11U);
}

TEST(JsonObjectParser, RefusesWhatAStrictReaderMust) {
  for (const std::string text : {
           "", "[]", "\"x\"", "1", "{", "{}x", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}", "{\"a\":01}", "{\"a\":-}",
           "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":\"\\x\"}",
           "{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\u0000\"}",
           "{\"a\":\"\x01\"}", "{\"a\":\"\xC0\xAF\"}", "{\"a\":\"\xED\xA0\x80\"}", "{\"a\":\"\xF4\x90\x80\x80\"}",
           "{\"a\":1,\"a\":2}", "{\"o\":{\"k\":1,\"k\":2}}", "{\"a\":NaN}", "{\"a\":Infinity}",
       }) {
    EXPECT_FALSE(parse(text)) << text;
  }
}

TEST(JsonObjectParser, EnforcesItsLimits) {
  EXPECT_TRUE(JsonObjectParser::parse(R"({"a":[[1]]})", JsonParseLimits{100, 3, 8}));
  EXPECT_FALSE(JsonObjectParser::parse(R"({"a":[[1]]})", JsonParseLimits{100, 2, 8}));
  EXPECT_FALSE(JsonObjectParser::parse(R"({"a":1})", JsonParseLimits{6, 8, 8}));
  EXPECT_FALSE(JsonObjectParser::parse(R"({"a":1,"b":2,"c":3})", JsonParseLimits{100, 8, 2}));
  EXPECT_FALSE(JsonObjectParser::parse(R"({"a":[1,2,3]})", JsonParseLimits{100, 8, 2}));
  // Deep input is refused without recursion trouble.
  std::string deep = "{\"a\":" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
  EXPECT_FALSE(JsonObjectParser::parse(deep, JsonParseLimits{1'000'000, 8, 64}));
}

}  // namespace
}  // namespace mdp::auth
