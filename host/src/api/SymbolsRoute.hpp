// GET /v1/symbols (scope market:read): canonical symbol metadata, filtered, ordered by
// (exchange, symbol), one page at a time with an opaque cursor; JSON or CSV.
//
// Parameters: exchange, type (spot|perpetual|future), status (a comma list of trading,
// halted, pre_trading, settling, delisted; or "all"; default: every status but delisted),
// base, quote (exact), q (case-insensitive substring of the canonical or native symbol),
// limit (1..1000, default 100), cursor (from the previous page's next_cursor), format.
//
// With a ResponseCache, a page is kept for `cache_ttl` (cache.metadata_ttl_ms, scoped to
// `exchange`, or to every exchange without it): a sync committed by this process drops it
// at once; a sync by another process (compose's separate syncer) shows up within the TTL.
#pragma once

#include <memory>

#include <chrono>

#include "ApiRoute.hpp"
#include "ResponseCache.hpp"
#include "ResponseFormat.hpp"
#include "SymbolService.hpp"

namespace mdp::api {

inline constexpr std::size_t kDefaultSymbolsPerPage = 100;

class SymbolsRoute : public ApiRoute {
 public:
  // `cache` may be null (nothing cached).
  explicit SymbolsRoute(std::shared_ptr<const service::SymbolService> service,
                        std::shared_ptr<ResponseCache> cache = nullptr, std::chrono::milliseconds cache_ttl = {});

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  void serve_listing(const service::SymbolFilter& filter, ResponseFormat format, http::Response& response) const;

  std::shared_ptr<const service::SymbolService> service_;
  std::shared_ptr<ResponseCache> cache_;
  std::chrono::milliseconds cache_ttl_;
};

// The `status` parameter as a status list (empty = any); 400 naming it otherwise.
std::vector<domain::SymbolStatus> parse_status_selection(const std::optional<std::string>& value);

}  // namespace mdp::api
