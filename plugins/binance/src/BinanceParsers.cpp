// Shared pieces of the Binance parsers: interval catalogue and UTC calendar arithmetic,
// the per-thread JSON parser, protocol-error helpers and the error-body parser.
#include "BinanceParsers.hpp"

#include "BinanceJson.hpp"

#include <cstdio>
#include <utility>

namespace mdp::binance {

// ------------------------------------------------------------------ calendar (UTC)
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, UTC).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t y;
  unsigned m;
  unsigned d;
};

Civil civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// First ms of the UTC calendar month containing `ms`, shifted by `months`.
std::int64_t month_start_plus(std::int64_t ms, std::int64_t months) noexcept {
  const Civil c = civil_from_days(floor_div(ms, kDayMs));
  const std::int64_t index = c.y * 12 + static_cast<std::int64_t>(c.m - 1) + months;
  const std::int64_t y = floor_div(index, 12);
  const auto m = static_cast<unsigned>(index - y * 12 + 1);
  return days_from_civil(y, m, 1) * kDayMs;
}

const std::vector<IntervalInfo> kIntervals = {
    {"1m", 60'000},        {"3m", 180'000},        {"5m", 300'000},
    {"15m", 900'000},      {"30m", 1'800'000},     {"1h", 3'600'000},
    {"2h", 7'200'000},     {"4h", 14'400'000},     {"6h", 21'600'000},
    {"8h", 28'800'000},    {"12h", 43'200'000},    {"1d", 86'400'000},
    {"3d", 259'200'000},   {"1w", 604'800'000},    {"1M", kCalendarMonth},
};

}  // namespace

const std::vector<IntervalInfo>& intervals() { return kIntervals; }

const IntervalInfo* find_interval(std::string_view code) {
  for (const IntervalInfo& info : kIntervals) {
    if (code == info.code) return &info;
  }
  return nullptr;
}

std::int64_t next_open_ms(std::int64_t open_ms, std::int64_t interval_ms) {
  if (interval_ms == kCalendarMonth) return month_start_plus(open_ms, 1);
  return open_ms + interval_ms;
}

// For months: from a month start, n months later; from inside a month, the start of the
// (n+1)-th month after it. Either way [start, result) holds at most n month-open times,
// which is what the plugin needs to bound a request window to n buckets.
std::int64_t add_buckets_ms(std::int64_t start_ms, std::int64_t interval_ms, std::int64_t n) {
  if (interval_ms == kCalendarMonth) {
    const std::int64_t month_start = month_start_plus(start_ms, 0);
    return month_start_plus(start_ms, month_start == start_ms ? n : n + 1);
  }
  return start_ms + interval_ms * n;
}

std::string utc_yymmdd(std::int64_t ms) {
  const Civil c = civil_from_days(floor_div(ms, kDayMs));
  char buf[16];
  const int yy = static_cast<int>(((c.y % 100) + 100) % 100);
  std::snprintf(buf, sizeof buf, "%02d%02u%02u", yy, c.m, c.d);
  return buf;
}

// ------------------------------------------------------------------ JSON helpers
namespace detail {

simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

void protocol_error(std::string message) {
  throw mdp::sdk::Error(MDP_E_UPSTREAM_PROTOCOL, "binance: " + std::move(message));
}

std::string snippet(std::string_view body) {
  std::string out;
  const std::size_t n = body.size() < 60 ? body.size() : 60;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const char c = body[i];
    out.push_back((c >= 0 && c < 0x20) || c == 0x7f ? ' ' : c);
  }
  if (body.size() > n) out += "...";
  return out;
}

simdjson::dom::element parse_or_throw(std::string_view body, std::string_view what) {
  simdjson::dom::element root;
  const auto error = thread_parser().parse(body.data(), body.size()).get(root);
  if (error != simdjson::SUCCESS) {
    protocol_error(std::string(what) + " body is not valid JSON (" + simdjson::error_message(error) +
                   "; " + std::to_string(body.size()) + " bytes, starts with '" + snippet(body) + "')");
  }
  return root;
}

const char* type_name(const simdjson::dom::element& e) noexcept {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "array";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
    case simdjson::dom::element_type::DOUBLE: return "number";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

}  // namespace detail

// ------------------------------------------------------------------ error bodies

bool parse_error_body(std::string_view body, ApiError& out) {
  simdjson::dom::element root;
  if (detail::thread_parser().parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return false;
  simdjson::dom::object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) return false;
  std::int64_t code = 0;
  std::string_view msg;
  if (obj["code"].get_int64().get(code) != simdjson::SUCCESS) return false;
  if (obj["msg"].get_string().get(msg) != simdjson::SUCCESS) return false;
  out.code = code;
  out.msg.assign(msg.data(), msg.size());
  return true;
}

}  // namespace mdp::binance
