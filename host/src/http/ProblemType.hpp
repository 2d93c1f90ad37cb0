// The fixed catalogue of problem types we answer with (RFC 9457 `type` member).
//
// Type URI scheme: "https://mdp.dev/problems/<slug>". Clients compare the full `type`
// string; it is an identifier and stays stable, whether or not the URL resolves to a page.
// Titles are stable per type and never carry request-specific text (that goes in `detail`).
//
// Adding a type is one line in MDP_HTTP_PROBLEM_TYPES: (enumerator, slug, status, title).
// all_problem_types() lists every entry, for the OpenAPI `type` enum and its test.
#pragma once

#include <string>
#include <string_view>
#include <vector>

// clang-format off
#define MDP_HTTP_PROBLEM_TYPES(X)                                                               \
  X(BadRequest,         "bad-request",         400, "Bad request")                              \
  X(NotFound,           "not-found",           404, "Not found")                                \
  X(Unauthorized,       "unauthorized",        401, "Unauthorized")                             \
  X(Forbidden,          "forbidden",           403, "Forbidden")                                \
  X(MethodNotAllowed,   "method-not-allowed",  405, "Method not allowed")                       \
  X(RequestTimeout,     "request-timeout",     408, "Request timeout")                          \
  X(PayloadTooLarge,    "payload-too-large",   413, "Content too large")                        \
  X(UriTooLong,         "uri-too-long",        414, "URI too long")                             \
  X(RateLimited,        "rate-limited",        429, "Too many requests")                        \
  X(HeadersTooLarge,    "headers-too-large",   431, "Request header fields too large")          \
  X(Internal,           "internal",            500, "Internal server error")                    \
  X(UpstreamUnavailable, "upstream-unavailable", 502, "Exchange unavailable")                   \
  X(UpstreamBadResponse, "upstream-bad-response", 502, "Unusable response from the exchange")   \
  X(PluginError,        "plugin-error",        502, "Exchange plugin failed")                   \
  X(PluginBadOutput,    "plugin-bad-output",   502, "Exchange plugin returned invalid data")    \
  X(UpstreamRateLimited, "upstream-rate-limited", 503, "Exchange rate limit reached")           \
  X(DbUnavailable,      "db-unavailable",      503, "Database unavailable")                     \
  X(UpstreamTimeout,    "upstream-timeout",    504, "Exchange did not answer in time")          \
  X(Unavailable,        "unavailable",         503, "Service unavailable")                      \
  X(NotReady,           "not-ready",           503, "Not ready")                                \
  X(UnsupportedVersion, "unsupported-version", 505, "HTTP version not supported")
// clang-format on

namespace mdp::http {

enum class ProblemType {
#define MDP_HTTP_PROBLEM_ENUMERATOR(name, slug, status, title) name,
  MDP_HTTP_PROBLEM_TYPES(MDP_HTTP_PROBLEM_ENUMERATOR)
#undef MDP_HTTP_PROBLEM_ENUMERATOR
};

struct ProblemTypeInfo {
  ProblemType type;
  std::string_view slug;
  int status;
  std::string_view title;
};

inline constexpr std::string_view kProblemTypeBase = "https://mdp.dev/problems/";

const ProblemTypeInfo& problem_type_info(ProblemType type);
// kProblemTypeBase + slug.
std::string problem_type_uri(ProblemType type);
const std::vector<ProblemTypeInfo>& all_problem_types();

}  // namespace mdp::http
