#include <memory>
#include <stdexcept>

#include <gtest/gtest.h>

#include "Request.hpp"
#include "Response.hpp"
#include "Router.hpp"

namespace mdp::http {
namespace {

class NamedRoute : public Route {
 public:
  void handle(const Request&, Response&) override {}
};

Router sample_router(std::shared_ptr<Route>& health, std::shared_ptr<Route>& token) {
  Router router;
  health = std::make_shared<NamedRoute>();
  token = std::make_shared<NamedRoute>();
  router.add(HttpMethod::Get, "/health", health);
  router.add(HttpMethod::Post, "/v1/auth/token", token);
  router.add(HttpMethod::Get, "/v1/admin/sync-runs", std::make_shared<NamedRoute>());
  router.add(HttpMethod::Post, "/v1/admin/sync", std::make_shared<NamedRoute>());
  return router;
}

TEST(RouterTest, ExactMatch) {
  std::shared_ptr<Route> health, token;
  const Router router = sample_router(health, token);
  RouteMatch match = router.resolve(HttpMethod::Get, "/health");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(match.route, health.get());
  match = router.resolve(HttpMethod::Post, "/v1/auth/token");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(match.route, token.get());
}

TEST(RouterTest, HeadIsServedByGet) {
  std::shared_ptr<Route> health, token;
  const Router router = sample_router(health, token);
  const RouteMatch match = router.resolve(HttpMethod::Head, "/health");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::Found);
  EXPECT_EQ(match.route, health.get());
  EXPECT_EQ(router.resolve(HttpMethod::Head, "/v1/auth/token").outcome, RouteMatch::Outcome::MethodNotAllowed);
}

TEST(RouterTest, OtherMethodsOnKnownPathsAre405WithAllow) {
  std::shared_ptr<Route> health, token;
  const Router router = sample_router(health, token);
  for (HttpMethod method : {HttpMethod::Post, HttpMethod::Put, HttpMethod::Delete, HttpMethod::Patch,
                            HttpMethod::Options, HttpMethod::Trace, HttpMethod::Connect, HttpMethod::Other}) {
    const RouteMatch match = router.resolve(method, "/health");
    EXPECT_EQ(match.outcome, RouteMatch::Outcome::MethodNotAllowed) << http_method_name(method);
    EXPECT_EQ(match.allow, "GET, HEAD");
    EXPECT_EQ(match.route, nullptr);
  }
  EXPECT_EQ(router.resolve(HttpMethod::Get, "/v1/auth/token").allow, "POST");
}

TEST(RouterTest, AllowListsEveryMethodOfAPath) {
  Router router;
  router.add(HttpMethod::Delete, "/x", std::make_shared<NamedRoute>());
  router.add(HttpMethod::Get, "/x", std::make_shared<NamedRoute>());
  router.add(HttpMethod::Post, "/x", std::make_shared<NamedRoute>());
  EXPECT_EQ(router.resolve(HttpMethod::Put, "/x").allow, "GET, HEAD, POST, DELETE");
}

TEST(RouterTest, PathsAreNotNormalised) {
  std::shared_ptr<Route> health, token;
  const Router router = sample_router(health, token);
  for (const char* path : {"/v1/../health", "//health", "/health/", "/Health", "/health%2F", "/./health",
                           "/%68ealth", "health", "", "/health;x", "/v1/auth/token/", "/v1//auth/token"}) {
    EXPECT_EQ(router.resolve(HttpMethod::Get, path).outcome, RouteMatch::Outcome::NotFound) << path;
  }
}

TEST(RouterTest, RoutesListsRegistrationsSorted) {
  std::shared_ptr<Route> health, token;
  const Router router = sample_router(health, token);
  const std::vector<RouteKey> expected{{HttpMethod::Get, "/health"},
                                       {HttpMethod::Post, "/v1/admin/sync"},
                                       {HttpMethod::Get, "/v1/admin/sync-runs"},
                                       {HttpMethod::Post, "/v1/auth/token"}};
  EXPECT_EQ(router.routes(), expected);
}

TEST(RouterTest, RefusesBadRegistrations) {
  Router router;
  auto route = std::make_shared<NamedRoute>();
  router.add(HttpMethod::Get, "/ok", route);
  EXPECT_THROW(router.add(HttpMethod::Get, "/ok", route), std::invalid_argument);  // duplicate
  EXPECT_THROW(router.add(HttpMethod::Head, "/h", route), std::invalid_argument);
  EXPECT_THROW(router.add(HttpMethod::Options, "/h", route), std::invalid_argument);
  EXPECT_THROW(router.add(HttpMethod::Trace, "/h", route), std::invalid_argument);
  EXPECT_THROW(router.add(HttpMethod::Other, "/h", route), std::invalid_argument);
  for (const char* path : {"", "x", "/a/", "//a", "/a//b", "/a/../b", "/a/./b", "/a?b", "/a b", "/a%20b", "/a#b"}) {
    EXPECT_THROW(router.add(HttpMethod::Get, path, route), std::invalid_argument) << path;
  }
  EXPECT_THROW(router.add(HttpMethod::Get, "/null", nullptr), std::invalid_argument);
  EXPECT_NO_THROW(router.add(HttpMethod::Get, "/", route));
  EXPECT_NO_THROW(router.add(HttpMethod::Get, "/openapi.json", route));
}

TEST(HttpMethodTest, TokensAreCaseSensitive) {
  EXPECT_EQ(parse_http_method("GET"), HttpMethod::Get);
  EXPECT_EQ(parse_http_method("get"), HttpMethod::Other);
  EXPECT_EQ(parse_http_method("PROPFIND"), HttpMethod::Other);
  EXPECT_EQ(http_method_name(HttpMethod::Delete), "DELETE");
}

}  // namespace
}  // namespace mdp::http
