#include "Parameters.hpp"

#include "JsonWriter.hpp"
#include "Problem.hpp"
#include "ProblemError.hpp"
#include "Time.hpp"

namespace mdp::api {

void reject_parameter(std::string_view parameter, std::string message) {
  http::Problem problem(http::ProblemType::BadRequest, std::move(message));
  std::string name;
  http::JsonWriter(name).string(parameter);
  problem.with_extension("parameter", std::move(name));
  throw http::ProblemError(std::move(problem));
}

std::optional<std::string> optional_text(const http::Request& request, std::string_view name) {
  const std::string* value = request.query().find(name);
  if (value == nullptr) return std::nullopt;
  if (value->empty()) reject_parameter(name, "parameter '" + std::string(name) + "' must not be empty");
  return *value;
}

std::string required_text(const http::Request& request, std::string_view name) {
  std::optional<std::string> value = optional_text(request, name);
  if (!value) reject_parameter(name, "missing required query parameter '" + std::string(name) + "'");
  return std::move(*value);
}

std::optional<std::uint64_t> optional_count(const http::Request& request, std::string_view name, std::uint64_t min,
                                            std::uint64_t max) {
  const std::string* value = request.query().find(name);
  if (value == nullptr) return std::nullopt;
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  bool digits = !value->empty() && value->size() <= 19;
  std::uint64_t number = 0;
  for (const char c : *value) {
    if (c < '0' || c > '9') {
      digits = false;
      break;
    }
    number = number * 10 + static_cast<std::uint64_t>(c - '0');  // <= 19 digits: no overflow
  }
  if (!digits) reject_parameter(name, "parameter '" + std::string(name) + "' must be an integer " + range);
  if (number < min || number > max) {
    reject_parameter(name, "parameter '" + std::string(name) + "' must be " + range + " (got " + *value + ")");
  }
  return number;
}

std::optional<std::int64_t> optional_time(const http::Request& request, std::string_view name) {
  const std::string* value = request.query().find(name);
  if (value == nullptr) return std::nullopt;
  const std::optional<std::int64_t> ms = domain::parse_time(*value);
  if (!ms) {
    reject_parameter(name, "parameter '" + std::string(name) +
                               "' must be UTC milliseconds since the epoch (up to 13 digits) or ISO-8601 in UTC, "
                               "e.g. 2024-01-01 or 2024-01-01T00:00:00Z");
  }
  return ms;
}

std::optional<bool> optional_flag(const http::Request& request, std::string_view name) {
  const std::string* value = request.query().find(name);
  if (value == nullptr) return std::nullopt;
  if (*value == "true" || *value == "1") return true;
  if (*value == "false" || *value == "0") return false;
  reject_parameter(name, "parameter '" + std::string(name) + "' must be true or false");
}

void reject_body(const http::Request& request) {
  if (!request.body().empty()) {
    throw http::ProblemError(
        http::Problem(http::ProblemType::BadRequest, "this endpoint takes no request body; use query parameters"));
  }
}

}  // namespace mdp::api
