// What GET /ready asks: can this process serve traffic now? The application implements it
// (database reachable, migrations current, plugins loaded, later sync freshness).
//
// checks() is called on a server thread for every /ready request, so keep it fast and
// bounded: report cached state that a background task refreshes rather than opening a
// database connection per call. `name` and `detail` are sent to the client: short fixed
// phrases ("database", "unreachable"), never exception text, hostnames or credentials.
#pragma once

#include <string>
#include <vector>

namespace mdp::http {

struct ReadinessCheck {
  std::string name;
  bool ok = false;
  std::string detail;
};

class ReadinessProbe {
 public:
  virtual ~ReadinessProbe() = default;
  virtual std::vector<ReadinessCheck> checks() = 0;
};

}  // namespace mdp::http
