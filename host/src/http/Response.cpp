#include "Response.hpp"

#include <stdexcept>

namespace mdp::http {

namespace {

// RFC 9110 §5.6.2 tchar.
bool is_token_character(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_token_character(c)) return false;
  }
  return true;
}

bool is_safe_header_value(std::string_view value) noexcept {
  // No CR/LF/NUL: a value can never start a new header line (response splitting).
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool is_writer_owned(std::string_view name) noexcept {
  for (std::string_view owned :
       {"Content-Length", "Content-Type", "Connection", "Transfer-Encoding", "Date", "X-Request-Id"}) {
    if (equals_ignore_case(name, owned)) return true;
  }
  return false;
}

}  // namespace

void Response::set_status(int status) {
  if (status < 100 || status > 599) throw std::invalid_argument("HTTP status out of range");
  status_ = status;
}

void Response::set_content_type(std::string content_type) {
  if (!is_safe_header_value(content_type)) throw std::invalid_argument("unsafe Content-Type");
  content_type_ = std::move(content_type);
}

void Response::set_header(std::string_view name, std::string value) {
  if (!is_token(name)) throw std::invalid_argument("header name is not a token");
  if (is_writer_owned(name)) throw std::invalid_argument("header is set by the response writer");
  if (!is_safe_header_value(value)) throw std::invalid_argument("header value contains CR, LF or NUL");
  for (auto& field : headers_) {
    if (equals_ignore_case(field.first, name)) {
      field.second = std::move(value);
      return;
    }
  }
  headers_.emplace_back(std::string(name), std::move(value));
}

const std::string* Response::header(std::string_view name) const noexcept {
  for (const auto& [key, value] : headers_) {
    if (equals_ignore_case(key, name)) return &value;
  }
  return nullptr;
}

std::string& Response::body() {
  if (shared_body_) {
    body_ = *shared_body_;
    shared_body_.reset();
  }
  return body_;
}

std::shared_ptr<const std::string> Response::share_body() {
  if (!shared_body_) {
    shared_body_ = std::make_shared<const std::string>(std::move(body_));
    body_.clear();
  }
  return shared_body_;
}

void Response::set_shared_body(std::shared_ptr<const std::string> body) {
  if (!body) throw std::invalid_argument("shared body is null");
  shared_body_ = std::move(body);
  body_.clear();
}

std::string& Response::start_json(int status) {
  set_status(status);
  content_type_.assign(kJsonContentType);
  shared_body_.reset();
  body_.clear();
  return body_;
}

void Response::set_problem(const Problem& problem) {
  set_status(problem.status());
  content_type_.assign(kProblemContentType);
  headers_.clear();
  // Problems describe this one request: never let a cache keep them.
  set_header("Cache-Control", "no-store");
  for (const auto& [name, value] : problem.headers()) set_header(name, value);
  shared_body_.reset();
  body_ = problem.render(request_id_);
}

}  // namespace mdp::http
