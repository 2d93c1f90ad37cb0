#include "ReadyRoute.hpp"

#include <stdexcept>

#include <Poco/Logger.h>

#include "AccessLogLine.hpp"
#include "JsonWriter.hpp"
#include "Problem.hpp"
#include "Request.hpp"
#include "Response.hpp"

namespace mdp::http {

namespace {

void write_checks(JsonWriter& json, const std::vector<ReadinessCheck>& checks) {
  json.begin_array();
  for (const ReadinessCheck& check : checks) {
    json.begin_object();
    json.key("name").string(check.name);
    json.key("ok").boolean(check.ok);
    json.key("detail").string(check.detail);
    json.end_object();
  }
  json.end_array();
}

}  // namespace

ReadyRoute::ReadyRoute(std::shared_ptr<ReadinessProbe> probe) : probe_(std::move(probe)) {
  if (!probe_) throw std::invalid_argument("ReadyRoute needs a ReadinessProbe");
}

void ReadyRoute::handle(const Request& request, Response& response) {
  request.reject_unknown_parameters({});
  std::vector<ReadinessCheck> checks;
  try {
    checks = probe_->checks();
  } catch (const std::exception& error) {
    Poco::Logger::get("http.error")
        .error("request_id=" + request.request_id() + " readiness probe threw: " + log_safe(error.what(), 512));
    checks = {ReadinessCheck{"probe", false, "readiness probe failed"}};
  } catch (...) {
    Poco::Logger::get("http.error").error("request_id=" + request.request_id() + " readiness probe threw");
    checks = {ReadinessCheck{"probe", false, "readiness probe failed"}};
  }

  std::string failing;
  for (const ReadinessCheck& check : checks) {
    if (check.ok) continue;
    if (!failing.empty()) failing.append(", ");
    failing.append(check.name);
  }

  if (failing.empty()) {
    JsonWriter json(response.start_json(200));
    json.begin_object();
    json.key("status").string("ready");
    json.key("checks");
    write_checks(json, checks);
    json.end_object();
    response.set_header("Cache-Control", "no-store");
    return;
  }

  std::string checks_json;
  JsonWriter json(checks_json);
  write_checks(json, checks);
  Problem problem(ProblemType::NotReady, "failing readiness checks: " + failing);
  problem.with_extension("checks", std::move(checks_json)).with_retry_after(kRetryAfterSeconds);
  response.set_problem(problem);
}

}  // namespace mdp::http
