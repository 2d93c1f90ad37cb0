// Registers the unauthenticated operational routes every role serves: GET /health and
// GET /ready (HEAD is implied by GET).
#pragma once

#include <memory>

#include "ReadinessProbe.hpp"
#include "Router.hpp"

namespace mdp::http {

void add_operational_routes(Router& router, std::shared_ptr<ReadinessProbe> probe);

}  // namespace mdp::http
