// Base of every /v1 data and admin route: runs serve() and turns the errors services and
// adapters throw into problems through the one table in ApiErrors. ProblemError passes
// through; anything the table does not know reaches the pipeline, which answers 500.
#pragma once

#include <string>
#include <string_view>

#include "Request.hpp"
#include "Response.hpp"
#include "Route.hpp"

namespace mdp::api {

inline constexpr std::string_view kScopeMarketRead = "market:read";
inline constexpr std::string_view kScopeAdmin = "admin";

class ApiRoute : public http::Route {
 public:
  explicit ApiRoute(std::string_view scope) : scope_(scope) {}

  void handle(const http::Request& request, http::Response& response) final;
  std::string_view required_scope() const override { return scope_; }

 protected:
  virtual void serve(const http::Request& request, http::Response& response) const = 0;

 private:
  std::string_view scope_;  // one of the constants above (static storage)
};

}  // namespace mdp::api
