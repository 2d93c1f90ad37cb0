#include "HttpServerConfig.hpp"

namespace mdp::http {

std::vector<std::string> HttpServerConfig::validate() const {
  std::vector<std::string> errors;
  const auto require = [&errors](bool ok, const char* message) {
    if (!ok) errors.emplace_back(message);
  };
  require(!host.empty(), "http.host must not be empty");
  require(threads >= 1 && threads <= 4096, "http.threads must be 1..4096");
  require(queue >= 1 && queue <= 65535, "http.queue must be 1..65535");
  require(receive_timeout.count() > 0, "http.receive_timeout must be positive");
  require(keep_alive_timeout.count() > 0, "http.keep_alive_timeout must be positive");
  require(max_keep_alive_requests >= 0, "http.max_keep_alive_requests must be >= 0");
  require(max_uri_bytes >= 16 && max_uri_bytes <= 16384, "http.max_uri_bytes must be 16..16384 (Poco's own cap)");
  require(max_header_bytes >= 256, "http.max_header_bytes must be at least 256");
  require(max_body_bytes >= 1, "http.max_body_bytes must be positive");
  require(max_query_parameters >= 1, "http.max_query_parameters must be positive");
  require(max_query_value_bytes >= 1, "http.max_query_value_bytes must be positive");
  require(drain_timeout.count() >= 0, "http.drain_timeout must not be negative");
  require(max_in_flight >= 0, "http.max_in_flight must be >= 0");
  require(rate_limit_per_minute >= 0, "http.rate_limit_per_minute must be >= 0");
  require(rate_limit_per_minute == 0 || rate_limit_burst >= 1, "http.rate_limit_burst must be >= 1");
  return errors;
}

}  // namespace mdp::http
