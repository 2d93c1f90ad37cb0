// Coinbase plugin: descriptor, request building, HTTP status / error-body mapping and paging
// semantics. Parsing lives in mdp_coinbase_parsers (CoinbaseParsers.hpp).
//
// API: Coinbase Advanced Trade public market endpoints (no auth), base https://api.coinbase.com
//   GET /api/v3/brokerage/market/products?product_type=…[&contract_expiry_type=…][&offset=N]
//   GET /api/v3/brokerage/market/products/{product_id}/candles?start=&end=&granularity=&limit=
// See README.md for every decision taken here.
#include "CoinbaseParsers.hpp"

#include <mdp/plugin.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace {

using mdp::sdk::Error;
namespace cb = mdp::coinbase;

constexpr const char* kDefaultBaseUrl = "https://api.coinbase.com";
constexpr const char* kProductsPath = "/api/v3/brokerage/market/products";
// Every Advanced Trade public request costs the same against the ~10 req/s per-IP budget.
constexpr std::int32_t kRequestWeight = 1;
// Defensive cap on offset pages per product query (one page normally returns everything).
constexpr int kMaxProductPages = 20;

const mdp_interval_support kIntervalSupport[] = {
    {sizeof(mdp_interval_support), "1m", "ONE_MINUTE", cb::kCandlePageCap},
    {sizeof(mdp_interval_support), "5m", "FIVE_MINUTE", cb::kCandlePageCap},
    {sizeof(mdp_interval_support), "15m", "FIFTEEN_MINUTE", cb::kCandlePageCap},
    {sizeof(mdp_interval_support), "30m", "THIRTY_MINUTE", cb::kCandlePageCap},
    {sizeof(mdp_interval_support), "1h", "ONE_HOUR", cb::kCandlePageCap},
    {sizeof(mdp_interval_support), "2h", "TWO_HOUR", cb::kCandlePageCap},
    {sizeof(mdp_interval_support), "4h", "FOUR_HOUR", cb::kCandlePageCap},
    {sizeof(mdp_interval_support), "6h", "SIX_HOUR", cb::kCandlePageCap},
    {sizeof(mdp_interval_support), "1d", "ONE_DAY", cb::kCandlePageCap},
};
static_assert(sizeof(kIntervalSupport) / sizeof(kIntervalSupport[0]) == cb::kIntervalCount,
              "descriptor and parser interval tables must match");

const mdp_plugin_descriptor kDescriptor = {
    sizeof(mdp_plugin_descriptor),
    "coinbase",
    "Coinbase Advanced Trade (public market data)",
    "0.1.0",
    kIntervalSupport,
    sizeof(kIntervalSupport) / sizeof(kIntervalSupport[0]),
    sizeof(mdp_interval_support),
};

// One product listing query. Spot, then futures (both expiry types), then perpetuals asked
// for explicitly, as ccxt does: the futures queries overlap and are de-duplicated.
struct ProductQuery {
  const char* params;
  const char* label;
};
constexpr ProductQuery kProductQueries[] = {
    {"product_type=SPOT", "SPOT"},
    {"product_type=FUTURE", "FUTURE"},
    {"product_type=FUTURE&contract_expiry_type=PERPETUAL", "FUTURE/PERPETUAL"},
};

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// Percent-encodes a path segment (product ids are [A-Z0-9-]; anything else is escaped).
std::string encode_segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (unreserved(c)) {
      out.push_back(c);
    } else {
      const auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0F]);
    }
  }
  return out;
}

// Up to 160 printable bytes of a body for messages.
std::string body_excerpt(std::string_view body) {
  std::string out;
  const std::size_t n = std::min<std::size_t>(body.size(), 160);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(body[i]);
    out.push_back(c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c));
  }
  if (body.size() > n) out += "...";
  return out;
}

// The exchange's own words for a failed request: "NOT_FOUND: product not found (details)".
std::string describe(const cb::ErrorBody& error, std::string_view body) {
  if (!error.is_json_object) return body.empty() ? std::string("(empty body)") : body_excerpt(body);
  std::string text = error.error.empty() ? std::string("error") : error.error;
  const std::string& message = !error.message.empty() ? error.message : error.details;
  if (!message.empty()) text += ": " + message;
  if (!error.message.empty() && !error.details.empty() && error.details != error.message) {
    text += " (" + error.details + ")";
  }
  return text;
}

// Maps any non-200 response to an Error; never returns.
[[noreturn]] void raise_for_response(const mdp::sdk::HttpResponse& response, const std::string& what) {
  mdp::sdk::raise_for_common_status(response, "coinbase");  // 429/418 -> RATE_LIMITED, 5xx -> UNAVAILABLE
  const std::int32_t status = response.status;
  const cb::ErrorBody error = cb::parse_error_body(response.body);
  const std::string text = "coinbase: " + what + ": HTTP " + std::to_string(status) + " " + describe(error, response.body);
  if (error.error == "NOT_FOUND" || status == 404) throw Error(MDP_E_NOT_FOUND, text, -1, status);
  if (error.error == "RESOURCE_EXHAUSTED") {
    throw Error(MDP_E_UPSTREAM_RATE_LIMITED, text, response.retry_after_ms, status);
  }
  if (error.error == "INVALID_ARGUMENT" || status == 400) throw Error(MDP_E_INVALID_ARGUMENT, text, -1, status);
  if (status == 401 || status == 403 || error.error == "PERMISSION_DENIED" || error.error == "UNAUTHENTICATED") {
    throw Error(MDP_E_UPSTREAM_UNAVAILABLE, text + " (access denied)", -1, status);
  }
  if (status == 408) throw Error(MDP_E_UPSTREAM_UNAVAILABLE, text, -1, status);
  throw Error(MDP_E_UPSTREAM_PROTOCOL, text + " (unexpected HTTP status)", -1, status);
}

// A 200 whose body is plainly not JSON (an HTML page from a proxy, say) is a protocol error.
void check_json_content(const mdp::sdk::HttpResponse& response, const std::string& what) {
  const std::string_view type = response.content_type;
  if (type.find("html") != std::string_view::npos || type.find("xml") != std::string_view::npos) {
    throw Error(MDP_E_UPSTREAM_PROTOCOL, "coinbase: " + what + ": expected JSON, got content-type '" +
                                             std::string(type) + "': " + body_excerpt(response.body),
                -1, response.status);
  }
}

class CoinbasePlugin final : public mdp::sdk::Plugin {
 public:
  CoinbasePlugin(mdp::sdk::Host& host, const mdp::sdk::Config& config)
      : host_(host), base_url_(config.get("base_url", kDefaultBaseUrl)) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
    if (base_url_.rfind("https://", 0) != 0 && base_url_.rfind("http://", 0) != 0) {
      throw Error(MDP_E_INVALID_ARGUMENT, "coinbase: base_url must start with http:// or https:// (got '" +
                                              base_url_ + "')");
    }
  }

  void list_symbols(mdp::sdk::Call& call, mdp::sdk::SymbolSink& sink) override {
    std::vector<cb::ParsedProduct> all;
    for (const ProductQuery& query : kProductQueries) fetch_product_query(call, query, all);
    std::vector<std::string> notes;
    std::vector<mdp::sdk::Symbol> symbols = cb::finalize_symbols(std::move(all), &notes);
    for (const std::string& note : notes) host_.log(MDP_LOG_INFO, "coinbase: " + note);
    sink.emit(symbols);
  }

  mdp::sdk::PageResult fetch_candles(mdp::sdk::Call& call, const mdp::sdk::CandleRequest& request,
                                     mdp::sdk::CandleSink& sink) override {
    const cb::IntervalInfo* interval = cb::find_interval(request.interval);
    if (interval == nullptr) {
      throw Error(MDP_E_UNSUPPORTED, "coinbase: interval '" + std::string(request.interval) +
                                         "' is not supported (supported: " + cb::supported_intervals_text() + ")");
    }
    if (request.native_symbol.empty()) throw Error(MDP_E_INVALID_ARGUMENT, "coinbase: empty product id");
    const std::int64_t g = interval->duration_ms;
    mdp::sdk::PageResult result;  // next_start_ms = -1, available_from_ms = -1 (full history)

    // Buckets open on multiples of the granularity (epoch-aligned; ONE_DAY at 00:00 UTC).
    // First open time inside [start, end): a0 = ceil(start / g) * g.
    const std::int64_t a0 = ceil_to(request.start_ms, g);
    if (a0 >= request.end_ms) return result;  // no bucket opens inside the range: nothing exists
    const std::int64_t buckets = (request.end_ms - a0 + g - 1) / g;
    const std::int64_t cap = std::min<std::int64_t>(request.max_rows, cb::kCandlePageCap);
    const std::int64_t n = std::min(buckets, cap);
    const std::int64_t window_end = a0 + n * g;  // exclusive: this request covers [a0, window_end)

    // Ask for [a0 - 1 s, window_end - 1 s] (seconds): exactly n bucket widths, so never
    // above the 350-bucket refusal, and whether Coinbase treats start/end as inclusive,
    // exclusive or overlapping, the buckets a0 … a0 + (n-1)g are inside and the next one
    // is not. Anything outside [a0, window_end) that comes back is dropped below.
    const std::int64_t start_s = std::max<std::int64_t>(0, a0 / 1000 - 1);  // no bucket before 1970
    const std::int64_t end_s = window_end / 1000 - 1;
    // limit one above n: a full answer to this window has at most n + 1 rows (overlap
    // semantics), so a response with `limit` rows may have been cut; see below.
    const std::int64_t limit = std::min<std::int64_t>(n + 1, cb::kCandlePageCap);

    mdp::sdk::HttpRequest http;
    http.url = base_url_ + kProductsPath + "/" + encode_segment(request.native_symbol) +
               "/candles?start=" + std::to_string(start_s) + "&end=" + std::to_string(end_s) +
               "&granularity=" + interval->granularity + "&limit=" + std::to_string(limit);
    http.weight = kRequestWeight;
    const std::string what = "candles " + std::string(request.native_symbol) + " " + interval->canonical;
    const mdp::sdk::HttpResponse response = call.send(http);
    if (response.status != 200) raise_for_response(response, what);
    check_json_content(response, what);

    thread_local std::vector<mdp::sdk::Candle> rows;
    cb::parse_candles(response.body, g, call.now_ms(), rows);  // ascending, unique, or throws
    const std::size_t raw_count = rows.size();

    // Keep what lies in this request's window (which is inside [start, end)).
    auto first = std::lower_bound(rows.begin(), rows.end(), a0,
                                  [](const mdp::sdk::Candle& c, std::int64_t t) { return c.open_time_ms < t; });
    auto last = std::lower_bound(first, rows.end(), window_end,
                                 [](const mdp::sdk::Candle& c, std::int64_t t) { return c.open_time_ms < t; });
    const std::size_t kept = static_cast<std::size_t>(last - first);
    if (kept > 0) sink.emit(&*first, kept);

    // Where is this page known to be complete? Empty buckets (no trades) are simply absent,
    // so a page that covered its whole window is complete for it even with gaps. Only when
    // the row count reached `limit` may Coinbase have cut rows; then only up to the newest
    // row received is known.
    std::int64_t covered_end = window_end;
    if (static_cast<std::int64_t>(raw_count) >= limit) {
      if (kept == 0) {
        throw Error(MDP_E_UPSTREAM_PROTOCOL, "coinbase: " + what + ": " + std::to_string(raw_count) +
                                                 " candles returned, none inside the requested window");
      }
      covered_end = std::min(window_end, (last - 1)->open_time_ms + g);
    }
    result.next_start_ms = covered_end < request.end_ms ? covered_end : -1;
    return result;
  }

 private:
  static std::int64_t ceil_to(std::int64_t t, std::int64_t g) {
    std::int64_t q = t / g;
    if (q * g < t) ++q;  // t > 0 and not aligned (for t < 0 truncation already rounded up)
    return q * g;
  }

  void fetch_product_query(mdp::sdk::Call& call, const ProductQuery& query, std::vector<cb::ParsedProduct>& out) {
    std::unordered_set<std::string> seen;
    std::int64_t received = 0;
    for (int page_index = 0;; ++page_index) {
      if (call.cancelled()) throw Error(MDP_E_CANCELLED, "coinbase: list_symbols cancelled");
      if (page_index >= kMaxProductPages) {
        throw Error(MDP_E_UPSTREAM_PROTOCOL, std::string("coinbase: products ") + query.label + ": more than " +
                                                 std::to_string(kMaxProductPages) + " pages; giving up");
      }
      mdp::sdk::HttpRequest http;
      http.url = base_url_ + kProductsPath + "?" + query.params;
      if (received > 0) http.url += "&offset=" + std::to_string(received);
      http.weight = kRequestWeight;
      const std::string what = std::string("products ") + query.label + " offset " + std::to_string(received);
      const mdp::sdk::HttpResponse response = call.send(http);
      if (response.status != 200) raise_for_response(response, what);
      check_json_content(response, what);
      cb::ProductsPage page = cb::parse_products_page(response.body);

      for (const cb::SkippedProduct& skipped : page.skipped) {
        host_.log(MDP_LOG_WARN, "coinbase: product " + skipped.product_id + " skipped: " + skipped.reason);
      }
      std::size_t fresh = 0;
      for (const cb::ParsedProduct& p : page.products) fresh += seen.insert(p.symbol.native_symbol).second ? 1 : 0;
      for (const cb::SkippedProduct& s : page.skipped) fresh += seen.insert(s.product_id).second ? 1 : 0;
      for (cb::ParsedProduct& p : page.products) out.push_back(std::move(p));
      received += static_cast<std::int64_t>(page.raw_count);

      // The default (no limit) returns the whole listing in one page. Continue only when the
      // response says there is more: pagination.has_next, or num_products above what we hold.
      const bool more = page.has_next || (page.num_products >= 0 && page.num_products > received);
      if (!more || page.raw_count == 0) return;  // an empty page past the end: everything was read
      if (fresh == 0 && page_index > 0) {
        throw Error(MDP_E_UPSTREAM_PROTOCOL,
                    std::string("coinbase: products ") + query.label + ": the listing reports more products (" +
                        "num_products " + std::to_string(page.num_products) + ", " + std::to_string(received) +
                        " received) but the page at offset " + std::to_string(received - static_cast<std::int64_t>(page.raw_count)) +
                        " repeats earlier ones");
      }
    }
  }

  mdp::sdk::Host& host_;
  std::string base_url_;
};

}  // namespace

MDP_DEFINE_PLUGIN(CoinbasePlugin, kDescriptor)
