// /health and /ready as plain routes, without sockets.
#include <memory>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "HealthRoute.hpp"
#include "OperationalRoutes.hpp"
#include "ProblemError.hpp"
#include "ReadyRoute.hpp"
#include "Request.hpp"
#include "Response.hpp"

namespace mdp::http {
namespace {

class FakeProbe : public ReadinessProbe {
 public:
  std::vector<ReadinessCheck> result;
  bool throws = false;

  std::vector<ReadinessCheck> checks() override {
    if (throws) throw std::runtime_error("connection to 10.1.2.3 refused: password=hunter2");
    return result;
  }
};

TEST(HealthRouteTest, AlwaysOk) {
  HealthRoute route;
  Request request;
  Response response("id1");
  route.handle(request, response);
  EXPECT_EQ(response.status(), 200);
  EXPECT_EQ(response.content_type(), "application/json");
  EXPECT_EQ(response.body(), R"({"status":"ok"})");
}

TEST(HealthRouteTest, UnknownParameterIs400) {
  HealthRoute route;
  Request request;
  QueryParameters query;
  query.add("verbose", "1");
  request.set_query(query);
  Response response;
  EXPECT_THROW(route.handle(request, response), ProblemError);
}

TEST(ReadyRouteTest, AllChecksOkIs200WithChecks) {
  auto probe = std::make_shared<FakeProbe>();
  probe->result = {{"database", true, ""}, {"migrations", true, "V0001"}};
  ReadyRoute route(probe);
  Request request;
  Response response("id2");
  route.handle(request, response);
  EXPECT_EQ(response.status(), 200);
  EXPECT_EQ(response.body(),
            R"({"status":"ready","checks":[{"name":"database","ok":true,"detail":""},)"
            R"({"name":"migrations","ok":true,"detail":"V0001"}]})");
}

TEST(ReadyRouteTest, FailingCheckIs503ProblemWithRetryAfter) {
  auto probe = std::make_shared<FakeProbe>();
  probe->result = {{"database", false, "unreachable"}, {"plugins", true, ""}};
  ReadyRoute route(probe);
  Request request;
  Response response("id3");
  route.handle(request, response);
  EXPECT_EQ(response.status(), 503);
  EXPECT_EQ(response.content_type(), "application/problem+json");
  ASSERT_NE(response.header("Retry-After"), nullptr);
  EXPECT_EQ(*response.header("Retry-After"), "5");
  EXPECT_EQ(response.body(),
            R"({"type":"https://mdp.dev/problems/not-ready","title":"Not ready","status":503,)"
            R"("detail":"failing readiness checks: database","instance":"id3",)"
            R"("checks":[{"name":"database","ok":false,"detail":"unreachable"},)"
            R"({"name":"plugins","ok":true,"detail":""}]})");
}

TEST(ReadyRouteTest, ThrowingProbeIsNotReadyAndLeaksNothing) {
  auto probe = std::make_shared<FakeProbe>();
  probe->throws = true;
  ReadyRoute route(probe);
  Request request;
  Response response("id4");
  route.handle(request, response);
  EXPECT_EQ(response.status(), 503);
  EXPECT_EQ(response.body().find("hunter2"), std::string::npos);
  EXPECT_EQ(response.body().find("10.1.2.3"), std::string::npos);
  EXPECT_NE(response.body().find(R"("name":"probe")"), std::string::npos);
}

TEST(OperationalRoutesTest, RegistersHealthAndReady) {
  Router router;
  add_operational_routes(router, std::make_shared<FakeProbe>());
  const std::vector<RouteKey> expected{{HttpMethod::Get, "/health"}, {HttpMethod::Get, "/ready"}};
  EXPECT_EQ(router.routes(), expected);
  EXPECT_THROW(ReadyRoute(nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace mdp::http
