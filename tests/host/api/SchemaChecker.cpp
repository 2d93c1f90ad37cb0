#include "SchemaChecker.hpp"

#include <regex>
#include <stdexcept>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "OpenApiDocument.hpp"

namespace mdp::api::test {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

bool is_object(const Poco::Dynamic::Var& v) { return v.type() == typeid(Object::Ptr); }
bool is_array(const Poco::Dynamic::Var& v) { return v.type() == typeid(Array::Ptr); }

bool has_type(const Poco::Dynamic::Var& value, const std::string& type) {
  if (type == "null") return value.isEmpty();
  if (value.isEmpty()) return false;
  if (type == "object") return is_object(value);
  if (type == "array") return is_array(value);
  if (type == "string") return value.isString();
  if (type == "boolean") return value.type() == typeid(bool);
  if (type == "integer") return value.isInteger() && value.type() != typeid(bool);
  if (type == "number") return value.isNumeric() && value.type() != typeid(bool);
  throw std::logic_error("schema type not supported by the checker: " + type);
}

std::string describe(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return "null";
  if (is_object(value)) return "an object";
  if (is_array(value)) return "an array";
  return "'" + value.convert<std::string>() + "'";
}

}  // namespace

Poco::JSON::Object::Ptr parse_openapi_document() {
  return parse_json(std::string(openapi_document())).extract<Object::Ptr>();
}

Poco::Dynamic::Var parse_json(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text);
}

Object::Ptr SchemaChecker::resolve(Object::Ptr node) const {
  for (int hops = 0; node && node->has("$ref"); ++hops) {
    if (hops > 16) throw std::logic_error("$ref loop");
    const std::string ref = node->getValue<std::string>("$ref");
    const std::string prefix = "#/components/";
    if (ref.rfind(prefix, 0) != 0) throw std::logic_error("unsupported $ref " + ref);
    const std::string rest = ref.substr(prefix.size());
    const std::size_t slash = rest.find('/');
    node = document_->getObject("components")->getObject(rest.substr(0, slash))->getObject(rest.substr(slash + 1));
    if (!node) throw std::logic_error("dangling $ref " + ref);
  }
  return node;
}

std::vector<std::string> SchemaChecker::check(const Object::Ptr& schema, const Poco::Dynamic::Var& value) const {
  std::vector<std::string> errors;
  check_node(schema, value, "$", errors);
  return errors;
}

void SchemaChecker::check_node(const Object::Ptr& raw_schema, const Poco::Dynamic::Var& value,
                               const std::string& where, std::vector<std::string>& errors) const {
  const Object::Ptr schema = resolve(raw_schema);
  if (!schema) return;
  if (schema->has("type")) {
    std::vector<std::string> types;
    const Poco::Dynamic::Var type = schema->get("type");
    if (is_array(type)) {
      for (const auto& t : *type.extract<Array::Ptr>()) types.push_back(t.convert<std::string>());
    } else {
      types.push_back(type.convert<std::string>());
    }
    if (schema->has("nullable") && schema->getValue<bool>("nullable")) types.emplace_back("null");
    bool matched = false;
    for (const std::string& t : types) matched = matched || has_type(value, t);
    if (!matched) {
      errors.push_back(where + ": " + describe(value) + " is not of type " + type.toString());
      return;
    }
  }
  if (value.isEmpty()) return;
  if (schema->has("enum")) {
    bool found = false;
    for (const auto& allowed : *schema->getArray("enum")) found = found || allowed.toString() == value.toString();
    if (!found) errors.push_back(where + ": " + describe(value) + " is not in the enum");
  }
  if (schema->has("pattern") && value.isString()) {
    const std::regex pattern(schema->getValue<std::string>("pattern"), std::regex::ECMAScript);
    if (!std::regex_search(value.extract<std::string>(), pattern)) {
      errors.push_back(where + ": " + describe(value) + " does not match " + schema->getValue<std::string>("pattern"));
    }
  }
  if (is_object(value)) {
    const Object::Ptr object = value.extract<Object::Ptr>();
    const Object::Ptr properties = schema->getObject("properties");
    if (schema->has("required")) {
      for (const auto& name : *schema->getArray("required")) {
        if (!object->has(name.toString())) errors.push_back(where + ": required member '" + name.toString() + "' missing");
      }
    }
    const bool closed = schema->has("additionalProperties") && schema->get("additionalProperties").type() == typeid(bool) &&
                        !schema->getValue<bool>("additionalProperties");
    for (const auto& [name, member] : *object) {
      if (properties && properties->has(name)) {
        check_node(properties->getObject(name), member, where + "." + name, errors);
      } else if (closed) {
        errors.push_back(where + ": member '" + name + "' is not documented");
      }
    }
  }
  if (is_array(value) && schema->has("items")) {
    const Array::Ptr array = value.extract<Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      check_node(schema->getObject("items"), array->get(static_cast<unsigned>(i)), where + "[" + std::to_string(i) + "]", errors);
    }
  }
}

bool SchemaChecker::documents_status(const std::string& path, const std::string& method, int status) const {
  const Object::Ptr item = document_->getObject("paths")->getObject(path);
  if (!item || !item->has(method)) return false;
  return item->getObject(method)->getObject("responses")->has(std::to_string(status));
}

Object::Ptr SchemaChecker::response_schema(const std::string& path, const std::string& method, int status,
                                           const std::string& content_type) const {
  if (!documents_status(path, method, status)) return nullptr;
  const Object::Ptr response =
      resolve(document_->getObject("paths")->getObject(path)->getObject(method)->getObject("responses")->getObject(
          std::to_string(status)));
  const Object::Ptr content = response->getObject("content");
  if (!content || !content->has(content_type)) return nullptr;
  return content->getObject(content_type)->getObject("schema");
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  bool field_started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      field_started = false;
      ++i;
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (field_started || !field.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace mdp::api::test
