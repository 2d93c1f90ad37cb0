// The service layer's view of one exchange. Implemented by plugins/PluginAdapter over
// the C ABI; services and the syncer never see the ABI.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "CallContext.hpp"
#include "MarketModel.hpp"

namespace mdp::domain {

struct ExchangeDescriptor {
  std::string id;
  std::string name;
  std::string version;
  std::string abi;  // "major.minor" the plugin was built with
  std::vector<ExchangeInterval> intervals;
};

struct CandlePageRequest {
  std::string native_symbol;
  std::string interval;  // canonical code
  std::int64_t start_ms = 0;  // inclusive
  std::int64_t end_ms = 0;    // exclusive
  std::uint32_t max_rows = 0;
};

struct CandlePage {
  std::vector<Candle> candles;                    // ascending, within [start, end)
  std::optional<std::int64_t> next_start_ms;      // set when the page stopped early
  std::optional<std::int64_t> available_from_ms;  // history limit reported by the exchange
};

enum class AdapterErrorCode {
  InvalidArgument,
  NotFound,
  Unsupported,
  UpstreamUnavailable,
  UpstreamRateLimited,
  UpstreamProtocol,
  Timeout,
  Cancelled,
  PluginError,      // the plugin failed internally (threw, unknown status)
  PluginBadOutput,  // the plugin emitted rows the host refuses (bad decimal, order, sizes)
};

const char* to_string(AdapterErrorCode code) noexcept;

class AdapterError : public std::runtime_error {
 public:
  AdapterError(AdapterErrorCode code, const std::string& message, std::int64_t retry_after_ms = -1,
               std::int32_t upstream_status = 0)
      : std::runtime_error(message),
        code_(code),
        retry_after_ms_(retry_after_ms),
        upstream_status_(upstream_status) {}
  AdapterErrorCode code() const noexcept { return code_; }
  std::int64_t retry_after_ms() const noexcept { return retry_after_ms_; }
  std::int32_t upstream_status() const noexcept { return upstream_status_; }

 private:
  AdapterErrorCode code_;
  std::int64_t retry_after_ms_;
  std::int32_t upstream_status_;
};

class ExchangeAdapter {
 public:
  virtual ~ExchangeAdapter() = default;
  virtual const ExchangeDescriptor& descriptor() const = 0;
  // Every market the exchange lists, validated. Throws AdapterError.
  virtual std::vector<Symbol> list_symbols(const CallContext& context) = 0;
  // One page, validated (ascending, inside the range, canonical decimals). Throws AdapterError.
  virtual CandlePage fetch_candles(const CandlePageRequest& request, const CallContext& context) = 0;
};

}  // namespace mdp::domain
