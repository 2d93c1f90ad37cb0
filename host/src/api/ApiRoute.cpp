#include "ApiRoute.hpp"

#include <exception>
#include <optional>

#include "ApiErrors.hpp"
#include "ProblemError.hpp"

namespace mdp::api {

void ApiRoute::handle(const http::Request& request, http::Response& response) {
  try {
    serve(request, response);
  } catch (const http::ProblemError&) {
    throw;
  } catch (...) {
    const std::string* exchange = request.query().find("exchange");
    std::optional<http::Problem> problem =
        problem_for_exception(std::current_exception(), exchange ? *exchange : std::string(), request.request_id());
    if (!problem) throw;
    throw http::ProblemError(std::move(*problem));
  }
}

}  // namespace mdp::api
