#include "Request.hpp"

#include "Problem.hpp"
#include "ProblemError.hpp"

namespace mdp::http {

bool equals_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

const std::string* Request::header(std::string_view name) const noexcept {
  for (const auto& [key, value] : headers_) {
    if (equals_ignore_case(key, name)) return &value;
  }
  return nullptr;
}

std::size_t Request::header_count(std::string_view name) const noexcept {
  std::size_t count = 0;
  for (const auto& field : headers_) {
    if (equals_ignore_case(field.first, name)) ++count;
  }
  return count;
}

void Request::reject_unknown_parameters(std::initializer_list<std::string_view> allowed) const {
  if (const std::string* unknown = query_.first_not_in(allowed)) {
    throw ProblemError(Problem(ProblemType::BadRequest, "unknown query parameter '" + *unknown + "'"));
  }
}

const std::string& Request::required_parameter(std::string_view name) const {
  if (const std::string* value = query_.find(name)) return *value;
  std::string detail = "missing required query parameter '";
  detail.append(name);
  detail.push_back('\'');
  throw ProblemError(Problem(ProblemType::BadRequest, std::move(detail)));
}

}  // namespace mdp::http
