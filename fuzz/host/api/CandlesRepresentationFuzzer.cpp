// The candle writers as round-trips: a CandleResult built from fuzzer-chosen values (arbitrary
// bytes as exchange, symbol, native symbol and interval; any int64 times, trades and range;
// canonical decimals from a generator; absent quote_volume / trades / available_from) is
// written as JSON (write_candles_json) and CSV (write_candles_csv), then read back with
// independent strict readers (fuzz/support: RFC 8259, RFC 4180). Also CsvWriter itself with
// records of arbitrary byte fields. Invariants: JSON valid UTF-8 and valid JSON with every
// member in order and every value exact (text that is valid UTF-8 byte for byte, other bytes
// U+FFFD; integers as JSON integers; decimals as strings; null for absent); CSV records split
// back into exactly the fields written (header, 10 columns, "" for absent, true/false).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "CandleRepresentation.hpp"
#include "CsvWriter.hpp"
#include "FuzzCheck.hpp"
#include "Rfc4180.hpp"
#include "StrictJson.hpp"
#include "Utf8.hpp"

namespace {

namespace json = mdp::fuzz::json;
namespace csv = mdp::fuzz::csv;
using Kind = json::Value::Kind;
using mdp::fuzz::check;

// Canonical decimal text -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?, never "-0".
std::string canonical_decimal(FuzzedDataProvider& in) {
  std::string text;
  const bool negative = in.ConsumeBool();
  const int int_digits = in.ConsumeIntegralInRange<int>(0, 24);
  const int frac_digits = in.ConsumeIntegralInRange<int>(0, 24);
  if (int_digits == 0) {
    text = "0";
  } else {
    text.push_back(static_cast<char>('1' + in.ConsumeIntegralInRange<int>(0, 8)));
    for (int k = 1; k < int_digits; ++k) text.push_back(static_cast<char>('0' + in.ConsumeIntegralInRange<int>(0, 9)));
  }
  if (frac_digits > 0) {
    text.push_back('.');
    for (int k = 1; k < frac_digits; ++k) text.push_back(static_cast<char>('0' + in.ConsumeIntegralInRange<int>(0, 9)));
    text.push_back(static_cast<char>('1' + in.ConsumeIntegralInRange<int>(0, 8)));
  }
  if (negative && text != "0") text.insert(text.begin(), '-');
  return text;
}

std::string as_sent(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = mdp::http::utf8_sequence_length(text.substr(i));
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

const json::Value& member(const json::Value& object, std::size_t index, std::string_view name) {
  check(index < object.members.size() && object.members[index].first == name, "JSON member in its place");
  return object.members[index].second;
}

void check_text(const json::Value& value, std::string_view given, const char* what) {
  check(value.kind == Kind::String && value.text == as_sent(given), what);
  if (json::valid_utf8(given)) check(value.text == given, what);
}

void check_integer(const json::Value& value, std::int64_t given, const char* what) {
  check(value.kind == Kind::Number && value.text == std::to_string(given), what);
}

void check_json(const std::string& body, const mdp::service::CandleResult& result) {
  check(json::valid_utf8(body), "candles JSON is valid UTF-8");
  const std::optional<json::Value> doc = json::parse(body);
  check(doc.has_value() && doc->kind == Kind::Object, "candles JSON is one valid JSON object");
  check(doc->members.size() == 8, "candles JSON has 8 members");
  check_text(member(*doc, 0, "exchange"), result.exchange, "exchange round-trips");
  check_text(member(*doc, 1, "symbol"), result.symbol, "symbol round-trips");
  check_text(member(*doc, 2, "native_symbol"), result.native_symbol, "native_symbol round-trips");
  check_text(member(*doc, 3, "interval"), result.interval, "interval round-trips");
  check_integer(member(*doc, 4, "start"), result.start_ms, "start round-trips");
  check_integer(member(*doc, 5, "end"), result.end_ms, "end round-trips");
  const json::Value& available = member(*doc, 6, "available_from");
  if (result.series.available_from_ms) {
    check_integer(available, *result.series.available_from_ms, "available_from round-trips");
  } else {
    check(available.kind == Kind::Null, "absent available_from is null");
  }
  const json::Value& candles = member(*doc, 7, "candles");
  check(candles.kind == Kind::Array && candles.items.size() == result.series.candles.size(), "one item per candle");
  for (std::size_t k = 0; k < candles.items.size(); ++k) {
    const mdp::domain::Candle& c = result.series.candles[k];
    const json::Value& item = candles.items[k];
    check(item.kind == Kind::Object && item.members.size() == 10, "a candle has 10 members");
    check_integer(member(item, 0, "open_time"), c.open_time_ms, "open_time round-trips");
    check_integer(member(item, 1, "close_time"), c.close_time_ms, "close_time round-trips");
    const char* names[] = {"open", "high", "low", "close", "volume"};
    const std::string* values[] = {&c.open, &c.high, &c.low, &c.close, &c.volume};
    for (std::size_t f = 0; f < 5; ++f) {
      const json::Value& v = member(item, 2 + f, names[f]);
      check(v.kind == Kind::String && v.text == *values[f], "decimal round-trips as a JSON string");
    }
    const json::Value& quote = member(item, 7, "quote_volume");
    if (c.quote_volume) {
      check(quote.kind == Kind::String && quote.text == *c.quote_volume, "quote_volume round-trips");
    } else {
      check(quote.kind == Kind::Null, "absent quote_volume is null");
    }
    const json::Value& trades = member(item, 8, "trades");
    if (c.trades) {
      check_integer(trades, *c.trades, "trades round-trips");
    } else {
      check(trades.kind == Kind::Null, "absent trades is null");
    }
    check(member(item, 9, "closed").kind == (c.closed ? Kind::True : Kind::False), "closed round-trips");
  }
}

void check_csv(const std::string& body, const mdp::service::CandleResult& result) {
  const std::optional<std::vector<csv::Record>> records = csv::split(body);
  check(records.has_value(), "candles CSV is RFC 4180");
  check(records->size() == 1 + result.series.candles.size(), "one header and one record per candle");
  const csv::Record header = {"open_time", "close_time", "open",         "high",   "low",
                              "close",     "volume",     "quote_volume", "trades", "closed"};
  check((*records)[0] == header, "CSV header");
  for (std::size_t k = 0; k < result.series.candles.size(); ++k) {
    const mdp::domain::Candle& c = result.series.candles[k];
    const csv::Record expected = {std::to_string(c.open_time_ms),
                                  std::to_string(c.close_time_ms),
                                  c.open,
                                  c.high,
                                  c.low,
                                  c.close,
                                  c.volume,
                                  c.quote_volume.value_or(""),
                                  c.trades ? std::to_string(*c.trades) : "",
                                  c.closed ? "true" : "false"};
    check((*records)[k + 1] == expected, "CSV record round-trips");
  }
}

// CsvWriter with arbitrary bytes: records of 1..6 fields (a record of no fields and a record of
// one empty field are the same line, so every record has at least one).
void check_csv_writer(FuzzedDataProvider& in) {
  std::vector<csv::Record> written;
  std::string body = "kept";
  mdp::api::CsvWriter writer(body);
  const int count = in.ConsumeIntegralInRange<int>(0, 6);
  for (int r = 0; r < count; ++r) {
    csv::Record record;
    const int fields = in.ConsumeIntegralInRange<int>(1, 6);
    for (int f = 0; f < fields; ++f) {
      switch (in.ConsumeIntegralInRange<int>(0, 5)) {
        case 0: {
          const auto number = in.ConsumeIntegral<std::int64_t>();
          writer.field(number);
          record.push_back(std::to_string(number));
          break;
        }
        case 1: {
          const bool flag = in.ConsumeBool();
          writer.field(flag);
          record.emplace_back(flag ? "true" : "false");
          break;
        }
        case 2:
          writer.empty_field();
          record.emplace_back();
          break;
        default:
          record.push_back(in.ConsumeRandomLengthString(64));
          writer.field(std::string_view(record.back()));
          break;
      }
    }
    writer.end_record();
    written.push_back(std::move(record));
  }
  check(body.compare(0, 4, "kept") == 0, "CsvWriter appends to what the buffer held");
  const std::optional<std::vector<csv::Record>> records = csv::split(std::string_view(body).substr(4));
  check(records.has_value(), "CsvWriter output is RFC 4180");
  check(*records == written, "CsvWriter fields round-trip byte for byte");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  mdp::service::CandleResult result;
  result.exchange = in.ConsumeRandomLengthString(48);
  result.symbol = in.ConsumeRandomLengthString(48);
  result.native_symbol = in.ConsumeRandomLengthString(48);
  result.interval = in.ConsumeRandomLengthString(16);
  result.start_ms = in.ConsumeIntegral<std::int64_t>();
  result.end_ms = in.ConsumeIntegral<std::int64_t>();
  if (in.ConsumeBool()) result.series.available_from_ms = in.ConsumeIntegral<std::int64_t>();
  const int count = in.ConsumeIntegralInRange<int>(0, 12);
  for (int k = 0; k < count; ++k) {
    mdp::domain::Candle c;
    c.open_time_ms = in.ConsumeIntegral<std::int64_t>();
    c.close_time_ms = in.ConsumeIntegral<std::int64_t>();
    c.open = canonical_decimal(in);
    c.high = canonical_decimal(in);
    c.low = canonical_decimal(in);
    c.close = canonical_decimal(in);
    c.volume = canonical_decimal(in);
    if (in.ConsumeBool()) c.quote_volume = canonical_decimal(in);
    if (in.ConsumeBool()) c.trades = in.ConsumeIntegral<std::int64_t>();
    c.closed = in.ConsumeBool();
    result.series.candles.push_back(std::move(c));
  }

  std::string body = "{";  // the writers append: what the buffer held stays in front
  mdp::api::write_candles_json(body, result);
  check(body[0] == '{', "write_candles_json appends");
  check_json(body.substr(1), result);

  body.clear();
  mdp::api::write_candles_csv(body, result);
  check_csv(body, result);

  check_csv_writer(in);
  return 0;
}
