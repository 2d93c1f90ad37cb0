// candleSnapshot body → canonical candle rows (the hot path: simdjson DOM, one pass over
// each row's keys, decimals written straight into the row's strings).
#include "HyperliquidJson.hpp"
#include "HyperliquidParsers.hpp"

#include <limits>

namespace mdp::hyperliquid {

namespace {

constexpr std::string_view kWhat = "candleSnapshot";

// Presence bits of the required keys.
enum : unsigned {
  kHasOpenTime = 1u << 0,   // t
  kHasCloseTime = 1u << 1,  // T
  kHasOpen = 1u << 2,       // o
  kHasHigh = 1u << 3,       // h
  kHasLow = 1u << 4,        // l
  kHasClose = 1u << 5,      // c
  kHasVolume = 1u << 6,     // v
  kHasTrades = 1u << 7,     // n
  kHasAll = (1u << 8) - 1,
};

constexpr const char* kKeyOfBit[] = {"t", "T", "o", "h", "l", "c", "v", "n"};

[[noreturn]] void row_error(std::size_t row, const std::string& message) {
  detail::protocol_error(kWhat, "row " + std::to_string(row) + ": " + message);
}

void mark(unsigned& seen, unsigned bit, std::size_t row, char key) {
  if ((seen & bit) != 0) row_error(row, std::string("duplicate key '") + key + "'");
  seen |= bit;
}

std::int64_t int_field(const simdjson::dom::element& value, std::size_t row, char key) {
  std::int64_t out = 0;
  if (value.get_int64().get(out) != simdjson::SUCCESS) {
    row_error(row, std::string("field '") + key + "' must be an integer, got " + detail::type_name(value));
  }
  return out;
}

void decimal_field(const simdjson::dom::element& value, std::size_t row, char key, std::string& out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    row_error(row, std::string("field '") + key + "' must be a decimal string, got " + detail::type_name(value));
  }
  if (!mdp::assign_canonical_decimal(text, out)) {
    row_error(row, std::string("field '") + key + "' is not a decimal: '" + detail::snippet(text, 40) + "'");
  }
}

}  // namespace

void parse_candle_snapshot(std::string_view body, const IntervalSpec& interval, std::int64_t now_ms,
                           std::vector<sdk::Candle>& out) {
  out.clear();
  const simdjson::dom::element doc = detail::parse_json(body, kWhat);
  if (doc.is_null()) {
    throw sdk::Error(MDP_E_NOT_FOUND, "hyperliquid candleSnapshot: the exchange answered null (unknown coin)");
  }
  simdjson::dom::array rows;
  if (doc.get_array().get(rows) != simdjson::SUCCESS) {
    detail::protocol_error(kWhat, std::string("expected a JSON array of candles, got ") + detail::type_name(doc) +
                                      " '" + detail::snippet(body) + "'");
  }
  out.reserve(rows.size());
  std::int64_t previous_open = std::numeric_limits<std::int64_t>::min();
  std::size_t index = 0;
  for (const simdjson::dom::element row : rows) {
    simdjson::dom::object object;
    if (row.get_object().get(object) != simdjson::SUCCESS) {
      row_error(index, std::string("expected an object, got ") + detail::type_name(row));
    }
    sdk::Candle& candle = out.emplace_back();
    std::int64_t close_time = 0;
    unsigned seen = 0;
    for (const simdjson::dom::key_value_pair field : object) {
      if (field.key.size() != 1) continue;  // future keys are not an error
      const char key = field.key[0];
      switch (key) {
        case 't':
          mark(seen, kHasOpenTime, index, key);
          candle.open_time_ms = int_field(field.value, index, key);
          break;
        case 'T':
          mark(seen, kHasCloseTime, index, key);
          close_time = int_field(field.value, index, key);
          break;
        case 'o':
          mark(seen, kHasOpen, index, key);
          decimal_field(field.value, index, key, candle.open);
          break;
        case 'h':
          mark(seen, kHasHigh, index, key);
          decimal_field(field.value, index, key, candle.high);
          break;
        case 'l':
          mark(seen, kHasLow, index, key);
          decimal_field(field.value, index, key, candle.low);
          break;
        case 'c':
          mark(seen, kHasClose, index, key);
          decimal_field(field.value, index, key, candle.close);
          break;
        case 'v':
          mark(seen, kHasVolume, index, key);
          decimal_field(field.value, index, key, candle.volume);
          break;
        case 'n':
          mark(seen, kHasTrades, index, key);
          candle.trades = int_field(field.value, index, key);
          if (candle.trades < 0) row_error(index, "field 'n' is negative");
          break;
        default:
          break;  // s (coin), i (interval) and anything new: not needed
      }
    }
    if (seen != kHasAll) {
      for (unsigned bit = 0; bit < 8; ++bit) {
        if ((seen & (1u << bit)) == 0) row_error(index, std::string("missing field '") + kKeyOfBit[bit] + "'");
      }
    }
    if (close_time < candle.open_time_ms) {
      row_error(index, "T " + std::to_string(close_time) + " is before t " + std::to_string(candle.open_time_ms));
    }
    if (candle.open_time_ms <= previous_open) {
      row_error(index, "open time " + std::to_string(candle.open_time_ms) +
                           " does not follow the previous row's " + std::to_string(previous_open) +
                           " (rows must be strictly ascending)");
    }
    // A month's candle opens on the first ms of a UTC month; one opening later (e.g. on the
    // last ms of February) would get a close time at or before its open (found by fuzzing).
    if (interval.duration_ms == 0 && bucket_open_ms(interval, candle.open_time_ms) != candle.open_time_ms) {
      row_error(index, "open time " + std::to_string(candle.open_time_ms) + " is not the start of a UTC month");
    }
    previous_open = candle.open_time_ms;
    // The exchange's T is its last ms of the bucket; we derive it from the interval grid so
    // the calendar month (1M) and the in-progress candle follow one rule.
    candle.close_time_ms = next_open_ms(interval, candle.open_time_ms) - 1;
    candle.quote_volume.clear();  // not given by Hyperliquid: absent, never "0"
    candle.closed = candle.close_time_ms < now_ms;
    ++index;
  }
}

std::vector<sdk::Candle> parse_candle_snapshot(std::string_view body, std::string_view interval,
                                               std::int64_t now_ms) {
  const IntervalSpec* spec = find_interval(interval);
  if (spec == nullptr) {
    throw sdk::Error(MDP_E_UNSUPPORTED, "hyperliquid: interval '" + std::string(interval) +
                                            "' is not supported; supported: " + supported_interval_list());
  }
  std::vector<sdk::Candle> out;
  parse_candle_snapshot(body, *spec, now_ms, out);
  return out;
}

}  // namespace mdp::hyperliquid
