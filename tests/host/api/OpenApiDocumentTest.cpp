// The embedded OpenAPI document: the source file's bytes, valid JSON, every $ref resolves,
// the problem `type` enum is exactly the problem type table, and every operation declares
// its security. (That the paths equal the router's routes, and that responses match the
// schemas, is checked over HTTP in OpenApiConformanceTest.)
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "OpenApiDocument.hpp"
#include "ProblemType.hpp"

namespace mdp::api {
namespace {

Poco::JSON::Object::Ptr parse_document() {
  Poco::JSON::Parser parser;
  return parser.parse(std::string(openapi_document())).extract<Poco::JSON::Object::Ptr>();
}

TEST(OpenApiDocument, IsTheSourceFileEmbeddedVerbatim) {
  const char* source = std::getenv("MDP_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::ifstream in(std::string(source) + "/host/openapi/openapi.json", std::ios::binary);
  ASSERT_TRUE(in);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), std::string(openapi_document()));
}

TEST(OpenApiDocument, IsOpenApi31) {
  const auto doc = parse_document();
  EXPECT_EQ(doc->getValue<std::string>("openapi").rfind("3.1", 0), 0u);
  EXPECT_TRUE(doc->has("info"));
  EXPECT_TRUE(doc->getObject("components")->getObject("securitySchemes")->has("bearerAuth"));
}

TEST(OpenApiDocument, ProblemTypeEnumIsTheProblemTypeTable) {
  const auto doc = parse_document();
  const auto type = doc->getObject("components")
                        ->getObject("schemas")
                        ->getObject("Problem")
                        ->getObject("properties")
                        ->getObject("type");
  std::set<std::string> documented;
  for (const auto& value : *type->getArray("enum")) documented.insert(value.convert<std::string>());
  std::set<std::string> implemented;
  for (const http::ProblemTypeInfo& info : http::all_problem_types()) implemented.insert(http::problem_type_uri(info.type));
  EXPECT_EQ(documented, implemented);
}

void collect_refs(const Poco::Dynamic::Var& node, std::set<std::string>& refs) {
  if (node.type() == typeid(Poco::JSON::Object::Ptr)) {
    const auto object = node.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, value] : *object) {
      if (key == "$ref") refs.insert(value.convert<std::string>());
      else collect_refs(value, refs);
    }
  } else if (node.type() == typeid(Poco::JSON::Array::Ptr)) {
    for (const auto& value : *node.extract<Poco::JSON::Array::Ptr>()) collect_refs(value, refs);
  }
}

TEST(OpenApiDocument, EveryReferenceResolves) {
  const auto doc = parse_document();
  std::set<std::string> refs;
  collect_refs(Poco::Dynamic::Var(doc), refs);
  ASSERT_FALSE(refs.empty());
  for (const std::string& ref : refs) {
    ASSERT_EQ(ref.rfind("#/components/", 0), 0u) << ref;
    const std::string rest = ref.substr(std::string("#/components/").size());
    const std::string section = rest.substr(0, rest.find('/'));
    const std::string name = rest.substr(rest.find('/') + 1);
    EXPECT_TRUE(doc->getObject("components")->getObject(section) &&
                doc->getObject("components")->getObject(section)->has(name))
        << ref;
  }
}

TEST(OpenApiDocument, EveryOperationDeclaresSecurityAndItsErrorResponses) {
  const auto paths = parse_document()->getObject("paths");
  for (const auto& [path, item] : *paths) {
    for (const auto& [method, operation] : *item.extract<Poco::JSON::Object::Ptr>()) {
      const auto op = operation.extract<Poco::JSON::Object::Ptr>();
      EXPECT_TRUE(op->has("security")) << method << " " << path;
      const auto responses = op->getObject("responses");
      EXPECT_TRUE(responses->has("200")) << method << " " << path;
      EXPECT_TRUE(responses->has("500")) << method << " " << path;
      const bool public_route = op->getArray("security")->size() == 0;
      if (!public_route) {
        EXPECT_TRUE(responses->has("401")) << method << " " << path;
        EXPECT_TRUE(responses->has("403")) << method << " " << path;
      }
    }
  }
}

}  // namespace
}  // namespace mdp::api
