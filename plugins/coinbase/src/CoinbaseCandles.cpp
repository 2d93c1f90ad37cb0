// Candles: {"candles":[{"start":"1712192400","low":"…","high":"…","open":"…","close":"…",
// "volume":"…"}, …]} newest first -> canonical candles ascending by open time.
#include "CoinbaseParsers.hpp"

#include "CoinbaseJson.hpp"

#include <algorithm>

namespace mdp::coinbase {

namespace {

using json::Kind;
namespace od = json::od;

constexpr std::string_view kWhat = "candles response";

// Bits of the six required fields.
constexpr unsigned kStart = 1u << 0;
constexpr unsigned kLow = 1u << 1;
constexpr unsigned kHigh = 1u << 2;
constexpr unsigned kOpen = 1u << 3;
constexpr unsigned kClose = 1u << 4;
constexpr unsigned kVolume = 1u << 5;
constexpr unsigned kAll = (1u << 6) - 1;

const char* field_name(unsigned bit) noexcept {
  switch (bit) {
    case kStart: return "start";
    case kLow: return "low";
    case kHigh: return "high";
    case kOpen: return "open";
    case kClose: return "close";
    case kVolume: return "volume";
    default: return "?";
  }
}

[[noreturn]] void row_error(std::size_t index, const std::string& message) {
  json::protocol_error(std::string(kWhat) + ": candles[" + std::to_string(index) + "]" + message);
}

// Which required field a key names (0 for any other key). Keys are compared unescaped-raw:
// the six names contain nothing to escape.
unsigned classify(od::raw_json_string key) noexcept {
  const char* k = key.raw();
  switch (k[0]) {
    case 's': return key == "start" ? kStart : 0;
    case 'l': return key == "low" ? kLow : 0;
    case 'h': return key == "high" ? kHigh : 0;
    case 'o': return key == "open" ? kOpen : 0;
    case 'c': return key == "close" ? kClose : 0;
    case 'v': return key == "volume" ? kVolume : 0;
    default: return 0;
  }
}

void parse_row(od::object row, std::size_t index, std::int64_t interval_ms, std::int64_t now_ms,
               mdp::sdk::Candle& candle) {
  unsigned seen = 0;
  for (auto field_result : row) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) json::json_error(kWhat, code);
    const unsigned bit = classify(field.key());
    if (bit == 0) continue;  // unknown fields are skipped by the iterator
    if ((seen & bit) != 0) row_error(index, std::string(": duplicate field '") + field_name(bit) + "'");
    seen |= bit;
    std::string_view text;
    const Kind kind = json::scalar_token(field.value(), text);
    if (kind != Kind::String && kind != Kind::Number) {
      row_error(index, std::string(".") + field_name(bit) + ": expected a string or number, got " +
                           json::kind_name(kind));
    }
    if (bit == kStart) {
      std::int64_t seconds = 0;
      // Seconds since the epoch; 12 digits reach year 33658, far beyond any real candle.
      if (!json::parse_uint(text, seconds) || text.size() > 12) {
        row_error(index, ".start: not a whole number of seconds: '" + json::excerpt(text) + "'");
      }
      candle.open_time_ms = seconds * 1000;
      continue;
    }
    std::string* target = bit == kLow ? &candle.low
                        : bit == kHigh ? &candle.high
                        : bit == kOpen ? &candle.open
                        : bit == kClose ? &candle.close
                                        : &candle.volume;
    if (!mdp::to_canonical_decimal(text, *target)) {
      row_error(index, std::string(".") + field_name(bit) + ": not a decimal: '" + json::excerpt(text) + "'");
    }
  }
  if (seen != kAll) {
    for (unsigned bit = 1; bit < kAll; bit <<= 1) {
      if ((seen & bit) == 0) row_error(index, std::string(": missing field '") + field_name(bit) + "'");
    }
  }
  candle.close_time_ms = candle.open_time_ms + interval_ms - 1;
  candle.closed = candle.close_time_ms < now_ms;
  candle.quote_volume.clear();  // Coinbase gives no quote volume
  candle.trades = -1;           // nor a trade count
}

}  // namespace

void parse_candles(std::string_view body, std::int64_t interval_ms, std::int64_t now_ms,
                   std::vector<mdp::sdk::Candle>& out) {
  out.clear();
  if (interval_ms <= 0) throw mdp::sdk::Error(MDP_E_INVALID_ARGUMENT, "coinbase: interval_ms must be > 0");
  od::document doc;
  if (auto code = json::thread_parser().iterate(json::padded(body)).get(doc)) json::json_error(kWhat, code);
  od::object root = json::root_object(doc, body, kWhat);
  bool seen_candles = false;
  for (auto field_result : root) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) json::json_error(kWhat, code);
    if (!(field.key() == "candles")) continue;
    if (seen_candles) json::protocol_error(std::string(kWhat) + ": duplicate field 'candles'");
    seen_candles = true;
    od::array rows;
    if (field.value().get_array().get(rows) != simdjson::SUCCESS) {
      std::string_view text;
      json::protocol_error(std::string(kWhat) + ": field 'candles' is not an array (got " +
                           json::kind_name(json::scalar_token(field.value(), text)) + ")");
    }
    std::size_t index = 0;
    for (auto row_result : rows) {
      od::value row_value;
      if (auto code = std::move(row_result).get(row_value)) json::json_error(kWhat, code);
      od::object row;
      if (row_value.get_object().get(row) != simdjson::SUCCESS) {
        std::string_view text;
        row_error(index, std::string(": expected an object, got ") +
                             json::kind_name(json::scalar_token(row_value, text)));
      }
      out.emplace_back();
      parse_row(row, index, interval_ms, now_ms, out.back());
      ++index;
    }
  }
  if (!seen_candles) json::protocol_error(std::string(kWhat) + ": missing field 'candles'");
  json::expect_end(doc, kWhat);

  // Newest first on the wire: reverse. Anything else is sorted; equal starts are an error.
  const auto by_open = [](const mdp::sdk::Candle& a, const mdp::sdk::Candle& b) {
    return a.open_time_ms < b.open_time_ms;
  };
  const auto newer_first = [](const mdp::sdk::Candle& a, const mdp::sdk::Candle& b) {
    return a.open_time_ms > b.open_time_ms;
  };
  if (std::is_sorted(out.begin(), out.end(), newer_first)) {
    std::reverse(out.begin(), out.end());
  } else if (!std::is_sorted(out.begin(), out.end(), by_open)) {
    std::stable_sort(out.begin(), out.end(), by_open);
  }
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].open_time_ms == out[i - 1].open_time_ms) {
      json::protocol_error(std::string(kWhat) + ": two candles start at " +
                           std::to_string(out[i].open_time_ms / 1000));
    }
  }
}

std::vector<mdp::sdk::Candle> parse_candles(std::string_view body, std::string_view interval,
                                            std::int64_t now_ms) {
  const IntervalInfo* info = find_interval(interval);
  if (info == nullptr) {
    throw mdp::sdk::Error(MDP_E_UNSUPPORTED, "coinbase: interval '" + std::string(interval) +
                                                 "' is not supported (supported: " +
                                                 supported_intervals_text() + ")");
  }
  std::vector<mdp::sdk::Candle> out;
  parse_candles(body, info->duration_ms, now_ms, out);
  return out;
}

}  // namespace mdp::coinbase
