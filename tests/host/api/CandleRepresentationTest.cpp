// Candle JSON and CSV: the same exact values, null as null / empty field, safe filenames.
#include <gtest/gtest.h>

#include "CandleRepresentation.hpp"

namespace mdp::api {
namespace {

service::CandleResult sample() {
  service::CandleResult result;
  result.exchange = "binance_futures";
  result.symbol = "BTC/USDT:USDT";
  result.native_symbol = "BTCUSDT";
  result.interval = "1h";
  result.start_ms = 1704067200000;
  result.end_ms = 1704074400000;
  domain::Candle a;
  a.open_time_ms = 1704067200000;
  a.close_time_ms = 1704070799999;
  a.open = "42283.5";
  a.high = "42554.57";
  a.low = "42261.02";
  a.close = "42475.23";
  a.volume = "1271.68108";
  a.quote_volume = "53957244.0963";
  a.trades = 47134;
  domain::Candle b = a;
  b.open_time_ms = 1704070800000;
  b.close_time_ms = 1704074399999;
  b.quote_volume.reset();
  b.trades.reset();
  b.closed = false;
  result.series.candles = {a, b};
  return result;
}

TEST(CandleRepresentation, JsonHasExactDecimalsAsStringsAndExplicitNulls) {
  std::string out;
  write_candles_json(out, sample());
  EXPECT_EQ(out,
            R"({"exchange":"binance_futures","symbol":"BTC/USDT:USDT","native_symbol":"BTCUSDT","interval":"1h",)"
            R"("start":1704067200000,"end":1704074400000,"available_from":null,"candles":[)"
            R"({"open_time":1704067200000,"close_time":1704070799999,"open":"42283.5","high":"42554.57",)"
            R"("low":"42261.02","close":"42475.23","volume":"1271.68108","quote_volume":"53957244.0963",)"
            R"("trades":47134,"closed":true},)"
            R"({"open_time":1704070800000,"close_time":1704074399999,"open":"42283.5","high":"42554.57",)"
            R"("low":"42261.02","close":"42475.23","volume":"1271.68108","quote_volume":null,"trades":null,)"
            R"("closed":false}]})");
}

TEST(CandleRepresentation, CsvHasAHeaderAndTheSameValues) {
  std::string out;
  write_candles_csv(out, sample());
  EXPECT_EQ(out,
            "open_time,close_time,open,high,low,close,volume,quote_volume,trades,closed\r\n"
            "1704067200000,1704070799999,42283.5,42554.57,42261.02,42475.23,1271.68108,53957244.0963,47134,true\r\n"
            "1704070800000,1704074399999,42283.5,42554.57,42261.02,42475.23,1271.68108,,,false\r\n");
}

TEST(CandleRepresentation, EmptySeriesIsAValidDocument) {
  service::CandleResult result = sample();
  result.series.candles.clear();
  std::string json;
  write_candles_json(json, result);
  EXPECT_NE(json.find(R"("candles":[]})"), std::string::npos);
  std::string csv;
  write_candles_csv(csv, result);
  EXPECT_EQ(csv, "open_time,close_time,open,high,low,close,volume,quote_volume,trades,closed\r\n");
}

TEST(CandleRepresentation, FilenameKeepsOnlySafeCharacters) {
  EXPECT_EQ(candles_csv_filename(sample()), "candles_binance_futures_BTC-USDT-USDT_1h_1704067200000_1704074400000.csv");
  EXPECT_EQ(filename_safe("a\"b;c\r\n/..\\"), "a-b-c---..-");
  EXPECT_EQ(filename_safe("\xE5\xB8\x81"), "---");
}

}  // namespace
}  // namespace mdp::api
