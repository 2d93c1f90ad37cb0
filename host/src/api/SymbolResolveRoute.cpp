#include "SymbolResolveRoute.hpp"

#include <stdexcept>

#include "JsonWriter.hpp"
#include "Parameters.hpp"
#include "ServiceErrors.hpp"
#include "SymbolRepresentation.hpp"

namespace mdp::api {

SymbolResolveRoute::SymbolResolveRoute(std::shared_ptr<const service::SymbolService> service)
    : ApiRoute(kScopeMarketRead), service_(std::move(service)) {
  if (!service_) throw std::invalid_argument("SymbolResolveRoute needs a SymbolService");
}

void SymbolResolveRoute::serve(const http::Request& request, http::Response& response) const {
  request.reject_unknown_parameters({"exchange", "symbol", "native"});
  const std::string exchange = required_text(request, "exchange");
  const std::optional<std::string> symbol = optional_text(request, "symbol");
  const std::optional<std::string> native = optional_text(request, "native");
  if (symbol.has_value() == native.has_value()) {
    reject_parameter(symbol ? "native" : "symbol", "give exactly one of 'symbol' (canonical) and 'native'");
  }
  const std::optional<service::SymbolInfo> found =
      symbol ? service_->find(exchange, *symbol) : service_->find_by_native(exchange, *native);
  if (!found) {
    throw service::NotFound(std::string(symbol ? "no symbol '" : "no native symbol '") +
                            service::shorten_for_message(symbol ? *symbol : *native) + "' on exchange '" + exchange +
                            "'");
  }
  http::JsonWriter json(response.start_json(200));
  write_symbol_json(json, *found);
}

}  // namespace mdp::api
