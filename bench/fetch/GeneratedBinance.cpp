#include "GeneratedBinance.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace mdp::bench {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kMonday = 4 * kDay;  // 1970-01-05 00:00 UTC: Binance's weeks start on Monday

struct FixedInterval {
  std::string_view code;
  std::int64_t ms;
};
constexpr std::array<FixedInterval, 14> kFixed = {{{"1m", kMinute},         {"3m", 3 * kMinute},
                                                   {"5m", 5 * kMinute},     {"15m", 15 * kMinute},
                                                   {"30m", 30 * kMinute},   {"1h", 60 * kMinute},
                                                   {"2h", 120 * kMinute},   {"4h", 240 * kMinute},
                                                   {"6h", 360 * kMinute},   {"8h", 480 * kMinute},
                                                   {"12h", 720 * kMinute},  {"1d", kDay},
                                                   {"3d", 3 * kDay},        {"1w", 7 * kDay}}};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Howard Hinnant's civil-date algorithms (proleptic Gregorian, UTC).
std::int64_t days_from_civil(std::int64_t y, std::int64_t m) {  // first day of month m of year y
  y -= m <= 2;
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
std::int64_t month_index(std::int64_t ms) {  // months since 1970-01
  std::int64_t z = floor_div(ms, kDay) + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  return (y - 1970) * 12 + (m - 1);
}
std::int64_t month_start(std::int64_t index) {
  const std::int64_t y = 1970 + floor_div(index, 12);
  const std::int64_t m = index - floor_div(index, 12) * 12 + 1;
  return days_from_civil(y, m) * kDay;
}

// The grid of one interval: open time of bucket i, and the bucket holding a time.
struct Grid {
  std::int64_t fixed_ms = 0;  // 0: calendar months
  std::int64_t offset = 0;
  std::int64_t bucket_of(std::int64_t t) const {
    return fixed_ms ? floor_div(t - offset, fixed_ms) : month_index(t);
  }
  std::int64_t open_of(std::int64_t bucket) const {
    return fixed_ms ? bucket * fixed_ms + offset : month_start(bucket);
  }
};

std::optional<Grid> grid_for(std::string_view code) {
  if (code == "1M") return Grid{0, 0};
  for (const auto& f : kFixed) {
    if (f.code == code) return Grid{f.ms, f.code == "1w" ? kMonday : 0};
  }
  return std::nullopt;
}

GeneratedBody error(int code, std::string_view message) {
  GeneratedBody out;
  out.status = 400;
  out.body = "{\"code\":" + std::to_string(code) + ",\"msg\":\"" + std::string(message) + "\"}";
  return out;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_text(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

void append_int(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// A JSON string of `units` / 10^decimals with exactly `decimals` digits after the point.
void append_fixed(std::string& out, std::uint64_t units, int decimals) {
  std::uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  out += '"';
  append_int(out, static_cast<std::int64_t>(units / scale));
  if (decimals > 0) {
    out += '.';
    char digits[20];
    std::uint64_t frac = units % scale;
    for (int i = decimals - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    out.append(digits, static_cast<std::size_t>(decimals));
  }
  out += '"';
}

// One row in BTCUSDT's formatting: prices 2 decimals, base volumes 3, quote volumes 5.
void append_row(std::string& out, std::uint64_t seed, std::int64_t open_ms, std::int64_t close_ms) {
  const std::uint64_t h = mix(seed ^ static_cast<std::uint64_t>(open_ms));
  const std::uint64_t open = 4'000'000 + (h % 2'000'000);  // cents: 40,000.00 .. 59,999.99
  const std::uint64_t close = open - 5'000 + ((h >> 21) % 10'000);
  const std::uint64_t high = std::max(open, close) + ((h >> 35) % 3'000);
  const std::uint64_t low = std::min(open, close) - ((h >> 45) % 3'000);
  const std::uint64_t volume = 1 + (h >> 11) % 500'000;  // thousandths
  const std::uint64_t taker = volume / 2;
  const std::uint64_t trades = 1 + (h >> 52) % 4'000;
  // quote volume ≈ volume × close, in 10^-5: (volume/1e3) × (close/1e2) = volume × close / 1e5.
  const std::uint64_t quote = volume * close;
  out += '[';
  append_int(out, open_ms);
  out += ',';
  append_fixed(out, open, 2);
  out += ',';
  append_fixed(out, high, 2);
  out += ',';
  append_fixed(out, low, 2);
  out += ',';
  append_fixed(out, close, 2);
  out += ',';
  append_fixed(out, volume, 3);
  out += ',';
  append_int(out, close_ms);
  out += ',';
  append_fixed(out, quote, 5);
  out += ',';
  append_int(out, static_cast<std::int64_t>(trades));
  out += ',';
  append_fixed(out, taker, 3);
  out += ',';
  append_fixed(out, taker * close, 5);
  out += ",\"0\"]";
}

bool valid_symbol(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 32) return false;
  return std::all_of(symbol.begin(), symbol.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

int weight_for(std::int64_t limit) {
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

}  // namespace

GeneratedBody binance_klines(const KlinesQuery& query, std::int64_t now_ms) {
  if (query.symbol.empty()) return error(-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
  if (!valid_symbol(query.symbol)) return error(-1121, "Invalid symbol.");
  const std::optional<Grid> grid = grid_for(query.interval);
  if (!grid) return error(-1120, "Invalid interval.");
  const std::int64_t limit = query.limit.value_or(500);
  if (limit < 1 || limit > 1500) return error(-1130, "Data sent for parameter 'limit' is not valid.");

  const std::int64_t last_allowed = std::min(query.end_ms.value_or(now_ms), now_ms);
  std::int64_t first_bucket = 0;
  std::int64_t last_bucket = grid->bucket_of(last_allowed);
  if (query.start_ms) {
    first_bucket = grid->bucket_of(*query.start_ms);
    if (grid->open_of(first_bucket) < *query.start_ms) ++first_bucket;
  } else {
    first_bucket = last_bucket - (limit - 1);
  }
  last_bucket = std::min(last_bucket, first_bucket + limit - 1);

  GeneratedBody out;
  out.weight = weight_for(limit);
  const std::uint64_t seed = hash_text(query.symbol) ^ (hash_text(query.interval) << 1);
  const std::int64_t count = std::max<std::int64_t>(0, last_bucket - first_bucket + 1);
  out.body.reserve(static_cast<std::size_t>(count) * 160 + 2);
  out.body += '[';
  for (std::int64_t b = first_bucket; b <= last_bucket; ++b) {
    if (b != first_bucket) out.body += ',';
    append_row(out.body, seed, grid->open_of(b), grid->open_of(b + 1) - 1);
  }
  out.body += ']';
  out.rows = static_cast<std::size_t>(count);
  return out;
}

std::string binance_exchange_info(std::size_t symbols, std::int64_t now_ms) {
  std::string out;
  out.reserve(symbols * 1100 + 512);
  out += R"({"timezone":"UTC","serverTime":)";
  append_int(out, now_ms);
  out += R"(,"futuresType":"U_MARGINED","rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400},{"rateLimitType":"ORDERS","interval":"MINUTE","intervalNum":1,"limit":1200}],"exchangeFilters":[],"assets":[{"asset":"USDT","marginAvailable":true,"autoAssetExchange":"-10000"}],"symbols":[)";
  for (std::size_t i = 0; i < symbols; ++i) {
    std::string base = "BTC";
    if (i > 0) {
      char digits[8];
      const auto r = std::to_chars(digits, digits + sizeof digits, static_cast<std::uint64_t>(10000 + i));
      base = "S" + std::string(digits + 1, r.ptr);  // S0001, S0002, ... (S10000 past 9999)
      if (i >= 10000) base = "S" + std::string(digits, r.ptr);
    }
    if (i > 0) out += ',';
    out += R"({"symbol":")" + base + R"(USDT","pair":")" + base +
           R"(USDT","contractType":"PERPETUAL","deliveryDate":4133404800000,"onboardDate":1569398400000,"status":"TRADING","maintMarginPercent":"2.5000","requiredMarginPercent":"5.0000","baseAsset":")" +
           base +
           R"(","quoteAsset":"USDT","marginAsset":"USDT","pricePrecision":2,"quantityPrecision":3,"baseAssetPrecision":8,"quotePrecision":8,"underlyingType":"COIN","underlyingSubType":[],"triggerProtect":"0.0500","liquidationFee":"0.012500","marketTakeBound":"0.05","maxMoveOrderLimit":10000,"filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01","maxPrice":"1000000","tickSize":"0.10"},{"filterType":"LOT_SIZE","stepSize":"0.001","maxQty":"1000","minQty":"0.001"},{"filterType":"MARKET_LOT_SIZE","minQty":"0.001","maxQty":"120","stepSize":"0.001"},{"filterType":"MAX_NUM_ORDERS","limit":200},{"filterType":"MIN_NOTIONAL","notional":"100"},{"filterType":"PERCENT_PRICE","multiplierUp":"1.0500","multiplierDown":"0.9500","multiplierDecimal":"4"}],"orderTypes":["LIMIT","MARKET","STOP","STOP_MARKET","TAKE_PROFIT","TAKE_PROFIT_MARKET","TRAILING_STOP_MARKET"],"timeInForce":["GTC","IOC","FOK","GTX","GTD"]})";
  }
  out += "]}";
  return out;
}

}  // namespace mdp::bench
