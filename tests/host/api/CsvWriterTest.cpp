// CsvWriter: RFC 4180 quoting, CRLF records, empty fields for null.
#include <gtest/gtest.h>

#include "CsvWriter.hpp"

namespace mdp::api {
namespace {

TEST(CsvWriter, PlainFieldsAreWrittenAsIsAndRecordsEndInCrlf) {
  std::string out;
  CsvWriter csv(out);
  csv.field(std::string_view("open_time")).field(std::string_view("open")).end_record();
  csv.field(std::int64_t{1704067200000}).field(std::string_view("42000.5")).end_record();
  EXPECT_EQ(out, "open_time,open\r\n1704067200000,42000.5\r\n");
}

TEST(CsvWriter, QuotesOnlyFieldsThatNeedItAndDoublesInnerQuotes) {
  std::string out;
  CsvWriter csv(out);
  csv.field(std::string_view("a,b")).field(std::string_view("say \"hi\"")).field(std::string_view("line\nbreak"));
  csv.field(std::string_view("cr\rhere")).field(std::string_view("BTC/USDT:USDT")).end_record();
  EXPECT_EQ(out, "\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\rhere\",BTC/USDT:USDT\r\n");
}

TEST(CsvWriter, EmptyFieldsBooleansAndNegativeNumbers) {
  std::string out;
  CsvWriter csv(out);
  csv.field(std::string_view("x")).empty_field().field(true).field(false).field(std::int64_t{-7}).empty_field();
  csv.end_record();
  EXPECT_EQ(out, "x,,true,false,-7,\r\n");
}

TEST(CsvWriter, NonAsciiTextIsPassedThroughUnquoted) {
  std::string out;
  CsvWriter(out).field(std::string_view("\xE5\xB8\x81\xE5\xAE\x89USDT")).end_record();
  EXPECT_EQ(out, "\xE5\xB8\x81\xE5\xAE\x89USDT\r\n");
}

}  // namespace
}  // namespace mdp::api
