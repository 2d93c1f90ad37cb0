// Exact-match routing table: (method, path) -> Route.
//
// - Paths are compared byte for byte as sent: no percent-decoding, no dot-segment removal,
//   no slash merging, no trailing-slash fallback. "/v1/../health", "//health" and
//   "/health/" are simply different (unknown) paths -> 404. Nothing is normalised, so
//   nothing can be smuggled past a later per-route check.
// - Unknown path -> NotFound. Known path, method not registered -> MethodNotAllowed with
//   the Allow value ("GET, HEAD").
// - HEAD is served by the GET route of the same path (RFC 9110 §9.3.2: same headers, no
//   body), so GET routes advertise "GET, HEAD". HEAD, OPTIONS, TRACE and CONNECT cannot be
//   registered: OPTIONS/TRACE/CONNECT always get 405 (no CORS preflight, no echo).
// - Registration happens before the server starts; lookups are then read-only and safe
//   from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "HttpMethod.hpp"
#include "Route.hpp"

namespace mdp::http {

struct RouteKey {
  HttpMethod method;
  std::string path;

  bool operator==(const RouteKey& other) const { return method == other.method && path == other.path; }
};

struct RouteMatch {
  enum class Outcome { Found, NotFound, MethodNotAllowed };

  Outcome outcome = Outcome::NotFound;
  Route* route = nullptr;  // set when Found
  std::string allow;       // set when MethodNotAllowed, e.g. "GET, HEAD"
};

class Router {
 public:
  // Throws std::invalid_argument for a method that cannot be registered, a path that is
  // not a plain absolute path ([A-Za-z0-9._~-] segments, no empty/"."/".." segment, no
  // trailing slash except "/"), a null route, or a duplicate (method, path).
  void add(HttpMethod method, std::string path, std::shared_ptr<Route> route);

  RouteMatch resolve(HttpMethod method, std::string_view path) const;

  // Every registered (method, path), sorted by path then method; HEAD is implied by GET and
  // not listed. For the test that compares the router with the OpenAPI document.
  std::vector<RouteKey> routes() const;

 private:
  struct PathRoutes {
    std::map<HttpMethod, std::shared_ptr<Route>> by_method;
    std::string allow;  // precomputed Allow value
  };

  std::map<std::string, PathRoutes, std::less<>> paths_;
};

}  // namespace mdp::http
