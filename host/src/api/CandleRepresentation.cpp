#include "CandleRepresentation.hpp"

#include "CsvWriter.hpp"
#include "JsonWriter.hpp"

namespace mdp::api {
namespace {

// A candle with 10 fields is ~200 bytes of JSON; reserving avoids regrowing a 2 MB body.
constexpr std::size_t kJsonBytesPerCandle = 220;
constexpr std::size_t kCsvBytesPerCandle = 130;

}  // namespace

void write_candles_json(std::string& out, const service::CandleResult& result) {
  const auto& candles = result.series.candles;
  out.reserve(out.size() + 256 + candles.size() * kJsonBytesPerCandle);
  http::JsonWriter json(out);
  json.begin_object();
  json.key("exchange").string(result.exchange);
  json.key("symbol").string(result.symbol);
  json.key("native_symbol").string(result.native_symbol);
  json.key("interval").string(result.interval);
  json.key("start").integer(result.start_ms);
  json.key("end").integer(result.end_ms);
  json.key("available_from");
  result.series.available_from_ms ? json.integer(*result.series.available_from_ms) : json.null();
  json.key("candles").begin_array();
  for (const domain::Candle& c : candles) {
    json.begin_object();
    json.key("open_time").integer(c.open_time_ms);
    json.key("close_time").integer(c.close_time_ms);
    json.key("open").decimal(c.open);
    json.key("high").decimal(c.high);
    json.key("low").decimal(c.low);
    json.key("close").decimal(c.close);
    json.key("volume").decimal(c.volume);
    json.key("quote_volume");
    c.quote_volume ? json.decimal(*c.quote_volume) : json.null();
    json.key("trades");
    c.trades ? json.integer(*c.trades) : json.null();
    json.key("closed").boolean(c.closed);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

void write_candles_csv(std::string& out, const service::CandleResult& result) {
  const auto& candles = result.series.candles;
  out.reserve(out.size() + 128 + candles.size() * kCsvBytesPerCandle);
  CsvWriter csv(out);
  for (const char* column :
       {"open_time", "close_time", "open", "high", "low", "close", "volume", "quote_volume", "trades", "closed"}) {
    csv.field(std::string_view(column));
  }
  csv.end_record();
  for (const domain::Candle& c : candles) {
    csv.field(c.open_time_ms).field(c.close_time_ms);
    csv.field(std::string_view(c.open)).field(std::string_view(c.high));
    csv.field(std::string_view(c.low)).field(std::string_view(c.close)).field(std::string_view(c.volume));
    c.quote_volume ? csv.field(std::string_view(*c.quote_volume)) : csv.empty_field();
    c.trades ? csv.field(*c.trades) : csv.empty_field();
    csv.field(c.closed);
    csv.end_record();
  }
}

std::string filename_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
    out.push_back(keep ? c : '-');
  }
  return out;
}

std::string candles_csv_filename(const service::CandleResult& result) {
  return "candles_" + filename_safe(result.exchange) + "_" + filename_safe(result.symbol) + "_" +
         filename_safe(result.interval) + "_" + std::to_string(result.start_ms) + "_" +
         std::to_string(result.end_ms) + ".csv";
}

}  // namespace mdp::api
