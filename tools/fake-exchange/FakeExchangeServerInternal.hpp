// Internal to mdp_fake_exchange: the routes.json loader.
#pragma once

#include <string>
#include <vector>

#include "FakeExchangeServer.hpp"

namespace mdp::fake {

struct ManifestRoute {
  RouteMatch match;
  FakeResponse fallback;
  std::vector<FakeResponse> script;
};

// Parses DIR/routes.json and reads the response files it names (relative to DIR, never
// outside it). Throws std::runtime_error with the route index and the problem.
std::vector<ManifestRoute> load_manifest(const std::string& dir);

}  // namespace mdp::fake
