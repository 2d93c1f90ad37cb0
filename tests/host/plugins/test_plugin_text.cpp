#include <gtest/gtest.h>

#include <string>

#include "PluginText.hpp"

using mdp::plugins::has_control_chars;
using mdp::plugins::is_valid_utf8;
using mdp::plugins::read_bounded;
using mdp::plugins::read_text;
using mdp::plugins::sanitize;
using mdp::plugins::TextIssue;

TEST(PluginText, ReadBoundedNeverReadsPastTheCap) {
  // 8 bytes, no NUL: only cap + 1 bytes may be looked at.
  const char buffer[8] = {'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'};
  std::string_view out;
  EXPECT_EQ(read_bounded(buffer, 4, out), TextIssue::TooLong);
  EXPECT_EQ(read_bounded("abcd", 4, out), TextIssue::None);
  EXPECT_EQ(out, "abcd");
  EXPECT_EQ(read_bounded("abcde", 4, out), TextIssue::TooLong);
  EXPECT_EQ(read_bounded(nullptr, 4, out), TextIssue::Null);
  EXPECT_EQ(read_bounded("", 4, out), TextIssue::None);
  EXPECT_TRUE(out.empty());
}

TEST(PluginText, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("BTC/USDT"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9"));              // é
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));          // €
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x9A\x80"));      // rocket
  EXPECT_FALSE(is_valid_utf8("\xC0\x80"));             // overlong NUL
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));         // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));         // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));     // > U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));                 // truncated
  EXPECT_FALSE(is_valid_utf8("\x80"));                 // lone continuation
  EXPECT_FALSE(is_valid_utf8("ab\xFF"));
}

TEST(PluginText, ControlCharacters) {
  EXPECT_FALSE(has_control_chars("BTC-USD 1"));
  EXPECT_TRUE(has_control_chars("a\nb"));
  EXPECT_TRUE(has_control_chars("a\rb"));
  EXPECT_TRUE(has_control_chars("\x7F"));
  EXPECT_TRUE(has_control_chars("\xC2\x85"));  // NEL (C1)
  EXPECT_FALSE(has_control_chars("\xC2\xA0"));  // NBSP is not a control
  std::string_view out;
  EXPECT_EQ(read_text("a\tb", 16, out), TextIssue::ControlChar);
  EXPECT_EQ(read_text("a\xFF", 16, out), TextIssue::InvalidUtf8);
  EXPECT_EQ(read_text("fine", 16, out), TextIssue::None);
}

TEST(PluginText, SanitizeMakesUntrustedTextSafeForLogs) {
  EXPECT_EQ(sanitize("line1\nline2", 64), "line1 line2");
  EXPECT_EQ(sanitize("bad\xFF" "byte", 64), "bad?byte");
  EXPECT_EQ(sanitize("abcdefgh", 4), "abcd...");
  EXPECT_EQ(sanitize(static_cast<const char*>(nullptr), 4), "(null)");
  const char unterminated[6] = {'x', 'x', 'x', 'x', 'x', 'x'};
  EXPECT_EQ(sanitize(unterminated, 3), "xxx...");
}
