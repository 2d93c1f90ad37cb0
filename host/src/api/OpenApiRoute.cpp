#include "OpenApiRoute.hpp"

#include "OpenApiDocument.hpp"
#include "Request.hpp"
#include "Response.hpp"

namespace mdp::api {

void OpenApiRoute::handle(const http::Request& request, http::Response& response) {
  request.reject_unknown_parameters({});
  response.start_json(200).assign(openapi_document());
  response.set_header("Cache-Control", "public, max-age=300");
}

}  // namespace mdp::api
