// Request methods the router knows by name. Anything else is Other, which no route can
// register, so it always ends in 404 or 405.
#pragma once

#include <string_view>

namespace mdp::http {

enum class HttpMethod { Get, Head, Post, Put, Patch, Delete, Options, Trace, Connect, Other };

// Method tokens are case-sensitive (RFC 9110 §9.1): "get" is Other.
HttpMethod parse_http_method(std::string_view token) noexcept;

// "GET", "HEAD", …; "OTHER" for Other.
std::string_view http_method_name(HttpMethod method) noexcept;

}  // namespace mdp::http
