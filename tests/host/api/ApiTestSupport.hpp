// Small assertions shared by the API tests: problem documents (RELIABILITY.md H7) and JSON
// access.
#pragma once

#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "ApiTestHost.hpp"
#include "HttpMethod.hpp"
#include "Route.hpp"
#include "Router.hpp"
#include "SchemaChecker.hpp"

namespace mdp::api::test {

inline Poco::JSON::Object::Ptr json_object(const HttpResult& response) {
  return parse_json(response.body).extract<Poco::JSON::Object::Ptr>();
}

// Status, content type, `type`, `status` member, `instance` = X-Request-Id, and a detail
// containing `detail_part` (when given).
inline void expect_problem(const HttpResult& response, int status, const std::string& slug,
                           const std::string& detail_part = {}) {
  EXPECT_EQ(response.status, status) << response.body;
  ASSERT_NE(response.header("content-type"), nullptr);
  EXPECT_EQ(*response.header("content-type"), "application/problem+json") << response.body;
  Poco::JSON::Object::Ptr problem;
  ASSERT_NO_THROW(problem = json_object(response)) << response.body;
  EXPECT_EQ(problem->getValue<std::string>("type"), "https://mdp.dev/problems/" + slug) << response.body;
  EXPECT_EQ(problem->getValue<int>("status"), status);
  ASSERT_NE(response.header("x-request-id"), nullptr);
  EXPECT_EQ(problem->getValue<std::string>("instance"), *response.header("x-request-id"));
  if (!detail_part.empty()) {
    EXPECT_NE(problem->getValue<std::string>("detail").find(detail_part), std::string::npos)
        << "detail: " << problem->getValue<std::string>("detail");
  }
}

inline std::string problem_parameter(const HttpResult& response) {
  const auto problem = json_object(response);
  return problem->has("parameter") ? problem->getValue<std::string>("parameter") : std::string();
}

using OperationKey = std::pair<std::string, std::string>;  // (path, lower-case method)

inline std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

inline std::set<OperationKey> documented_operations(const SchemaChecker& checker) {
  std::set<OperationKey> out;
  for (const auto& [path, item] : *checker.document()->getObject("paths")) {
    for (const auto& [method, operation] : *item.extract<Poco::JSON::Object::Ptr>()) out.insert({path, method});
  }
  return out;
}

// The scopes the document requires for an operation ("" when public).
inline std::string documented_scope(const SchemaChecker& checker, const OperationKey& key) {
  const auto security =
      checker.document()->getObject("paths")->getObject(key.first)->getObject(key.second)->getArray("security");
  if (security->size() == 0) return "";
  const auto scopes = security->getObject(0)->getArray("bearerAuth");
  return scopes && scopes->size() == 1 ? scopes->getElement<std::string>(0) : "<unexpected security>";
}

// RELIABILITY.md A6: the router's (method, path) set equals the document's operations,
// and each route requires the scope the document declares for it.
inline void expect_router_matches_document(const http::Router& router, const SchemaChecker& checker) {
  const std::set<OperationKey> documented = documented_operations(checker);
  std::set<OperationKey> routed;
  for (const http::RouteKey& key : router.routes()) {
    const OperationKey op{key.path, lower(std::string(http::http_method_name(key.method)))};
    routed.insert(op);
    const http::RouteMatch match = router.resolve(key.method, key.path);
    ASSERT_EQ(match.outcome, http::RouteMatch::Outcome::Found);
    if (documented.count(op) != 0) {
      EXPECT_EQ(std::string(match.route->required_scope()), documented_scope(checker, op)) << key.path;
    }
  }
  EXPECT_EQ(routed, documented);
}

}  // namespace mdp::api::test
