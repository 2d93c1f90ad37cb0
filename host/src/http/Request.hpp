// What a route sees of a request: method, path, decoded query, headers, body, ids. A plain
// value with no Poco streams behind it, so routes are testable without sockets.
//
// By the time a route runs, the pipeline has enforced the size limits, the framing rules
// and the query grammar. The body is read (capped) only for methods that carry one.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "HttpMethod.hpp"
#include "QueryParameters.hpp"

namespace mdp::http {

using HeaderField = std::pair<std::string, std::string>;  // name as sent, value
using HeaderList = std::vector<HeaderField>;

class Request {
 public:
  HttpMethod method() const noexcept { return method_; }
  // The path exactly as sent (not decoded, not normalised), without the query.
  const std::string& path() const noexcept { return path_; }
  const QueryParameters& query() const noexcept { return query_; }
  const HeaderList& headers() const noexcept { return headers_; }
  // First header with this name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const noexcept;
  std::size_t header_count(std::string_view name) const noexcept;
  const std::string& body() const noexcept { return body_; }
  const std::string& request_id() const noexcept { return request_id_; }
  const std::string& remote_address() const noexcept { return remote_address_; }
  // The authenticated client, empty until an auth stage sets it; the access log shows it.
  const std::string& client_id() const noexcept { return client_id_; }

  // Throws ProblemError (400) naming the first query parameter not in `allowed`.
  void reject_unknown_parameters(std::initializer_list<std::string_view> allowed) const;
  // The parameter's value; throws ProblemError (400) naming it when absent.
  const std::string& required_parameter(std::string_view name) const;

  void set_method(HttpMethod method) noexcept { method_ = method; }
  void set_path(std::string path) { path_ = std::move(path); }
  void set_query(QueryParameters query) { query_ = std::move(query); }
  void set_headers(HeaderList headers) { headers_ = std::move(headers); }
  void set_body(std::string body) { body_ = std::move(body); }
  void set_request_id(std::string id) { request_id_ = std::move(id); }
  void set_remote_address(std::string address) { remote_address_ = std::move(address); }
  void set_client_id(std::string client_id) { client_id_ = std::move(client_id); }

 private:
  HttpMethod method_ = HttpMethod::Get;
  std::string path_;
  QueryParameters query_;
  HeaderList headers_;
  std::string body_;
  std::string request_id_;
  std::string remote_address_;
  std::string client_id_;
};

// ASCII case-insensitive comparison, for header names.
bool equals_ignore_case(std::string_view a, std::string_view b) noexcept;

}  // namespace mdp::http
