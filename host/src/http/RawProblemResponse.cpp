#include "RawProblemResponse.hpp"

#include <sys/socket.h>
#include <sys/types.h>

#include <Poco/Net/HTTPResponse.h>

namespace mdp::http {

std::size_t send_raw_problem(int socket_fd, const Problem& problem, const std::string& request_id) noexcept {
  if (socket_fd < 0) return 0;
  try {
    const std::string body = problem.render(request_id);
    const auto status = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(problem.status());
    std::string message = "HTTP/1.1 " + std::to_string(problem.status()) + " " +
                          Poco::Net::HTTPResponse::getReasonForStatus(status) + "\r\n";
    message.append("Content-Type: application/problem+json\r\nContent-Length: ").append(std::to_string(body.size()));
    message.append("\r\nCache-Control: no-store\r\nConnection: close\r\nX-Request-Id: ").append(request_id);
    for (const auto& [name, value] : problem.headers()) message.append("\r\n").append(name).append(": ").append(value);
    message.append("\r\n\r\n").append(body);
    const ssize_t sent = ::send(socket_fd, message.data(), message.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    return sent == static_cast<ssize_t>(message.size()) ? body.size() : 0;
  } catch (...) {
    return 0;
  }
}

}  // namespace mdp::http
