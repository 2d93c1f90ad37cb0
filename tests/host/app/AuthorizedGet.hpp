// One GET to 127.0.0.1 with an optional bearer token, never throws: the status, the headers
// the fault tests look at, the problem type's slug, and how long the request took.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mdp::app::integration {

struct Reply {
  int status = 0;            // 0: no HTTP answer (see error)
  std::string content_type;
  std::string retry_after;   // "" when absent
  std::string problem_type;  // the last path segment of a problem's "type" ("db-unavailable"), else ""
  std::string body;
  std::string error;         // why there was no answer
  double seconds = 0;        // time from connect to the end of the body
};

Reply authorized_get(std::uint16_t port, const std::string& target, const std::string& bearer_token,
                     std::chrono::seconds timeout);

}  // namespace mdp::app::integration
