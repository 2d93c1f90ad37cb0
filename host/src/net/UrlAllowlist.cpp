#include "UrlAllowlist.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace mdp::net {
namespace {

constexpr std::size_t kMaxUrlLength = 8192;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

bool fail(std::string* reason, const char* text) {
  if (reason) *reason = text;
  return false;
}

// Characters never allowed anywhere in the URL text.
bool has_forbidden_chars(std::string_view url) {
  for (const char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '#' || c == '"' || c == '<' || c == '>' || c == '`' ||
        c == '{' || c == '}' || c == '|' || c == '^') {
      return true;
    }
  }
  return false;
}

// The raw path, split from "scheme://authority" and "?query".
struct RawParts {
  std::string_view scheme, authority, path, query;
  bool has_query = false;
};

bool split_raw(std::string_view url, RawParts& out) {
  const auto colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  out.scheme = url.substr(0, colon);
  std::string_view rest = url.substr(colon + 3);
  const auto slash = rest.find_first_of("/?");
  out.authority = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  const auto q = rest.find('?');
  out.path = rest.substr(0, q);
  if (q != std::string_view::npos) {
    out.has_query = true;
    out.query = rest.substr(q + 1);
  }
  return true;
}

// Path checks on the raw (still percent-encoded) path.
bool path_is_safe(std::string_view raw_path, std::string* reason) {
  if (raw_path.empty()) return true;
  if (raw_path.front() != '/') return fail(reason, "path must start with '/'");
  const std::string lowered = lower(raw_path);
  // Encoded separators, dots and NULs are how traversal hides from prefix checks.
  for (const char* bad : {"%2f", "%5c", "%2e", "%00"}) {
    if (lowered.find(bad) != std::string::npos) return fail(reason, "encoded separator, dot or NUL in path");
  }
  std::string decoded;
  try {
    Poco::URI::decode(std::string(raw_path), decoded);
  } catch (const Poco::Exception&) {
    return fail(reason, "bad percent-encoding in path");
  }
  // Segments after the leading '/': no ".", "..", or empty ones ("//"), except that the
  // path may end with '/'.
  std::size_t start = 1;
  while (start <= decoded.size()) {
    const auto end = std::min(decoded.find('/', start), decoded.size());
    const std::string_view segment(decoded.data() + start, end - start);
    if (segment == "." || segment == "..") return fail(reason, "dot segment in path");
    if (segment.empty() && end != decoded.size()) return fail(reason, "empty path segment");
    start = end + 1;
  }
  return true;
}

bool prefix_matches(const std::string& prefix, std::string_view path) {
  if (prefix.empty()) return true;
  if (path.size() < prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/' || path[prefix.size()] == '?';
}

struct Parsed {
  std::string scheme, host;
  std::uint16_t port = 0;
  RawParts raw;
};

bool parse_common(std::string_view text, Parsed& out, std::string* reason) {
  if (text.empty() || text.size() > kMaxUrlLength) return fail(reason, "URL empty or too long");
  if (has_forbidden_chars(text)) return fail(reason, "URL contains a forbidden character");
  if (!split_raw(text, out.raw)) return fail(reason, "URL is not absolute");
  if (out.raw.authority.find('@') != std::string_view::npos) return fail(reason, "userinfo is not allowed");
  if (out.raw.authority.empty()) return fail(reason, "URL has no host");
  Poco::URI uri;
  try {
    uri = Poco::URI(std::string(text));
  } catch (const Poco::Exception&) {
    return fail(reason, "URL does not parse");
  }
  out.scheme = lower(uri.getScheme());
  if (out.scheme != "http" && out.scheme != "https") return fail(reason, "scheme must be http or https");
  if (lower(out.raw.scheme) != out.scheme) return fail(reason, "URL does not parse");
  if (!uri.getUserInfo().empty()) return fail(reason, "userinfo is not allowed");
  if (!uri.getFragment().empty()) return fail(reason, "fragment is not allowed");
  out.host = lower(uri.getHost());
  if (out.host.empty()) return fail(reason, "URL has no host");
  // An explicit port must be all digits and in range (Poco accepts some oddities).
  const std::string_view authority = out.raw.authority;
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    const std::string_view digits = authority.substr(colon + 1);
    if (digits.empty() || digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return fail(reason, "bad port");
    }
  }
  out.port = uri.getPort();
  if (out.port == 0) return fail(reason, "bad port");
  return path_is_safe(out.raw.path, reason);
}

}  // namespace

std::optional<BaseUrl> parse_base_url(std::string_view text, std::string* reason) {
  Parsed parsed;
  if (!parse_common(text, parsed, reason)) return std::nullopt;
  if (parsed.raw.has_query) {
    fail(reason, "a base URL has no query");
    return std::nullopt;
  }
  BaseUrl base;
  base.scheme = parsed.scheme;
  base.host = parsed.host;
  base.port = parsed.port;
  std::string prefix(parsed.raw.path);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  base.path_prefix = prefix;
  base.text = std::string(text);
  return base;
}

std::optional<AllowedUrl> check_url(const std::vector<BaseUrl>& bases, std::string_view url, std::string* reason) {
  Parsed parsed;
  if (!parse_common(url, parsed, reason)) return std::nullopt;
  const std::string_view path = parsed.raw.path.empty() ? std::string_view("/") : parsed.raw.path;
  for (const BaseUrl& base : bases) {
    if (base.scheme == parsed.scheme && base.host == parsed.host && base.port == parsed.port &&
        prefix_matches(base.path_prefix, path)) {
      AllowedUrl allowed;
      allowed.scheme = parsed.scheme;
      allowed.host = parsed.host;
      allowed.port = parsed.port;
      allowed.target = std::string(path);
      if (parsed.raw.has_query) {
        allowed.target += '?';
        allowed.target += parsed.raw.query;
      }
      return allowed;
    }
  }
  fail(reason, "URL is outside the exchange's allowed base URLs");
  return std::nullopt;
}

}  // namespace mdp::net
