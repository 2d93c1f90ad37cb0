#include <gtest/gtest.h>

#include "DatabaseError.hpp"
#include "Sql.hpp"

using namespace mdp::storage;

TEST(SqlPlaceholders, NumbersQuestionMarksForPostgresqlOnly) {
  EXPECT_EQ(sql::placeholders(Dialect::PostgreSQL, "SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(sql::placeholders(Dialect::SQLite, "SELECT ? , ?"), "SELECT ? , ?");
  EXPECT_EQ(sql::placeholders(Dialect::PostgreSQL, "SELECT ?::text[]"), "SELECT $1::text[]");
}

TEST(SqlPlaceholders, SkipsLiteralsIdentifiersAndComments) {
  EXPECT_EQ(sql::placeholders(Dialect::PostgreSQL, "SELECT '?', 'it''s ?', \"odd?\", ? -- why?\n, ? /* ? */, ?"),
            "SELECT '?', 'it''s ?', \"odd?\", $1 -- why?\n, $2 /* ? */, $3");
}

TEST(SqlText, RejectsNulAndInvalidUtf8) {
  EXPECT_NO_THROW(sql::check_text("f", "BTC/USDT"));
  EXPECT_NO_THROW(sql::check_text("f", "\xE2\x82\xAC caf\xC3\xA9 \xF0\x9F\x9A\x80"));
  EXPECT_THROW(sql::check_text("f", std::string("nul\0byte", 8)), InvalidValue);
  for (const char* bad : {"\xff", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC3"}) {
    EXPECT_THROW(sql::check_text("f", bad), InvalidValue) << bad;
  }
  try {
    sql::check_text("native_symbol", std::string("a\0b", 3));
  } catch (const InvalidValue& e) {
    EXPECT_NE(std::string(e.what()).find("native_symbol"), std::string::npos);
  }
}

TEST(SqlText, SanitizeReplacesAndCuts) {
  EXPECT_EQ(sql::sanitize_text(std::string("a\0b\xff", 4), 100), "a?b?");
  EXPECT_EQ(sql::sanitize_text("abcdef", 3), "abc");
  EXPECT_EQ(sql::sanitize_text("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9");  // never cuts inside a character
}

TEST(SqlArrays, EscapesElementsAndNulls) {
  EXPECT_EQ(sql::pg_text_array("f", {std::string("a"), std::nullopt, std::string("q\"b\\c"), std::string("NULL")}),
            "{\"a\",NULL,\"q\\\"b\\\\c\",\"NULL\"}");
  EXPECT_EQ(sql::pg_text_array("f", {}), "{}");
  EXPECT_EQ(sql::pg_int_array({1, std::nullopt, -5}), "{1,NULL,-5}");
  EXPECT_THROW(sql::pg_text_array("f", {std::string("x\0y", 3)}), InvalidValue);
}
