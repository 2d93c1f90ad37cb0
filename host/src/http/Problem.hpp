// An RFC 9457 problem document: `application/problem+json` with type, title, status,
// detail, instance, plus optional extension members and response headers (Allow,
// Retry-After, …).
//
// `detail` is sent to the client: write it for the caller ("parameter 'limit' must be
// 1..1500"), never from exception text, SQL or file paths. `instance` is the request id,
// filled in when the problem is rendered, so a client report can be matched to our logs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ProblemType.hpp"

namespace mdp::http {

class Problem {
 public:
  using Member = std::pair<std::string, std::string>;  // name, value

  Problem(ProblemType type, std::string detail);

  ProblemType type() const noexcept { return type_; }
  int status() const;
  const std::string& detail() const noexcept { return detail_; }
  const std::vector<Member>& extensions() const noexcept { return extensions_; }
  const std::vector<Member>& headers() const noexcept { return headers_; }

  // Adds an extension member whose value is already JSON (e.g. rendered with JsonWriter).
  // Names of the standard members are refused with std::invalid_argument.
  Problem& with_extension(std::string name, std::string raw_json);
  // Adds a header sent with the problem response (e.g. "Allow", "Retry-After").
  Problem& with_header(std::string name, std::string value);
  // Convenience for 503/429: Retry-After in delta-seconds (RFC 9110 §10.2.3).
  Problem& with_retry_after(int seconds);

  // The JSON body, with `instance` set to the given request id (omitted when empty).
  std::string render(std::string_view instance) const;

 private:
  ProblemType type_;
  std::string detail_;
  std::vector<Member> extensions_;
  std::vector<Member> headers_;
};

}  // namespace mdp::http
