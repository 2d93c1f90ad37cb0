#include "HttpMethod.hpp"

#include <array>
#include <utility>

namespace mdp::http {

namespace {

constexpr std::array<std::pair<HttpMethod, std::string_view>, 9> kNames{{
    {HttpMethod::Get, "GET"},
    {HttpMethod::Head, "HEAD"},
    {HttpMethod::Post, "POST"},
    {HttpMethod::Put, "PUT"},
    {HttpMethod::Patch, "PATCH"},
    {HttpMethod::Delete, "DELETE"},
    {HttpMethod::Options, "OPTIONS"},
    {HttpMethod::Trace, "TRACE"},
    {HttpMethod::Connect, "CONNECT"},
}};

}  // namespace

HttpMethod parse_http_method(std::string_view token) noexcept {
  for (const auto& [method, name] : kNames) {
    if (name == token) return method;
  }
  return HttpMethod::Other;
}

std::string_view http_method_name(HttpMethod method) noexcept {
  for (const auto& [known, name] : kNames) {
    if (known == method) return name;
  }
  return "OTHER";
}

}  // namespace mdp::http
