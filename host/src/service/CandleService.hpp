// Host-driven pagination: one candle query → pages the exchange can serve → fetched
// concurrently (the transport's rate budget paces them) → merged ascending, de-duplicated.
// A failed page fails the whole query: never a silently short result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "CallContext.hpp"
#include "ExchangeAdapter.hpp"
#include "MarketModel.hpp"

namespace mdp::service {

struct CandleServiceLimits {
  std::size_t max_rows = 10'000;        // rows one query may return
  std::size_t max_pages = 64;           // upstream requests one query may cause
  std::size_t max_concurrent_pages = 4; // pages in flight at once for one query, unless…
  // …the exchange (descriptor id) has its own value here: its rate limits decide, not ours.
  std::map<std::string, std::size_t, std::less<>> concurrent_pages_by_exchange;

  // Pages in flight at once for one query on `exchange_id`; at least 1.
  std::size_t concurrent_pages_for(const std::string& exchange_id) const;
};

struct CandleQuery {
  std::string native_symbol;
  std::string interval;  // canonical code
  std::int64_t start_ms = 0;  // inclusive, on open time
  std::int64_t end_ms = 0;    // exclusive
  bool include_open = false;  // keep the in-progress candle
};

struct CandleSeries {
  std::vector<domain::Candle> candles;            // ascending, unique open times
  std::optional<std::int64_t> available_from_ms;  // exchange history limit, when one applied
  std::size_t pages_fetched = 0;
};

// Why a query was refused before any upstream request.
class CandleQueryError : public std::runtime_error {
 public:
  enum class Kind { UnsupportedInterval, EmptyRange, TooManyRows, TooManyPages };
  CandleQueryError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

class CandleService {
 public:
  explicit CandleService(CandleServiceLimits limits) : limits_(limits) {}

  const CandleServiceLimits& limits() const noexcept { return limits_; }

  // Throws CandleQueryError (refused up front) or domain::AdapterError (a page failed).
  CandleSeries fetch(domain::ExchangeAdapter& adapter, const CandleQuery& query,
                     const domain::CallContext& context) const;

 private:
  CandleServiceLimits limits_;
};

}  // namespace mdp::service
