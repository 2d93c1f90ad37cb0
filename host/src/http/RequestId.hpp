// Request ids: one per request, echoed in X-Request-Id, used as the problem `instance` and
// in every log line about the request.
#pragma once

#include <string>
#include <string_view>

namespace mdp::http {

// 16 lowercase hex characters from a per-thread PRNG: unique enough to find a request in
// the logs, no lock, no syscall per request. Not a secret and not a security token.
std::string new_request_id();

// An incoming X-Request-Id is adopted only if it is 1..64 characters of [A-Za-z0-9._-]:
// safe in a log line, a header and a JSON string without escaping.
bool is_acceptable_request_id(std::string_view incoming) noexcept;

}  // namespace mdp::http
