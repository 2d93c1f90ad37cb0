#include "OperationalRoutes.hpp"

#include "HealthRoute.hpp"
#include "ReadyRoute.hpp"

namespace mdp::http {

void add_operational_routes(Router& router, std::shared_ptr<ReadinessProbe> probe) {
  router.add(HttpMethod::Get, "/health", std::make_shared<HealthRoute>());
  router.add(HttpMethod::Get, "/ready", std::make_shared<ReadyRoute>(std::move(probe)));
}

}  // namespace mdp::http
