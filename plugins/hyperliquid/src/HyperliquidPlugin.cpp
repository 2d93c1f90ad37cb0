// Hyperliquid plugin: descriptor, POST /info request building, HTTP status mapping and the
// paging semantics of one candle page. Parsing lives in mdp_hyperliquid_parsers.
#include "HyperliquidParsers.hpp"

#include <mdp/plugin.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace mdp::hyperliquid {
namespace {

constexpr const char* kDefaultBaseUrl = "https://api.hyperliquid.xyz";
constexpr const char* kExchange = "hyperliquid";
// Documented weights: every info request 20; candleSnapshot adds 1 per 60 candles returned.
constexpr std::int32_t kInfoWeight = 20;
constexpr std::int64_t kCandlesPerExtraWeight = 60;
// The info docs also say time-range answers hold at most 500 elements; an answer this long
// that stops short of the window (and of "now") may have been cut: ask again from its end.
constexpr std::size_t kMaybeCutRows = 500;
constexpr std::size_t kMaxCoinLength = 128;

constexpr mdp_interval_support interval(const char* code) {
  return mdp_interval_support{sizeof(mdp_interval_support), code, code, kPageCap};
}

const mdp_interval_support kIntervals[] = {
    interval("1m"),  interval("3m"),  interval("5m"), interval("15m"), interval("30m"),
    interval("1h"),  interval("2h"),  interval("4h"), interval("8h"),  interval("12h"),
    interval("1d"),  interval("3d"),  interval("1w"), interval("1M"),
};

const mdp_plugin_descriptor kDescriptor = {
    sizeof(mdp_plugin_descriptor),
    "hyperliquid",
    "Hyperliquid",
    "0.1.0",
    kIntervals,
    sizeof(kIntervals) / sizeof(kIntervals[0]),
    sizeof(mdp_interval_support),
};

bool contains_ci(std::string_view haystack, std::string_view needle) {
  const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}

std::string body_snippet(std::string_view body) {
  std::string out;
  for (const char ch : body.substr(0, 120)) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(c < 0x20 || c == 0x7f ? ' ' : ch);
  }
  if (body.size() > 120) out += "...";
  return out;
}

// The coin as a JSON string literal's content; rejects what cannot be a coin name.
std::string json_coin(std::string_view coin) {
  if (coin.empty() || coin.size() > kMaxCoinLength) {
    throw sdk::Error(MDP_E_INVALID_ARGUMENT, "hyperliquid: native symbol must be 1.." +
                                                 std::to_string(kMaxCoinLength) + " bytes");
  }
  std::string out;
  out.reserve(coin.size() + 2);
  for (const char ch : coin) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      throw sdk::Error(MDP_E_INVALID_ARGUMENT, "hyperliquid: native symbol holds a control character");
    }
    if (ch == '"' || ch == '\\') out.push_back('\\');
    out.push_back(ch);
  }
  return out;
}

class HyperliquidPlugin final : public sdk::Plugin {
 public:
  HyperliquidPlugin(sdk::Host& host, const sdk::Config& config) : host_(host) {
    std::string base = config.get("base_url", kDefaultBaseUrl);
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (base.rfind("https://", 0) != 0 && base.rfind("http://", 0) != 0) {
      throw sdk::Error(MDP_E_INVALID_ARGUMENT, "hyperliquid: base_url must start with https:// or http://, got '" +
                                                   base + "'");
    }
    info_url_ = base + "/info";
  }

  void list_symbols(sdk::Call& call, sdk::SymbolSink& sink) override {
    // spotMeta first: its token table names a non-USDC perp collateral, should meta give one.
    const sdk::HttpResponse spot = post_info(call, R"({"type":"spotMeta"})", kInfoWeight, "spotMeta");
    if (call.cancelled()) throw sdk::Error(MDP_E_CANCELLED, "hyperliquid: list_symbols cancelled");
    const sdk::HttpResponse meta = post_info(call, R"({"type":"meta"})", kInfoWeight, "meta");
    std::vector<std::string> warnings;
    const std::vector<sdk::Symbol> symbols = build_symbol_list(meta.body, spot.body, warnings);
    for (const std::string& warning : warnings) host_.log(MDP_LOG_WARN, std::string(kExchange) + " " + warning);
    sink.emit(symbols);
  }

  sdk::PageResult fetch_candles(sdk::Call& call, const sdk::CandleRequest& request,
                                sdk::CandleSink& sink) override {
    const IntervalSpec* spec = find_interval(request.interval);
    if (spec == nullptr) {
      throw sdk::Error(MDP_E_UNSUPPORTED, "hyperliquid: interval '" + std::string(request.interval) +
                                              "' is not supported; supported: " + supported_interval_list());
    }
    const std::string coin = json_coin(request.native_symbol);
    const std::int64_t start = request.start_ms;
    const std::int64_t end = request.end_ms;
    const std::int64_t max_rows = std::min<std::int64_t>(request.max_rows, kPageCap);
    const std::int64_t now = call.now_ms();

    // Only the newest 5000 candles exist upstream. When the range straddles that edge, size the
    // window from the edge so a full page is not spent on buckets that cannot be served; the
    // request still starts at `start`, so whatever older rows the exchange does have come back.
    const std::int64_t available_from = earliest_served_open_ms(*spec, now);
    const std::int64_t window_base = (start < available_from && available_from < end) ? available_from : start;
    const std::int64_t first_open = first_open_at_or_after(*spec, window_base);
    const std::int64_t window_end = std::min(end, add_buckets(*spec, first_open, max_rows));

    std::string body;
    body.reserve(160);
    body += R"({"type":"candleSnapshot","req":{"coin":")";
    body += coin;
    body += R"(","interval":")";
    body += spec->code;
    body += R"(","startTime":)";
    body += std::to_string(std::max<std::int64_t>(start, 0));
    body += R"(,"endTime":)";
    body += std::to_string(window_end - 1);
    body += "}}";

    const sdk::HttpResponse response =
        post_info(call, body, candle_weight(*spec, start, window_end, max_rows), "candleSnapshot");

    std::vector<sdk::Candle> rows;
    try {
      parse_candle_snapshot(response.body, *spec, now, rows);
    } catch (const sdk::Error& e) {
      if (e.status() != MDP_E_NOT_FOUND) throw;
      throw sdk::Error(MDP_E_NOT_FOUND,
                       "hyperliquid: unknown coin '" + std::string(request.native_symbol) +
                           "' (candleSnapshot answered null)",
                       -1, response.status);
    }

    // The first row may be the bucket containing startTime (t < start): keep [start, window_end).
    const auto by_open = [](const sdk::Candle& c, std::int64_t t) { return c.open_time_ms < t; };
    const auto begin = std::lower_bound(rows.begin(), rows.end(), start, by_open);
    const auto stop = std::lower_bound(begin, rows.end(), window_end, by_open);
    const auto in_window = static_cast<std::int64_t>(stop - begin);
    const auto count = static_cast<std::size_t>(std::min(in_window, max_rows));
    const sdk::Candle* first = count > 0 ? &*begin : nullptr;
    if (count > 0) sink.emit(first, count);

    sdk::PageResult page;
    std::int64_t next = -1;
    if (in_window > max_rows) {
      next = next_open_ms(*spec, first[count - 1].open_time_ms);
    } else if (!rows.empty() && rows.size() >= kMaybeCutRows) {
      const std::int64_t after_last = next_open_ms(*spec, rows.back().open_time_ms);
      if (after_last < window_end && after_last <= now) next = after_last;
    }
    if (next == -1 && window_end < end) next = window_end;
    if (next >= end) next = -1;
    if (next != -1 && next <= start) {
      throw sdk::Error(MDP_E_UPSTREAM_PROTOCOL, "hyperliquid candleSnapshot: the answer ends before startTime " +
                                                    std::to_string(start));
    }
    page.next_start_ms = next;

    if (start < available_from) {
      const std::int64_t first_bucket = first_open_at_or_after(*spec, start);
      if (first != nullptr && first->open_time_ms <= first_bucket) {
        page.available_from_ms = -1;  // served from the very start: nothing hidden
      } else if (first != nullptr && first->open_time_ms < available_from) {
        page.available_from_ms = first->open_time_ms;  // older history than estimated
      } else {
        page.available_from_ms = available_from;
      }
    }
    return page;
  }

 private:
  static std::int64_t first_open_at_or_after(const IntervalSpec& spec, std::int64_t t) {
    const std::int64_t open = bucket_open_ms(spec, t);
    return open < t ? next_open_ms(spec, open) : open;
  }

  // 20 + 1 per 60 candles the answer can hold (the buckets overlapping the request window,
  // at most max_rows + 1 with the bucket containing startTime), rounded up: a conservative
  // estimate, as the exact charge depends on the rows the exchange returns.
  static std::int32_t candle_weight(const IntervalSpec& spec, std::int64_t start, std::int64_t window_end,
                                    std::int64_t max_rows) {
    std::int64_t buckets = 0;
    for (std::int64_t t = bucket_open_ms(spec, start); t < window_end && buckets <= max_rows;
         t = next_open_ms(spec, t)) {
      ++buckets;
    }
    return kInfoWeight + static_cast<std::int32_t>((buckets + kCandlesPerExtraWeight - 1) / kCandlesPerExtraWeight);
  }

  sdk::HttpResponse post_info(sdk::Call& call, std::string body, std::int32_t weight, const char* what) const {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = info_url_;
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = std::move(body);
    request.weight = weight;
    const sdk::HttpResponse response = call.send(request);  // transport failures propagate as thrown
    sdk::raise_for_common_status(response, kExchange);     // 429/418 → rate limited, 5xx → unavailable
    const std::string prefix = std::string(kExchange) + " " + what + ": ";
    if (response.status == 400 || response.status == 422) {
      // "Failed to deserialize the JSON body into the target type" (text/plain): the request is wrong.
      throw sdk::Error(MDP_E_INVALID_ARGUMENT,
                       prefix + "HTTP " + std::to_string(response.status) + ": " + body_snippet(response.body), -1,
                       response.status);
    }
    if (response.status != 200) {
      throw sdk::Error(MDP_E_UPSTREAM_PROTOCOL,
                       prefix + "unexpected HTTP " + std::to_string(response.status) + ": " +
                           body_snippet(response.body),
                       -1, response.status);
    }
    if (contains_ci(response.content_type, "html")) {
      throw sdk::Error(MDP_E_UPSTREAM_PROTOCOL,
                       prefix + "expected JSON, got content-type '" + std::string(response.content_type) +
                           "': " + body_snippet(response.body),
                       -1, response.status);
    }
    return response;
  }

  sdk::Host& host_;
  std::string info_url_;
};

}  // namespace
}  // namespace mdp::hyperliquid

MDP_DEFINE_PLUGIN(mdp::hyperliquid::HyperliquidPlugin, mdp::hyperliquid::kDescriptor)
