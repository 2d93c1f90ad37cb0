#include "Router.hpp"

#include <algorithm>
#include <stdexcept>

namespace mdp::http {

namespace {

bool is_registrable(HttpMethod method) noexcept {
  switch (method) {
    case HttpMethod::Get:
    case HttpMethod::Post:
    case HttpMethod::Put:
    case HttpMethod::Patch:
    case HttpMethod::Delete:
      return true;
    default:
      return false;
  }
}

bool is_path_character(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_plain_path(std::string_view path) noexcept {
  if (path == "/") return true;
  if (path.size() < 2 || path.front() != '/' || path.back() == '/') return false;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    for (const char c : segment) {
      if (!is_path_character(c)) return false;
    }
    start = end + 1;
  }
  return true;
}

std::string allow_value(const std::map<HttpMethod, std::shared_ptr<Route>>& by_method) {
  std::string allow;
  // std::map orders by enumerator: GET, (HEAD), POST, PUT, PATCH, DELETE.
  for (const auto& entry : by_method) {
    if (!allow.empty()) allow.append(", ");
    allow.append(http_method_name(entry.first));
    if (entry.first == HttpMethod::Get) allow.append(", HEAD");
  }
  return allow;
}

}  // namespace

void Router::add(HttpMethod method, std::string path, std::shared_ptr<Route> route) {
  if (!is_registrable(method)) throw std::invalid_argument("Router: method cannot be registered");
  if (!is_plain_path(path)) throw std::invalid_argument("Router: not a plain absolute path: " + path);
  if (!route) throw std::invalid_argument("Router: null route for " + path);
  PathRoutes& entry = paths_[path];
  if (!entry.by_method.emplace(method, std::move(route)).second) {
    throw std::invalid_argument("Router: duplicate route " + std::string(http_method_name(method)) + " " + path);
  }
  entry.allow = allow_value(entry.by_method);
}

RouteMatch Router::resolve(HttpMethod method, std::string_view path) const {
  RouteMatch match;
  const auto found = paths_.find(path);
  if (found == paths_.end()) return match;
  const PathRoutes& entry = found->second;
  const HttpMethod lookup = method == HttpMethod::Head ? HttpMethod::Get : method;
  const auto route = entry.by_method.find(lookup);
  if (route == entry.by_method.end()) {
    match.outcome = RouteMatch::Outcome::MethodNotAllowed;
    match.allow = entry.allow;
    return match;
  }
  match.outcome = RouteMatch::Outcome::Found;
  match.route = route->second.get();
  return match;
}

std::vector<RouteKey> Router::routes() const {
  std::vector<RouteKey> keys;
  for (const auto& [path, entry] : paths_) {
    for (const auto& method_route : entry.by_method) keys.push_back(RouteKey{method_route.first, path});
  }
  return keys;
}

}  // namespace mdp::http
