// GET /health: liveness. 200 {"status":"ok"} whenever the process can answer HTTP at all;
// it consults no dependency, so a database outage never makes an orchestrator kill us.
#pragma once

#include "Route.hpp"

namespace mdp::http {

class HealthRoute : public Route {
 public:
  void handle(const Request& request, Response& response) override;
};

}  // namespace mdp::http
