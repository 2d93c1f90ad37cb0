// Interval table, UTC calendar arithmetic for bucket boundaries, and the shared simdjson
// plumbing of the Hyperliquid parsers.
#include "HyperliquidParsers.hpp"

#include "HyperliquidJson.hpp"

#include <cstring>
#include <vector>

namespace mdp::hyperliquid {

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kWeek = 7 * kDay;
// 1970-01-01 was a Thursday; the first Monday 00:00 UTC is 4 days later.
constexpr std::int64_t kFirstMonday = 4 * kDay;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (m + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Months since 0000-01 of the UTC month containing `t_ms`.
std::int64_t month_index(std::int64_t t_ms) {
  const std::int64_t z = floor_div(t_ms, kDay) + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 12 + (m - 1);
}

std::int64_t month_start_ms(std::int64_t month_idx) {
  const std::int64_t y = floor_div(month_idx, 12);
  const std::int64_t m = month_idx - y * 12 + 1;
  return days_from_civil(y, m, 1) * kDay;
}

}  // namespace

const std::vector<IntervalSpec>& supported_intervals() {
  static const std::vector<IntervalSpec> kIntervals = {
      {"1m", kMinute},     {"3m", 3 * kMinute},  {"5m", 5 * kMinute}, {"15m", 15 * kMinute},
      {"30m", 30 * kMinute}, {"1h", kHour},      {"2h", 2 * kHour},   {"4h", 4 * kHour},
      {"8h", 8 * kHour},   {"12h", 12 * kHour},  {"1d", kDay},        {"3d", 3 * kDay},
      {"1w", kWeek},       {"1M", 0},
  };
  return kIntervals;
}

const IntervalSpec* find_interval(std::string_view code) {
  for (const IntervalSpec& spec : supported_intervals()) {
    if (code == spec.code) return &spec;
  }
  return nullptr;
}

std::string supported_interval_list() {
  std::string out;
  for (const IntervalSpec& spec : supported_intervals()) {
    if (!out.empty()) out += ", ";
    out += spec.code;
  }
  return out;
}

std::int64_t bucket_open_ms(const IntervalSpec& interval, std::int64_t t_ms) {
  if (interval.duration_ms == 0) return month_start_ms(month_index(t_ms));
  if (interval.duration_ms == kWeek) return floor_div(t_ms - kFirstMonday, kWeek) * kWeek + kFirstMonday;
  return floor_div(t_ms, interval.duration_ms) * interval.duration_ms;
}

std::int64_t add_buckets(const IntervalSpec& interval, std::int64_t open_ms, std::int64_t n) {
  if (interval.duration_ms == 0) return month_start_ms(month_index(open_ms) + n);
  return open_ms + n * interval.duration_ms;
}

std::int64_t next_open_ms(const IntervalSpec& interval, std::int64_t open_ms) {
  return add_buckets(interval, open_ms, 1);
}

std::int64_t earliest_served_open_ms(const IntervalSpec& interval, std::int64_t now_ms) {
  return add_buckets(interval, bucket_open_ms(interval, now_ms), -(kHistoryCandles - 1));
}

std::string lot_step_from_sz_decimals(std::int32_t sz_decimals) {
  if (sz_decimals <= 0) return "1";
  std::string out = "0.";
  out.append(static_cast<std::size_t>(sz_decimals - 1), '0');
  out.push_back('1');
  return out;
}

namespace detail {

void protocol_error(std::string_view what, const std::string& message) {
  throw sdk::Error(MDP_E_UPSTREAM_PROTOCOL, "hyperliquid " + std::string(what) + ": " + message);
}

std::string snippet(std::string_view text, std::size_t max) {
  std::string out;
  const std::size_t n = text.size() < max ? text.size() : max;
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  }
  if (text.size() > max) out += "...";
  return out;
}

simdjson::dom::element parse_json(std::string_view body, std::string_view what) {
  // One parser and one padded copy of the input per thread: simdjson reads up to
  // SIMDJSON_PADDING bytes past the end, which the host's buffer does not promise.
  thread_local simdjson::dom::parser parser;
  thread_local std::vector<char> buffer;
  if (body.empty()) protocol_error(what, "empty body (expected JSON)");
  const std::size_t needed = body.size() + simdjson::SIMDJSON_PADDING;
  if (buffer.size() < needed) buffer.resize(needed);
  std::memcpy(buffer.data(), body.data(), body.size());
  std::memset(buffer.data() + body.size(), 0, simdjson::SIMDJSON_PADDING);
  simdjson::dom::element doc;
  const simdjson::error_code error = parser.parse(buffer.data(), body.size(), false).get(doc);
  if (error != simdjson::SUCCESS) {
    protocol_error(what, std::string("body is not valid JSON (") + simdjson::error_message(error) +
                             "); " + std::to_string(body.size()) + " bytes starting '" + snippet(body) +
                             "'");
  }
  return doc;
}

const char* type_name(const simdjson::dom::element& e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY: return "array";
    case simdjson::dom::element_type::OBJECT: return "object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64: return "integer";
    case simdjson::dom::element_type::DOUBLE: return "number";
    case simdjson::dom::element_type::STRING: return "string";
    case simdjson::dom::element_type::BOOL: return "boolean";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
  }
  return "unknown";
}

}  // namespace detail
}  // namespace mdp::hyperliquid
