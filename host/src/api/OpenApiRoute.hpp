// GET /openapi.json (no authentication): the embedded OpenAPI document, as is.
#pragma once

#include "Route.hpp"

namespace mdp::api {

class OpenApiRoute : public http::Route {
 public:
  void handle(const http::Request& request, http::Response& response) override;
  std::string_view required_scope() const override { return {}; }
};

}  // namespace mdp::api
