// The one table that turns what services and adapters throw into RFC 9457 problems.
//
// | thrown                                    | status | problem type            |
// |-------------------------------------------|--------|-------------------------|
// | service::RequestRejected                  | 400    | bad-request (+parameter, supported) |
// | service::CandleQueryError (range, rows, pages, interval) | 400 | bad-request |
// | service::NotFound                         | 404    | not-found               |
// | service::StoreUnavailable                 | 503    | db-unavailable + Retry-After |
// | service::CapabilityUnavailable            | 503    | unavailable             |
// | AdapterError UpstreamRateLimited          | 503    | upstream-rate-limited + Retry-After |
// | AdapterError UpstreamUnavailable          | 502    | upstream-unavailable (+ Retry-After when known) |
// |   (also an open circuit breaker: Retry-After = the remaining cool-down)        |
// |   (also an exchange slower than its upstream.<id>.read_timeout_ms)           |
// | AdapterError Timeout                      | 504    | upstream-timeout        |
// |   (the request's own deadline, candles.timeout_ms, passed)                   |
// | AdapterError UpstreamProtocol             | 502    | upstream-bad-response   |
// | AdapterError PluginError                  | 502    | plugin-error            |
// | AdapterError PluginBadOutput              | 502    | plugin-bad-output       |
// | AdapterError NotFound                     | 404    | not-found               |
// | AdapterError Cancelled                    | 503    | unavailable + Retry-After |
// | AdapterError InvalidArgument, Unsupported | 400    | bad-request             |
// | anything else                             | 500    | internal (the pipeline) |
//
// Adapter messages may quote the exchange's body (RELIABILITY.md A1: never sent), so the
// problem `detail` is a fixed sentence per code naming the exchange; the message goes to
// the "api" log with the request id instead.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "ExchangeAdapter.hpp"
#include "Problem.hpp"

namespace mdp::api {

// Seconds a client is told to wait after a database outage or a cancelled call.
inline constexpr int kRetryAfterUnavailableSeconds = 5;

// The problem for an adapter error; `exchange` is named in the detail.
http::Problem problem_for_adapter_error(const domain::AdapterError& error, std::string_view exchange);

// The problem for `error` when it is one the table knows, else nullopt (the pipeline then
// answers 500). `exchange` is named in adapter-error details; `request_id` tags the log line.
std::optional<http::Problem> problem_for_exception(const std::exception_ptr& error, std::string_view exchange,
                                                   std::string_view request_id);

}  // namespace mdp::api
