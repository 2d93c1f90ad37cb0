#include "HealthRoute.hpp"

#include "Request.hpp"
#include "Response.hpp"

namespace mdp::http {

void HealthRoute::handle(const Request& request, Response& response) {
  request.reject_unknown_parameters({});
  response.start_json(200).assign(R"({"status":"ok"})");
  response.set_header("Cache-Control", "no-store");
}

}  // namespace mdp::http
