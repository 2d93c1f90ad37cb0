#include "SymbolsRoute.hpp"

#include <stdexcept>

#include "CsvWriter.hpp"
#include "JsonWriter.hpp"
#include "Parameters.hpp"
#include "ResponseCacheKey.hpp"
#include "ResponseFormat.hpp"
#include "SymbolCursor.hpp"
#include "SymbolRepresentation.hpp"

namespace mdp::api {

std::vector<domain::SymbolStatus> parse_status_selection(const std::optional<std::string>& value) {
  using domain::SymbolStatus;
  if (!value) return {SymbolStatus::Trading, SymbolStatus::Halted, SymbolStatus::PreTrading, SymbolStatus::Settling};
  if (*value == "all") return {};
  std::vector<SymbolStatus> statuses;
  std::string_view rest = *value;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view word = rest.substr(0, comma);
    const std::optional<SymbolStatus> status = domain::symbol_status_from_string(word);
    if (!status) {
      reject_parameter("status",
                       "parameter 'status' must be 'all' or a comma-separated list of trading, halted, "
                       "pre_trading, settling, delisted");
    }
    statuses.push_back(*status);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return statuses;
}

SymbolsRoute::SymbolsRoute(std::shared_ptr<const service::SymbolService> service,
                           std::shared_ptr<ResponseCache> cache, std::chrono::milliseconds cache_ttl)
    : ApiRoute(kScopeMarketRead), service_(std::move(service)), cache_(std::move(cache)), cache_ttl_(cache_ttl) {
  if (!service_) throw std::invalid_argument("SymbolsRoute needs a SymbolService");
}

void SymbolsRoute::serve(const http::Request& request, http::Response& response) const {
  request.reject_unknown_parameters({"exchange", "type", "status", "base", "quote", "q", "limit", "cursor", "format"});
  service::SymbolFilter filter;
  filter.exchange = optional_text(request, "exchange");
  if (const auto type = optional_text(request, "type")) {
    filter.market_type = domain::market_type_from_string(*type);
    if (!filter.market_type) reject_parameter("type", "parameter 'type' must be spot, perpetual or future");
  }
  filter.statuses = parse_status_selection(optional_text(request, "status"));
  filter.base = optional_text(request, "base");
  filter.quote = optional_text(request, "quote");
  filter.search = optional_text(request, "q");
  filter.limit = optional_count(request, "limit", 1, service::kMaxSymbolsPerPage).value_or(kDefaultSymbolsPerPage);
  if (const auto cursor = optional_text(request, "cursor")) {
    filter.after = decode_symbol_cursor(*cursor);
    if (!filter.after) reject_parameter("cursor", "parameter 'cursor' is not a cursor this API issued");
  }
  const ResponseFormat format = negotiate_format(request);

  const bool may_cache = cache_ && cache_->enabled() && cache_ttl_.count() > 0;
  std::string key;
  if (may_cache) {
    // The validated parameters as given: every one of them shapes the page.
    ResponseCacheKey builder("/v1/symbols");
    for (const char* name : {"exchange", "type", "status", "base", "quote", "q", "cursor"}) {
      builder.add_optional(name, optional_text(request, name));
    }
    builder.add("limit", static_cast<std::int64_t>(filter.limit)).add("format", format == ResponseFormat::Csv ? "csv" : "json");
    key = builder.text();
    if (const auto hit = cache_->find(key)) {
      hit->apply_to(response);
      return;
    }
  }
  const std::uint64_t generation = cache_ ? cache_->generation() : 0;
  serve_listing(filter, format, response);
  if (may_cache) {
    cache_->store(key, filter.exchange.value_or(""), CachedResponse::capture(response), cache_ttl_, generation);
  }
}

void SymbolsRoute::serve_listing(const service::SymbolFilter& filter, ResponseFormat format,
                                 http::Response& response) const {
  const service::SymbolListing listing = service_->list(filter);
  const std::optional<std::string> next =
      listing.next ? std::optional<std::string>(encode_symbol_cursor(*listing.next)) : std::nullopt;
  // The next cursor also travels as a header, so CSV clients can page too.
  if (next) response.set_header("X-Next-Cursor", *next);

  if (format == ResponseFormat::Csv) {
    response.set_status(200);
    response.set_content_type(std::string(kCsvContentType));
    response.set_header("Content-Disposition", "attachment; filename=\"symbols.csv\"");
    std::string& body = response.body();
    body.reserve(256 + listing.symbols.size() * 200);
    CsvWriter csv(body);
    write_symbol_csv_header(csv);
    for (const service::SymbolInfo& symbol : listing.symbols) write_symbol_csv(csv, symbol);
    return;
  }
  std::string& body = response.start_json(200);
  body.reserve(256 + listing.symbols.size() * 600);
  http::JsonWriter json(body);
  json.begin_object().key("symbols").begin_array();
  for (const service::SymbolInfo& symbol : listing.symbols) write_symbol_json(json, symbol);
  json.end_array();
  json.key("next_cursor");
  next ? json.string(*next) : json.null();
  json.end_object();
}

}  // namespace mdp::api
