// GET /fapi/v1/klines -> canonical candles. The hot path the benchmark measures: one DOM
// parse with the thread's parser, then one pass over the rows; decimal strings go from the
// token text straight into the candle's (SSO-sized, reused) strings, never through double.
#include "BinanceJson.hpp"
#include "BinanceParsers.hpp"

namespace mdp::binance {

using detail::protocol_error;
using detail::type_name;
using sdk::Candle;

namespace {

// Row fields used (of the 12): 0 open time, 1-4 OHLC, 5 volume, 6 close time,
// 7 quote asset volume, 8 number of trades. 9-11 (taker volumes, ignore) are not read.
constexpr std::size_t kFieldsUsed = 9;
const char* const kFieldNames[kFieldsUsed] = {"open time", "open",       "high",
                                              "low",       "close",      "volume",
                                              "close time", "quote volume", "trades"};

[[noreturn]] void row_error(std::size_t row, std::size_t field, const simdjson::dom::element& value,
                            bool want_integer) {
  const bool out_of_range = want_integer && value.is_number();  // 1.5, 1e3 or beyond int64
  protocol_error("klines row " + std::to_string(row) + " field " + std::to_string(field) + " (" +
                 kFieldNames[field] + ") is a " + type_name(value) +
                 (out_of_range ? " that is not an int64" : "") + ", expected " +
                 (want_integer ? "an integer" : "a decimal string"));
}

inline void read_decimal(const simdjson::dom::element& value, std::size_t row, std::size_t field,
                         std::string& out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) row_error(row, field, value, false);
  if (!mdp::assign_canonical_decimal(text, out)) {
    protocol_error("klines row " + std::to_string(row) + " field " + std::to_string(field) + " (" +
                   kFieldNames[field] + ") is not a decimal: '" + detail::snippet(text) + "'");
  }
}

inline std::int64_t read_int(const simdjson::dom::element& value, std::size_t row, std::size_t field) {
  std::int64_t out = 0;
  if (value.get_int64().get(out) != simdjson::SUCCESS) row_error(row, field, value, true);
  return out;
}

}  // namespace

void parse_klines(std::string_view body, std::int64_t interval_ms, std::int64_t now_ms,
                  std::vector<Candle>& out) {
  if (interval_ms <= 0 && interval_ms != kCalendarMonth) {
    throw sdk::Error(MDP_E_INVALID_ARGUMENT, "binance: parse_klines: interval_ms must be > 0 or kCalendarMonth");
  }
  const simdjson::dom::element root = detail::parse_or_throw(body, "klines");
  simdjson::dom::array rows;
  if (root.get_array().get(rows) != simdjson::SUCCESS) {
    std::string message = std::string("klines body is a ") + type_name(root) + ", expected an array of rows";
    ApiError api;
    if (parse_error_body(body, api)) message += " (code " + std::to_string(api.code) + ": " + api.msg + ")";
    protocol_error(std::move(message));
  }
  // Reuse the caller's rows (and their string buffers) when it passes the same vector again.
  out.resize(rows.size());
  std::size_t r = 0;
  std::int64_t previous_open = 0;
  for (simdjson::dom::element row_value : rows) {
    simdjson::dom::array row;
    if (row_value.get_array().get(row) != simdjson::SUCCESS) {
      protocol_error("klines row " + std::to_string(r) + " is a " + type_name(row_value) +
                     ", expected an array of 12 fields");
    }
    Candle& c = out[r];
    std::size_t f = 0;
    for (simdjson::dom::element v : row) {
      switch (f) {
        case 0: c.open_time_ms = read_int(v, r, 0); break;
        case 1: read_decimal(v, r, 1, c.open); break;
        case 2: read_decimal(v, r, 2, c.high); break;
        case 3: read_decimal(v, r, 3, c.low); break;
        case 4: read_decimal(v, r, 4, c.close); break;
        case 5: read_decimal(v, r, 5, c.volume); break;
        case 6: (void)read_int(v, r, 6); break;  // shape check; close time is derived below
        case 7: read_decimal(v, r, 7, c.quote_volume); break;
        case 8: {
          c.trades = read_int(v, r, 8);
          if (c.trades < 0) {
            protocol_error("klines row " + std::to_string(r) + " field 8 (trades) is negative: " +
                           std::to_string(c.trades));
          }
          break;
        }
        default: break;
      }
      if (++f == kFieldsUsed) break;  // fields 9-11 are not used
    }
    if (f < kFieldsUsed) {
      protocol_error("klines row " + std::to_string(r) + " has " + std::to_string(f) +
                     " fields, expected 12 (at least 9)");
    }
    if (r > 0 && c.open_time_ms <= previous_open) {
      protocol_error("klines row " + std::to_string(r) + ": open time " + std::to_string(c.open_time_ms) +
                     " is not after the previous row's " + std::to_string(previous_open));
    }
    // A month's candle opens on the first ms of a UTC month; one opening later (e.g. on the
    // last ms of January) would get a close time at or before its open (found by fuzzing).
    if (interval_ms == kCalendarMonth && add_buckets_ms(c.open_time_ms, kCalendarMonth, 0) != c.open_time_ms) {
      protocol_error("klines row " + std::to_string(r) + ": open time " + std::to_string(c.open_time_ms) +
                     " is not the start of a UTC month");
    }
    previous_open = c.open_time_ms;
    c.close_time_ms = next_open_ms(c.open_time_ms, interval_ms) - 1;
    c.closed = c.close_time_ms < now_ms;
    ++r;
  }
}

std::vector<Candle> parse_klines(std::string_view body, std::int64_t interval_ms, std::int64_t now_ms) {
  std::vector<Candle> out;
  parse_klines(body, interval_ms, now_ms, out);
  return out;
}

}  // namespace mdp::binance
