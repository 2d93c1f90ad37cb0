#include "Problem.hpp"

#include <stdexcept>

#include "JsonWriter.hpp"

namespace mdp::http {

Problem::Problem(ProblemType type, std::string detail) : type_(type), detail_(std::move(detail)) {}

int Problem::status() const { return problem_type_info(type_).status; }

Problem& Problem::with_extension(std::string name, std::string raw_json) {
  for (std::string_view reserved : {"type", "title", "status", "detail", "instance"}) {
    if (name == reserved) throw std::invalid_argument("problem extension shadows a standard member");
  }
  extensions_.emplace_back(std::move(name), std::move(raw_json));
  return *this;
}

Problem& Problem::with_header(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
  return *this;
}

Problem& Problem::with_retry_after(int seconds) {
  return with_header("Retry-After", std::to_string(seconds < 0 ? 0 : seconds));
}

std::string Problem::render(std::string_view instance) const {
  const ProblemTypeInfo& info = problem_type_info(type_);
  std::string body;
  body.reserve(160 + detail_.size());
  JsonWriter json(body);
  json.begin_object();
  json.key("type").string(problem_type_uri(type_));
  json.key("title").string(info.title);
  json.key("status").integer(info.status);
  json.key("detail").string(detail_);
  if (!instance.empty()) json.key("instance").string(instance);
  for (const auto& [name, value] : extensions_) json.key(name).raw(value);
  json.end_object();
  return body;
}

}  // namespace mdp::http
