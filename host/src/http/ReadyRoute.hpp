// GET /ready: readiness, from an injected ReadinessProbe.
//   all checks ok -> 200 {"status":"ready","checks":[{"name","ok","detail"}…]}
//   any failing   -> 503 problem "not-ready" with the same "checks" array as an extension
//                    member and Retry-After: 5.
// A probe that throws counts as not ready (check "probe"); its text is logged, not sent.
#pragma once

#include <memory>

#include "ReadinessProbe.hpp"
#include "Route.hpp"

namespace mdp::http {

class ReadyRoute : public Route {
 public:
  explicit ReadyRoute(std::shared_ptr<ReadinessProbe> probe);

  void handle(const Request& request, Response& response) override;

  static constexpr int kRetryAfterSeconds = 5;

 private:
  std::shared_ptr<ReadinessProbe> probe_;
};

}  // namespace mdp::http
