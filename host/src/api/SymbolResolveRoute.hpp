// GET /v1/symbols/resolve (scope market:read): one symbol, named either way —
// ?exchange=&symbol=<canonical> or ?exchange=&native=<exchange's own id> (exactly one of
// the two). 200 with the symbol object (both names in it), 404 when unknown. Delisted
// symbols resolve too: they stay in the catalogue.
#pragma once

#include <memory>

#include "ApiRoute.hpp"
#include "SymbolService.hpp"

namespace mdp::api {

class SymbolResolveRoute : public ApiRoute {
 public:
  explicit SymbolResolveRoute(std::shared_ptr<const service::SymbolService> service);

 protected:
  void serve(const http::Request& request, http::Response& response) const override;

 private:
  std::shared_ptr<const service::SymbolService> service_;
};

}  // namespace mdp::api
