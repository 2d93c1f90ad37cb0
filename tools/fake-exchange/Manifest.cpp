#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "FakeExchangeServerInternal.hpp"

namespace mdp::fake {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw std::runtime_error("routes.json: " + where + ": " + what);
}

std::string read_file(const std::string& path, const std::string& where) {
  std::ifstream in(path, std::ios::binary);
  if (!in) bad(where, "cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// A file name from the manifest: relative, inside DIR.
std::string resolve(const std::string& dir, const std::string& name, const std::string& where) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string::npos) {
    bad(where, "\"file\" must be a relative path inside the directory");
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto slash = std::min(name.find('/', start), name.size());
    if (name.compare(start, slash - start, "..") == 0 && slash - start == 2) {
      bad(where, "\"file\" must not contain '..'");
    }
    start = slash + 1;
  }
  return dir + "/" + name;
}

std::string scalar_text(const Poco::Dynamic::Var& value, const std::string& where) {
  if (value.isEmpty()) return "null";
  if (value.type() == typeid(Object::Ptr) || value.type() == typeid(Array::Ptr)) bad(where, "expected a scalar");
  if (value.type() == typeid(bool)) return value.extract<bool>() ? "true" : "false";
  return value.convert<std::string>();
}

std::vector<std::pair<std::string, std::string>> string_map(const Object::Ptr& object, const std::string& key,
                                                            const std::string& where) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!object->has(key)) return out;
  const Object::Ptr map = object->getObject(key);
  if (!map) bad(where, "\"" + key + "\" must be an object");
  for (const auto& [name, value] : *map) out.emplace_back(name, scalar_text(value, where + "." + key + "." + name));
  return out;
}

std::int64_t integer(const Object::Ptr& object, const std::string& key, std::int64_t fallback, const std::string& where) {
  if (!object->has(key)) return fallback;
  const Poco::Dynamic::Var value = object->get(key);
  if (!value.isInteger()) bad(where, "\"" + key + "\" must be an integer");
  return value.convert<Poco::Int64>();
}

bool boolean(const Object::Ptr& object, const std::string& key, const std::string& where) {
  if (!object->has(key)) return false;
  const Poco::Dynamic::Var value = object->get(key);
  if (value.type() != typeid(bool)) bad(where, "\"" + key + "\" must be true or false");
  return value.extract<bool>();
}

std::string text(const Object::Ptr& object, const std::string& key, const std::string& where) {
  const Poco::Dynamic::Var value = object->get(key);
  if (!value.isString()) bad(where, "\"" + key + "\" must be a string");
  return value.extract<std::string>();
}

const std::set<std::string> kResponseKeys = {
    "status",   "headers",        "content_type", "file",         "body",  "chunked", "close",
    "delay_ms", "delay_mid_body_ms", "truncate_after", "reset_after", "reset", "drop",  "oversize_bytes",
    "retry_after", "trickle_bytes", "trickle_interval_ms"};
const std::set<std::string> kRouteKeys = {"method", "path", "query", "body_match", "responses"};

FakeResponse response_from(const Object::Ptr& object, const std::string& dir, const std::string& where,
                           bool route_level) {
  for (const auto& [key, value] : *object) {
    (void)value;
    if (kResponseKeys.count(key) == 0 && !(route_level && kRouteKeys.count(key) != 0)) {
      bad(where, "unknown key \"" + key + "\"");
    }
  }
  FakeResponse r;
  r.status = static_cast<int>(integer(object, "status", 200, where));
  if (r.status < 100 || r.status > 599) bad(where, "\"status\" must be 100..599");
  r.headers = string_map(object, "headers", where);
  if (object->has("content_type")) r.content_type = text(object, "content_type", where);
  if (object->has("file") && object->has("body")) bad(where, "give \"file\" or \"body\", not both");
  if (object->has("file")) r.body = read_file(resolve(dir, text(object, "file", where), where), where);
  if (object->has("body")) r.body = text(object, "body", where);
  r.chunked = boolean(object, "chunked", where);
  r.keep_alive = !boolean(object, "close", where);
  r.delay_before_headers = std::chrono::milliseconds(integer(object, "delay_ms", 0, where));
  r.delay_mid_body = std::chrono::milliseconds(integer(object, "delay_mid_body_ms", 0, where));
  r.truncate_after = integer(object, "truncate_after", -1, where);
  r.reset_after = integer(object, "reset_after", -1, where);
  r.reset = boolean(object, "reset", where);
  r.drop = boolean(object, "drop", where);
  r.oversize_bytes = integer(object, "oversize_bytes", -1, where);
  r.trickle_bytes = integer(object, "trickle_bytes", 0, where);
  r.trickle_interval = std::chrono::milliseconds(integer(object, "trickle_interval_ms", 0, where));
  if (object->has("retry_after")) r.headers.emplace_back("Retry-After", scalar_text(object->get("retry_after"), where));
  return r;
}

}  // namespace

std::vector<ManifestRoute> load_manifest(const std::string& dir) {
  const std::string path = dir + "/routes.json";
  const std::string content = read_file(path, "manifest");
  Poco::Dynamic::Var root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(content);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("routes.json: not valid JSON (" + e.displayText() + ")");
  }
  if (root.type() != typeid(Object::Ptr)) throw std::runtime_error("routes.json: expected an object with \"routes\"");
  const Object::Ptr top = root.extract<Object::Ptr>();
  const Array::Ptr routes = top->has("routes") ? top->getArray("routes") : nullptr;
  if (!routes) throw std::runtime_error("routes.json: \"routes\" must be an array");

  std::vector<ManifestRoute> out;
  for (std::size_t i = 0; i < routes->size(); ++i) {
    const std::string where = "routes[" + std::to_string(i) + "]";
    const Object::Ptr route = routes->getObject(static_cast<unsigned>(i));
    if (!route) bad(where, "expected an object");
    ManifestRoute loaded;
    loaded.match.method = route->has("method") ? text(route, "method", where) : "GET";
    if (!route->has("path")) bad(where, "\"path\" is required");
    loaded.match.path = text(route, "path", where);
    if (loaded.match.path.empty() || loaded.match.path.front() != '/') bad(where, "\"path\" must start with '/'");
    loaded.match.query = string_map(route, "query", where);
    loaded.match.body = string_map(route, "body_match", where);
    loaded.fallback = response_from(route, dir, where, true);
    if (route->has("responses")) {
      const Array::Ptr script = route->getArray("responses");
      if (!script) bad(where, "\"responses\" must be an array");
      for (std::size_t j = 0; j < script->size(); ++j) {
        const std::string inner = where + ".responses[" + std::to_string(j) + "]";
        const Object::Ptr response = script->getObject(static_cast<unsigned>(j));
        if (!response) bad(inner, "expected an object");
        loaded.script.push_back(response_from(response, dir, inner, false));
      }
    }
    out.push_back(std::move(loaded));
  }
  return out;
}

}  // namespace mdp::fake
