// GET /v1/symbols (scope market:read): canonical symbol metadata, filtered, ordered by
// (exchange, symbol), one page at a time with an opaque cursor; JSON or CSV.
//
// Parameters: exchange, type (spot|perpetual|future), status (a comma list of trading,
// halted, pre_trading, settling, delisted; or "all"; default: every status but delisted),
// base, quote (exact), q (case-insensitive substring of the canonical or native symbol),
// limit (1..1000, default 100), cursor (from the previous page's next_cursor), format.
#pragma once

#include <memory>

#include "ApiRoute.hpp"
#include "SymbolService.hpp"

namespace mdp::api {

inline constexpr std::size_t kDefaultSymbolsPerPage = 100;

class SymbolsRoute : public ApiRoute {
 public:
  explicit SymbolsRoute(std::shared_ptr<const service::SymbolService> service);

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::SymbolService> service_;
};

// The `status` parameter as a status list (empty = any); 400 naming it otherwise.
std::vector<domain::SymbolStatus> parse_status_selection(const std::optional<std::string>& value);

}  // namespace mdp::api
