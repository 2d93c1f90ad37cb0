#include "CandleService.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <iterator>
#include <mutex>
#include <thread>

#include "Interval.hpp"
#include "PagePlan.hpp"

namespace mdp::service {
namespace {

const domain::ExchangeInterval* find_supported(const domain::ExchangeDescriptor& descriptor,
                                               const std::string& code) {
  for (const auto& supported : descriptor.intervals) {
    if (supported.interval == code) return &supported;
  }
  return nullptr;
}

std::string supported_list(const domain::ExchangeDescriptor& descriptor) {
  std::string out;
  for (const auto& supported : descriptor.intervals) {
    if (!out.empty()) out += ", ";
    out += supported.interval;
  }
  return out;
}

struct PageOutcome {
  std::vector<domain::Candle> candles;
  std::optional<std::int64_t> available_from_ms;
  std::size_t requests = 0;
};

// Fetches one window completely: follows next_start_ms when the plugin stops early.
PageOutcome fetch_window(domain::ExchangeAdapter& adapter, const CandleQuery& query, PageWindow window,
                         std::uint32_t page_cap, std::size_t request_budget,
                         const domain::CallContext& context) {
  PageOutcome outcome;
  std::int64_t from = window.start_ms;
  while (from < window.end_ms) {
    if (context.cancelled()) {
      throw domain::AdapterError(domain::AdapterErrorCode::Cancelled, "the request was cancelled");
    }
    if (outcome.requests >= request_budget) {
      throw domain::AdapterError(domain::AdapterErrorCode::PluginBadOutput,
                                 "the exchange kept returning partial pages; giving up");
    }
    domain::CandlePageRequest request{query.native_symbol, query.interval, from, window.end_ms, page_cap};
    domain::CandlePage page = adapter.fetch_candles(request, context);
    ++outcome.requests;
    if (page.available_from_ms) {
      outcome.available_from_ms = std::max(outcome.available_from_ms.value_or(*page.available_from_ms),
                                           *page.available_from_ms);
    }
    if (outcome.candles.empty()) {
      outcome.candles = std::move(page.candles);  // the usual case: one request per window
    } else {
      outcome.candles.insert(outcome.candles.end(), std::make_move_iterator(page.candles.begin()),
                             std::make_move_iterator(page.candles.end()));
    }
    if (!page.next_start_ms) break;
    // A continuation must move forward, or the loop would never end.
    if (*page.next_start_ms <= from) {
      throw domain::AdapterError(domain::AdapterErrorCode::PluginBadOutput,
                                 "the plugin's continuation point does not advance");
    }
    from = *page.next_start_ms;
  }
  return outcome;
}

}  // namespace

std::size_t CandleServiceLimits::concurrent_pages_for(const std::string& exchange_id) const {
  const auto it = concurrent_pages_by_exchange.find(exchange_id);
  return std::max<std::size_t>(1, it == concurrent_pages_by_exchange.end() ? max_concurrent_pages : it->second);
}

CandleSeries CandleService::fetch(domain::ExchangeAdapter& adapter, const CandleQuery& query,
                                  const domain::CallContext& context) const {
  using Kind = CandleQueryError::Kind;
  const domain::ExchangeDescriptor& descriptor = adapter.descriptor();
  const domain::ExchangeInterval* supported = find_supported(descriptor, query.interval);
  const std::optional<domain::Interval> interval = domain::find_interval(query.interval);
  if (supported == nullptr || !interval) {
    throw CandleQueryError(Kind::UnsupportedInterval, "interval '" + query.interval + "' is not supported by " +
                                                          descriptor.id + "; supported: " +
                                                          supported_list(descriptor));
  }
  if (query.start_ms >= query.end_ms) throw CandleQueryError(Kind::EmptyRange, "start must be before end");
  const std::int64_t rows = bucket_count(*interval, query.start_ms, query.end_ms);
  if (rows > static_cast<std::int64_t>(limits_.max_rows)) {
    throw CandleQueryError(Kind::TooManyRows, "the range holds " + std::to_string(rows) +
                                                  " candles; at most " + std::to_string(limits_.max_rows) +
                                                  " per request: narrow the range");
  }
  const std::vector<PageWindow> pages = plan_pages(*interval, query.start_ms, query.end_ms, supported->page_cap);
  if (pages.size() > limits_.max_pages) {
    throw CandleQueryError(Kind::TooManyPages, "the range needs " + std::to_string(pages.size()) +
                                                   " upstream requests; at most " +
                                                   std::to_string(limits_.max_pages) + ": narrow the range");
  }

  // Workers take windows in order; results land in their window's slot, so merging
  // needs no sort across pages unless a plugin overlapped its windows.
  std::vector<PageOutcome> outcomes(pages.size());
  std::atomic<std::size_t> next_page{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr first_error;
  std::size_t first_error_page = pages.size();
  // Each window may need a few continuation requests; the total stays bounded.
  const std::size_t per_window_budget = 8;

  auto worker = [&] {
    for (;;) {
      const std::size_t index = next_page.fetch_add(1);
      if (index >= pages.size() || failed.load()) return;
      try {
        outcomes[index] = fetch_window(adapter, query, pages[index], supported->page_cap, per_window_budget, context);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (index < first_error_page) {
          first_error = std::current_exception();
          first_error_page = index;
        }
        failed.store(true);
      }
    }
  };
  const std::size_t threads = std::min(limits_.concurrent_pages_for(descriptor.id), pages.size());
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (std::size_t i = 1; i < threads; ++i) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
  }
  if (first_error) std::rethrow_exception(first_error);

  CandleSeries series;
  std::size_t total = 0;
  for (const auto& outcome : outcomes) total += outcome.candles.size();
  series.candles.reserve(total);
  for (auto& outcome : outcomes) {
    series.pages_fetched += outcome.requests;
    if (outcome.available_from_ms) {
      series.available_from_ms =
          std::max(series.available_from_ms.value_or(*outcome.available_from_ms), *outcome.available_from_ms);
    }
    for (auto& candle : outcome.candles) series.candles.push_back(std::move(candle));
  }
  auto by_open = [](const domain::Candle& a, const domain::Candle& b) { return a.open_time_ms < b.open_time_ms; };
  if (!std::is_sorted(series.candles.begin(), series.candles.end(), by_open)) {
    std::stable_sort(series.candles.begin(), series.candles.end(), by_open);
  }
  auto same_open = [](const domain::Candle& a, const domain::Candle& b) { return a.open_time_ms == b.open_time_ms; };
  series.candles.erase(std::unique(series.candles.begin(), series.candles.end(), same_open), series.candles.end());
  if (!query.include_open) {
    series.candles.erase(std::remove_if(series.candles.begin(), series.candles.end(),
                                        [](const domain::Candle& c) { return !c.closed; }),
                         series.candles.end());
  }
  return series;
}

}  // namespace mdp::service
