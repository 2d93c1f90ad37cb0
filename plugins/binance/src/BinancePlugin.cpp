// Binance USD-M Futures plugin: descriptor, request building, HTTP status / error-body
// mapping and paging semantics. Parsing lives in mdp_binance_parsers (BinanceParsers.hpp).
#include "BinanceParsers.hpp"

#include <mdp/plugin.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

using mdp::sdk::Error;

constexpr const char* kExchange = "binance";
constexpr const char* kDefaultBaseUrl = "https://fapi.binance.com";
constexpr std::uint32_t kPageCap = 1500;  // GET /fapi/v1/klines limit max
// Requests for open times at or beyond year 10000 are refused before they reach Binance
// (and keep the window arithmetic far from int64 overflow).
constexpr std::int64_t kMaxTimeMs = 253'402'300'800'000;

#define MDP_BINANCE_INTERVAL(code) {sizeof(mdp_interval_support), code, code, kPageCap}
const mdp_interval_support kIntervalTable[] = {
    MDP_BINANCE_INTERVAL("1m"),  MDP_BINANCE_INTERVAL("3m"),  MDP_BINANCE_INTERVAL("5m"),
    MDP_BINANCE_INTERVAL("15m"), MDP_BINANCE_INTERVAL("30m"), MDP_BINANCE_INTERVAL("1h"),
    MDP_BINANCE_INTERVAL("2h"),  MDP_BINANCE_INTERVAL("4h"),  MDP_BINANCE_INTERVAL("6h"),
    MDP_BINANCE_INTERVAL("8h"),  MDP_BINANCE_INTERVAL("12h"), MDP_BINANCE_INTERVAL("1d"),
    MDP_BINANCE_INTERVAL("3d"),  MDP_BINANCE_INTERVAL("1w"),  MDP_BINANCE_INTERVAL("1M"),
};
#undef MDP_BINANCE_INTERVAL

const mdp_plugin_descriptor kDescriptor = {
    sizeof(mdp_plugin_descriptor),
    "binance_futures",
    "Binance USD-M Futures",
    "0.1.0",
    kIntervalTable,
    sizeof(kIntervalTable) / sizeof(kIntervalTable[0]),
    sizeof(mdp_interval_support),
};

std::string supported_intervals() {
  std::string out;
  for (const auto& info : mdp::binance::intervals()) {
    if (!out.empty()) out += ' ';
    out += info.code;
  }
  return out;
}

// RFC 3986 percent-encoding of everything but unreserved characters (symbols can be
// non-ASCII UTF-8, e.g. 币安人生USDT).
std::string url_encode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_' || c == '.' || c == '~';  // ASCII only, locale-free
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

// Binance's documented klines weight by limit: [1,100) 1, [100,500) 2, [500,1000] 5, >1000 10.
std::int32_t klines_weight(std::uint32_t limit) {
  if (limit < 100) return 1;
  if (limit < 500) return 2;
  if (limit <= 1000) return 5;
  return 10;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [&](char a, char b) { return lower(a) == lower(b); }) != haystack.end();
}

std::string snippet(std::string_view body) {
  std::string out(body.substr(0, 80));
  for (char& c : out) {
    if ((c >= 0 && c < 0x20) || c == 0x7f) c = ' ';
  }
  if (body.size() > 80) out += "...";
  return out;
}

// Maps everything but a usable HTTP 200 to an Error. `what` names the request; `subject`
// (the native symbol, may be empty) goes into not-found messages.
void check_response(const mdp::sdk::HttpResponse& resp, std::string_view what, std::string_view subject) {
  mdp::sdk::raise_for_common_status(resp, kExchange);  // 429/418 (Retry-After) and 5xx
  const std::int32_t http = resp.status;
  if (http == 200) {
    if (contains_ci(resp.content_type, "html")) {
      throw Error(MDP_E_UPSTREAM_PROTOCOL,
                  std::string("binance: ") + std::string(what) + " returned HTTP 200 with content-type '" +
                      std::string(resp.content_type) + "', expected JSON: '" + snippet(resp.body) + "'",
                  -1, http);
    }
    return;
  }
  mdp::binance::ApiError api;
  if (mdp::binance::parse_error_body(resp.body, api)) {
    std::string message = "binance: " + api.msg + " (code " + std::to_string(api.code) + ", HTTP " +
                          std::to_string(http) + ", " + std::string(what);
    if (!subject.empty()) message += " " + std::string(subject);
    message += ")";
    mdp_status status = MDP_E_UPSTREAM_PROTOCOL;
    std::int64_t retry_after = -1;
    if (api.code == -1121) {
      status = MDP_E_NOT_FOUND;  // Invalid symbol.
    } else if (api.code == -1120) {
      status = MDP_E_UNSUPPORTED;  // Invalid interval: Binance does not serve it
    } else if (api.code == -1003 || api.code == -1008) {
      status = MDP_E_UPSTREAM_RATE_LIMITED;  // too many requests / throttled
      retry_after = resp.retry_after_ms;
    } else if (api.code == -1000 || api.code == -1001 || api.code == -1007) {
      status = MDP_E_UPSTREAM_UNAVAILABLE;  // unknown / disconnected / backend timeout
    } else if (api.code <= -1100 && api.code >= -1199 && http >= 400 && http < 500) {
      status = MDP_E_INVALID_ARGUMENT;  // -11xx: a request parameter was refused
    }
    throw Error(status, std::move(message), retry_after, http);
  }
  if (http == 403 || http == 451) {
    // No Binance error body: the WAF (403) or the location block (451) refused us.
    throw Error(MDP_E_UPSTREAM_UNAVAILABLE,
                "binance: " + std::string(what) + " refused with HTTP " + std::to_string(http) +
                    (http == 403 ? " (WAF block)" : " (restricted location)") + ": '" + snippet(resp.body) + "'",
                -1, http);
  }
  throw Error(MDP_E_UPSTREAM_PROTOCOL,
              "binance: " + std::string(what) + " returned HTTP " + std::to_string(http) +
                  " without a Binance error body: '" + snippet(resp.body) + "'",
              -1, http);
}

class BinancePlugin final : public mdp::sdk::Plugin {
 public:
  BinancePlugin(mdp::sdk::Host& host, const mdp::sdk::Config& config)
      : host_(host), base_url_(config.get("base_url", kDefaultBaseUrl)) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
    const bool scheme = base_url_.rfind("https://", 0) == 0 || base_url_.rfind("http://", 0) == 0;
    if (!scheme || base_url_.find_first_of("?# ") != std::string::npos ||
        base_url_.size() <= std::string_view(base_url_).find("//") + 2) {
      throw Error(MDP_E_INVALID_ARGUMENT,
                  "binance: config base_url must be an http(s) URL without query, e.g. " +
                      std::string(kDefaultBaseUrl) + "; got '" + base_url_ + "'");
    }
  }

  void list_symbols(mdp::sdk::Call& call, mdp::sdk::SymbolSink& sink) override {
    mdp::sdk::HttpRequest request;
    request.url = base_url_ + "/fapi/v1/exchangeInfo";
    request.weight = 1;
    const mdp::sdk::HttpResponse response = call.send(request);
    check_response(response, "exchangeInfo", {});
    std::vector<std::string> renamed;
    const std::vector<mdp::sdk::Symbol> symbols = mdp::binance::parse_exchange_info(response.body, &renamed);
    for (const std::string& r : renamed) {
      host_.log(MDP_LOG_WARN, "binance: duplicate canonical symbol, " + r);
    }
    sink.emit(symbols);
  }

  mdp::sdk::PageResult fetch_candles(mdp::sdk::Call& call, const mdp::sdk::CandleRequest& req,
                                     mdp::sdk::CandleSink& sink) override {
    const mdp::binance::IntervalInfo* interval = mdp::binance::find_interval(req.interval);
    if (interval == nullptr) {
      throw Error(MDP_E_UNSUPPORTED, "binance: interval '" + std::string(req.interval) +
                                         "' is not supported; supported: " + supported_intervals());
    }
    if (req.native_symbol.empty()) throw Error(MDP_E_INVALID_ARGUMENT, "binance: empty native symbol");
    if (req.start_ms < 0 || req.start_ms >= kMaxTimeMs) {
      throw Error(MDP_E_INVALID_ARGUMENT,
                  "binance: start_ms " + std::to_string(req.start_ms) + " is outside [0, year 10000)");
    }
    const std::uint32_t limit = std::min(req.max_rows, kPageCap);
    const std::int64_t duration = interval->duration_ms;
    // Never ask for a window holding more than `limit` buckets: then which `limit` rows
    // Binance picks out of a wider [startTime, endTime] never matters.
    const std::int64_t window_end = std::min(req.end_ms, mdp::binance::add_buckets_ms(req.start_ms, duration, limit));

    mdp::sdk::HttpRequest request;
    request.url.reserve(base_url_.size() + 120);
    request.url = base_url_;
    request.url += "/fapi/v1/klines?symbol=";
    request.url += url_encode(req.native_symbol);
    request.url += "&interval=";
    request.url += interval->code;  // native code == canonical code
    request.url += "&startTime=" + std::to_string(req.start_ms);
    request.url += "&endTime=" + std::to_string(window_end - 1);  // Binance bounds are inclusive
    request.url += "&limit=" + std::to_string(limit);
    request.weight = klines_weight(limit);

    const mdp::sdk::HttpResponse response = call.send(request);
    check_response(response, "klines", req.native_symbol);
    const std::int64_t now = call.now_ms();
    thread_local std::vector<mdp::sdk::Candle> rows;
    mdp::binance::parse_klines(response.body, duration, now, rows);

    // Binance selects open times in [startTime, endTime]; a row outside means the answer is
    // not for this request, and the page fails rather than being silently filtered.
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::int64_t open = rows[i].open_time_ms;
      if (open < req.start_ms || open >= window_end) {
        throw Error(MDP_E_UPSTREAM_PROTOCOL,
                    "binance: klines row " + std::to_string(i) + " open time " + std::to_string(open) +
                        " is outside the requested [" + std::to_string(req.start_ms) + ", " +
                        std::to_string(window_end) + ")",
                    -1, response.status);
      }
    }
    const std::size_t count = std::min<std::size_t>(rows.size(), limit);
    sink.emit(rows.data(), count);

    mdp::sdk::PageResult page;
    page.available_from_ms = -1;  // Binance serves the full history of a symbol
    std::int64_t next;
    if (count == limit) {
      next = rows[count - 1].close_time_ms + 1;  // the page is full: continue after its last row
    } else {
      next = window_end;  // fewer than the window holds: it had gaps, nothing more is in it
    }
    // Done when the range is covered, or when what is left opens after the host's now
    // (candles that do not exist yet).
    page.next_start_ms = (next >= req.end_ms || next > now) ? -1 : next;
    return page;
  }

 private:
  mdp::sdk::Host& host_;
  std::string base_url_;
};

}  // namespace

MDP_DEFINE_PLUGIN(BinancePlugin, kDescriptor)
