// Checks a parsed JSON value against a schema of the OpenAPI document, for the subset the
// document uses: $ref (#/components/schemas/...), type (a name or a list, "null"
// included), nullable (3.0 style), required, properties, additionalProperties: false,
// items, enum, pattern. Returns one message per violation, with the JSON path.
#pragma once

#include <string>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

namespace mdp::api::test {

class SchemaChecker {
 public:
  explicit SchemaChecker(Poco::JSON::Object::Ptr document) : document_(std::move(document)) {}

  std::vector<std::string> check(const Poco::JSON::Object::Ptr& schema, const Poco::Dynamic::Var& value) const;

  // The schema of `status` for `content_type` of operation (method lower-case, path), with
  // $ref'd responses followed; null when the document has none.
  Poco::JSON::Object::Ptr response_schema(const std::string& path, const std::string& method, int status,
                                          const std::string& content_type) const;
  // True when the operation documents `status`.
  bool documents_status(const std::string& path, const std::string& method, int status) const;

  const Poco::JSON::Object::Ptr& document() const { return document_; }

 private:
  Poco::JSON::Object::Ptr resolve(Poco::JSON::Object::Ptr node) const;
  void check_node(const Poco::JSON::Object::Ptr& schema, const Poco::Dynamic::Var& value, const std::string& where,
                  std::vector<std::string>& errors) const;

  Poco::JSON::Object::Ptr document_;
};

// Parses the embedded OpenAPI document.
Poco::JSON::Object::Ptr parse_openapi_document();
// Parses a JSON text (throws on malformed JSON).
Poco::Dynamic::Var parse_json(const std::string& text);

// RFC 4180 reader for the CSV responses: records of fields, quotes undone.
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

}  // namespace mdp::api::test
