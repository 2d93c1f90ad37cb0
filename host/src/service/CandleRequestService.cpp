#include "CandleRequestService.hpp"

#include <algorithm>
#include <chrono>
#include <vector>

#include "Interval.hpp"
#include "PluginRegistry.hpp"
#include "ServiceErrors.hpp"
#include "StoreGuard.hpp"
#include "SymbolRepository.hpp"

namespace mdp::service {
namespace {

std::shared_ptr<domain::ExchangeAdapter> loaded_adapter(const plugins::PluginRegistry& registry,
                                                        const std::string& exchange) {
  if (is_plausible_exchange_id(exchange)) {
    if (auto adapter = registry.find(exchange)) return adapter;
    for (const plugins::PluginStatus& status : registry.statuses()) {
      if (status.id == exchange) {
        throw CapabilityUnavailable("exchange '" + exchange +
                                    "' is configured but its plugin failed to load; see GET /v1/exchanges");
      }
    }
  }
  throw NotFound("unknown exchange '" + shorten_for_message(exchange) + "'; see GET /v1/exchanges");
}

std::vector<std::string> supported_codes(const domain::ExchangeDescriptor& descriptor) {
  std::vector<std::string> codes;
  codes.reserve(descriptor.intervals.size());
  for (const auto& supported : descriptor.intervals) codes.push_back(supported.interval);
  return codes;
}

std::string joined(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& code : codes) {
    if (!out.empty()) out += ", ";
    out += code;
  }
  return out;
}

}  // namespace

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t end_after_buckets(std::string_view code, std::int64_t start_ms, std::size_t count) {
  const std::optional<domain::Interval> interval = domain::find_interval(code);
  if (!interval || count == 0) return start_ms;
  std::int64_t open = domain::align_down(*interval, start_ms);
  if (open < start_ms) open = domain::next_open_time(*interval, open);
  if (!interval->calendar_month) return open + static_cast<std::int64_t>(count) * interval->duration_ms;
  for (std::size_t i = 0; i < count; ++i) open = domain::next_open_time(*interval, open);
  return open;
}

CandleResult CandleRequestService::fetch(const CandleRequest& request, const domain::CallContext& context) const {
  const std::shared_ptr<domain::ExchangeAdapter> adapter = loaded_adapter(plugins_, request.exchange);
  const domain::ExchangeDescriptor& descriptor = adapter->descriptor();
  const bool supported = std::any_of(descriptor.intervals.begin(), descriptor.intervals.end(),
                                     [&](const domain::ExchangeInterval& i) { return i.interval == request.interval; });
  if (!supported) {
    std::vector<std::string> codes = supported_codes(descriptor);
    const std::string message = "interval '" + shorten_for_message(request.interval) + "' is not supported by " +
                                descriptor.id + "; supported: " + joined(codes);
    throw RequestRejected("interval", message, std::move(codes));
  }

  CandleResult result;
  result.exchange = request.exchange;
  result.interval = request.interval;
  result.start_ms = request.start_ms;
  result.end_ms = request.end_ms.value_or(clock_());
  if (request.start_ms >= result.end_ms) {
    throw RequestRejected(request.end_ms ? "end" : "start",
                          request.end_ms ? "parameter 'end' must be after 'start' (the range is [start, end))"
                                         : "parameter 'start' must be in the past when 'end' is omitted");
  }
  if (request.limit) result.end_ms = std::min(result.end_ms, end_after_buckets(request.interval, request.start_ms, *request.limit));

  guard_store([&] {
    storage::SymbolRepository symbols(database_);
    const auto stored = request.symbol ? symbols.find(request.exchange, *request.symbol)
                                       : symbols.find_by_native(request.exchange, request.native_symbol.value_or(""));
    if (!stored) {
      const std::string& name = request.symbol ? *request.symbol : request.native_symbol.value_or("");
      throw NotFound(std::string(request.symbol ? "unknown symbol '" : "unknown native symbol '") +
                     shorten_for_message(name) + "' on exchange '" + request.exchange +
                     "'; see GET /v1/symbols");
    }
    result.symbol = stored->symbol;
    result.native_symbol = stored->native_symbol;
  });

  CandleQuery query;
  query.native_symbol = result.native_symbol;
  query.interval = request.interval;
  query.start_ms = request.start_ms;
  query.end_ms = result.end_ms;
  query.include_open = request.include_open;
  result.series = candles_.fetch(*adapter, query, context);
  return result;
}

}  // namespace mdp::service
