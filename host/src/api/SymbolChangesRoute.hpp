// GET /v1/symbols/changes (scope market:read): the change log of tracked symbol fields
// (status, tick_size, lot_step, min_qty, min_notional, contract_size), oldest first.
// Parameters: exchange, symbol (canonical; needs exchange), since (UTC ms or ISO-8601;
// changed_at >= since), limit (1..5000, default 500). `has_more` says rows were left out:
// ask again with `since` = the last row's changed_at (rows at that instant repeat).
#pragma once

#include <memory>

#include "ApiRoute.hpp"
#include "SymbolService.hpp"

namespace mdp::api {

inline constexpr std::size_t kDefaultChangesPerPage = 500;

class SymbolChangesRoute : public ApiRoute {
 public:
  explicit SymbolChangesRoute(std::shared_ptr<const service::SymbolService> service);

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::SymbolService> service_;
};

}  // namespace mdp::api
