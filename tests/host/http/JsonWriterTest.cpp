#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "JsonWriter.hpp"
#include "Utf8.hpp"

namespace mdp::http {
namespace {

std::string quoted(std::string_view text) {
  std::string out;
  JsonWriter::append_quoted(out, text);
  return out;
}

TEST(JsonWriterTest, WritesNestedObjectsAndArraysWithCommas) {
  std::string out;
  JsonWriter json(out);
  json.begin_object();
  json.key("a").integer(1);
  json.key("b").begin_array().integer(1).string("x").null().boolean(true).boolean(false).end_array();
  json.key("c").begin_object().end_object();
  json.key("d").begin_array().end_array();
  json.end_object();
  EXPECT_EQ(out, R"({"a":1,"b":[1,"x",null,true,false],"c":{},"d":[]})");
  EXPECT_TRUE(json.complete());
}

TEST(JsonWriterTest, ArrayOfObjects) {
  std::string out;
  JsonWriter json(out);
  json.begin_array();
  for (int i = 0; i < 3; ++i) json.begin_object().key("i").integer(i).end_object();
  json.end_array();
  EXPECT_EQ(out, R"([{"i":0},{"i":1},{"i":2}])");
}

TEST(JsonWriterTest, IntegersAtTheLimits) {
  std::string out;
  JsonWriter json(out);
  json.begin_array()
      .integer(std::numeric_limits<std::int64_t>::min())
      .integer(std::numeric_limits<std::int64_t>::max())
      .integer(0)
      .unsigned_integer(std::numeric_limits<std::uint64_t>::max())
      .end_array();
  EXPECT_EQ(out, "[-9223372036854775808,9223372036854775807,0,18446744073709551615]");
}

TEST(JsonWriterTest, DecimalsAreStrings) {
  std::string out;
  JsonWriter json(out);
  json.begin_object().key("close").decimal("67012.50").key("volume").decimal("0.00000001").end_object();
  EXPECT_EQ(out, R"({"close":"67012.50","volume":"0.00000001"})");
}

TEST(JsonWriterTest, RawValueIsCopiedVerbatim) {
  std::string out;
  JsonWriter json(out);
  json.begin_object().key("checks").raw(R"([{"ok":true}])").end_object();
  EXPECT_EQ(out, R"({"checks":[{"ok":true}]})");
}

TEST(JsonWriterTest, EscapesQuotesBackslashAndShortForms) {
  EXPECT_EQ(quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(quoted("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(quoted("/"), R"("/")");  // no need to escape the solidus
}

TEST(JsonWriterTest, EscapesEveryOtherControlCharacterAsUnicode) {
  EXPECT_EQ(quoted(std::string_view("\0", 1)), R"("\u0000")");
  EXPECT_EQ(quoted("\x01\x1f"), R"("\u0001\u001f")");
  EXPECT_EQ(quoted("\x0b"), R"("\u000b")");
  EXPECT_EQ(quoted("\x7f"), "\"\x7f\"");  // DEL is legal in JSON strings
}

TEST(JsonWriterTest, KeepsValidUtf8) {
  EXPECT_EQ(quoted("Bitcoin ₿ — 日本 😀"), "\"Bitcoin ₿ — 日本 😀\"");
}

TEST(JsonWriterTest, ReplacesInvalidUtf8ByteByByte) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(quoted("a\xFF" "b"), "\"a" + replacement + "b\"");
  EXPECT_EQ(quoted("\xC0\xAF"), "\"" + replacement + replacement + "\"");      // overlong '/'
  EXPECT_EQ(quoted("\xED\xA0\x80"), "\"" + replacement + replacement + replacement + "\"");  // surrogate
  EXPECT_EQ(quoted("x\xE2\x82"), "\"x" + replacement + replacement + "\"");     // truncated '€'
  EXPECT_EQ(quoted("\xF4\x90\x80\x80").size(), 2 + 4 * replacement.size());    // above U+10FFFF
  EXPECT_TRUE(is_valid_utf8(quoted("\x80\xBF\xFE")));
}

TEST(JsonWriterTest, KeysAreEscapedToo) {
  std::string out;
  JsonWriter json(out);
  json.begin_object().key("a\"b\n").integer(1).end_object();
  EXPECT_EQ(out, R"({"a\"b\n":1})");
}

TEST(JsonWriterTest, MisuseThrowsLogicError) {
  std::string out;
  {
    JsonWriter json(out);
    json.begin_object();
    EXPECT_THROW(json.integer(1), std::logic_error);  // value without key
  }
  {
    JsonWriter json(out);
    json.begin_array();
    EXPECT_THROW(json.key("k"), std::logic_error);  // key in an array
    EXPECT_THROW(json.end_object(), std::logic_error);
  }
  {
    JsonWriter json(out);
    EXPECT_THROW(json.end_array(), std::logic_error);
  }
  {
    JsonWriter json(out);
    json.integer(1);
    EXPECT_THROW(json.integer(2), std::logic_error);  // two top-level values
  }
  {
    JsonWriter json(out);
    EXPECT_THROW(
        {
          for (int i = 0; i < 100; ++i) json.begin_array();
        },
        std::logic_error);
  }
}

TEST(Utf8Test, ValidatesPerRfc3629) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xC2\x80"));
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));         // overlong
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));     // overlong
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));     // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));
}

}  // namespace
}  // namespace mdp::http
