#include "HttpTestClient.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "Base64.hpp"
#include "JsonObjectParser.hpp"

namespace mdp::auth::test {

std::string Reply::header(const std::string& lower_name) const {
  EXPECT_LE(headers.count(lower_name), 1U) << lower_name;
  const auto found = headers.find(lower_name);
  return found == headers.end() ? std::string() : found->second;
}

Reply send(std::uint16_t port, const std::string& method, const std::string& target, const Headers& headers,
           const std::string& body) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(20, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.add(name, value);
  if (!body.empty() || method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
  std::ostream& out = session.sendRequest(request);
  out << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = static_cast<int>(response.getStatus());
  for (const auto& [name, value] : response) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers.emplace(lower, value);
  }
  std::ostringstream text;
  Poco::StreamCopier::copyStream(in, text);
  reply.body = text.str();
  return reply;
}

std::string basic_auth(const std::string& id, const std::string& secret) {
  return "Basic " + base64_encode_padded(id + ":" + secret);
}

std::string json_member(const std::string& body, const std::string& name) {
  const auto object = JsonObjectParser::parse(body);
  if (!object) return {};
  const JsonValue* value = object->find(name);
  if (value == nullptr) return {};
  if (value->kind == JsonValue::Kind::Integer) return std::to_string(value->integer);
  return value->text;
}

std::string without_instance(const std::string& body) {
  const std::size_t start = body.find(",\"instance\":\"");
  if (start == std::string::npos) return body;
  const std::size_t end = body.find('"', start + 13);
  return body.substr(0, start) + body.substr(end + 1);
}

}  // namespace mdp::auth::test
