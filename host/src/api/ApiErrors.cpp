#include "ApiErrors.hpp"

#include <algorithm>
#include <cstdint>

#include <Poco/Logger.h>

#include "CandleService.hpp"
#include "JsonWriter.hpp"
#include "ServiceErrors.hpp"

namespace mdp::api {
namespace {

Poco::Logger& log() { return Poco::Logger::get("api"); }

// Upstream text can hold anything; the log line stays one bounded, printable line.
std::string printable(std::string_view text, std::size_t max_bytes = 512) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  for (const char c : text.substr(0, max_bytes)) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte < 0x20 || byte == 0x7F ? '?' : c);
  }
  return out;
}

int retry_after_seconds(std::int64_t retry_after_ms) {
  if (retry_after_ms <= 0) return kRetryAfterUnavailableSeconds;
  // Round up: telling a client to come back before the exchange's own deadline only earns
  // it another 503. Capped at a day so an hostile header cannot say "never".
  const std::int64_t seconds = (retry_after_ms + 999) / 1000;
  return static_cast<int>(std::min<std::int64_t>(seconds, 86'400));
}

std::string exchange_name(std::string_view exchange) {
  return exchange.empty() ? std::string("the exchange") : "exchange '" + std::string(exchange) + "'";
}

http::Problem rejected(const service::RequestRejected& error) {
  http::Problem problem(http::ProblemType::BadRequest, error.what());
  if (!error.parameter().empty()) {
    std::string name;
    http::JsonWriter(name).string(error.parameter());
    problem.with_extension("parameter", std::move(name));
  }
  if (!error.allowed().empty()) {
    std::string list;
    http::JsonWriter json(list);
    json.begin_array();
    for (const std::string& value : error.allowed()) json.string(value);
    json.end_array();
    problem.with_extension("supported", std::move(list));
  }
  return problem;
}

}  // namespace

http::Problem problem_for_adapter_error(const domain::AdapterError& error, std::string_view exchange) {
  using Code = domain::AdapterErrorCode;
  using Type = http::ProblemType;
  const std::string who = exchange_name(exchange);
  switch (error.code()) {
    case Code::UpstreamRateLimited:
      return http::Problem(Type::UpstreamRateLimited,
                           who + " is rate limiting us (or our request budget for it is spent); retry later")
          .with_retry_after(retry_after_seconds(error.retry_after_ms()));
    case Code::UpstreamUnavailable: {
      http::Problem problem(Type::UpstreamUnavailable, who + " could not be reached or answered with an error");
      // Known when the exchange's circuit breaker is open (the remaining cool-down) or the
      // exchange sent a Retry-After with its 5xx.
      if (error.retry_after_ms() > 0) problem.with_retry_after(retry_after_seconds(error.retry_after_ms()));
      return problem;
    }
    case Code::Timeout:
      return http::Problem(Type::UpstreamTimeout, who + " did not answer in time");
    case Code::UpstreamProtocol:
      return http::Problem(Type::UpstreamBadResponse, who + " answered with a response we could not use");
    case Code::PluginError:
      return http::Problem(Type::PluginError, "the plugin for " + who + " failed");
    case Code::PluginBadOutput:
      return http::Problem(Type::PluginBadOutput, "the plugin for " + who + " returned data that failed validation");
    case Code::NotFound:
      return http::Problem(Type::NotFound, who + " does not know this symbol");
    case Code::Cancelled:
      return http::Problem(Type::Unavailable, "the request was cancelled (the server is shutting down)")
          .with_retry_after(kRetryAfterUnavailableSeconds);
    case Code::InvalidArgument:
      return http::Problem(Type::BadRequest, who + " refused the request's parameters");
    case Code::Unsupported:
      return http::Problem(Type::BadRequest, who + " does not support this request (interval or symbol)");
  }
  return http::Problem(Type::PluginError, "the plugin for " + who + " failed");
}

std::optional<http::Problem> problem_for_exception(const std::exception_ptr& error, std::string_view exchange,
                                                   std::string_view request_id) {
  try {
    std::rethrow_exception(error);
  } catch (const service::RequestRejected& e) {
    return rejected(e);
  } catch (const service::CandleQueryError& e) {
    return http::Problem(http::ProblemType::BadRequest, e.what());
  } catch (const service::NotFound& e) {
    return http::Problem(http::ProblemType::NotFound, e.what());
  } catch (const service::StoreUnavailable& e) {
    return http::Problem(http::ProblemType::DbUnavailable, e.what()).with_retry_after(kRetryAfterUnavailableSeconds);
  } catch (const service::CapabilityUnavailable& e) {
    return http::Problem(http::ProblemType::Unavailable, e.what());
  } catch (const domain::AdapterError& e) {
    try {
      log().warning("request_id=%s exchange=%s adapter_error=%s upstream_status=%d: %s", std::string(request_id),
                    std::string(exchange), std::string(domain::to_string(e.code())),
                    static_cast<int>(e.upstream_status()), printable(e.what()));
    } catch (...) {
    }
    return problem_for_adapter_error(e, exchange);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace mdp::api
