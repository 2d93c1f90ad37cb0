#include "TokenRequestParser.hpp"

#include <algorithm>
#include <map>

#include "Base64.hpp"
#include "ClaimsValidator.hpp"
#include "ClientCredentials.hpp"
#include "JsonObjectParser.hpp"
#include "Request.hpp"

namespace mdp::auth {
namespace {

using Parameters = std::map<std::string, std::string>;

TokenRequestParse fail(std::string code, std::string description, bool challenge = false) {
  TokenRequestParse parse;
  parse.error = OAuthError{std::move(code), std::move(description)};
  parse.challenge_basic = challenge;
  return parse;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool has_control_characters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

std::string lower_media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string lower(type);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// nullopt + `error` set when the body cannot be read.
std::optional<Parameters> read_form(std::string_view body, std::string& error) {
  Parameters parameters;
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::size_t amp = body.find('&', start);
    const std::string_view pair = body.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      const auto name = form_decode(pair.substr(0, eq));
      const auto value = form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
      if (!name || !value || has_control_characters(*name) || has_control_characters(*value)) {
        error = "the form body is not valid application/x-www-form-urlencoded";
        return std::nullopt;
      }
      if (!parameters.emplace(*name, *value).second) {
        error = "parameter '" + *name + "' is given more than once";
        return std::nullopt;
      }
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return parameters;
}

std::optional<Parameters> read_json(std::string_view body, std::string& error) {
  const std::optional<JsonObject> object = JsonObjectParser::parse(body, JsonParseLimits{8192, 1, 32});
  if (!object) {
    error = "the JSON body must be one object of string members, each name once";
    return std::nullopt;
  }
  Parameters parameters;
  for (const auto& [name, value] : object->members()) {
    if (value.kind != JsonValue::Kind::String || has_control_characters(value.text)) {
      error = "JSON member '" + name + "' must be a string";
      return std::nullopt;
    }
    parameters.emplace(name, value.text);
  }
  return parameters;
}

}  // namespace

std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

TokenRequestParse parse_token_request(const http::Request& request) {
  // Client authentication through the Authorization header.
  std::optional<std::pair<std::string, std::string>> basic;
  const std::size_t authorization_headers = request.header_count("Authorization");
  if (authorization_headers > 1) return fail("invalid_request", "send at most one Authorization header");
  if (authorization_headers == 1) {
    const std::string& value = *request.header("Authorization");
    const std::size_t space = value.find(' ');
    if (space == std::string::npos || !http::equals_ignore_case(std::string_view(value).substr(0, space), "Basic")) {
      return fail("invalid_client", "authenticate the client with HTTP Basic", true);
    }
    std::string_view credentials = std::string_view(value).substr(space + 1);
    while (!credentials.empty() && credentials.front() == ' ') credentials.remove_prefix(1);
    const std::optional<std::string> decoded = base64_decode_padded(credentials);
    const std::size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) return fail("invalid_client", "malformed HTTP Basic credentials", true);
    const auto id = form_decode(std::string_view(*decoded).substr(0, colon));
    const auto secret = form_decode(std::string_view(*decoded).substr(colon + 1));
    if (!id || !secret) return fail("invalid_client", "malformed HTTP Basic credentials", true);
    basic.emplace(*id, *secret);
  }

  // The body's parameters.
  Parameters parameters;
  if (!request.body().empty()) {
    const std::string* content_type = request.header("Content-Type");
    const std::string media = content_type ? lower_media_type(*content_type) : std::string();
    std::string error;
    std::optional<Parameters> read;
    if (media == "application/x-www-form-urlencoded") {
      read = read_form(request.body(), error);
    } else if (media == "application/json") {
      read = read_json(request.body(), error);
    } else {
      error = "send the parameters as application/x-www-form-urlencoded (or application/json)";
    }
    if (!read) return fail("invalid_request", error);
    parameters = std::move(*read);
  }
  const auto parameter = [&parameters](const char* name) -> const std::string* {
    const auto found = parameters.find(name);
    return found == parameters.end() ? nullptr : &found->second;
  };

  const std::string* grant_type = parameter("grant_type");
  if (grant_type == nullptr) return fail("invalid_request", "grant_type is missing (use client_credentials)");
  if (*grant_type != "client_credentials") {
    return fail("unsupported_grant_type", "only grant_type=client_credentials is supported");
  }

  TokenRequest token_request;
  if (const std::string* scope = parameter("scope")) {
    if (!parse_scope_list(*scope, token_request.scopes) ||
        !std::all_of(token_request.scopes.begin(), token_request.scopes.end(),
                     [](const std::string& s) { return is_known_scope(s); })) {
      return fail("invalid_scope", "scope must be a space-separated list of: market:read admin");
    }
  }

  const std::string* body_id = parameter("client_id");
  const std::string* body_secret = parameter("client_secret");
  if (basic) {
    if (body_id != nullptr || body_secret != nullptr) {
      return fail("invalid_request", "use one client authentication method: HTTP Basic or the body, not both");
    }
    token_request.client_id = std::move(basic->first);
    token_request.client_secret = std::move(basic->second);
  } else if (body_id != nullptr && body_secret != nullptr) {
    token_request.client_id = *body_id;
    token_request.client_secret = *body_secret;
  } else {
    return fail("invalid_client", "client authentication is missing: use HTTP Basic with the client id and secret", true);
  }

  TokenRequestParse parse;
  parse.challenge_basic = basic.has_value();
  parse.request = std::move(token_request);
  return parse;
}

}  // namespace mdp::auth
