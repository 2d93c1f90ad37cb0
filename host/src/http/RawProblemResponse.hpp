// A complete problem response written straight to a socket descriptor, for the cases where
// Poco has no response object for us: a request head that never completed (408 from the
// reaper) or one Poco failed to parse with an exception it does not answer itself (e.g.
// "Content-Length: abc" throws SyntaxException while Poco builds the request, and stock
// Poco then closes the connection silently). Always "Connection: close"; non-blocking and
// without SIGPIPE, because the peer may be gone. Best effort: never throws.
#pragma once

#include <cstddef>
#include <string>

#include "Problem.hpp"

namespace mdp::http {

// Returns the body size written (0 if the write failed or was short).
std::size_t send_raw_problem(int socket_fd, const Problem& problem, const std::string& request_id) noexcept;

}  // namespace mdp::http
