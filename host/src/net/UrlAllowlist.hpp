// Which URLs a plugin may reach: each exchange lists base URLs (scheme, host, port and a
// path prefix); a request URL must fall inside one of them. Parsing goes through Poco::URI
// plus our own stricter checks, because Poco does not normalise paths or reject userinfo.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::net {

struct BaseUrl {
  std::string scheme;       // "http" or "https"
  std::string host;         // lower-case
  std::uint16_t port = 0;   // explicit or the scheme's default
  std::string path_prefix;  // "" (anything) or "/fapi/..." without a trailing slash
  std::string text;         // as configured
};

// A URL that passed the allowlist, split for the client session.
struct AllowedUrl {
  std::string scheme;
  std::string host;
  std::uint16_t port = 0;
  std::string target;  // raw origin-form request target: path [ "?" query ], as given
};

// Parses one configured base URL; nullopt and a reason when invalid (userinfo, query,
// fragment, other schemes, traversal).
std::optional<BaseUrl> parse_base_url(std::string_view text, std::string* reason = nullptr);

// Checks a request URL against the bases. Rejects: anything that is not an absolute
// http(s) URL, userinfo, a fragment, control characters, spaces, backslashes, a port or host
// or scheme other than a base's, "." / ".." / empty path segments (also percent-encoded),
// encoded slashes or NULs, and paths outside every base's prefix. `reason` is safe to log.
std::optional<AllowedUrl> check_url(const std::vector<BaseUrl>& bases, std::string_view url,
                                    std::string* reason = nullptr);

}  // namespace mdp::net
