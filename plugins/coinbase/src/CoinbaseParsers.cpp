// Shared pieces of the Coinbase parsers: intervals, the per-thread simdjson plumbing, the
// error envelope, ISO-8601 times. Products live in CoinbaseSymbols.cpp, candles in
// CoinbaseCandles.cpp.
#include "CoinbaseParsers.hpp"

#include "CoinbaseJson.hpp"

#include <cstring>

namespace mdp::coinbase {

// ------------------------------------------------------------------ intervals

const IntervalInfo* find_interval(std::string_view canonical) noexcept {
  for (const IntervalInfo& info : kIntervals) {
    if (canonical == info.canonical) return &info;
  }
  return nullptr;
}

std::string supported_intervals_text() {
  std::string text;
  for (const IntervalInfo& info : kIntervals) {
    if (!text.empty()) text += ", ";
    text += info.canonical;
  }
  return text;
}

// ------------------------------------------------------------------ json plumbing

namespace json {

void protocol_error(const std::string& message) {
  throw mdp::sdk::Error(MDP_E_UPSTREAM_PROTOCOL, "coinbase: " + message);
}

void json_error(std::string_view what, simdjson::error_code code) {
  protocol_error(std::string(what) + ": invalid JSON (" + simdjson::error_message(code) + ")");
}

od::parser& thread_parser() {
  thread_local od::parser parser;
  return parser;
}

simdjson::dom::parser& thread_dom_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

simdjson::padded_string_view padded(std::string_view body) {
  thread_local std::string buffer;
  const std::size_t needed = body.size() + simdjson::SIMDJSON_PADDING;
  if (buffer.size() < needed) buffer.resize(needed);
  if (!body.empty()) std::memcpy(buffer.data(), body.data(), body.size());
  std::memset(buffer.data() + body.size(), 0, simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(buffer.data(), body.size(), buffer.size());
}

namespace {
bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

void expect_object_text(std::string_view body, std::string_view what) {
  std::size_t i = 0;
  while (i < body.size() && is_space(body[i])) ++i;
  if (i == body.size()) protocol_error(std::string(what) + ": empty body");
  if (body[i] == '<') protocol_error(std::string(what) + ": got an HTML/XML page instead of JSON");
  if (body[i] != '{') {
    protocol_error(std::string(what) + ": expected a JSON object, got '" + excerpt(body.substr(i)) + "'");
  }
}

od::object root_object(od::document& doc, std::string_view body, std::string_view what) {
  expect_object_text(body, what);
  od::object object;
  if (auto code = doc.get_object().get(object)) json_error(what, code);
  return object;
}

void expect_end(od::document& doc, std::string_view what) {
  const char* location = nullptr;
  // OUT_OF_BOUNDS is the good case: nothing left after the root value.
  if (doc.current_location().get(location) == simdjson::SUCCESS) {
    protocol_error(std::string(what) + ": unexpected content after the JSON value");
  }
}

Kind scalar_token(od::value& value, std::string_view& text) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() && is_space(token.back())) token.remove_suffix(1);
  if (token.empty()) return Kind::Invalid;
  switch (token.front()) {
    case '"':
      if (token.size() < 2 || token.back() != '"') return Kind::Invalid;
      text = token.substr(1, token.size() - 2);
      return Kind::String;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      text = token;
      return Kind::Number;
    case 't': case 'f':
      text = token;
      return Kind::Bool;
    case 'n':
      text = token;
      return Kind::Null;
    case '{':
      return Kind::Object;
    case '[':
      return Kind::Array;
    default:
      return Kind::Invalid;
  }
}

std::string excerpt(std::string_view text) {
  std::string out;
  const std::size_t n = text.size() < 40 ? text.size() : 40;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  }
  if (text.size() > n) out += "...";
  return out;
}

}  // namespace json

// ------------------------------------------------------------------ error envelope

ErrorBody parse_error_body(std::string_view body) noexcept {
  ErrorBody out;
  try {
    std::size_t i = 0;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) ++i;
    if (i == body.size() || body[i] != '{') return out;
    json::od::document doc;
    if (json::thread_parser().iterate(json::padded(body)).get(doc) != simdjson::SUCCESS) return out;
    json::od::object object;
    if (doc.get_object().get(object) != simdjson::SUCCESS) return out;
    ErrorBody parsed;
    for (auto field_result : object) {
      json::od::field field;
      if (std::move(field_result).get(field) != simdjson::SUCCESS) return out;
      std::string_view key;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS) return out;
      std::string* target = nullptr;
      if (key == "error") target = &parsed.error;
      else if (key == "message") target = &parsed.message;
      else if (key == "error_details" || key == "details") target = &parsed.details;
      if (target == nullptr) continue;
      std::string_view text;
      json::od::value& value = field.value();
      json::od::json_type type;
      if (value.type().get(type) != simdjson::SUCCESS) return out;
      if (type == json::od::json_type::string) {
        if (value.get_string().get(text) != simdjson::SUCCESS) return out;
        target->assign(text);
      } else if (type == json::od::json_type::null) {
        target->clear();
      } else if (type == json::od::json_type::object || type == json::od::json_type::array) {
        // A structured error_details (e.g. a list of {type_url, value}): keep its JSON text.
        simdjson::error_code code = simdjson::SUCCESS;
        if (type == json::od::json_type::object) {
          json::od::object nested;
          code = value.get_object().get(nested);
          if (code == simdjson::SUCCESS) code = nested.raw_json().get(text);
        } else {
          json::od::array nested;
          code = value.get_array().get(nested);
          if (code == simdjson::SUCCESS) code = nested.raw_json().get(text);
        }
        if (code != simdjson::SUCCESS) return out;
        if (target->empty()) target->assign(text.substr(0, 200));
      } else {
        target->assign(value.raw_json_token().substr(0, 40));
      }
    }
    parsed.is_json_object = true;
    return parsed;
  } catch (...) {
    return out;
  }
}

// ------------------------------------------------------------------ time

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
}

bool digits(std::string_view text, std::size_t pos, std::size_t count, unsigned& out) noexcept {
  if (pos + count > text.size()) return false;
  unsigned value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  out = value;
  return true;
}

bool is_leap(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

bool parse_iso8601_ms(std::string_view t, std::int64_t& out_ms) noexcept {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(t, 0, 4, year) || t.size() < 20 || t[4] != '-' || !digits(t, 5, 2, month) || t[7] != '-' ||
      !digits(t, 8, 2, day) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(t, 11, 2, hour) ||
      t[13] != ':' || !digits(t, 14, 2, minute) || t[16] != ':' || !digits(t, 17, 2, second)) {
    return false;
  }
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const unsigned month_days = kDays[month - 1] + (month == 2 && is_leap(year) ? 1u : 0u);
  if (day > month_days || hour > 23 || minute > 59 || second > 60) return false;
  std::size_t i = 19;
  unsigned millis = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    const std::size_t begin = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (i - begin < 3) millis = millis * 10 + static_cast<unsigned>(t[i] - '0');
      ++i;
    }
    if (i == begin) return false;
    for (std::size_t n = i - begin; n < 3; ++n) millis *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    ++i;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    unsigned oh = 0, om = 0;
    if (!digits(t, i + 1, 2, oh) || i + 3 >= t.size() || t[i + 3] != ':' || !digits(t, i + 4, 2, om) ||
        oh > 23 || om > 59) {
      return false;
    }
    offset_minutes = static_cast<std::int64_t>(oh * 60 + om) * (t[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return false;
  }
  if (i != t.size()) return false;
  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  out_ms = seconds * 1000 + millis;
  return true;
}

std::string yymmdd_utc(std::int64_t ms) {
  std::int64_t days = ms / 86'400'000;
  if (ms % 86'400'000 < 0) --days;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const auto yy = static_cast<unsigned>(((y % 100) + 100) % 100);
  char text[7];
  text[0] = static_cast<char>('0' + yy / 10);
  text[1] = static_cast<char>('0' + yy % 10);
  text[2] = static_cast<char>('0' + m / 10);
  text[3] = static_cast<char>('0' + m % 10);
  text[4] = static_cast<char>('0' + d / 10);
  text[5] = static_cast<char>('0' + d % 10);
  text[6] = '\0';
  return std::string(text, 6);
}

}  // namespace mdp::coinbase
