// Candles: {"candles":[{"start":"1712192400","low":"…","high":"…","open":"…","close":"…",
// "volume":"…"}, …]} newest first -> canonical candles ascending by open time.
//
// Two paths, one result:
//  - DOM (the documented form, every value a JSON string): simdjson's DOM validates the whole
//    document, hands out string contents without copying, and knows the row count up front,
//    so each row is written straight into its ascending slot (no reversal pass). This is
//    the fast path the benchmarks measure.
//  - On-Demand (some value is a JSON number): DOM turns numbers into binary values and loses
//    their text, so the body is walked again with On-Demand, taking each value's raw token.
// Both report the same errors with the same messages.
#include "CoinbaseParsers.hpp"

#include "CoinbaseJson.hpp"

#include <algorithm>

namespace mdp::coinbase {

namespace {

namespace od = json::od;
namespace dom = simdjson::dom;
using json::Kind;

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

[[noreturn]] void wrong_value_type(std::size_t index, unsigned bit, const char* got) {
  row_error(index, std::string(".") + field_name(bit) + ": expected a string or number, got " + got);
}

// Which required field a key names (0 for any other key).
unsigned classify(std::string_view key) noexcept {
  switch (key.size()) {
    case 3: return key == "low" ? kLow : 0;
    case 4: return key == "high" ? kHigh : key == "open" ? kOpen : 0;
    case 5: return key == "start" ? kStart : key == "close" ? kClose : 0;
    case 6: return key == "volume" ? kVolume : 0;
    default: return 0;
  }
}
// The same for an On-Demand key (compared raw: the six names contain nothing to escape).
unsigned classify(od::raw_json_string key) noexcept {
  switch (key.raw()[0]) {
    case 's': return key == "start" ? kStart : 0;
    case 'l': return key == "low" ? kLow : 0;
    case 'h': return key == "high" ? kHigh : 0;
    case 'o': return key == "open" ? kOpen : 0;
    case 'c': return key == "close" ? kClose : 0;
    case 'v': return key == "volume" ? kVolume : 0;
    default: return 0;
  }
}

// Stores one field's text (string content or number token) into the candle.
MDP_COINBASE_HOT void set_field(mdp::sdk::Candle& candle, unsigned bit, std::string_view text, std::size_t index) {
  std::string* target;
  switch (bit) {
    case kStart: {
      std::int64_t seconds = 0;
      // Seconds since the epoch; 12 digits reach year 33658, far beyond any real candle.
      if (!json::parse_uint(text, seconds) || text.size() > 12) {
        row_error(index, ".start: not a whole number of seconds: '" + json::excerpt(text) + "'");
      }
      candle.open_time_ms = seconds * 1000;
      return;
    }
    case kLow: target = &candle.low; break;
    case kHigh: target = &candle.high; break;
    case kOpen: target = &candle.open; break;
    case kClose: target = &candle.close; break;
    default: target = &candle.volume; break;
  }
  if (!mdp::assign_canonical_decimal(text, *target)) {
    row_error(index, std::string(".") + field_name(bit) + ": not a decimal: '" + json::excerpt(text) + "'");
  }
}

void finish_row(mdp::sdk::Candle& candle, unsigned seen, std::size_t index, std::int64_t interval_ms,
                std::int64_t now_ms) {
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

const char* dom_kind(dom::element_type type) noexcept {
  switch (type) {
    case dom::element_type::ARRAY: return "array";
    case dom::element_type::OBJECT: return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "number";
    case dom::element_type::STRING: return "string";
    case dom::element_type::BOOL: return "boolean";
    case dom::element_type::NULL_VALUE: return "null";
  }
  return "invalid token";
}

// Sorts rows that did not arrive newest first; rejects two candles with one start.
void order_and_check(std::vector<mdp::sdk::Candle>& out) {
  const auto by_open = [](const mdp::sdk::Candle& a, const mdp::sdk::Candle& b) {
    return a.open_time_ms < b.open_time_ms;
  };
  if (!std::is_sorted(out.begin(), out.end(), by_open)) std::stable_sort(out.begin(), out.end(), by_open);
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].open_time_ms == out[i - 1].open_time_ms) {
      json::protocol_error(std::string(kWhat) + ": two candles start at " +
                           std::to_string(out[i].open_time_ms / 1000));
    }
  }
}

// The On-Demand path: every value through its raw token. Rows are appended in wire order and
// reversed when they came newest first.
void parse_ondemand(std::string_view body, std::int64_t interval_ms, std::int64_t now_ms,
                    std::vector<mdp::sdk::Candle>& out) {
  out.clear();
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
      mdp::sdk::Candle& candle = out.emplace_back();
      unsigned seen = 0;
      for (auto cell_result : row) {
        od::field cell;
        if (auto code = std::move(cell_result).get(cell)) json::json_error(kWhat, code);
        const unsigned bit = classify(cell.key());
        if (bit == 0) continue;  // unknown fields are skipped by the iterator
        if ((seen & bit) != 0) row_error(index, std::string(": duplicate field '") + field_name(bit) + "'");
        seen |= bit;
        std::string_view text;
        const Kind kind = json::scalar_token(cell.value(), text);
        if (kind != Kind::String && kind != Kind::Number) wrong_value_type(index, bit, json::kind_name(kind));
        set_field(candle, bit, text, index);
      }
      finish_row(candle, seen, index, interval_ms, now_ms);
      ++index;
    }
  }
  if (!seen_candles) json::protocol_error(std::string(kWhat) + ": missing field 'candles'");
  json::expect_end(doc, kWhat);
  const auto newer_first = [](const mdp::sdk::Candle& a, const mdp::sdk::Candle& b) {
    return a.open_time_ms > b.open_time_ms;
  };
  if (std::is_sorted(out.begin(), out.end(), newer_first)) std::reverse(out.begin(), out.end());
  order_and_check(out);
}

// The DOM path. Returns false (having touched nothing but `out`) when a value is a JSON
// number, which only the On-Demand path can read exactly.
bool parse_dom(std::string_view body, std::int64_t interval_ms, std::int64_t now_ms,
               std::vector<mdp::sdk::Candle>& out) {
  json::expect_object_text(body, kWhat);
  const simdjson::padded_string_view input = json::padded(body);
  dom::element root;
  if (auto code = json::thread_dom_parser().parse(input.data(), input.size(), false).get(root)) {
    json::json_error(kWhat, code);
  }
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    json::protocol_error(std::string(kWhat) + ": expected a JSON object");
  }
  dom::element candles;
  bool seen_candles = false;
  for (dom::key_value_pair field : object) {
    if (field.key != "candles") continue;
    if (seen_candles) json::protocol_error(std::string(kWhat) + ": duplicate field 'candles'");
    seen_candles = true;
    candles = field.value;
  }
  if (!seen_candles) json::protocol_error(std::string(kWhat) + ": missing field 'candles'");
  dom::array rows;
  if (candles.get_array().get(rows) != simdjson::SUCCESS) {
    json::protocol_error(std::string(kWhat) + ": field 'candles' is not an array (got " +
                         dom_kind(candles.type()) + ")");
  }
  // DOM knows the count (saturating at 0xFFFFFF; Coinbase sends at most 350).
  const std::size_t n = rows.size();
  if (n >= 0xFFFFFF) json::protocol_error(std::string(kWhat) + ": too many candles");
  out.resize(n);  // keeps the strings' buffers when the vector is reused
  std::size_t index = 0;
  for (dom::element row_value : rows) {
    dom::object row;
    if (row_value.get_object().get(row) != simdjson::SUCCESS) {
      row_error(index, std::string(": expected an object, got ") + dom_kind(row_value.type()));
    }
    mdp::sdk::Candle& candle = out[n - 1 - index];  // newest first on the wire
    unsigned seen = 0;
    for (dom::key_value_pair cell : row) {
      const unsigned bit = classify(cell.key);
      if (bit == 0) continue;
      if ((seen & bit) != 0) row_error(index, std::string(": duplicate field '") + field_name(bit) + "'");
      seen |= bit;
      std::string_view text;
      if (cell.value.get_string().get(text) != simdjson::SUCCESS) {
        const dom::element_type type = cell.value.type();
        if (type == dom::element_type::INT64 || type == dom::element_type::UINT64 ||
            type == dom::element_type::DOUBLE) {
          return false;  // a number token: its exact text is only available On-Demand
        }
        wrong_value_type(index, bit, dom_kind(type));
      }
      set_field(candle, bit, text, index);
    }
    finish_row(candle, seen, index, interval_ms, now_ms);
    ++index;
  }
  order_and_check(out);  // a no-op check for the documented newest-first order
  return true;
}

}  // namespace

void parse_candles(std::string_view body, std::int64_t interval_ms, std::int64_t now_ms,
                   std::vector<mdp::sdk::Candle>& out) {
  if (interval_ms <= 0) throw mdp::sdk::Error(MDP_E_INVALID_ARGUMENT, "coinbase: interval_ms must be > 0");
  try {
    if (parse_dom(body, interval_ms, now_ms, out)) return;
  } catch (...) {
    out.clear();
    throw;
  }
  parse_ondemand(body, interval_ms, now_ms, out);
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
