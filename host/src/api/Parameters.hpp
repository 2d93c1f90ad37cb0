// Strict readers for query parameters. Every refusal is a 400 bad-request problem whose
// detail and `parameter` member name the parameter (RELIABILITY.md H8): no sign, no space,
// no leading zero tricks, no overflow, no silent clamping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "Request.hpp"

namespace mdp::api {

// Throws ProblemError(400) naming `parameter`; the detail is `message`.
[[noreturn]] void reject_parameter(std::string_view parameter, std::string message);

// The value when present; 400 when present but empty ("?exchange=").
std::optional<std::string> optional_text(const http::Request& request, std::string_view name);
// The value; 400 when absent or empty.
std::string required_text(const http::Request& request, std::string_view name);

// 1..19 ASCII digits, value in [min, max]; 400 naming the range otherwise.
std::optional<std::uint64_t> optional_count(const http::Request& request, std::string_view name, std::uint64_t min,
                                            std::uint64_t max);

// UTC ms (1..13 digits) or ISO-8601 in UTC (domain::parse_time); 400 otherwise.
std::optional<std::int64_t> optional_time(const http::Request& request, std::string_view name);

// "true" or "false" (also "1"/"0"); 400 otherwise.
std::optional<bool> optional_flag(const http::Request& request, std::string_view name);

// A request that must carry no body (the admin POST): 400 when it has one.
void reject_body(const http::Request& request);

}  // namespace mdp::api
