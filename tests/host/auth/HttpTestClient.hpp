// A small blocking HTTP client for the auth tests (Poco's HTTPClientSession on 127.0.0.1):
// any headers, repeated ones included, and the whole reply with lower-cased header names.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mdp::auth::test {

struct Reply {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // lower-case names
  std::string body;

  // The only value of `name`, "" when absent; fails the test when repeated.
  std::string header(const std::string& lower_name) const;
  std::size_t count(const std::string& lower_name) const { return headers.count(lower_name); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

Reply send(std::uint16_t port, const std::string& method, const std::string& target, const Headers& headers = {},
           const std::string& body = {});

// "Basic base64(id:secret)".
std::string basic_auth(const std::string& id, const std::string& secret);
// The string value of a top-level member in a flat JSON reply ("" when absent).
std::string json_member(const std::string& body, const std::string& name);
// The body without its "instance" member, to compare problem documents of two requests.
std::string without_instance(const std::string& body);

}  // namespace mdp::auth::test
